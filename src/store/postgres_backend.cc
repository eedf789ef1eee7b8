#include "store/postgres_backend.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <new>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace tandem::store {
namespace {

// The advisory lock that keeps migrations of several processes apart ("tandem" in ASCII).
constexpr std::int64_t kMigrationLockKey = 0x74616e64656d;
// Attempts of one transaction that met a serialization failure, a deadlock or a lost
// connection before it gives up.
constexpr int kMaxAttempts = 30;  // hot rows under SERIALIZABLE need more than a few

// ---- Passwords and messages

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 &&
        HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Every spelling of a password that `url` carries, longest first.
std::vector<std::string> PasswordsIn(const std::string& url) {
  std::vector<std::string> found;
  const size_t scheme = url.find("://");
  if (scheme != std::string::npos) {
    const size_t start = scheme + 3;
    const size_t end = url.find_first_of("/?", start);
    const std::string_view whole(url);
    const std::string_view authority =
        whole.substr(start, end == std::string::npos ? end : end - start);
    const size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
      const std::string_view userinfo = authority.substr(0, at);
      const size_t colon = userinfo.find(':');
      if (colon != std::string_view::npos) found.emplace_back(userinfo.substr(colon + 1));
    }
  }
  // "?password=..." in a URI, "password=..." in a keyword/value string.
  constexpr std::string_view kKey = "password=";
  for (size_t pos = url.find(kKey); pos != std::string::npos; pos = url.find(kKey, pos + 1)) {
    const size_t start = pos + kKey.size();
    const size_t end = url.find_first_of("& ", start);
    found.push_back(url.substr(start, end == std::string::npos ? end : end - start));
  }
  const size_t raw = found.size();
  for (size_t i = 0; i < raw; ++i) found.push_back(PercentDecoded(found[i]));
  std::erase_if(found, [](const std::string& s) { return s.empty(); });
  std::sort(found.begin(), found.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return found;
}

std::string Redacted(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    for (size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos + 3)) {
      text.replace(pos, secret.size(), "***");
    }
  }
  return text;
}

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server running...").
std::string OneLine(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The first line of a server error without its severity. The DETAIL lines and the statement
// may quote row values (personal data); the first line of the errors mapped here does not.
std::string PrimaryMessage(std::string_view what) {
  std::string_view line = what.substr(0, what.find('\n'));
  for (const std::string_view severity : {"ERROR:", "FATAL:", "PANIC:"}) {
    if (line.starts_with(severity)) {
      line.remove_prefix(severity.size());
      break;
    }
  }
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  return std::string(line);
}

// The last "quoted" name in a server message: the constraint of a violation.
std::string QuotedName(const std::string& message) {
  const size_t close = message.rfind('"');
  if (close == std::string::npos || close == 0) return {};
  const size_t open = message.rfind('"', close - 1);
  if (open == std::string::npos) return {};
  return message.substr(open + 1, close - open - 1);
}

// `?` -> `$1`, `$2`, ...; a `?` inside a '...' literal or a "..." identifier stays.
std::string NumberedPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int next = 1;
  char quote = 0;
  for (const char c : sql) {
    if (quote != 0) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(next++);
    } else {
      if (c == '\'' || c == '"') quote = c;
      out += c;
    }
  }
  return out;
}

// ---- Connections

// One connection of the pool.
struct PgConnection {
  explicit PgConnection(const std::string& url) : db(url), quiet(db) {}
  pqxx::connection db;
  // Server notices ("relation ... already exists, skipping") are not ours to print.
  pqxx::quiet_errorhandler quiet;
  // The backend process holding the session-level migration lock through this connection;
  // 0 when none (see LockForMigration).
  int migration_lock_pid = 0;
};

// Up to `capacity` connections, opened on demand. Thread-safe.
class ConnectionPool {
 public:
  ConnectionPool(std::string url, int capacity, std::unique_ptr<PgConnection> first)
      : url_(std::move(url)), capacity_(capacity) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }

  // An idle connection, or a new one while fewer than `capacity` exist; waits otherwise.
  // Throws what pqxx throws when a new connection cannot be opened.
  std::unique_ptr<PgConnection> Take() {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      released_.wait(lock, [&] { return !idle_.empty() || open_ < capacity_; });
      if (!idle_.empty()) {
        std::unique_ptr<PgConnection> connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
      ++open_;
    }
    try {
      return std::make_unique<PgConnection>(url_);
    } catch (...) {
      GiveBack(nullptr);
      throw;
    }
  }

  // Returns a taken connection for reuse; nullptr (a dropped, broken one) frees its place.
  void GiveBack(std::unique_ptr<PgConnection> connection) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      if (connection != nullptr) {
        idle_.push_back(std::move(connection));
      } else {
        --open_;
      }
    }
    released_.notify_one();
  }

 private:
  const std::string url_;
  const int capacity_;
  std::mutex mutex_;
  std::condition_variable released_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // GUARDED_BY(mutex_)
  int open_ = 0;  // GUARDED_BY(mutex_): connections taken or idle
};

// ---- Sessions

class PgSession final : public SqlSession {
 public:
  PgSession(pqxx::transaction_base& tx, PgConnection& connection)
      : tx_(tx), connection_(connection) {}

  std::vector<SqlRow> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    const pqxx::result result = Run(sql, params);
    std::vector<SqlRow> rows;
    rows.reserve(result.size());
    const pqxx::row_size_type columns = result.columns();
    for (pqxx::result::size_type r = 0; r < result.size(); ++r) {
      const pqxx::row row = result[r];
      std::vector<SqlValue> values;
      values.reserve(columns);
      for (pqxx::row_size_type c = 0; c < columns; ++c) {
        const pqxx::field field = row[c];
        if (field.is_null()) {
          values.emplace_back();
        } else {
          values.emplace_back(std::string(field.c_str(), field.size()));
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  std::int64_t Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    return static_cast<std::int64_t>(Run(sql, params).affected_rows());
  }

  void ExecuteScript(std::string_view sql) override { tx_.exec(std::string(sql)); }

  PgConnection& connection() { return connection_; }

 private:
  // Parameters travel as text of no declared type: PostgreSQL infers each from its use, as it
  // does for a literal.
  pqxx::result Run(std::string_view sql, const std::vector<SqlValue>& params) {
    std::vector<std::string> numbers;
    numbers.reserve(params.size());  // no reallocation: `texts` points into it
    std::vector<const char*> texts;
    texts.reserve(params.size());
    for (const SqlValue& value : params) {
      if (const auto* n = std::get_if<std::int64_t>(&value)) {
        numbers.push_back(std::to_string(*n));
        texts.push_back(numbers.back().c_str());
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        texts.push_back(s->c_str());
      } else {
        texts.push_back(nullptr);
      }
    }
    return tx_.exec_params(NumberedPlaceholders(sql), pqxx::prepare::make_dynamic_params(texts));
  }

  pqxx::transaction_base& tx_;
  PgConnection& connection_;
};

// Thrown by LockForMigration when the connection does not hold the migration lock yet.
struct NeedMigrationLock {};

// ---- The backend

enum class Next {
  kDone,
  kRetry,              // at once, on a new connection (the old one broke)
  kRetryAfterBackoff,  // after a randomized pause (a serialization failure or a deadlock)
  kRetryLocked,        // on the same connection, once it holds the migration lock
};

struct Attempt {
  Status status;
  Next next = Next::kDone;
  bool broken = false;  // the connection is unusable: drop it
};

class PostgresBackend final : public SqlBackend {
 public:
  PostgresBackend(const std::string& url, int connections, std::unique_ptr<PgConnection> first,
                  std::vector<std::string> secrets)
      : secrets_(std::move(secrets)), pool_(url, connections, std::move(first)) {}

  std::string_view name() const override { return "postgresql"; }
  const std::vector<Migration>& migrations() const override { return postgresql_migrations(); }

  using SqlBackend::InWriteTransaction;
  Status InWriteTransaction(const SessionFunction& fn, Exclusive exclusive) override {
    return Run<pqxx::transaction<pqxx::serializable>>(fn, exclusive);
  }

  Status InReadTransaction(const SessionFunction& fn) override {
    return Run<pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>>(fn, Exclusive::kNone);
  }

  // A migration reads schema_migrations, and a SERIALIZABLE transaction reads from the snapshot
  // its first statement took, possibly before another process's migration committed; a lock
  // taken inside the transaction cannot renew it. So this rolls the transaction back, Run()
  // takes the lock at session level on this connection, outside any transaction (waiting there
  // holds nothing another migrator could wait for: no deadlock), and runs the transaction
  // again: its new snapshot starts with the lock held and sees every migration committed
  // before. Run() releases the lock when the transaction is over.
  void LockForMigration(SqlSession& session) override {
    PgConnection& connection = dynamic_cast<PgSession&>(session).connection();
    if (connection.migration_lock_pid == connection.db.backendpid()) return;
    throw NeedMigrationLock{};
  }

  void AfterCopy(SqlSession& session, const TableSpec& table) override {
    if (!table.has_identity) return;
    // table.name comes from AllTables(): a plain identifier.
    const std::string name(table.name);
    session.Query("SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM " +
                      name + "), 0) + 1, false)",
                  {name});
  }

 private:
  template <typename Tx>
  Status Run(const SessionFunction& fn, Exclusive exclusive) {
    std::unique_ptr<PgConnection> connection;
    Status status;
    int attempt = 1;
    while (true) {
      if (connection == nullptr) {
        try {
          connection = pool_.Take();
        } catch (const std::exception& e) {
          return Unreachable(e);
        }
      }
      const Attempt result = RunOnce<Tx>(*connection, fn, exclusive);
      status = result.status;
      if (result.broken) Drop(connection);
      if (result.next == Next::kDone) break;
      // Taking the lock happens once per transaction: not an attempt of its own.
      if (result.next == Next::kRetryLocked && connection != nullptr) {
        if (TakeMigrationLock(*connection)) continue;
        Drop(connection);
        status = Status::Unavailable(
            "PostgreSQL is unreachable: the connection was lost while "
            "waiting for the migration lock");
      }
      // A retry after a conflict must not keep the lock: the other party may wait for it.
      if (connection != nullptr && !ReleaseMigrationLock(*connection)) Drop(connection);
      if (++attempt > kMaxAttempts) break;
      if (result.next == Next::kRetryAfterBackoff) Backoff(attempt);
    }
    if (connection != nullptr) {
      if (!ReleaseMigrationLock(*connection)) {
        Drop(connection);
      } else {
        pool_.GiveBack(std::move(connection));
      }
    }
    return status;
  }

  template <typename Tx>
  Attempt RunOnce(PgConnection& connection, const SessionFunction& fn, Exclusive exclusive) {
    bool committing = false;
    try {
      Tx tx(connection.db);
      // LOCK TABLE takes no snapshot: the transaction's snapshot (its first query's) starts
      // with the lock held, after every writer of people before it has committed. SHARE ROW
      // EXCLUSIVE keeps out INSERT, UPDATE and DELETE (and itself), not readers, nor the
      // FOR KEY SHARE row locks of foreign keys pointing at people.
      if (exclusive == Exclusive::kPeople) tx.exec("LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE");
      PgSession session(tx, connection);
      Status status = fn(session);
      if (!status.ok()) {
        tx.abort();
        return {std::move(status)};
      }
      committing = true;
      tx.commit();
      return {Status::Ok()};
    } catch (const NeedMigrationLock&) {
      return {Status::Internal("the migration lock was not taken"), Next::kRetryLocked};
    } catch (const pqxx::in_doubt_error&) {
      return InDoubt();
    } catch (const pqxx::statement_completion_unknown&) {
      return InDoubt();
    } catch (const pqxx::transaction_rollback& e) {  // serialization failure or deadlock
      return {Status::Unavailable("PostgreSQL kept aborting the transaction for conflicts with "
                                  "concurrent ones: " +
                                  PrimaryMessage(e.what())),
              Next::kRetryAfterBackoff, !connection.db.is_open()};
    } catch (const pqxx::broken_connection& e) {
      return committing ? InDoubt() : Lost(e);
    } catch (const pqxx::sql_error& e) {
      if (!connection.db.is_open()) return committing ? InDoubt() : Lost(e);
      return FromSqlError(e);
    } catch (const StoreError& e) {
      return {Status(e.code(), Redacted(e.what(), secrets_)), Next::kDone,
              !connection.db.is_open()};
    } catch (const std::bad_alloc&) {
      return {Status::Unavailable("out of memory"), Next::kDone, !connection.db.is_open()};
    } catch (const std::exception& e) {
      if (!connection.db.is_open()) return committing ? InDoubt() : Lost(e);
      return {Status::Internal(Redacted(OneLine(e.what()), secrets_))};
    }
  }

  Attempt FromSqlError(const pqxx::sql_error& e) const {
    const std::string& state = e.sqlstate();
    const std::string message = Redacted(PrimaryMessage(e.what()), secrets_);
    if (state.starts_with("23")) {
      // Two sessions creating the same catalog entry at once (CREATE TABLE IF NOT EXISTS):
      // the next attempt sees the other's.
      if (state == "23505" && QuotedName(message).starts_with("pg_")) {
        return {Status::Unavailable("concurrent schema changes: " + message),
                Next::kRetryAfterBackoff};
      }
      return {Status::Conflict("constraint " + QuotedName(message) + " violated: " + message)};
    }
    if (state.starts_with("08") || state == "57P01" || state == "57P02" || state == "57P03") {
      return {Status::Unavailable("PostgreSQL is unreachable: " + message), Next::kRetry, true};
    }
    if (state.starts_with("53")) {
      return {Status::Unavailable("PostgreSQL is out of resources: " + message)};
    }
    if (state == "25006") return {Status::PermissionDenied("read-only transaction: " + message)};
    if (state == "42501") return {Status::PermissionDenied(message)};
    if (state.starts_with("22")) return {Status::InvalidArgument(message)};
    return {Status::Internal(message + " (SQLSTATE " + state + ")")};
  }

  Attempt Lost(const std::exception& e) const {
    return {
        Status::Unavailable("PostgreSQL is unreachable: " + Redacted(OneLine(e.what()), secrets_)),
        Next::kRetry, true};
  }

  static Attempt InDoubt() {
    return {Status::Unavailable("the connection to PostgreSQL was lost while committing: the "
                                "transaction may or may not have been applied"),
            Next::kDone, true};
  }

  Status Unreachable(const std::exception& e) const {
    return Status::Unavailable("PostgreSQL is unreachable: " +
                               Redacted(OneLine(e.what()), secrets_));
  }

  // Waits for the session-level migration lock, outside any transaction. Returns false when
  // the connection failed.
  static bool TakeMigrationLock(PgConnection& connection) {
    try {
      pqxx::nontransaction tx(connection.db);
      tx.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
      connection.migration_lock_pid = connection.db.backendpid();
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  // Returns false when the connection failed: dropping it releases the lock too.
  static bool ReleaseMigrationLock(PgConnection& connection) {
    if (connection.migration_lock_pid == 0) return true;
    connection.migration_lock_pid = 0;
    try {
      pqxx::nontransaction tx(connection.db);
      tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
      return true;
    } catch (const std::exception&) {
      return false;
    }
  }

  void Drop(std::unique_ptr<PgConnection>& connection) {
    if (connection == nullptr) return;
    connection.reset();
    pool_.GiveBack(nullptr);
  }

  // Up to 2, 4, ... 128 ms, uniformly at random, so that the contenders drift apart.
  void Backoff(int attempt) {
    const int ceiling_ms = 1 << std::min(attempt, 7);
    int pause_ms = 0;
    {
      const std::lock_guard<std::mutex> lock(random_mutex_);
      pause_ms = std::uniform_int_distribution<int>(1, ceiling_ms)(random_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
  }

  const std::vector<std::string> secrets_;
  ConnectionPool pool_;
  std::mutex random_mutex_;
  std::minstd_rand random_{std::random_device{}()};  // GUARDED_BY(random_mutex_)
};

}  // namespace

std::string RedactPostgresPassword(const std::string& text, const std::string& url) {
  return Redacted(text, PasswordsIn(url));
}

Result<std::unique_ptr<SqlBackend>> OpenPostgresBackend(const std::string& url, int connections) {
  std::vector<std::string> secrets = PasswordsIn(url);
  std::unique_ptr<PgConnection> first;
  try {
    first = std::make_unique<PgConnection>(url);
  } catch (const std::exception& e) {
    return Status::Unavailable("PostgreSQL is unreachable: " +
                               Redacted(OneLine(e.what()), secrets));
  }
  const int version = first->db.server_version();
  if (version < 100000) {
    return Status::InvalidArgument("PostgreSQL " + std::to_string(version / 10000) +
                                   " is too old: Tandem needs version 10 or newer");
  }
  return std::unique_ptr<SqlBackend>(std::make_unique<PostgresBackend>(
      url, std::max(connections, 1), std::move(first), std::move(secrets)));
}

}  // namespace tandem::store
