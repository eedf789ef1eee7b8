// Delivery end to end: mail enqueued in a real store (SQLite; PostgreSQL when
// TANDEM_TEST_POSTGRES_URL is set) is sent by the outbox worker through libcurl to a real SMTP
// server on loopback (testdata/smtp_sink.py, on Debian's python3-aiosmtpd), and we read what
// arrived. The server can be told to answer 451 or 550 or to hang, or to require STARTTLS and
// authentication.
//
// Retries are scheduled with a hand-set clock, so no outcome depends on timing; only the waits
// for real I/O (a sink starting, a hanging server timing out) take real time.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "app/mail_templates.h"
#include "notify/outbox_worker.h"
#include "notify/smtp_sender.h"
#include "notify/test_support.h"

namespace tandem::notify {
namespace {

constexpr Millis kStart = 1'700'000'000'000;

// The SMTP server under test's control, as a child process. Fails the test when it does not
// start (most likely python3-aiosmtpd is missing: scripts/install-deps.sh installs it).
class SmtpSink {
 public:
  // `starttls`: the sink requires STARTTLS with a throwaway certificate (cert_file()) and AUTH
  // as user "tandem", password "pa55word". `listen_fd`: a bound loopback socket without
  // FD_CLOEXEC for the sink to listen on (see DownPort); -1: a free port of its own.
  explicit SmtpSink(std::filesystem::path dir, bool starttls = false, int listen_fd = -1)
      : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    int to_child[2];
    int from_child[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) {
      ADD_FAILURE() << "pipe failed";
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
    const std::string log = (dir_ / "sink.log").string();  // Python's complaints, for failures
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::string python = "/usr/bin/python3";
    std::string script = TANDEM_SMTP_SINK;
    std::string directory = dir_.string();
    std::string flag = "--starttls";
    std::string fd_flag = "--fd";
    std::string fd = std::to_string(listen_fd);
    std::vector<char*> argv = {python.data(), script.data(), directory.data()};
    if (starttls) argv.push_back(flag.data());
    if (listen_fd >= 0) {
      argv.push_back(fd_flag.data());
      argv.push_back(fd.data());
    }
    argv.push_back(nullptr);
    const int spawned =
        ::posix_spawn(&pid_, python.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(to_child[0]);
    ::close(from_child[1]);
    stdin_ = to_child[1];
    if (spawned != 0) {
      pid_ = -1;
      ::close(from_child[0]);
      ADD_FAILURE() << "cannot start " << python;
      return;
    }
    port_ = ReadPort(from_child[0]);
    ::close(from_child[0]);
    if (port_ <= 0) {
      std::stringstream log_text;
      log_text << std::ifstream(log).rdbuf();
      ADD_FAILURE() << "the SMTP sink did not start; is python3-aiosmtpd installed? "
                       "(scripts/install-deps.sh installs it)\n"
                    << log_text.str();
    }
  }

  ~SmtpSink() {
    if (stdin_ >= 0) ::close(stdin_);  // the sink exits at end of file
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  int port() const { return port_; }
  std::filesystem::path cert_file() const { return dir_ / "cert.pem"; }

  // "accept", "451", "550" or "hang": how the sink answers from the next message on.
  void SetMode(const std::string& mode) const {
    const auto temporary = dir_ / "mode.tmp";
    std::ofstream(temporary) << mode << "\n";
    std::filesystem::rename(temporary, dir_ / "mode");
  }

  // Every message that arrived, in arrival order.
  std::vector<nlohmann::json> Messages() const {
    std::vector<std::filesystem::path> files;
    const auto messages = dir_ / "messages";
    if (std::filesystem::exists(messages)) {
      for (const auto& entry : std::filesystem::directory_iterator(messages)) {
        if (entry.path().extension() == ".json") files.push_back(entry.path());
      }
    }
    std::sort(files.begin(), files.end());
    std::vector<nlohmann::json> out;
    out.reserve(files.size());
    for (const auto& file : files) out.push_back(nlohmann::json::parse(std::ifstream(file)));
    return out;
  }

 private:
  static int ReadPort(int fd) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 1000) <= 0) continue;
      char buffer[64];
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;  // exited
      line.append(buffer, static_cast<std::size_t>(n));
    }
    try {
      return std::stoi(line);
    } catch (const std::exception&) {
      return -1;
    }
  }

  std::filesystem::path dir_;
  pid_t pid_ = -1;
  int stdin_ = -1;
  int port_ = -1;
};

// The mail id in a Message-ID "<tandem.ID.CREATED@domain>".
RowId MailIdOf(const nlohmann::json& message) {
  const std::string id = message.at("message_id").get<std::string>();
  const auto begin = id.find("tandem.") + 7;
  return std::stoll(id.substr(begin, id.find('.', begin) - begin));
}

// A loopback port of an SMTP server that is down: bound but not listened on, so every
// connection is refused at once. The socket has no FD_CLOEXEC, so that a sink started later
// can listen on it (SmtpSink's listen_fd): the server comes back on the same port, which no
// other process could take meanwhile.
class DownPort {
 public:
  DownPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot bind a loopback port";
      return;
    }
    port_ = ntohs(address.sin_port);
  }
  ~DownPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  DownPort(const DownPort&) = delete;
  DownPort& operator=(const DownPort&) = delete;
  int fd() const { return fd_; }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

class SmtpDelivery : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (database_.url().empty()) GTEST_SKIP() << "TANDEM_TEST_POSTGRES_URL is not set";
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
    sink_ = std::make_unique<SmtpSink>(dir_.path() / "sink");
    ASSERT_GT(sink_->port(), 0);
    sender_ = MakeSender(/*total_timeout_ms=*/60'000);
  }

  // A sender to the fixture's sink, or to `port` when given.
  std::unique_ptr<SmtpSender> MakeSender(Millis total_timeout_ms, int port = 0) const {
    SmtpOptions o;
    o.host = "127.0.0.1";
    o.port = port != 0 ? port : sink_->port();
    o.tls = SmtpTls::kNone;
    o.from_address = "tandem@example.org";
    o.from_name = "Tandem";
    o.connect_timeout_ms = 30'000;
    o.total_timeout_ms = total_timeout_ms;
    auto sender = SmtpSender::Create(o);
    EXPECT_TRUE(sender.ok()) << sender.status().message();
    return sender.ok() ? std::move(sender).value() : nullptr;
  }

  OutboxOptions Options(std::string worker) const {
    OutboxOptions o;
    o.worker = std::move(worker);
    o.lease_ms = 300'000;
    o.send_timeout_ms = 130'000;
    o.backoff_base_ms = 30'000;
    o.backoff_max_ms = 3'600'000;
    o.seed = 11;
    return o;
  }

  // A rendered mail to `to`, enqueued as the lead's use cases will.
  RowId Enqueue(Store& store, const std::string& to, MailKind kind = MailKind::kSignInLink,
                Language language = Language::kGerman) {
    const MailContent content =
        RenderMail(kind, language, "Jürgen Müller", "https://tandem.example/s/" + to, 15);
    MailRecord m;
    m.to_address = to;
    m.subject = content.subject;
    m.text_body = content.text;
    m.html_body = content.html;
    m.created_at = kStart;
    m.next_attempt_at = kStart;
    return EnqueueOrFail(store, m);
  }

  ScratchDir dir_;
  TestDatabase database_{GetParam(), dir_.path()};
  std::unique_ptr<Store> store_;
  std::unique_ptr<SmtpSink> sink_;
  std::unique_ptr<SmtpSender> sender_;
  ManualClock clock_{kStart};
};

TEST_P(SmtpDelivery, EveryMailArrivesOnceWithTextHtmlAndUtf8Subject) {
  std::map<RowId, MailContent> expected;
  int n = 0;
  for (const MailKind kind : {MailKind::kInvitation, MailKind::kSignInLink,
                              MailKind::kPasswordReset, MailKind::kAdminSetup}) {
    for (const Language language : {Language::kGerman, Language::kEnglish}) {
      const std::string to = "person" + std::to_string(n++) + "@example.com";
      const RowId id = Enqueue(*store_, to, kind, language);
      expected[id] =
          RenderMail(kind, language, "Jürgen Müller", "https://tandem.example/s/" + to, 15);
    }
  }
  OutboxOptions options = Options("host:1");
  options.batch_size = 3;
  OutboxWorker worker(*store_, *sender_, clock_, options);
  while (worker.RunOnce() > 0) {
  }
  EXPECT_EQ(worker.counters().sent, 8);
  EXPECT_EQ(PendingMail(*store_), 0);

  const auto messages = sink_->Messages();
  ASSERT_EQ(messages.size(), expected.size());
  std::set<RowId> seen;
  for (const auto& message : messages) {
    const RowId id = MailIdOf(message);
    ASSERT_TRUE(expected.count(id)) << message.dump();
    EXPECT_TRUE(seen.insert(id).second) << "mail " << id << " arrived twice";
    const MailContent& content = expected.at(id);
    const MailRecord stored = FindMailOrDie(*store_, id);
    EXPECT_EQ(message.at("rcpt_tos"), nlohmann::json::array({stored.to_address}));
    EXPECT_EQ(message.at("to"), stored.to_address);
    EXPECT_EQ(message.at("mail_from"), "tandem@example.org");
    EXPECT_EQ(message.at("from"), "Tandem <tandem@example.org>");
    EXPECT_EQ(message.at("subject"), content.subject);
    EXPECT_EQ(message.at("content_type"), "multipart/alternative");
    EXPECT_EQ(message.at("text"), content.text);
    EXPECT_EQ(message.at("html"), content.html);
    EXPECT_NE(message.at("date"), "None");
    EXPECT_TRUE(message.at("seven_bit").get<bool>());
    // After delivery the store keeps no link.
    EXPECT_TRUE(stored.sent_at.has_value());
    EXPECT_EQ(stored.text_body, "");
    EXPECT_EQ(stored.html_body, "");
  }
  // The German sign-in subject really went out encoded (RFC 2047) and came back with umlauts.
  bool found_umlaut_subject = false;
  for (const auto& message : messages) {
    if (message.at("subject") == "Ihr Anmeldelink für Tandem") {
      found_umlaut_subject = true;
      EXPECT_NE(message.at("raw").get<std::string>().find("Subject: =?UTF-8?B?"),
                std::string::npos);
    }
  }
  EXPECT_TRUE(found_umlaut_subject);
}

TEST_P(SmtpDelivery, ServerAnswering451LeadsToALaterRetryThatArrivesOnce) {
  const RowId id = Enqueue(*store_, "anna@example.com");
  sink_->SetMode("451");
  OutboxWorker worker(*store_, *sender_, clock_, Options("host:1"));
  EXPECT_EQ(worker.RunOnce(), 1);
  EXPECT_TRUE(sink_->Messages().empty());
  const MailRecord failed = FindMailOrDie(*store_, id);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_NE(failed.last_error.find("451"), std::string::npos) << failed.last_error;
  EXPECT_EQ(failed.last_error.find("tandem.example"), std::string::npos);  // no link in errors
  EXPECT_GT(failed.next_attempt_at, kStart);
  EXPECT_EQ(worker.counters().retried, 1);

  sink_->SetMode("accept");
  EXPECT_EQ(worker.RunOnce(), 0);  // not due yet
  clock_.Advance(failed.next_attempt_at - kStart);
  EXPECT_EQ(worker.RunOnce(), 1);
  const auto messages = sink_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(MailIdOf(messages[0]), id);
  EXPECT_EQ(FindMailOrDie(*store_, id).attempts, 2);
}

TEST_P(SmtpDelivery, HangingServerTimesOutAndTheMailArrivesOnceAfterItRecovers) {
  const RowId id = Enqueue(*store_, "anna@example.com");
  sink_->SetMode("hang");
  const auto impatient = MakeSender(/*total_timeout_ms=*/2000);
  OutboxWorker worker(*store_, *impatient, clock_, Options("host:1"));
  EXPECT_EQ(worker.RunOnce(), 1);  // returns: the timeout ended the send
  EXPECT_TRUE(sink_->Messages().empty());
  const MailRecord failed = FindMailOrDie(*store_, id);
  EXPECT_EQ(failed.attempts, 1);
  EXPECT_FALSE(failed.sent_at.has_value());
  EXPECT_NE(failed.last_error.find("imeout"), std::string::npos) << failed.last_error;
  // Handed over before the end of the data, then failed while the process lived: tried again.
  EXPECT_FALSE(failed.handed_over_at.has_value());

  sink_->SetMode("accept");
  clock_.Advance(failed.next_attempt_at - kStart);
  EXPECT_EQ(worker.RunOnce(), 1);
  const auto messages = sink_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(MailIdOf(messages[0]), id);
}

TEST_P(SmtpDelivery, TheHandOverComesBeforeTheServerHasTheMailAndCanCallItOff) {
  MailRecord mail;
  mail.id = 41;
  mail.to_address = "anna@example.com";
  mail.subject = "Hand-over";
  mail.text_body = "text";
  mail.html_body = "<p>html</p>";
  mail.created_at = kStart;
  int calls = 0;
  size_t stored_at_hand_over = 99;
  EXPECT_TRUE(sender_
                  ->Send(mail,
                         [&] {
                           ++calls;
                           stored_at_hand_over = sink_->Messages().size();
                           return true;
                         })
                  .ok());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(stored_at_hand_over, 0u);
  EXPECT_EQ(sink_->Messages().size(), 1u);

  // Called off at the hand-over: the server never gets the end of the data and keeps nothing.
  mail.id = 42;
  const Status off = sender_->Send(mail, [] { return false; });
  EXPECT_EQ(off.code(), StatusCode::kConflict) << off.message();
  ASSERT_EQ(sink_->Messages().size(), 1u);
  EXPECT_EQ(MailIdOf(sink_->Messages()[0]), 41);
}

TEST_P(SmtpDelivery, PermanentRejectionIsNotRetried) {
  const RowId id = Enqueue(*store_, "gone@example.com");
  sink_->SetMode("550");
  OutboxWorker worker(*store_, *sender_, clock_, Options("host:1"));
  EXPECT_EQ(worker.RunOnce(), 1);
  const MailRecord m = FindMailOrDie(*store_, id);
  EXPECT_EQ(m.next_attempt_at, kNeverRetry);
  EXPECT_NE(m.last_error.find("550"), std::string::npos) << m.last_error;
  sink_->SetMode("accept");
  clock_.Advance(24LL * 3600 * 1000);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_TRUE(sink_->Messages().empty());
  EXPECT_EQ(worker.counters().failed, 1);
}

TEST_P(SmtpDelivery, TwoWorkersOnTwoStoresDeliverEachMailExactlyOnce) {
  // Two servers: each has its own Store on the one database, and its own worker thread.
  constexpr int kMails = 30;
  for (int i = 0; i < kMails; ++i) Enqueue(*store_, "m" + std::to_string(i) + "@example.com");
  const std::unique_ptr<Store> other_store = database_.Open();
  ASSERT_NE(other_store, nullptr);
  const auto other_sender = MakeSender(60'000);
  const SystemClock clock;
  OutboxOptions first = Options("host-a:100");
  first.batch_size = 2;
  first.poll_interval_ms = 50;
  OutboxOptions second = Options("host-b:200");
  second.batch_size = 2;
  second.poll_interval_ms = 50;
  OutboxWorker a(*store_, *sender_, clock, first);
  OutboxWorker b(*other_store, *other_sender, clock, second);
  a.Start();
  b.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (a.counters().sent + b.counters().sent < kMails &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  a.Stop();
  b.Stop();

  EXPECT_EQ(PendingMail(*store_), 0);
  EXPECT_EQ(a.counters().sent + b.counters().sent, kMails);
  EXPECT_EQ(a.counters().unrecorded + b.counters().unrecorded, 0);
  std::map<RowId, int> arrivals;
  for (const auto& message : sink_->Messages()) ++arrivals[MailIdOf(message)];
  EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kMails));
  for (const auto& [id, count] : arrivals) EXPECT_EQ(count, 1) << "mail " << id;
}

// The SMTP server is down for an hour: every connection is refused. The worker runs every
// (simulated) minute with the options `tandem serve` uses (the defaults): nothing is delivered,
// nothing is given up, and each retry comes when the backoff says. Then the server comes back
// on the same port; at the next due retry every mail arrives, exactly once, and is recorded as
// sent.
TEST_P(SmtpDelivery, ServerDownForAnHourMailWaitsAndArrivesOnceAfter) {
  const DownPort down;
  ASSERT_GT(down.port(), 0);
  constexpr int kMails = 5;
  constexpr Millis kMinute = 60'000;
  std::vector<RowId> ids;
  ids.reserve(kMails);
  for (int i = 0; i < kMails; ++i) {
    ids.push_back(Enqueue(*store_, "wait" + std::to_string(i) + "@example.com"));
  }
  const auto sender = MakeSender(/*total_timeout_ms=*/60'000, down.port());
  ASSERT_NE(sender, nullptr);
  OutboxOptions options;  // the defaults: what `tandem serve` runs with
  options.worker = "host:1";
  options.seed = 7;
  OutboxWorker worker(*store_, *sender, clock_, options);

  std::map<RowId, Millis> due;                 // when each mail is due, as the store says
  std::map<RowId, std::vector<Millis>> tried;  // the times of each mail's attempts
  for (const RowId id : ids) due[id] = kStart;
  for (int minute = 0; minute <= 60; ++minute) {
    if (minute > 0) clock_.Advance(kMinute);
    const Millis now = clock_.Now();
    int expected = 0;
    for (const auto& [id, at] : due) expected += at <= now ? 1 : 0;
    ASSERT_EQ(worker.RunOnce(), expected) << "minute " << minute;
    for (const RowId id : ids) {
      const MailRecord m = FindMailOrDie(*store_, id);
      EXPECT_FALSE(m.sent_at.has_value()) << "mail " << id << " minute " << minute;
      if (due[id] > now) {  // not due: untouched
        EXPECT_EQ(m.attempts, static_cast<int>(tried[id].size())) << "mail " << id;
        EXPECT_EQ(m.next_attempt_at, due[id]) << "mail " << id;
        continue;
      }
      tried[id].push_back(now);
      const int failures = static_cast<int>(tried[id].size());
      ASSERT_EQ(m.attempts, failures) << "mail " << id << " minute " << minute;
      ASSERT_NE(m.next_attempt_at, kNeverRetry)
          << "mail " << id << " given up at minute " << minute << ": " << m.last_error;
      EXPECT_FALSE(m.last_error.empty());
      // The backoff: base * 2^(failures-1), capped, with the jitter in its upper half.
      const Millis wait = m.next_attempt_at - now;
      EXPECT_GE(wait, RetryDelay(failures, options.backoff_base_ms, options.backoff_max_ms, 0.0))
          << "mail " << id << " after failure " << failures;
      EXPECT_LE(wait, RetryDelay(failures, options.backoff_base_ms, options.backoff_max_ms, 1.0))
          << "mail " << id << " after failure " << failures;
      due[id] = m.next_attempt_at;
    }
  }
  EXPECT_EQ(worker.counters().sent, 0);
  EXPECT_EQ(worker.counters().failed, 0);
  std::int64_t attempts = 0;
  for (const RowId id : ids) {
    // Within the hour, with the minute's granularity: 30 s, 60 s, 2, 4, 8, 16, 32 min at most
    // between attempts, so at least six attempts; fewer than max_attempts, so none given up.
    EXPECT_GE(tried[id].size(), 6u) << "mail " << id;
    EXPECT_LT(tried[id].size(), static_cast<std::size_t>(options.max_attempts)) << "mail " << id;
    attempts += static_cast<std::int64_t>(tried[id].size());
  }
  EXPECT_EQ(worker.counters().retried, attempts);
  EXPECT_EQ(PendingMail(*store_), kMails);

  // The server comes back on the same port. Nothing happens before the next due retry.
  const SmtpSink back(dir_.path() / "back", /*starttls=*/false, down.fd());
  ASSERT_EQ(back.port(), down.port());
  Millis last_due = 0;
  for (const auto& [id, at] : due) last_due = std::max(last_due, at);
  Millis first_due = last_due;
  for (const auto& [id, at] : due) first_due = std::min(first_due, at);
  ASSERT_GT(first_due, clock_.Now());
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_TRUE(back.Messages().empty());
  clock_.Advance(last_due - clock_.Now());
  EXPECT_EQ(worker.RunOnce(), kMails);
  EXPECT_EQ(worker.counters().sent, kMails);

  std::map<RowId, int> arrivals;
  for (const auto& message : back.Messages()) ++arrivals[MailIdOf(message)];
  EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kMails));
  for (const RowId id : ids) {
    EXPECT_EQ(arrivals[id], 1) << "mail " << id;
    const MailRecord m = FindMailOrDie(*store_, id);
    EXPECT_EQ(m.sent_at, std::optional<Millis>(clock_.Now())) << "mail " << id;
    EXPECT_EQ(m.attempts, static_cast<int>(tried[id].size()) + 1) << "mail " << id;
    EXPECT_EQ(m.text_body, "");
    EXPECT_EQ(m.html_body, "");
  }
  EXPECT_EQ(PendingMail(*store_), 0);
  // Nothing goes out twice, however long the worker goes on.
  clock_.Advance(kMinute * 24 * 60);
  EXPECT_EQ(worker.RunOnce(), 0);
  EXPECT_EQ(back.Messages().size(), static_cast<std::size_t>(kMails));
}

// How long mail waits for a server that stays down, with the defaults (docs/mail.md): the
// 10th failed attempt gives up, after nine waits of 15-30 s, 30-60 s, ..., 30-60 min, 30-60 min:
// between 1 h 31 min 45 s and 3 h 3 min 30 s after the first attempt.
TEST_P(SmtpDelivery, ServerThatStaysDownMeansGivingUpAfterTenAttemptsNotBeforeAnHourAndAHalf) {
  const DownPort down;
  ASSERT_GT(down.port(), 0);
  const RowId id = Enqueue(*store_, "patient@example.com");
  const auto sender = MakeSender(/*total_timeout_ms=*/60'000, down.port());
  ASSERT_NE(sender, nullptr);
  OutboxOptions options;
  options.worker = "host:1";
  options.seed = 3;
  OutboxWorker worker(*store_, *sender, clock_, options);
  ASSERT_EQ(options.max_attempts, 10);
  int attempts = 0;
  MailRecord m = FindMailOrDie(*store_, id);
  while (m.next_attempt_at != kNeverRetry && attempts < 20) {
    clock_.Advance(std::max<Millis>(0, m.next_attempt_at - clock_.Now()));
    ASSERT_EQ(worker.RunOnce(), 1);
    ++attempts;
    m = FindMailOrDie(*store_, id);
  }
  EXPECT_EQ(attempts, 10);
  EXPECT_EQ(m.attempts, 10);
  EXPECT_FALSE(m.sent_at.has_value());
  EXPECT_EQ(worker.counters().failed, 1);
  EXPECT_EQ(PendingMail(*store_), 0);  // given up: no longer waiting
  const Millis waited = clock_.Now() - kStart;
  EXPECT_GE(waited, 1000LL * (1 * 3600 + 31 * 60 + 45));
  EXPECT_LE(waited, 1000LL * (3 * 3600 + 3 * 60 + 30));
  clock_.Advance(24LL * 3600 * 1000);
  EXPECT_EQ(worker.RunOnce(), 0);  // never claimed again
}

// STARTTLS and authentication, against a sink that requires both. The store's backend does not
// matter here: SQLite.
class StartTlsDelivery : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/bin/openssl")) {
      GTEST_SKIP() << "openssl makes the sink's certificate; it is not installed";
    }
    store_ = database_.Open();
    ASSERT_NE(store_, nullptr);
    sink_ = std::make_unique<SmtpSink>(dir_.path() / "sink", /*starttls=*/true);
    ASSERT_GT(sink_->port(), 0);
    MailRecord m;
    m.to_address = "anna@example.com";
    m.subject = "Ihr Anmeldelink für Tandem";
    m.text_body = "https://tandem.example/s/SECRET\n";
    m.html_body = "<a href=\"https://tandem.example/s/SECRET\">x</a>\n";
    m.created_at = m.next_attempt_at = kStart;
    id_ = EnqueueOrFail(*store_, m);
  }

  SmtpOptions Options(int port) const {
    SmtpOptions o;
    o.host = "127.0.0.1";
    o.port = port;
    o.tls = SmtpTls::kStartTls;
    o.username = "tandem";
    o.password = "pa55word";
    o.ca_file = sink_->cert_file().string();
    o.from_address = "tandem@example.org";
    o.connect_timeout_ms = 30'000;
    o.total_timeout_ms = 60'000;
    return o;
  }

  // Runs one worker pass with `options`; returns the mail as stored afterwards.
  MailRecord DeliverWith(const SmtpOptions& options) {
    auto sender = SmtpSender::Create(options);
    EXPECT_TRUE(sender.ok()) << sender.status().message();
    if (!sender.ok()) return {};
    OutboxOptions worker_options;
    worker_options.worker = "host:1";
    OutboxWorker worker(*store_, *sender.value(), clock_, worker_options);
    EXPECT_EQ(worker.RunOnce(), 1);
    return FindMailOrDie(*store_, id_);
  }

  ScratchDir dir_;
  TestDatabase database_{"sqlite", dir_.path()};
  std::unique_ptr<Store> store_;
  std::unique_ptr<SmtpSink> sink_;
  ManualClock clock_{kStart};
  RowId id_ = 0;
};

TEST_F(StartTlsDelivery, AuthenticatedMailTravelsEncrypted) {
  const MailRecord m = DeliverWith(Options(sink_->port()));
  EXPECT_TRUE(m.sent_at.has_value()) << m.last_error;
  const auto messages = sink_->Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].at("tls").get<bool>());
  EXPECT_EQ(messages[0].at("login"), "tandem");
  EXPECT_EQ(messages[0].at("subject"), "Ihr Anmeldelink für Tandem");
}

TEST_F(StartTlsDelivery, UntrustedCertificateMeansRetryNeverPlainText) {
  SmtpOptions options = Options(sink_->port());
  options.ca_file.clear();  // the system's trust store does not know the sink's certificate
  const MailRecord m = DeliverWith(options);
  EXPECT_FALSE(m.sent_at.has_value());
  EXPECT_NE(m.next_attempt_at, kNeverRetry);  // retried: an operator can fix the trust store
  EXPECT_NE(m.last_error.find("certificate"), std::string::npos) << m.last_error;
  EXPECT_EQ(m.last_error.find("pa55word"), std::string::npos);
  EXPECT_TRUE(sink_->Messages().empty());
}

TEST_F(StartTlsDelivery, ServerWithoutStartTlsGetsNothingWhenTlsIsRequired) {
  const SmtpSink plain(dir_.path() / "plain");
  ASSERT_GT(plain.port(), 0);
  const MailRecord m = DeliverWith(Options(plain.port()));
  EXPECT_FALSE(m.sent_at.has_value());
  EXPECT_NE(m.next_attempt_at, kNeverRetry);
  EXPECT_TRUE(plain.Messages().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, SmtpDelivery, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace tandem::notify
