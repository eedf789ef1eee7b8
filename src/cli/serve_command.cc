// `tandem serve` and `tandem admin create`. RunServe reads top-down: load the configuration,
// open and migrate the store, start the mail and run workers, listen, wait for SIGTERM, shut down.
#include "cli/serve_command.h"

#include <fmt/format.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>

#include "app/auth.h"
#include "app/clock.h"
#include "app/crypto.h"
#include "app/data_rights.h"
#include "app/directory.h"
#include "app/lifecycle.h"
#include "app/reminders.h"
#include "app/reports.h"
#include "app/retention.h"
#include "app/surveys.h"
#include "app/workspace.h"
#include "cli/commands.h"
#include "cli/keys_command.h"
#include "http/metrics.h"
#include "http/server.h"
#include "notify/outbox_worker.h"
#include "notify/smtp_sender.h"
#include "store/open_store.h"

namespace tandem {
namespace {

std::optional<std::string> Env(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// One setting: the command line wins, then the environment, then the file, then the default.
class Settings {
 public:
  Status Load(const std::string& path) {
    if (path.empty()) return Status::Ok();
    try {
      table_ = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
      const auto& where = e.source().begin;
      return Status::InvalidArgument(
          fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
    }
    return Status::Ok();
  }

  std::string Text(const char* key, const char* env, const std::string& flag,
                   const std::string& fallback) const {
    if (!flag.empty()) return flag;
    if (auto value = Env(env)) return *value;
    if (auto value = table_[key].value<std::string>()) return *value;
    return fallback;
  }

  // Integers and booleans: a malformed value is an error naming its source.
  Result<std::int64_t> Int(const char* key, const char* env, std::int64_t fallback,
                           std::int64_t low, std::int64_t high) const {
    std::int64_t value = fallback;
    std::string source = std::string("config key '") + key + "'";
    if (auto text = Env(env)) {
      source = env;
      try {
        size_t used = 0;
        value = std::stoll(*text, &used);
        if (used != text->size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        return Status::InvalidArgument(source + ": expected an integer");
      }
    } else if (table_.contains(key)) {
      auto v = table_[key].value<std::int64_t>();
      if (!v) return Status::InvalidArgument(source + ": expected an integer");
      value = *v;
    }
    if (value < low || value > high) {
      return Status::InvalidArgument(fmt::format("{}: must be from {} to {}", source, low, high));
    }
    return value;
  }

  Result<bool> Bool(const char* key, const char* env, bool fallback) const {
    if (auto text = Env(env)) {
      if (*text == "1" || *text == "true" || *text == "yes") return true;
      if (*text == "0" || *text == "false" || *text == "no") return false;
      return Status::InvalidArgument(std::string(env) + ": expected true or false");
    }
    if (table_.contains(key)) {
      auto v = table_[key].value<bool>();
      if (!v)
        return Status::InvalidArgument(std::string("config key '") + key +
                                       "': expected true or false");
      return *v;
    }
    return fallback;
  }

 private:
  toml::table table_;
};

Status SplitListen(const std::string& listen, std::string* host, int* port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument("--listen: expected HOST:PORT, e.g. 127.0.0.1:8080");
  }
  *host = listen.substr(0, colon);
  try {
    size_t used = 0;
    *port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || *port < 0 || *port > 65535) throw 0;
  } catch (...) {
    return Status::InvalidArgument("--listen: the port must be a number from 0 to 65535");
  }
  return Status::Ok();
}

// Mail settings from TANDEM_SMTP_* (docs/mail.md); TANDEM_SMTP_URL=smtp://host:port is a
// shorthand for a plain relay (loopback, tests).
notify::EnvironmentLookup MailEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    if (auto direct = Env(name)) return direct;
    const std::optional<std::string> url = Env("TANDEM_SMTP_URL");
    if (!url || url->rfind("smtp://", 0) != 0) return std::nullopt;
    const std::string rest = url->substr(7);
    const size_t colon = rest.rfind(':');
    if (name == "TANDEM_SMTP_HOST") return rest.substr(0, colon);
    if (name == "TANDEM_SMTP_PORT" && colon != std::string::npos) return rest.substr(colon + 1);
    if (name == "TANDEM_SMTP_TLS") return std::string("none");
    if (name == "TANDEM_SMTP_FROM") return std::string("tandem@localhost");
    return std::nullopt;
  };
}

// How this process names itself to the workers' leases: "<hostname>:<pid>".
std::string WorkerId() {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  return std::string(host) + ":" + std::to_string(::getpid());
}

// The periodic background work on tandems, until stopped: every 15 minutes the tandems whose
// term has ended are completed (Lifecycle::CompleteDueTandems), then the reminders and nudges
// that are due (Reminders::Sweep); every hour (and at start) the content of tandems past their
// retention period (Workspace::EraseExpired), then the personal data of closed programmes past
// theirs (EraseExpiredProgrammes, app/retention.h). Every server of a group runs one; all are
// safe to run on several servers at once (each completion, notice and erasure happens once).
class TandemSweeper {
 public:
  TandemSweeper(Lifecycle& lifecycle, Workspace& workspace, Reminders& reminders, Surveys& surveys,
                Store& store, const Clock& clock)
      : lifecycle_(lifecycle),
        workspace_(workspace),
        reminders_(reminders),
        surveys_(surveys),
        store_(store),
        clock_(clock) {}
  ~TandemSweeper() { Stop(); }

  void Start() {
    thread_ = std::thread([this] {
      constexpr int kRetentionEvery = 4;  // rounds of 15 minutes: one hour
      std::unique_lock<std::mutex> lock(mutex_);
      for (int round = 0; !stop_; ++round) {
        lock.unlock();
        if (round % kRetentionEvery == 0) EraseExpired();
        CompleteDue();
        SendReminders();
        RemindSurveys();
        lock.lock();
        wake_.wait_for(lock, std::chrono::minutes(15), [this] { return stop_; });
      }
    });
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void EraseExpired() {
    const Result<std::int64_t> erased = workspace_.EraseExpired();
    if (!erased.ok()) {
      spdlog::warn("retention: {}", erased.status().message());
    } else if (erased.value() > 0) {
      spdlog::info("retention: erased the content of {} ended tandems", erased.value());
    }
    const Result<RetentionCounts> programmes = EraseExpiredProgrammes(store_, clock_);
    if (!programmes.ok()) {
      spdlog::warn("retention: {}", programmes.status().message());
    } else if (programmes.value().programmes > 0) {
      spdlog::info("retention: erased the personal data of {} closed programmes",
                   programmes.value().programmes);
    }
  }
  void CompleteDue() {
    const Result<std::int64_t> completed = lifecycle_.CompleteDueTandems();
    if (!completed.ok()) {
      spdlog::warn("term end: {}", completed.status().message());
    } else if (completed.value() > 0) {
      spdlog::info("term end: completed {} tandems", completed.value());
    }
  }
  void SendReminders() {
    const Result<ReminderCounts> sent = reminders_.Sweep();
    if (!sent.ok()) {
      spdlog::warn("reminders: {}", sent.status().message());
    } else if (sent.value().reminders > 0 || sent.value().nudges > 0) {
      spdlog::info("reminders: {} meeting reminders, {} nudges enqueued", sent.value().reminders,
                   sent.value().nudges);
    }
  }

  // The one reminder of each open survey a week after opening (once across servers).
  void RemindSurveys() {
    const Result<std::int64_t> sent = surveys_.SendDueReminders();
    if (!sent.ok()) {
      spdlog::warn("survey reminders: {}", sent.status().message());
    } else if (sent.value() > 0) {
      // Not how many: with the number invited, it would tell how many have not answered.
      spdlog::info("survey reminders enqueued");
    }
  }

  Lifecycle& lifecycle_;
  Workspace& workspace_;
  Reminders& reminders_;
  Surveys& surveys_;
  Store& store_;
  const Clock& clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

int Fail(const Status& status) {
  fmt::print(stderr, "tandem: {}\n", status.message());
  return status.code() == StatusCode::kInvalidArgument ? kExitBadInput : kExitFailure;
}

}  // namespace

int RunServe(const ServeCommand& command) {
  Settings settings;
  if (Status s = settings.Load(command.config); !s.ok()) return Fail(s);
  if (Status s = InitCrypto(); !s.ok()) return Fail(s);

  http::ServerConfig config;
  const std::string listen =
      settings.Text("listen", "TANDEM_LISTEN", command.listen, "127.0.0.1:8080");
  if (Status s = SplitListen(listen, &config.host, &config.port); !s.ok()) return Fail(s);
  const std::string db = settings.Text("db", "TANDEM_DB", command.db, store::kDefaultStoreUrl);
  config.static_dir = settings.Text("static_dir", "TANDEM_STATIC_DIR", command.static_dir, "");
  AuthConfig auth_config;
  int run_poll_ms = 1000;  // how often the run worker looks for queued matching runs
  ReminderOptions reminder_options;
  Millis mail_lease_ms = 900'000;  // how long a server's claim on a batch of mail lasts
  auth_config.public_url =
      settings.Text("public_url", "TANDEM_PUBLIC_URL", "",
                    "http://" + config.host + ":" + std::to_string(config.port));
  {
    auto trust = settings.Bool("trust_proxy", "TANDEM_TRUST_PROXY", false);
    auto secure = settings.Bool("secure_cookies", "TANDEM_SECURE_COOKIES", false);
    auto threads = settings.Int("threads", "TANDEM_THREADS", 16, 1, 1024);
    auto keep_alive =
        settings.Int("keep_alive_requests", "TANDEM_KEEP_ALIVE_REQUESTS", 1, 1, 1000000);
    auto timeout =
        settings.Int("request_timeout_seconds", "TANDEM_REQUEST_TIMEOUT_SECONDS", 30, 1, 3600);
    auto body =
        settings.Int("max_json_body_bytes", "TANDEM_MAX_JSON_BODY_BYTES", 1 << 20, 1024, 64 << 20);
    auto idle = settings.Int("session_idle_seconds", "TANDEM_SESSION_IDLE_SECONDS", 2LL * 3600, 1,
                             30LL * 24 * 3600);
    auto links =
        settings.Int("mailed_links_per_hour", "TANDEM_MAILED_LINKS_PER_HOUR", 5, 1, 1000000);
    auto absolute = settings.Int("session_absolute_seconds", "TANDEM_SESSION_ABSOLUTE_SECONDS",
                                 12LL * 3600, 60, 90LL * 24 * 3600);
    auto run_poll = settings.Int("run_poll_ms", "TANDEM_RUN_POLL_MS", 1000, 10, 3600LL * 1000);
    auto nudge = settings.Int("nudge_weeks", "TANDEM_NUDGE_WEEKS", kDefaultNudgeWeeks, 0, 104);
    auto lease =
        settings.Int("mail_lease_seconds", "TANDEM_MAIL_LEASE_SECONDS", 900, 60, 7LL * 24 * 3600);
    if (!lease.ok()) return Fail(lease.status());
    mail_lease_ms = lease.value() * 1000;
    for (const Status* s :
         {trust.ok() ? nullptr : &trust.status(), secure.ok() ? nullptr : &secure.status(),
          threads.ok() ? nullptr : &threads.status(), timeout.ok() ? nullptr : &timeout.status(),
          body.ok() ? nullptr : &body.status(), idle.ok() ? nullptr : &idle.status(),
          absolute.ok() ? nullptr : &absolute.status(),
          keep_alive.ok() ? nullptr : &keep_alive.status(), links.ok() ? nullptr : &links.status(),
          run_poll.ok() ? nullptr : &run_poll.status(), nudge.ok() ? nullptr : &nudge.status()}) {
      if (s != nullptr) return Fail(*s);
    }
    config.trust_proxy = trust.value();
    config.secure_cookies = secure.value();
    config.threads = static_cast<int>(threads.value());
    config.keep_alive_requests = static_cast<int>(keep_alive.value());
    config.request_timeout_seconds = static_cast<int>(timeout.value());
    config.max_json_body = static_cast<size_t>(body.value());
    auth_config.session_idle = idle.value() * 1000;
    auth_config.mailed_links_per_hour = static_cast<int>(links.value());
    auth_config.session_absolute = absolute.value() * 1000;
    run_poll_ms = static_cast<int>(run_poll.value());
    reminder_options.nudge_weeks = static_cast<int>(nudge.value());
  }

  // The store: opened, checked and migrated before anything listens.
  // A read connection per request thread.
  Result<std::unique_ptr<Store>> opened = store::OpenStore(db, {.readers = config.threads});
  if (!opened.ok()) return Fail(opened.status());
  http::Metrics metrics;
  http::TimedStore timed(*opened.value(), metrics);
  SystemClock clock;
  Auth auth(timed, clock, auth_config);
  Directory directory(timed, clock);
  Lifecycle lifecycle(timed, clock, auth, auth_config.public_url);
  // The tandems' protected space: its master key comes from outside the database.
  Result<std::optional<SecretKey>> master =
      LoadMasterKey(settings.Text("master_key_file", "TANDEM_MASTER_KEY_FILE", "", ""));
  if (!master.ok()) return Fail(master.status());
  if (!master.value()) {
    spdlog::warn("no master key: tandem workspaces stay closed (see docs/operations.md)");
  }
  Workspace workspace(timed, clock, std::move(master).value());
  reminder_options.public_url = auth_config.public_url;
  Reminders reminders(timed, clock, reminder_options);
  // Surveys and reports (issue 8): survey mails link to the public URL like the others.
  Surveys surveys(timed, clock, auth_config.public_url);
  Reports reports(timed, clock);
  // Matching runs: computed by a background worker (any server may claim a queued run); a run
  // queued here wakes it at once instead of at the next poll.
  RunWorker run_worker(*opened.value(), clock, WorkerId());
  lifecycle.SetRunQueuedHook([&run_worker] { run_worker.Wake(); });

  // Mail: delivered by a background worker when SMTP is configured; otherwise it waits in the
  // outbox (and /metrics shows the queue growing).
  std::unique_ptr<notify::SmtpSender> sender;
  std::unique_ptr<notify::OutboxWorker> worker;
  if (Env("TANDEM_SMTP_HOST") || Env("TANDEM_SMTP_URL")) {
    Result<notify::SmtpOptions> smtp = notify::SmtpOptionsFromEnvironment(MailEnvironment());
    if (!smtp.ok()) return Fail(smtp.status());
    // The longest one send may take: libcurl's total timeout, its wait for the final reply
    // again, connecting, and slack. The lease must outlast it.
    const Millis send_timeout_ms =
        2 * smtp.value().total_timeout_ms + smtp.value().connect_timeout_ms + 10'000;
    Result<std::unique_ptr<notify::SmtpSender>> created =
        notify::SmtpSender::Create(std::move(smtp).value());
    if (!created.ok()) return Fail(created.status());
    notify::OutboxOptions options;
    options.send_timeout_ms = send_timeout_ms;
    options.lease_ms = mail_lease_ms;
    if (options.lease_ms <= options.send_timeout_ms) {
      return Fail(Status::InvalidArgument(
          "mail_lease_seconds (TANDEM_MAIL_LEASE_SECONDS): must be longer than the longest send, " +
          std::to_string(options.send_timeout_ms / 1000) +
          " s (twice TANDEM_SMTP_TIMEOUT_SECONDS, plus TANDEM_SMTP_CONNECT_TIMEOUT_SECONDS and 10 "
          "s)"));
    }
    sender = std::move(created).value();
    options.worker = WorkerId();
    options.log = [](std::string_view message) { spdlog::warn("mail: {}", message); };
    worker = std::make_unique<notify::OutboxWorker>(*opened.value(), *sender, clock, options);
  } else {
    spdlog::warn("mail is not delivered: set TANDEM_SMTP_HOST (see docs/mail.md)");
  }

  const auto mail_queue = [&timed]() -> std::int64_t {
    std::int64_t pending = -1;
    (void)timed.Read([&](StoreTx& tx) {
      pending = tx.CountPendingMail();
      return Status::Ok();
    });
    return pending;
  };
  const auto ready = [&timed]() {
    return timed.Read([](StoreTx& tx) {
      (void)tx.Counts();
      return Status::Ok();
    });
  };
  // Data rights (issue 9): the export of everything Tandem holds about the caller.
  DataRights data_rights(timed, clock, workspace, surveys);
  http::Server server(auth, directory, lifecycle, workspace, surveys, reports, metrics, config,
                      mail_queue, ready, &data_rights);

  // SIGTERM/SIGINT are taken by one thread (sigwait), so that stopping happens outside a
  // signal handler: in-flight requests finish, no new ones are accepted.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Result<int> port = server.Bind();
  if (!port.ok()) return Fail(port.status());
  if (worker) worker->Start();
  run_worker.Start(run_poll_ms);
  TandemSweeper sweeper(lifecycle, workspace, reminders, surveys, timed, clock);
  sweeper.Start();
  std::thread stopper([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("signal {}: stopping", signal);
    server.Stop();
  });
  fmt::print("Tandem is listening on http://{}:{}/ (database: {})\n", config.host, port.value(),
             opened.value()->backend());
  std::fflush(stdout);
  server.Run();
  // Run() returned: either a signal arrived, or the server failed. Make sure the stopper ends.
  pthread_kill(stopper.native_handle(), SIGINT);
  stopper.join();
  run_worker.Stop();
  sweeper.Stop();
  if (worker) worker->Stop();
  spdlog::info("stopped");
  return kExitOk;
}

int RunAdminCreate(const AdminCreateCommand& command) {
  if (Status s = InitCrypto(); !s.ok()) return Fail(s);
  Result<std::unique_ptr<Store>> opened = store::OpenStore(command.db);
  if (!opened.ok()) return Fail(opened.status());
  SystemClock clock;
  AuthConfig config;
  config.public_url = Env("TANDEM_PUBLIC_URL").value_or("http://127.0.0.1:8080");
  Auth auth(*opened.value(), clock, config);
  Result<std::string> link = auth.CreateSystemAdmin(command.email);
  if (!link.ok()) return Fail(link.status());
  fmt::print("{}\n", link.value());
  fmt::print(stderr, "One-time sign-in link for the system administrator {} (valid 24 hours).\n",
             NormaliseEmail(command.email));
  return kExitOk;
}

namespace {

// The first active tandem's workspace, as if its partners had used it for a few weeks: both
// accepted the agreement, a roadmap item covered, a shared note with action items, a meeting
// held and one proposed. Needs the master key (TANDEM_MASTER_KEY or TANDEM_MASTER_KEY_FILE);
// without one the workspaces stay empty.
Status FillDemoWorkspace(Store& store, ManualClock& clock, const std::vector<TandemView>& tandems) {
  Result<std::optional<SecretKey>> master =
      LoadMasterKey(Env("TANDEM_MASTER_KEY_FILE").value_or(""));
  if (!master.ok()) return master.status();
  if (!master.value()) {
    fmt::print(stderr, "No master key (TANDEM_MASTER_KEY_FILE): the workspaces stay empty.\n");
    return Status::Ok();
  }
  const auto active = std::find_if(tandems.begin(), tandems.end(), [](const TandemView& t) {
    return t.tandem.state == TandemState::kActive;
  });
  if (active == tandems.end()) return Status::Ok();
  const RowId id = active->tandem.id;
  Caller mentor, mentee;
  for (Caller* c : {&mentor, &mentee}) {
    c->person = c == &mentor ? active->tandem.mentor : active->tandem.mentee;
    c->session = 1;
    Status found = store.Read([&](StoreTx& tx) {
      const std::optional<AccountRecord> account = tx.FindAccountByPerson(*c->person);
      if (!account) return Status::Internal("a partner of the demo tandem has no account");
      c->account = account->id;
      c->language = account->language;
      return Status::Ok();
    });
    if (!found.ok()) return found;
  }
  constexpr Millis kDay = 24LL * 60 * 60 * 1000;
  Workspace workspace(store, clock, std::move(master).value());
  for (const Caller* c : {&mentee, &mentor}) {
    if (Result<AgreementView> a = workspace.AcceptAgreement(*c, id); !a.ok()) return a.status();
  }
  Result<RoadmapView> roadmap = workspace.GetRoadmap(mentor, id);
  if (!roadmap.ok()) return roadmap.status();
  MeetingInput first;
  first.starts_at = clock.Now() + kDay;
  first.place = "Raum 4.12 / room 4.12";
  first.agenda = MeetingTemplate();
  first.agenda->at(0).text = "Grundlagen / basics";
  Result<MeetingView> held = workspace.ProposeMeeting(mentee, id, first);
  if (!held.ok()) return held.status();
  if (Result<MeetingView> m = workspace.AcceptMeeting(mentor, id, held.value().meeting.id);
      !m.ok()) {
    return m.status();
  }
  clock.Advance(2 * kDay);
  if (Result<MeetingView> m = workspace.MarkMeetingHeld(mentor, id, held.value().meeting.id);
      !m.ok()) {
    return m.status();
  }
  if (!roadmap.value().items.empty()) {
    RoadmapChange covered;
    covered.covered = true;
    const RoadmapItemView& item = roadmap.value().items.front();
    if (Result<RoadmapItemView> r =
            workspace.ChangeRoadmapItem(mentee, id, item.item.id, covered, item.item.version);
        !r.ok()) {
      return r.status();
    }
  }
  if (Result<RoadmapItemView> r =
          workspace.AddRoadmapItem(mentor, id, "Demo: ein eigenes Projekt / a project of ours");
      !r.ok()) {
    return r.status();
  }
  NoteInput note;
  note.title = "Treffen 1 / Meeting 1";
  note.text = "## Theorie\n- Begriffe geklärt\n\n## Nächstes Mal\nEine Demo am Projekt.";
  note.action_items = {{"Zugang zur Testumgebung beantragen", true},
                       {"Beispiel vorbereiten", false}};
  if (Result<NoteView> n = workspace.AddNote(mentee, id, note); !n.ok()) return n.status();
  MeetingInput next;
  next.starts_at = clock.Now() + 7 * kDay;
  next.video_link = "https://meet.example.com/tandem-demo";
  if (Result<MeetingView> m = workspace.ProposeMeeting(mentor, id, next); !m.ok()) {
    return m.status();
  }
  fmt::print(stderr, "Demo tandem {}: agreement accepted, a roadmap, a note and two meetings.\n",
             id);
  return Status::Ok();
}

}  // namespace

int RunDemo(const DemoCommand& command) {
  if (Status s = InitCrypto(); !s.ok()) return Fail(s);
  Result<std::unique_ptr<Store>> opened = store::OpenStore(command.db);
  if (!opened.ok()) return Fail(opened.status());
  Store& store = *opened.value();
  SystemClock system_clock;
  AuthConfig config;
  config.public_url = Env("TANDEM_PUBLIC_URL").value_or("http://127.0.0.1:8080");
  Auth auth(store, system_clock, config);
  Result<std::string> admin_link = auth.CreateSystemAdmin(command.admin_email);
  if (!admin_link.ok()) return Fail(admin_link.status());
  Caller admin;
  Status status = store.Read([&](StoreTx& tx) {
    const std::optional<AccountRecord> account =
        tx.FindAccountByEmail(NormaliseEmail(command.admin_email));
    if (!account) return Status::Internal("the administrator's account is missing");
    admin.account = account->id;
    admin.system_admin = true;
    admin.session = 1;  // acts as a browser session would: every scope
    return Status::Ok();
  });
  if (!status.ok()) return Fail(status);

  // The programme's weeks, replayed on a clock that starts three weeks ago.
  constexpr Millis kDay = 24LL * 60 * 60 * 1000;
  ManualClock clock(system_clock.Now() - 21 * kDay);
  Directory directory(store, clock);
  Lifecycle lifecycle(store, clock, auth, config.public_url);
  Result<ProgrammeRecord> programme = directory.GetProgramme(admin, command.programme);
  if (!programme.ok()) return Fail(programme.status());
  if (programme.value().state == "draft") {
    ProgrammeRecord settings = programme.value();
    settings.enrolment_deadline = clock.Now() + 14 * kDay;
    Result<ProgrammeRecord> updated = directory.UpdateProgramme(admin, settings, kAnyVersion);
    if (!updated.ok()) return Fail(updated.status());
    if (Result<ProgrammeRecord> open = lifecycle.OpenEnrolment(admin, command.programme);
        !open.ok()) {
      return Fail(open.status());
    }
    clock.Advance(15 * kDay);
    Result<MatchingRunRecord> run = lifecycle.StartRun(admin, command.programme, "optimal");
    if (!run.ok()) return Fail(run.status());
    RunWorker worker(store, clock, "tandem-demo");
    if (Result<bool> ran = worker.RunOnce(); !ran.ok()) return Fail(ran.status());
    clock.Advance(kDay);
    Result<PublishSummary> published = lifecycle.Publish(admin, command.programme, run.value().id);
    if (!published.ok()) return Fail(published.status());
    clock.Advance(2 * kDay);
    Result<Page<TandemView>> tandems =
        lifecycle.ListProgrammeTandems(admin, command.programme, 0, kMaxPageSize);
    if (!tandems.ok()) return Fail(tandems.status());
    const std::vector<TandemView>& items = tandems.value().items;
    // Everyone accepts but the last pair's mentor: their proposal waits in the demo.
    for (size_t i = 0; i < items.size(); ++i) {
      const TandemRecord& t = items[i].tandem;
      for (const RowId person : {t.mentee, t.mentor}) {
        if (i + 1 == items.size() && person == t.mentor) continue;
        Caller partner;
        partner.person = person;
        partner.session = 1;
        status = store.Write([&](StoreTx& tx) {
          const std::optional<PersonRecord> record = tx.FindPerson(person);
          if (!record) return Status::NotFound("person " + std::to_string(person) + " not found");
          Result<AccountRecord> account = auth.EnsureAccount(tx, *record);
          if (!account.ok()) return account.status();
          partner.account = account.value().id;
          return Status::Ok();
        });
        if (!status.ok()) return Fail(status);
        if (Result<TandemView> accepted = lifecycle.Accept(partner, t.id); !accepted.ok()) {
          return Fail(accepted.status());
        }
      }
    }
    fmt::print(stderr, "Demo programme {}: {} tandems proposed, all but one accepted.\n",
               command.programme, published.value().tandems);
    Result<Page<TandemView>> accepted =
        lifecycle.ListProgrammeTandems(admin, command.programme, 0, kMaxPageSize);
    if (!accepted.ok()) return Fail(accepted.status());
    if (Status s = FillDemoWorkspace(store, clock, accepted.value().items); !s.ok()) {
      return Fail(s);
    }
  }

  // The sign-ins: a mentee in an active tandem, a mentor with a proposal to answer.
  Result<Page<TandemView>> tandems =
      lifecycle.ListProgrammeTandems(admin, command.programme, 0, kMaxPageSize);
  if (!tandems.ok()) return Fail(tandems.status());
  std::optional<TandemView> active;
  std::optional<TandemView> waiting;
  for (const TandemView& t : tandems.value().items) {
    if (!active && t.tandem.state == TandemState::kActive) active = t;
    if (!waiting && t.tandem.state == TandemState::kAcceptedByOne) waiting = t;
  }
  fmt::print("Administrator ({}): {}\n", NormaliseEmail(command.admin_email), admin_link.value());
  if (active) {
    Result<std::string> link = auth.CreateSignInLinkForPerson(active->tandem.mentee);
    if (!link.ok()) return Fail(link.status());
    fmt::print("Mentee {} (active tandem): {}\n", active->mentee_name, link.value());
  }
  if (waiting) {
    Result<std::string> link = auth.CreateSignInLinkForPerson(waiting->tandem.mentor);
    if (!link.ok()) return Fail(link.status());
    fmt::print("Mentor {} (a proposal to answer): {}\n", waiting->mentor_name, link.value());
  }
  return kExitOk;
}

}  // namespace tandem
