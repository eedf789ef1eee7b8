#include "notify/outbox_worker.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace tandem::notify {

Millis RetryDelay(int failures, Millis base, Millis max, double jitter) {
  base = std::max<Millis>(base, 1);
  max = std::max(max, base);
  Millis delay = base;
  for (int i = 1; i < failures && delay < max; ++i) {
    delay = delay > max / 2 ? max : delay * 2;  // doubling without overflow
  }
  delay = std::min(delay, max);
  jitter = std::clamp(jitter, 0.0, 1.0);
  const Millis half = delay / 2;
  return half + static_cast<Millis>(jitter * static_cast<double>(delay - half));
}

Status ValidateOutboxOptions(const OutboxOptions& o) {
  if (o.worker.empty()) return Status::InvalidArgument("outbox worker needs a name");
  if (o.batch_size < 1) return Status::InvalidArgument("outbox batch size must be at least 1");
  if (o.max_attempts < 1) return Status::InvalidArgument("outbox attempts must be at least 1");
  if (o.send_timeout_ms <= 0 || o.lease_ms <= o.send_timeout_ms) {
    return Status::InvalidArgument("outbox lease must be longer than the send timeout");
  }
  if (o.backoff_base_ms <= 0 || o.backoff_max_ms < o.backoff_base_ms || o.poll_interval_ms <= 0) {
    return Status::InvalidArgument("outbox backoff and poll interval must be positive");
  }
  return Status::Ok();
}

OutboxWorker::OutboxWorker(Store& store, MailSender& sender, const Clock& clock,
                           OutboxOptions options)
    : store_(store),
      sender_(sender),
      clock_(clock),
      options_(std::move(options)),
      random_(options_.seed != 0 ? options_.seed : std::random_device{}()) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Log(std::string_view message) const {
  if (options_.log) options_.log(message);
}

int OutboxWorker::RunOnce() {
  const std::lock_guard<std::mutex> run(run_mutex_);
  RecordUnrecordedSends();
  RecordUnrecordedFailures();  // before any of them could be taken for a mail in doubt

  const Millis now = clock_.Now();
  const Millis lease_until = now + options_.lease_ms;
  std::vector<MailRecord> batch;
  std::vector<RowId> in_doubt;
  const Status claimed = store_.Write([&](StoreTx& tx) {
    in_doubt = tx.GiveUpMailInDoubt(now, kInDoubtError);
    batch = tx.ClaimMail(options_.worker, now, lease_until, options_.batch_size);
    return Status::Ok();
  });
  if (!claimed.ok()) {
    Log("outbox: claiming mail failed: " + claimed.message());
    return 0;
  }
  for (const RowId id : in_doubt) {
    ++in_doubt_;
    ++failed_;
    Log("outbox: mail " + std::to_string(id) +
        " was being handed to the SMTP server when its process ended; given up in doubt, not "
        "sent again (it may have arrived)");
  }

  int tried = 0;
  for (const MailRecord& mail : batch) {
    // The rest of the batch stays claimed until its lease ends; then it is claimed again.
    if (stopping_) break;
    if (clock_.Now() + options_.send_timeout_ms > lease_until) break;
    ++tried;
    // At most once: before the server can accept the mail, its hand-over is committed. Should
    // this process die before the acceptance is recorded, nobody sends the mail again.
    bool claim_lost = false;
    // Runs inside libcurl's read callback: nothing may escape it.
    const Status sent = sender_.Send(mail, [&]() noexcept {
      try {
        bool held = false;
        const Status marked = store_.Write([&](StoreTx& tx) {
          held = tx.MarkMailHandedOver(mail.id, options_.worker, clock_.Now());
          return Status::Ok();
        });
        if (!marked.ok()) {
          Log("outbox: recording the hand-over of mail " + std::to_string(mail.id) +
              " failed; the send is called off: " + marked.message());
        }
        claim_lost = marked.ok() && !held;
        return held;
      } catch (...) {
        return false;
      }
    });
    const Millis after = clock_.Now();
    if (claim_lost) {
      Log("outbox: mail " + std::to_string(mail.id) + " lost its claim before it was sent");
      continue;
    }
    if (!sent.ok()) {
      RecordFailure(mail, sent, after);
      continue;
    }
    ++sent_;
    bool recorded = false;
    const Status marked = store_.Write([&](StoreTx& tx) {
      recorded = tx.MarkMailSent(mail.id, options_.worker, after);
      return Status::Ok();
    });
    if (!marked.ok()) {
      ++unrecorded_;
      sent_not_recorded_.push_back(mail.id);
      Log("outbox: mail " + std::to_string(mail.id) +
          " was sent but recording it failed (will retry): " + marked.message());
    } else if (!recorded) {
      ++unrecorded_;
      Log("outbox: mail " + std::to_string(mail.id) +
          " was sent, but its claim was lost before the delivery was recorded");
    }
  }
  return tried;
}

void OutboxWorker::RecordUnrecordedSends() {
  if (sent_not_recorded_.empty()) return;
  const Millis now = clock_.Now();
  std::vector<RowId> still;
  for (const RowId id : sent_not_recorded_) {
    bool recorded = false;
    const Status marked = store_.Write([&](StoreTx& tx) {
      recorded = tx.MarkMailSent(id, options_.worker, now);
      return Status::Ok();
    });
    if (!marked.ok()) {
      still.push_back(id);
    } else if (!recorded) {
      Log("outbox: mail " + std::to_string(id) +
          " was sent, but another worker claimed it before the delivery was recorded");
    }
  }
  sent_not_recorded_ = std::move(still);
}

void OutboxWorker::RecordFailure(const MailRecord& mail, const Status& status, Millis now) {
  const int failures = mail.attempts + 1;
  // Only InvalidArgument is final: everything else (a 4xx reply, the network, a timeout,
  // even an internal error on our side) may go away.
  const bool give_up =
      status.code() == StatusCode::kInvalidArgument || failures >= options_.max_attempts;
  Millis next_attempt_at = kNeverRetry;
  if (!give_up) {
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    next_attempt_at = now + RetryDelay(failures, options_.backoff_base_ms, options_.backoff_max_ms,
                                       jitter(random_));
  }
  ++(give_up ? failed_ : retried_);
  const UnrecordedFailure failure{mail.id, status.message(), next_attempt_at};
  if (!RecordFailureInStore(failure)) failed_not_recorded_.push_back(failure);
}

bool OutboxWorker::RecordFailureInStore(const UnrecordedFailure& failure) {
  bool recorded = false;
  const Status marked = store_.Write([&](StoreTx& tx) {
    recorded =
        tx.MarkMailFailed(failure.id, options_.worker, failure.error, failure.next_attempt_at);
    return Status::Ok();
  });
  // Unrecorded, the mail would keep a hand-over and be given up in doubt once its lease ended,
  // though it certainly was not accepted: the worker records it on its next run instead.
  if (!marked.ok()) {
    Log("outbox: recording a failed attempt of mail " + std::to_string(failure.id) +
        " failed (will retry): " + marked.message());
    return false;
  }
  if (!recorded) {
    Log("outbox: mail " + std::to_string(failure.id) + " failed after its claim was lost");
  }
  return true;
}

void OutboxWorker::RecordUnrecordedFailures() {
  std::vector<UnrecordedFailure> still;
  for (const UnrecordedFailure& failure : failed_not_recorded_) {
    if (!RecordFailureInStore(failure)) still.push_back(failure);
  }
  failed_not_recorded_ = std::move(still);
}

void OutboxWorker::Start() {
  const std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxWorker::Wake() {
  {
    const std::lock_guard<std::mutex> lock(thread_mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void OutboxWorker::Stop() {
  const std::lock_guard<std::mutex> lifecycle(lifecycle_mutex_);
  if (!thread_.joinable()) return;
  {
    const std::lock_guard<std::mutex> lock(thread_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  thread_ = std::thread();
  stopping_ = false;
}

void OutboxWorker::Loop() {
  while (!stopping_) {
    const int tried = RunOnce();
    std::unique_lock<std::mutex> lock(thread_mutex_);
    // A full batch means more mail may be due: go on at once.
    if (tried < options_.batch_size) {
      wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                     [this] { return stopping_ || woken_; });
    }
    woken_ = false;
  }
}

OutboxCounters OutboxWorker::counters() const {
  return {sent_.load(), retried_.load(), failed_.load(), unrecorded_.load(), in_doubt_.load()};
}

}  // namespace tandem::notify
