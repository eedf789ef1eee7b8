// iCalendar (RFC 5545) files of meetings, made with libical: a VCALENDAR with the meeting's
// time zone (VTIMEZONE from the system's zoneinfo) and one VEVENT in that zone. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/store.h"
#include "core/status.h"

namespace tandem {

// Whether `zone` is an IANA time zone name this machine knows (e.g. "Europe/Berlin").
bool KnownTimeZone(std::string_view zone);

// A moment as the wall clock shows it in one time zone.
struct LocalTime {
  int year = 0;
  int month = 0;    // 1..12
  int day = 0;      // 1..31
  int weekday = 0;  // 0 Sunday .. 6 Saturday
  int hour = 0;
  int minute = 0;
};

// `at` in `zone` (IANA name); nullopt for an unknown zone.
std::optional<LocalTime> ToLocalTime(Millis at, std::string_view zone);

struct CalendarEvent {
  std::string uid;  // stable across changes, e.g. "meeting-7@tandem.example"
  Millis starts_at = 0;
  int duration_minutes = 60;
  std::string time_zone;  // REQUIRES: KnownTimeZone()
  std::string summary;
  std::string location;
  std::string description;
  std::string url;
  std::string status;  // "TENTATIVE", "CONFIRMED" or "CANCELLED"
  std::int64_t sequence = 0;
  Millis stamp = 0;  // DTSTAMP: when the file was made
};

// The text/calendar document; InvalidArgument for an unknown time zone.
Result<std::string> RenderCalendar(const CalendarEvent& event);
// Several events (a feed): one VTIMEZONE per zone they use. No events: an empty calendar.
Result<std::string> RenderCalendar(const std::vector<CalendarEvent>& events);

}  // namespace tandem
