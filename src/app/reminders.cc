#include "app/reminders.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "app/calendar.h"
#include "app/mail_templates.h"

namespace tandem {
namespace {

constexpr std::string_view kReminderKind = "meeting_reminder";
constexpr std::string_view kNudgeKind = "cadence_nudge";
constexpr Millis kWeek = 7LL * 24 * 60 * 60 * 1000;
constexpr int kPageSize = 500;

// Where a partner's mail goes and how to address them.
struct Recipient {
  std::string email;  // empty: nobody to write to (no address, disabled account)
  std::string name;
  Language language = Language::kGerman;
};

Recipient RecipientOf(StoreTx& tx, RowId person) {
  Recipient r;
  const std::optional<PersonRecord> p = tx.FindPerson(person);
  if (!p || p->erased_at) return r;
  r.name = p->name;
  r.email = p->email;
  const auto& langs = p->languages;
  if (std::find(langs.begin(), langs.end(), "de") == langs.end() &&
      std::find(langs.begin(), langs.end(), "en") != langs.end()) {
    r.language = Language::kEnglish;
  }
  // The account, when there is one, says how the person wants to be written to.
  if (const std::optional<AccountRecord> a = tx.FindAccountByPerson(person)) {
    if (a->disabled_at) return {};
    r.email = a->email;
    r.language = a->language;
    if (!a->display_name.empty()) r.name = a->display_name;
  }
  return r;
}

// "Dienstag, 2. März 2027, 10:00 Uhr (Europe/Berlin)" / "Tuesday, 2 March 2027, 10:00
// (Europe/Berlin)".
std::string DescribeStart(Millis at, const std::string& zone, Language language) {
  static constexpr std::array<std::string_view, 7> kDaysDe = {
      "Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"};
  static constexpr std::array<std::string_view, 7> kDaysEn = {
      "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  static constexpr std::array<std::string_view, 12> kMonthsDe = {
      "Januar", "Februar", "März",      "April",   "Mai",      "Juni",
      "Juli",   "August",  "September", "Oktober", "November", "Dezember"};
  static constexpr std::array<std::string_view, 12> kMonthsEn = {
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  std::string shown_zone = zone;
  std::optional<LocalTime> t = ToLocalTime(at, zone);
  if (!t) {
    shown_zone = "UTC";
    t = ToLocalTime(at, "UTC");
  }
  if (!t || t->weekday < 0 || t->weekday > 6 || t->month < 1 || t->month > 12) return "";
  const auto day = static_cast<size_t>(t->weekday);
  const auto month = static_cast<size_t>(t->month - 1);
  if (language == Language::kGerman) {
    return fmt::format("{}, {}. {} {}, {:02}:{:02} Uhr ({})", kDaysDe.at(day), t->day,
                       kMonthsDe.at(month), t->year, t->hour, t->minute, shown_zone);
  }
  return fmt::format("{}, {} {} {}, {:02}:{:02} ({})", kDaysEn.at(day), t->day, kMonthsEn.at(month),
                     t->year, t->hour, t->minute, shown_zone);
}

// When the tandem began: the later partner's acceptance, else its creation.
Millis ActiveSince(const TandemRecord& t) {
  if (t.mentor_accepted_at && t.mentee_accepted_at) {
    return std::max(*t.mentor_accepted_at, *t.mentee_accepted_at);
  }
  return t.created_at;
}

}  // namespace

Result<ReminderCounts> Reminders::Sweep() {
  const Millis now = clock_.Now();
  std::vector<RowId> active;
  const Status listed = store_.Read([&](StoreTx& tx) {
    active.clear();
    for (RowId after_programme = 0;;) {
      const std::vector<ProgrammeRecord> programmes = tx.ListProgrammes(after_programme, kPageSize);
      for (const ProgrammeRecord& p : programmes) {
        for (RowId after = 0;;) {
          const std::vector<TandemRecord> tandems = tx.ListTandems(p.id, after, kPageSize);
          for (const TandemRecord& t : tandems) {
            if (t.state == TandemState::kActive) active.push_back(t.id);
          }
          if (tandems.size() < static_cast<size_t>(kPageSize)) break;
          after = tandems.back().id;
        }
      }
      if (programmes.size() < static_cast<size_t>(kPageSize)) break;
      after_programme = programmes.back().id;
    }
    return Status::Ok();
  });
  if (!listed.ok()) return listed;
  ReminderCounts counts;
  for (const RowId id : active) {
    if (Status s = SweepTandem(id, now, counts); !s.ok()) return s;
  }
  return counts;
}

Status Reminders::SweepTandem(RowId id, Millis now, ReminderCounts& counts) {
  ReminderCounts here;
  Status status = store_.Write([&](StoreTx& tx) {
    here = {};
    const std::optional<TandemRecord> t = tx.FindTandem(id);
    if (!t || t->state != TandemState::kActive) return Status::Ok();  // ended since listed
    const std::vector<MeetingRecord> meetings = tx.ListMeetings(id);
    const std::string link = options_.public_url + "/tandems/" + std::to_string(id);
    const std::array<RowId, 2> partners = {t->mentor, t->mentee};
    const std::array<Recipient, 2> to = {RecipientOf(tx, t->mentor), RecipientOf(tx, t->mentee)};
    const auto mail_both = [&](const auto& render) {
      for (size_t i = 0; i < partners.size(); ++i) {
        if (to.at(i).email.empty()) continue;
        const Recipient& other = to.at(1 - i);
        tx.EnqueueMail(OutboxMail(to.at(i).email, render(to.at(i), other.name), now, t->programme));
      }
    };

    for (const MeetingRecord& m : meetings) {
      if (m.state != MeetingState::kAccepted || m.starts_at <= now ||
          m.starts_at > now + kReminderLead) {
        continue;
      }
      if (!tx.RecordNotice(id, kReminderKind, m.id, m.starts_at, now)) continue;
      mail_both([&](const Recipient& r, const std::string& partner) {
        return RenderMeetingReminder(r.language, r.name, partner,
                                     DescribeStart(m.starts_at, m.time_zone, r.language), link);
      });
      tx.AppendAudit(
          {0, now, "system", "reminder.meeting", "tandem", id, "meeting " + std::to_string(m.id)});
      ++here.reminders;
    }

    if (options_.nudge_weeks > 0) {
      // The latest sign of life: the start, a held or accepted meeting, a proposal still ahead.
      Millis last = ActiveSince(*t);
      for (const MeetingRecord& m : meetings) {
        const bool counts_as_planned = m.state == MeetingState::kHeld ||
                                       m.state == MeetingState::kAccepted ||
                                       (m.state == MeetingState::kProposed && m.starts_at > now);
        if (counts_as_planned) last = std::max(last, m.starts_at);
      }
      const Millis period = options_.nudge_weeks * kWeek;
      if (last <= now && now - last >= period) {
        const Millis due = last + (now - last) / period * period;
        if (tx.RecordNotice(id, kNudgeKind, 0, due, now)) {
          mail_both([&](const Recipient& r, const std::string& partner) {
            return RenderCadenceNudge(r.language, r.name, partner, options_.nudge_weeks, link);
          });
          tx.AppendAudit({0, now, "system", "reminder.nudge", "tandem", id, ""});
          ++here.nudges;
        }
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  counts.reminders += here.reminders;
  counts.nudges += here.nudges;
  return Status::Ok();
}

}  // namespace tandem
