#include "app/calendar.h"

#include <libical/ical.h>

#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace tandem {
namespace {

// libical's built-in time zones are loaded lazily into shared state: one caller at a time.
std::mutex& ZoneMutex() {
  static std::mutex mutex;
  return mutex;
}

// REQUIRES: ZoneMutex() held.
icaltimezone* Zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  return icaltimezone_get_builtin_timezone(std::string(name).c_str());
}

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};

// The local time of `at` in `zone`, without a zone of its own: the property's TZID names it.
icaltimetype InZone(Millis at, icaltimezone* zone) {
  icaltimetype t = icaltime_from_timet_with_zone(static_cast<time_t>(at / 1000), 0,
                                                 icaltimezone_get_utc_timezone());
  t = icaltime_convert_to_zone(t, zone);
  t.zone = nullptr;
  return t;
}

}  // namespace

bool KnownTimeZone(std::string_view zone) {
  std::lock_guard<std::mutex> lock(ZoneMutex());
  return Zone(zone) != nullptr;
}

std::optional<LocalTime> ToLocalTime(Millis at, std::string_view zone_name) {
  std::lock_guard<std::mutex> lock(ZoneMutex());
  icaltimezone* zone = Zone(zone_name);
  if (zone == nullptr) return std::nullopt;
  const icaltimetype t = InZone(at, zone);
  return LocalTime{t.year, t.month, t.day, icaltime_day_of_week(t) - 1, t.hour, t.minute};
}

Result<std::string> RenderCalendar(const CalendarEvent& event) {
  return RenderCalendar(std::vector<CalendarEvent>{event});
}

Result<std::string> RenderCalendar(const std::vector<CalendarEvent>& events) {
  std::lock_guard<std::mutex> lock(ZoneMutex());
  std::unique_ptr<icalcomponent, ComponentDeleter> calendar(
      icalcomponent_new(ICAL_VCALENDAR_COMPONENT));
  icalcomponent_add_property(calendar.get(), icalproperty_new_version("2.0"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_prodid("-//Tandem//Tandem//EN"));
  icalcomponent_add_property(calendar.get(), icalproperty_new_method(ICAL_METHOD_PUBLISH));
  std::set<std::string> zones_added;
  for (const CalendarEvent& e : events) {
    icaltimezone* zone = Zone(e.time_zone);
    if (zone == nullptr) return Status::InvalidArgument("time_zone: unknown time zone");
    // libical names its zones "/freeassociation.sourceforge.net/Europe/Berlin"; calendars
    // resolve the plain IANA name, so the VTIMEZONE and every TZID use that.
    const std::string tzid = icaltimezone_get_location(zone);
    if (zones_added.insert(tzid).second) {
      icalcomponent* vtimezone = icalcomponent_new_clone(icaltimezone_get_component(zone));
      if (icalproperty* p = icalcomponent_get_first_property(vtimezone, ICAL_TZID_PROPERTY)) {
        icalproperty_set_tzid(p, tzid.c_str());
      }
      icalcomponent_add_component(calendar.get(), vtimezone);
    }

    icalcomponent* event = icalcomponent_new(ICAL_VEVENT_COMPONENT);
    icalcomponent_add_property(event, icalproperty_new_uid(e.uid.c_str()));
    icalcomponent_add_property(
        event, icalproperty_new_dtstamp(icaltime_from_timet_with_zone(
                   static_cast<time_t>(e.stamp / 1000), 0, icaltimezone_get_utc_timezone())));
    const Millis ends_at = e.starts_at + Millis{e.duration_minutes} * 60 * 1000;
    icalproperty* start = icalproperty_new_dtstart(InZone(e.starts_at, zone));
    icalproperty_add_parameter(start, icalparameter_new_tzid(tzid.c_str()));
    icalcomponent_add_property(event, start);
    icalproperty* end = icalproperty_new_dtend(InZone(ends_at, zone));
    icalproperty_add_parameter(end, icalparameter_new_tzid(tzid.c_str()));
    icalcomponent_add_property(event, end);
    icalcomponent_add_property(event, icalproperty_new_summary(e.summary.c_str()));
    if (!e.location.empty()) {
      icalcomponent_add_property(event, icalproperty_new_location(e.location.c_str()));
    }
    if (!e.description.empty()) {
      icalcomponent_add_property(event, icalproperty_new_description(e.description.c_str()));
    }
    if (!e.url.empty()) icalcomponent_add_property(event, icalproperty_new_url(e.url.c_str()));
    const icalproperty_status status = e.status == "CANCELLED"   ? ICAL_STATUS_CANCELLED
                                       : e.status == "CONFIRMED" ? ICAL_STATUS_CONFIRMED
                                                                 : ICAL_STATUS_TENTATIVE;
    icalcomponent_add_property(event, icalproperty_new_status(status));
    icalcomponent_add_property(
        event, icalproperty_new_sequence(static_cast<int>(e.sequence & 0x7fffffff)));
    icalcomponent_add_component(calendar.get(), event);
  }
  char* text = icalcomponent_as_ical_string(calendar.get());  // owned by libical's ring buffer
  if (text == nullptr) return Status::Internal("the calendar could not be written");
  return std::string(text);
}

}  // namespace tandem
