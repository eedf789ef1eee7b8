#include "app/calendar.h"

#include <gtest/gtest.h>

namespace tandem {
namespace {

constexpr Millis kSummer = 1'782'900'000'000;  // 2026-07-01 10:00 UTC
constexpr Millis kWinter = 1'795'860'000'000;  // 2026-11-28 10:00 UTC

// The calendar with folded lines joined again (RFC 5545 folds at 75 octets).
std::string Unfolded(const Result<std::string>& text) {
  std::string out;
  const std::string& in = text.value();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r') continue;
    if (in[i] == '\n' && i + 1 < in.size() && in[i + 1] == ' ') {
      ++i;
      continue;
    }
    out += in[i];
  }
  return out;
}

CalendarEvent Event(Millis at, std::string zone) {
  CalendarEvent e;
  e.uid = "meeting-7@tandem.test";
  e.starts_at = at;
  e.time_zone = std::move(zone);
  e.summary = "Tandem";
  e.location = "Room 4.12";
  e.status = "CONFIRMED";
  e.stamp = at;
  return e;
}

TEST(Calendar, LocalTimeFollowsDaylightSavingInTheMeetingsZone) {
  Result<std::string> rendered = RenderCalendar(Event(kSummer, "Europe/Berlin"));
  ASSERT_TRUE(rendered.ok()) << rendered.status().message();
  const std::string summer = Unfolded(rendered);
  // 10:00 UTC is 12:00 in Berlin in summer (CEST), 11:00 in winter (CET).
  EXPECT_NE(summer.find("DTSTART;TZID=Europe/Berlin:20260701T120000"), std::string::npos) << summer;
  EXPECT_NE(summer.find("DTEND;TZID=Europe/Berlin:20260701T130000"), std::string::npos);
  EXPECT_NE(summer.find("BEGIN:VTIMEZONE"), std::string::npos);
  EXPECT_NE(summer.find("TZID:Europe/Berlin"), std::string::npos);
  rendered = RenderCalendar(Event(kWinter, "Europe/Berlin"));
  ASSERT_TRUE(rendered.ok());
  const std::string winter = Unfolded(rendered);
  EXPECT_NE(winter.find("DTSTART;TZID=Europe/Berlin:20261128T110000"), std::string::npos) << winter;
}

TEST(Calendar, AFeedHasOneTimeZonePerZoneUsed) {
  CalendarEvent berlin = Event(kSummer, "Europe/Berlin");
  CalendarEvent again = Event(kWinter, "Europe/Berlin");
  again.uid = "meeting-8@tandem.test";
  CalendarEvent york = Event(kWinter, "America/New_York");
  york.uid = "meeting-9@tandem.test";
  Result<std::string> feed = RenderCalendar(std::vector<CalendarEvent>{berlin, again, york});
  ASSERT_TRUE(feed.ok());
  const std::string text = Unfolded(feed);
  size_t zones = 0, events = 0;
  for (size_t at = text.find("BEGIN:VTIMEZONE"); at != std::string::npos;
       at = text.find("BEGIN:VTIMEZONE", at + 1)) {
    ++zones;
  }
  for (size_t at = text.find("BEGIN:VEVENT"); at != std::string::npos;
       at = text.find("BEGIN:VEVENT", at + 1)) {
    ++events;
  }
  EXPECT_EQ(zones, 2u);
  EXPECT_EQ(events, 3u);
  // 10:00 UTC in late November is 05:00 in New York (EST).
  EXPECT_NE(text.find("DTSTART;TZID=America/New_York:20261128T050000"), std::string::npos);
  Result<std::string> empty = RenderCalendar(std::vector<CalendarEvent>{});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.value().find("BEGIN:VEVENT"), std::string::npos);
}

TEST(Calendar, UnknownZonesAreRefused) {
  EXPECT_TRUE(KnownTimeZone("America/New_York"));
  EXPECT_FALSE(KnownTimeZone("Mars/Olympus_Mons"));
  EXPECT_FALSE(KnownTimeZone(""));
  EXPECT_EQ(RenderCalendar(Event(kSummer, "Nowhere")).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tandem
