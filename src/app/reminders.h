// Mail that keeps a tandem's rhythm (issue 7; docs/mail.md, "Reminders and nudges"): a reminder
// to both partners the day before an accepted meeting, and a gentle nudge to both when the
// tandem has held or planned no meeting for a while. Neither carries place, video link, agenda,
// notes or roadmap (docs/privacy.md): only the time, the partner's name and a link.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "app/clock.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

// A reminder goes out once the meeting starts within this time.
inline constexpr Millis kReminderLead = 24LL * 60 * 60 * 1000;
inline constexpr int kDefaultNudgeWeeks = 6;

struct ReminderOptions {
  std::string public_url;                // the links point to public_url + "/tandems/<id>"
  int nudge_weeks = kDefaultNudgeWeeks;  // >= 0; 0: no nudges
};

// How many notices one sweep sent; each is one mail to each partner.
struct ReminderCounts {
  std::int64_t reminders = 0;
  std::int64_t nudges = 0;
};

class Reminders {
 public:
  // `store` and `clock` must outlive this object. Thread-safe.
  Reminders(Store& store, const Clock& clock, ReminderOptions options)
      : store_(store), clock_(clock), options_(std::move(options)) {}

  // Looks at every active tandem and enqueues what is due now: a reminder for each accepted
  // meeting that starts within kReminderLead, a nudge when no meeting was held or planned for
  // nudge_weeks (then again after each further period). Every notice is recorded
  // (StoreTx::RecordNotice) in the transaction that enqueues its mails, so it is mailed once
  // however often, and on however many servers, Sweep() runs. Ended tandems get nothing.
  Result<ReminderCounts> Sweep();

 private:
  // One tandem's due notices, in one transaction.
  Status SweepTandem(RowId tandem, Millis now, ReminderCounts& counts);

  Store& store_;
  const Clock& clock_;
  const ReminderOptions options_;
};

}  // namespace tandem
