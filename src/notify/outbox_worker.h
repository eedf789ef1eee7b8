// The outbox worker: delivers the mail that use cases enqueued in the store
// (StoreTx::EnqueueMail), retrying with exponential backoff. Several workers (threads or
// servers) may share one store: a mail is claimed by one worker at a time (StoreTx::ClaimMail),
// and its hand-over is committed before the SMTP server can accept it
// (StoreTx::MarkMailHandedOver), so no mail is accepted twice: one whose process died after the
// hand-over is given up as "in doubt", not sent again (docs/mail.md "At most once").
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <limits>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/clock.h"
#include "app/store.h"
#include "notify/smtp_sender.h"

namespace tandem::notify {

// `next_attempt_at` of a mail the worker has given up on: it is never claimed again, and keeps
// its last_error.
inline constexpr Millis kNeverRetry = std::numeric_limits<Millis>::max();
// last_error of a mail given up because its process ended during the hand-over.
inline constexpr std::string_view kInDoubtError =
    "in doubt: the server process ended while handing the mail to the SMTP server; not sent "
    "again, as it may have arrived";

struct OutboxOptions {
  std::string worker;  // required; unique per process, e.g. "host:pid"
  int batch_size = 10;
  Millis lease_ms = 900'000;  // how long a claimed batch stays ours
  // The longest one MailSender::Send() may take (for SmtpSender: 2 * total_timeout_ms plus
  // slack). A mail is sent only while its claim still lasts this long, so a claim never runs out
  // during a send and another worker cannot pick the same mail up meanwhile.
  // REQUIRES: < lease_ms.
  Millis send_timeout_ms = 130'000;
  int max_attempts = 10;  // retryable failures; a permanent one ends at once
  Millis backoff_base_ms = 30'000;
  Millis backoff_max_ms = 3'600'000;
  Millis poll_interval_ms = 1000;  // Start(): the wait between runs when there is nothing to do
  std::uint64_t seed = 0;          // for the jitter; 0: a random seed
  // Receives warnings (a failed store write, a lost claim). Never bodies or addresses. May be
  // empty. Called on the worker's thread.
  std::function<void(std::string_view)> log;
};

// InvalidArgument when `options` cannot work: no worker name, a batch size or attempt count
// below 1, a lease not longer than send_timeout_ms (nothing would ever be sent), or a
// non-positive backoff or poll interval. Call before constructing a worker from configuration.
Status ValidateOutboxOptions(const OutboxOptions& options);

// The wait after the `failures`-th failed attempt (failures >= 1): base * 2^(failures-1),
// capped at `max`; the upper half of it is scaled by `jitter` in [0, 1], so the result lies in
// [delay/2, delay] and workers that failed together do not retry in lockstep.
Millis RetryDelay(int failures, Millis base, Millis max, double jitter);

// Counts since construction.
struct OutboxCounters {
  std::int64_t sent = 0;        // accepted by the server
  std::int64_t retried = 0;     // failed and scheduled for another attempt
  std::int64_t failed = 0;      // given up: a permanent rejection, or max_attempts reached
  std::int64_t unrecorded = 0;  // sent, but recording it failed (store error or lost claim)
  std::int64_t in_doubt = 0;    // given up (also in `failed`): handed over by a process that died
};

class OutboxWorker {
 public:
  // `store`, `sender` and `clock` must outlive the worker. REQUIRES: ValidateOutboxOptions(options)
  // is ok. The clock dates claims, leases and
  // retries; Start()'s waits between runs use real time.
  OutboxWorker(Store& store, MailSender& sender, const Clock& clock, OutboxOptions options);
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;
  ~OutboxWorker();  // Stop()s

  // Claims up to batch_size due mails, sends each and records the outcome: sent (bodies
  // emptied), or failed with the next attempt after RetryDelay(), or given up. Returns the
  // number of mails it tried to send. Thread-safe (runs are serialised); store failures are
  // logged and retried on the next run.
  int RunOnce();

  // Runs RunOnce() on a background thread: again at once after a full batch, otherwise after
  // poll_interval_ms or Wake(). Start() on a running worker does nothing.
  void Start();
  // Asks for a run now (e.g. after enqueueing a sign-in link). Thread-safe.
  void Wake();
  // Stops the background thread: waits for the mail being sent (at most the sender's timeout),
  // leaves the rest of the batch to be claimed again when its lease ends. Thread-safe.
  void Stop();

  OutboxCounters counters() const;  // thread-safe

 private:
  void Loop();
  void Log(std::string_view message) const;
  // Records mails that were sent while the store could not be written.
  void RecordUnrecordedSends();
  // Records one failed attempt of `mail`; `permanent` ends its retries.
  void RecordFailure(const MailRecord& mail, const Status& status, Millis now);
  struct UnrecordedFailure {
    RowId id = 0;
    std::string error;
    Millis next_attempt_at = 0;
  };
  // False when the store could not be written (then the caller keeps it for later).
  bool RecordFailureInStore(const UnrecordedFailure& failure);
  // Records failed attempts that could not be recorded when they happened.
  void RecordUnrecordedFailures();

  Store& store_;
  MailSender& sender_;
  const Clock& clock_;
  const OutboxOptions options_;

  std::mutex run_mutex_;                                // serialises RunOnce()
  std::mt19937_64 random_;                              // guarded by run_mutex_
  std::vector<RowId> sent_not_recorded_;                // guarded by run_mutex_
  std::vector<UnrecordedFailure> failed_not_recorded_;  // guarded by run_mutex_

  std::mutex lifecycle_mutex_;  // serialises Start() and Stop(); guards thread_
  std::thread thread_;
  std::mutex thread_mutex_;  // guards woken_; stopping_ changes under it too (no lost wake-up)
  std::condition_variable wake_;
  bool woken_ = false;
  std::atomic<bool> stopping_{false};

  std::atomic<std::int64_t> sent_{0};
  std::atomic<std::int64_t> retried_{0};
  std::atomic<std::int64_t> failed_{0};
  std::atomic<std::int64_t> unrecorded_{0};
  std::atomic<std::int64_t> in_doubt_{0};
};

}  // namespace tandem::notify
