// The outbox worker against a real SQLite store, with a scripted sender and a hand-set clock:
// no test here depends on timing. Delivery through a real SMTP server is in
// smtp_delivery_test.cc.
#include "notify/outbox_worker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "notify/test_support.h"

namespace tandem::notify {
namespace {

constexpr Millis kStart = 1'700'000'000'000;

TEST(RetryDelay, DoublesFromBaseUpToMax) {
  EXPECT_EQ(RetryDelay(1, 1000, 60'000, 1.0), 1000);
  EXPECT_EQ(RetryDelay(2, 1000, 60'000, 1.0), 2000);
  EXPECT_EQ(RetryDelay(3, 1000, 60'000, 1.0), 4000);
  EXPECT_EQ(RetryDelay(6, 1000, 60'000, 1.0), 32'000);
  EXPECT_EQ(RetryDelay(7, 1000, 60'000, 1.0), 60'000);
  EXPECT_EQ(RetryDelay(1000, 1000, 60'000, 1.0), 60'000);  // no overflow
}

TEST(RetryDelay, JitterSpreadsOverTheUpperHalf) {
  EXPECT_EQ(RetryDelay(3, 1000, 60'000, 0.0), 2000);
  EXPECT_EQ(RetryDelay(3, 1000, 60'000, 0.5), 3000);
  EXPECT_EQ(RetryDelay(3, 1000, 60'000, 1.0), 4000);
  EXPECT_EQ(RetryDelay(3, 1000, 60'000, 7.0), 4000);  // clamped
}

TEST(RetryDelay, HugeValuesDoNotOverflow) {
  const Millis max = std::numeric_limits<Millis>::max() / 2;
  EXPECT_EQ(RetryDelay(200, max / 3, max, 1.0), max);
}

TEST(ValidateOutboxOptions, RefusesSettingsThatCouldNeverSend) {
  OutboxOptions o;
  EXPECT_FALSE(ValidateOutboxOptions(o).ok());  // no name
  o.worker = "host:1";
  EXPECT_TRUE(ValidateOutboxOptions(o).ok());  // the defaults
  OutboxOptions short_lease = o;
  short_lease.lease_ms = short_lease.send_timeout_ms;
  EXPECT_FALSE(ValidateOutboxOptions(short_lease).ok());
  OutboxOptions no_batch = o;
  no_batch.batch_size = 0;
  EXPECT_FALSE(ValidateOutboxOptions(no_batch).ok());
  OutboxOptions no_backoff = o;
  no_backoff.backoff_base_ms = 0;
  EXPECT_FALSE(ValidateOutboxOptions(no_backoff).ok());
}

// The seam's test double: records every attempt and answers from a script (then ok).
class ScriptedSender : public MailSender {
 public:
  using MailSender::Send;
  // Hands the mail over (`hand_over`) before a scripted ok, as SmtpSender does before the
  // server's acceptance; a scripted failure is one before the end of the data.
  Status Send(const MailRecord& mail, const HandOver& hand_over) override {
    std::function<void(const MailRecord&)> hook;
    Status reply;
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      attempts_.push_back(mail);
      if (!replies_.empty()) {
        reply = replies_.front();
        replies_.pop_front();
      }
      hook = on_send_;
    }
    if (reply.ok() && hand_over && !hand_over()) {
      return Status::Conflict("the send was called off before the end of the data");
    }
    if (hook) hook(mail);  // the server has the mail (or refused it)
    return reply;
  }

  void Reply(Status status) {
    const std::lock_guard<std::mutex> lock(mutex_);
    replies_.push_back(std::move(status));
  }
  void OnSend(std::function<void(const MailRecord&)> hook) {
    const std::lock_guard<std::mutex> lock(mutex_);
    on_send_ = std::move(hook);
  }
  std::vector<MailRecord> attempts() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    return attempts_;
  }

 private:
  mutable std::mutex mutex_;
  std::deque<Status> replies_;
  std::vector<MailRecord> attempts_;
  std::function<void(const MailRecord&)> on_send_;
};

// A store whose next `fail_writes` transactions fail without touching the database, as if the
// connection had dropped.
class FaultyStore : public Store {
 public:
  explicit FaultyStore(Store& inner) : inner_(inner) {}
  using Store::Write;
  Status Write(const TxFunction& fn, WriteLock lock) override {
    if (fail_writes > 0) {
      --fail_writes;
      return Status::Unavailable("injected: database connection lost");
    }
    return inner_.Write(fn, lock);
  }
  Status Read(const TxFunction& fn) override { return inner_.Read(fn); }
  std::string_view backend() const override { return inner_.backend(); }
  Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_.LatestSchemaVersion(); }
  Result<int> Migrate(int up_to) override { return inner_.Migrate(up_to); }

  std::atomic<int> fail_writes{0};

 private:
  Store& inner_;
};

class OutboxWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
  }

  OutboxOptions Options(std::string worker = "test-worker") const {
    OutboxOptions o;
    o.worker = std::move(worker);
    o.batch_size = 10;
    o.lease_ms = 60'000;
    o.send_timeout_ms = 10'000;
    o.max_attempts = 5;
    o.backoff_base_ms = 1000;
    o.backoff_max_ms = 60'000;
    o.seed = 7;
    return o;
  }

  RowId Enqueue(const std::string& to, Millis due = kStart) {
    MailRecord m;
    m.to_address = to;
    m.subject = "Subject for " + to;
    m.text_body = "text for " + to;
    m.html_body = "<p>html for " + to + "</p>";
    m.created_at = kStart;
    m.next_attempt_at = due;
    return EnqueueOrFail(*store_, m);
  }

  ScratchDir dir_;
  TestDatabase database_{"sqlite", dir_.path()};
  std::unique_ptr<Store> store_;
  ManualClock clock_{kStart};
  ScriptedSender sender_;
};

TEST_F(OutboxWorkerTest, GivenDueMailItIsSentOnceAndItsBodiesAreEmptied) {
  const RowId a = Enqueue("a@example.com");
  const RowId b = Enqueue("b@example.com");
  OutboxWorker worker(*store_, sender_, clock_, Options());
  EXPECT_EQ(worker.RunOnce(), 2);
  EXPECT_EQ(worker.RunOnce(), 0);
  ASSERT_EQ(sender_.attempts().size(), 2u);
  EXPECT_EQ(sender_.attempts()[0].id, a);
  EXPECT_EQ(sender_.attempts()[0].text_body, "text for a@example.com");
  EXPECT_EQ(sender_.attempts()[1].id, b);
  for (const RowId id : {a, b}) {
    const MailRecord m = FindMailOrDie(*store_, id);
    EXPECT_EQ(m.sent_at, kStart);
    EXPECT_EQ(m.attempts, 1);
    EXPECT_EQ(m.text_body, "");
    EXPECT_EQ(m.html_body, "");
  }
  EXPECT_EQ(PendingMail(*store_), 0);
  EXPECT_EQ(worker.counters().sent, 2);
  EXPECT_EQ(worker.counters().retried, 0);
}

TEST_F(OutboxWorkerTest, MailIsNotSentBeforeItIsDue) {
  const RowId later = Enqueue("later@example.com", kStart + 5000);
  OutboxWorker worker(*store_, sender_, clock_, Options());
  EXPECT_EQ(worker.RunOnce(), 0);
  clock_.Advance(5000);
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(FindMailOrDie(*store_, later).sent_at, kStart + 5000);
}

TEST_F(OutboxWorkerTest, RetryableFailureIsRetriedAfterBackoffNotBefore) {
  const RowId id = Enqueue("a@example.com");
  sender_.Reply(Status::Unavailable("SMTP delivery failed (reply 451)"));
  OutboxWorker worker(*store_, sender_, clock_, Options());
  EXPECT_EQ(worker.RunOnce(), 1);

  const MailRecord failed = FindMailOrDie(*store_, id);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_EQ(failed.last_error, "SMTP delivery failed (reply 451)");
  EXPECT_FALSE(failed.sent_at.has_value());
  EXPECT_EQ(failed.text_body, "text for a@example.com");  // kept for the next attempt
  // First retry: base 1000 ms, jittered into [500, 1000].
  EXPECT_GE(failed.next_attempt_at, kStart + 500);
  EXPECT_LE(failed.next_attempt_at, kStart + 1000);
  EXPECT_EQ(worker.counters().retried, 1);

  clock_.Advance(failed.next_attempt_at - kStart - 1);
  EXPECT_EQ(worker.RunOnce(), 0);  // not yet
  clock_.Advance(1);
  EXPECT_EQ(worker.RunOnce(), 1);
  const MailRecord sent = FindMailOrDie(*store_, id);
  EXPECT_TRUE(sent.sent_at.has_value());
  EXPECT_EQ(sent.attempts, 2);
  EXPECT_EQ(sent.last_error, "");
  EXPECT_EQ(sender_.attempts().size(), 2u);
  EXPECT_EQ(worker.counters().sent, 1);
}

TEST_F(OutboxWorkerTest, PermanentFailureEndsAfterOneAttempt) {
  const RowId id = Enqueue("nobody@example.com");
  sender_.Reply(Status::InvalidArgument("SMTP delivery failed (reply 550)"));
  OutboxWorker worker(*store_, sender_, clock_, Options());
  EXPECT_EQ(worker.RunOnce(), 1);
  const MailRecord m = FindMailOrDie(*store_, id);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, kNeverRetry);
  EXPECT_EQ(m.last_error, "SMTP delivery failed (reply 550)");
  EXPECT_EQ(worker.counters().failed, 1);
  clock_.Advance(365LL * 24 * 3600 * 1000);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_EQ(sender_.attempts().size(), 1u);
}

TEST_F(OutboxWorkerTest, RetryableFailuresStopAtMaxAttemptsKeepingTheLastError) {
  const RowId id = Enqueue("a@example.com");
  OutboxOptions options = Options();
  options.max_attempts = 3;
  for (int i = 0; i < 3; ++i) sender_.Reply(Status::Unavailable("failure " + std::to_string(i)));
  OutboxWorker worker(*store_, sender_, clock_, options);
  for (int i = 0; i < 10; ++i) {
    worker.RunOnce();
    clock_.Advance(options.backoff_max_ms);
  }
  EXPECT_EQ(sender_.attempts().size(), 3u);
  const MailRecord m = FindMailOrDie(*store_, id);
  EXPECT_EQ(m.attempts, 3);
  EXPECT_EQ(m.next_attempt_at, kNeverRetry);
  EXPECT_EQ(m.last_error, "failure 2");
  EXPECT_FALSE(m.sent_at.has_value());
  EXPECT_EQ(worker.counters().retried, 2);
  EXPECT_EQ(worker.counters().failed, 1);
}

TEST_F(OutboxWorkerTest, NoMailIsSentWhenItsClaimCouldRunOutDuringTheSend) {
  // Each send takes 500 ms of the 1000 ms lease; a send may take up to 600 ms. So one mail
  // per claim, and the others wait until the lease ends and are claimed again.
  for (int i = 0; i < 3; ++i) Enqueue("m" + std::to_string(i) + "@example.com");
  OutboxOptions options = Options();
  options.lease_ms = 1000;
  options.send_timeout_ms = 600;
  sender_.OnSend([this](const MailRecord&) { clock_.Advance(500); });
  OutboxWorker worker(*store_, sender_, clock_, options);
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(worker.RunOnce(), 0);  // the other two are still leased
  clock_.Advance(501);
  EXPECT_EQ(worker.RunOnce(), 1);
  clock_.Advance(1001);
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(PendingMail(*store_), 0);
  EXPECT_EQ(sender_.attempts().size(), 3u);
}

TEST_F(OutboxWorkerTest, SentMailWhoseRecordingFailedIsRecordedLaterNotSentAgain) {
  const RowId id = Enqueue("a@example.com");
  FaultyStore faulty(*store_);
  // The server accepts; then the database is gone for the commit of MarkMailSent.
  sender_.OnSend([&faulty](const MailRecord&) { faulty.fail_writes = 1; });
  std::vector<std::string> log;
  OutboxOptions options = Options();
  options.log = [&log](std::string_view line) { log.emplace_back(line); };
  OutboxWorker worker(faulty, sender_, clock_, options);
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_FALSE(FindMailOrDie(*store_, id).sent_at.has_value());
  EXPECT_EQ(worker.counters().unrecorded, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("recording it failed"), std::string::npos) << log[0];

  sender_.OnSend(nullptr);
  clock_.Advance(Options().lease_ms + 1);  // even after the lease ran out
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_TRUE(FindMailOrDie(*store_, id).sent_at.has_value());
  EXPECT_EQ(sender_.attempts().size(), 1u);
}

TEST_F(OutboxWorkerTest, MailHandedOverByAProcessThatDiedIsGivenUpNotSentAgain) {
  const RowId id = Enqueue("a@example.com");
  const RowId other = Enqueue("b@example.com");
  // Another server claimed both and handed the first to the SMTP server; then it died.
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_EQ(tx.ClaimMail("dead:1", kStart, kStart + 60'000, 10).size(), 2u);
                    EXPECT_TRUE(tx.MarkMailHandedOver(id, "dead:1", kStart + 10));
                    EXPECT_FALSE(tx.MarkMailHandedOver(other, "alive:2", kStart + 10));
                    return Status::Ok();
                  })
                  .ok());
  std::vector<std::string> log;
  OutboxOptions options = Options();
  options.log = [&log](std::string_view line) { log.emplace_back(line); };
  OutboxWorker worker(*store_, sender_, clock_, options);
  EXPECT_EQ(worker.RunOnce(), 0);  // both still claimed
  EXPECT_FALSE(FindMailOrDie(*store_, id).last_error.starts_with("in doubt"));

  clock_.Advance(60'001);  // the dead server's claim ran out
  EXPECT_EQ(worker.RunOnce(), 1);
  ASSERT_EQ(sender_.attempts().size(), 1u);
  EXPECT_EQ(sender_.attempts()[0].id, other);  // the one not handed over is sent
  const MailRecord doubt = FindMailOrDie(*store_, id);
  EXPECT_FALSE(doubt.sent_at.has_value());
  EXPECT_EQ(doubt.next_attempt_at, kNeverRetry);
  EXPECT_EQ(doubt.last_error, kInDoubtError);
  EXPECT_EQ(doubt.handed_over_at, kStart + 10);
  EXPECT_EQ(worker.counters().in_doubt, 1);
  EXPECT_EQ(worker.counters().failed, 1);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("not sent again"), std::string::npos) << log[0];
  EXPECT_EQ(log[0].find("a@example.com"), std::string::npos) << log[0];

  clock_.Advance(24LL * 3600 * 1000);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_EQ(sender_.attempts().size(), 1u);
  EXPECT_EQ(worker.counters().in_doubt, 1);  // counted once
  EXPECT_EQ(PendingMail(*store_), 0);
}

TEST_F(OutboxWorkerTest, EachSentMailIsHandedOverUnderItsClaimBeforeItIsAccepted) {
  const RowId id = Enqueue("a@example.com");
  std::optional<Millis> handed_over_when_accepted;
  sender_.OnSend([&](const MailRecord& mail) {
    handed_over_when_accepted = FindMailOrDie(*store_, mail.id).handed_over_at;
  });
  OutboxWorker worker(*store_, sender_, clock_, Options());
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_EQ(handed_over_when_accepted, kStart);
  EXPECT_TRUE(FindMailOrDie(*store_, id).sent_at.has_value());
}

TEST_F(OutboxWorkerTest, AFailedHandOverCallsTheSendOffAndTheMailIsTriedAgain) {
  const RowId id = Enqueue("a@example.com");
  FaultyStore faulty(*store_);
  // The claim commits; the hand-over's commit fails: the server never gets the end of the data.
  struct FailHandOver : MailSender {
    explicit FailHandOver(FaultyStore& faulty) : store(faulty) {}
    using MailSender::Send;
    Status Send(const MailRecord& /*mail*/, const HandOver& hand_over) override {
      store.fail_writes = 1;
      return hand_over() ? Status::Ok() : Status::Conflict("called off");
    }
    FaultyStore& store;
  } failing(faulty);
  OutboxWorker first(faulty, failing, clock_, Options());
  EXPECT_EQ(first.RunOnce(), 1);
  const MailRecord after = FindMailOrDie(*store_, id);
  EXPECT_FALSE(after.sent_at.has_value());
  EXPECT_FALSE(after.handed_over_at.has_value());
  EXPECT_EQ(after.attempts, 1);
  EXPECT_LT(after.next_attempt_at, kNeverRetry);
  clock_.Advance(after.next_attempt_at - kStart);
  OutboxWorker second(*store_, sender_, clock_, Options());
  EXPECT_EQ(second.RunOnce(), 1);
  EXPECT_TRUE(FindMailOrDie(*store_, id).sent_at.has_value());
}

TEST_F(OutboxWorkerTest, AFailureAfterTheHandOverThatCouldNotBeRecordedIsNotTakenForDoubt) {
  // The server refuses the mail after the hand-over; then the database is gone for the commit
  // of the failure. The worker records it later: the mail is retried, not given up in doubt.
  const RowId id = Enqueue("a@example.com");
  FaultyStore faulty(*store_);
  struct RefusedAfterHandOver : MailSender {
    explicit RefusedAfterHandOver(FaultyStore& faulty) : store(faulty) {}
    using MailSender::Send;
    Status Send(const MailRecord& /*mail*/, const HandOver& hand_over) override {
      ++sends;
      if (sends > 1) return hand_over() ? Status::Ok() : Status::Conflict("called off");
      if (!hand_over()) return Status::Conflict("called off");
      store.fail_writes = 1;
      return Status::Unavailable("451 4.3.0 try again later");
    }
    FaultyStore& store;
    int sends = 0;
  } sender(faulty);
  OutboxWorker worker(faulty, sender, clock_, Options());
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_TRUE(FindMailOrDie(*store_, id).handed_over_at.has_value());  // not recorded yet

  clock_.Advance(Options().lease_ms + 1);  // even after the lease ran out
  worker.RunOnce();
  const MailRecord after = FindMailOrDie(*store_, id);
  EXPECT_NE(after.last_error, kInDoubtError);
  EXPECT_EQ(worker.counters().in_doubt, 0);
  clock_.Advance(Options().backoff_max_ms);
  worker.RunOnce();
  EXPECT_TRUE(FindMailOrDie(*store_, id).sent_at.has_value());
  EXPECT_EQ(sender.sends, 2);
}

TEST_F(OutboxWorkerTest, FailedClaimIsReportedAndHarmless) {
  Enqueue("a@example.com");
  FaultyStore faulty(*store_);
  faulty.fail_writes = 1;
  std::vector<std::string> log;
  OutboxOptions options = Options();
  options.log = [&log](std::string_view line) { log.emplace_back(line); };
  OutboxWorker worker(faulty, sender_, clock_, options);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_EQ(log.size(), 1u);
  EXPECT_EQ(worker.RunOnce(), 1);
}

TEST_F(OutboxWorkerTest, TwoWorkersOnOneStoreSendEachMailExactlyOnce) {
  constexpr int kMails = 60;
  for (int i = 0; i < kMails; ++i) Enqueue("m" + std::to_string(i) + "@example.com");
  const SystemClock clock;
  OutboxOptions first = Options("host-a:1");
  first.batch_size = 4;
  OutboxOptions second = Options("host-b:2");
  second.batch_size = 4;
  OutboxWorker a(*store_, sender_, clock, first);
  OutboxWorker b(*store_, sender_, clock, second);
  std::atomic<bool> go{false};
  auto drain = [&](OutboxWorker& w) {
    while (!go) std::this_thread::yield();
    for (int idle = 0; idle < 3;) idle = w.RunOnce() == 0 ? idle + 1 : 0;
  };
  std::thread ta(drain, std::ref(a));
  std::thread tb(drain, std::ref(b));
  go = true;
  ta.join();
  tb.join();
  std::map<RowId, int> sends;
  for (const MailRecord& m : sender_.attempts()) ++sends[m.id];
  EXPECT_EQ(sends.size(), static_cast<std::size_t>(kMails));
  for (const auto& [id, count] : sends) EXPECT_EQ(count, 1) << "mail " << id;
  EXPECT_EQ(a.counters().sent + b.counters().sent, kMails);
  EXPECT_EQ(PendingMail(*store_), 0);
}

TEST_F(OutboxWorkerTest, StartedWorkerDeliversOnWakeAndStops) {
  OutboxOptions options = Options();
  options.poll_interval_ms = 3'600'000;  // only Wake() can make it run again in time
  OutboxWorker worker(*store_, sender_, clock_, options);
  worker.Start();
  worker.Start();  // no second thread
  Enqueue("a@example.com");
  worker.Wake();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (worker.counters().sent < 1 && std::chrono::steady_clock::now() < deadline) {
    worker.Wake();  // the first wake-up may have come before the mail was committed
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  worker.Stop();  // returns without waiting for the hour-long poll interval
  worker.Stop();
  EXPECT_EQ(worker.counters().sent, 1);
  EXPECT_EQ(PendingMail(*store_), 0);
  // Restartable.
  worker.Start();
  worker.Stop();
}

}  // namespace
}  // namespace tandem::notify
