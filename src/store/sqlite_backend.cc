#include "store/sqlite_backend.h"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <unordered_map>
#include <utility>

#include "store/sql_store.h"

namespace tandem::store {
namespace {

// What SQLite's result codes mean for the caller. The messages carry no data values: SQLite's
// own texts name constraints and files, never the values that broke them.
Status FromSqlite(const SQLite::Exception& e) {
  const std::string what = e.what();
  switch (e.getErrorCode()) {
    case SQLITE_FULL:
      return Status::Unavailable("the disk or the database is full: " + what);
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return Status::Unavailable("the database file cannot be read or written: " + what);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable("the database is locked by another process: " + what);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Internal("the database file is damaged or not a database: " + what);
    case SQLITE_CONSTRAINT:
      return Status::Conflict(what);
    case SQLITE_READONLY:
      return Status::PermissionDenied("the database is read-only: " + what);
    default:
      return Status::Internal(what);
  }
}

// Runs `body`, turning every exception the store may see into a Status.
template <typename Body>
Status Guarded(Body&& body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e);
  } catch (const StoreError& e) {
    return Status(e.code(), e.what());
  } catch (const std::bad_alloc&) {
    return Status::Unavailable("out of memory");
  }
}

class SqliteSession final : public SqlSession {
 public:
  explicit SqliteSession(SQLite::Database& db) : db_(db) {}

  std::vector<SqlRow> Query(std::string_view sql, const std::vector<SqlValue>& params) override {
    SQLite::Statement& statement = Prepare(sql, params);
    std::vector<SqlRow> rows;
    const int columns = statement.getColumnCount();
    while (statement.executeStep()) {
      std::vector<SqlValue> values;
      values.reserve(static_cast<size_t>(columns));
      for (int i = 0; i < columns; ++i) {
        const SQLite::Column column = statement.getColumn(i);
        if (column.isNull()) {
          values.emplace_back();
        } else if (column.isInteger()) {
          values.emplace_back(column.getInt64());
        } else {
          values.emplace_back(column.getString());
        }
      }
      rows.emplace_back(std::move(values));
    }
    return rows;
  }

  std::int64_t Execute(std::string_view sql, const std::vector<SqlValue>& params) override {
    return Prepare(sql, params).exec();
  }

  void ExecuteScript(std::string_view sql) override { db_.exec(std::string(sql)); }

 private:
  // Statements are prepared once per connection and reused.
  SQLite::Statement& Prepare(std::string_view sql, const std::vector<SqlValue>& params) {
    auto it = statements_.find(std::string(sql));
    if (it == statements_.end()) {
      it =
          statements_
              .emplace(std::string(sql), std::make_unique<SQLite::Statement>(db_, std::string(sql)))
              .first;
    }
    SQLite::Statement& statement = *it->second;
    statement.tryReset();  // reset() would rethrow the last step's error
    statement.clearBindings();
    int index = 1;
    for (const SqlValue& value : params) {
      if (const auto* n = std::get_if<std::int64_t>(&value)) {
        statement.bind(index, *n);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        statement.bind(index, *s);
      } else {
        statement.bind(index);
      }
      ++index;
    }
    return statement;
  }

  SQLite::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements_;
};

struct Connection {
  Connection(const std::string& path, int flags, int busy_timeout_ms)
      : db(path, flags, busy_timeout_ms), session(db) {}
  SQLite::Database db;
  SqliteSession session;
};

// Rolls back unless committed; never throws (a failed rollback leaves SQLite to undo the
// transaction when the connection next begins one).
class TransactionGuard {
 public:
  explicit TransactionGuard(SQLite::Database& db) : db_(db) {}
  TransactionGuard(const TransactionGuard&) = delete;
  TransactionGuard& operator=(const TransactionGuard&) = delete;
  ~TransactionGuard() {
    if (!done_) sqlite3_exec(db_.getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  void Commit() {
    db_.exec("COMMIT");
    done_ = true;
  }

 private:
  SQLite::Database& db_;
  bool done_ = false;
};

class SqliteBackend final : public SqlBackend {
 public:
  SqliteBackend(std::string path, const SqliteOptions& options, std::unique_ptr<Connection> writer)
      : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

  std::string_view name() const override { return "sqlite"; }
  const std::vector<Migration>& migrations() const override { return sqlite_migrations(); }

  // Group commit: concurrent writers queue up; one of them (the leader) runs every queued
  // function in one SQLite transaction, each inside its own savepoint, and commits once. A
  // function's error rolls back its savepoint only; the one fsync of the commit then
  // acknowledges the whole batch. Serial semantics are kept: the functions run one after
  // another on the single writer connection, each seeing the effects of those before it.
  using SqlBackend::InWriteTransaction;
  Status InWriteTransaction(const SessionFunction& fn, Exclusive /*exclusive*/) override {
    Pending me{&fn, Status::Ok(), false};
    std::unique_lock<std::mutex> lock(queue_mutex_);
    queue_.push_back(&me);
    while (!me.done) {
      if (leader_active_) {
        done_.wait(lock);
        continue;
      }
      leader_active_ = true;
      const size_t take = std::min(queue_.size(), kMaxBatch);
      std::vector<Pending*> batch(queue_.begin(), queue_.begin() + static_cast<long>(take));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<long>(take));
      lock.unlock();
      RunBatch(batch);
      lock.lock();
      for (Pending* p : batch) p->done = true;
      leader_active_ = false;
      done_.notify_all();
    }
    return me.status;
  }

  Status InReadTransaction(const SessionFunction& fn) override {
    std::unique_ptr<Connection> reader;
    Status status = Guarded([&] {
      reader = TakeReader();
      reader->db.exec("BEGIN");
      TransactionGuard transaction(reader->db);
      Status result = fn(reader->session);
      transaction.Commit();
      return result;
    });
    if (reader != nullptr && status.code() != StatusCode::kInternal) GiveBack(std::move(reader));
    return status;
  }

  void LockForMigration(SqlSession& /*session*/) override {}
  void AfterCopy(SqlSession& /*session*/, const TableSpec& /*table*/) override {}

 private:
  struct Pending {
    const SessionFunction* fn;
    Status status;
    bool done;
  };
  static constexpr size_t kMaxBatch = 64;

  Status Exec(const char* sql) {
    return Guarded([&] {
      writer_->db.exec(sql);
      return Status::Ok();
    });
  }

  // Runs `batch` in as few transactions as possible (one, unless SQLite itself rolls a
  // transaction back, e.g. on a full disk) and sets each status.
  void RunBatch(const std::vector<Pending*>& batch) {
    sqlite3* handle = writer_->db.getHandle();
    size_t next = 0;
    while (next < batch.size()) {
      // IMMEDIATE takes the write lock up front, so a transaction never fails half-way for a
      // lock held by another process.
      if (Status begin = Exec("BEGIN IMMEDIATE"); !begin.ok()) {
        for (size_t i = next; i < batch.size(); ++i) batch[i]->status = begin;
        return;
      }
      std::vector<Pending*> succeeded;
      bool lost = false;  // SQLite rolled the whole transaction back
      size_t i = next;
      for (; i < batch.size() && !lost; ++i) {
        Pending& job = *batch[i];
        Status status = Exec("SAVEPOINT tandem_write");
        if (status.ok()) status = Guarded([&] { return (*job.fn)(writer_->session); });
        if (sqlite3_get_autocommit(handle) != 0) {
          lost = true;
          job.status = status.ok() ? Status::Internal("the transaction was rolled back") : status;
          for (Pending* earlier : succeeded) {
            earlier->status = Status::Unavailable("not saved: " + job.status.message());
          }
          succeeded.clear();
          continue;
        }
        if (status.ok()) {
          status = Exec("RELEASE tandem_write");
          if (status.ok()) {
            succeeded.push_back(&job);
            continue;
          }
        }
        Exec("ROLLBACK TO tandem_write");
        Exec("RELEASE tandem_write");
        job.status = status;
      }
      if (!lost) {
        const Status commit = Exec("COMMIT");
        if (!commit.ok()) {
          sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
          for (Pending* job : succeeded) job->status = commit;
        }
      }
      next = i;
    }
  }

  std::unique_ptr<Connection> TakeReader() {
    {
      const std::lock_guard<std::mutex> lock(readers_mutex_);
      if (!readers_.empty()) {
        std::unique_ptr<Connection> reader = std::move(readers_.back());
        readers_.pop_back();
        return reader;
      }
    }
    return std::make_unique<Connection>(path_, SQLite::OPEN_READONLY, options_.busy_timeout_ms);
  }

  void GiveBack(std::unique_ptr<Connection> reader) {
    const std::lock_guard<std::mutex> lock(readers_mutex_);
    if (static_cast<int>(readers_.size()) < options_.readers) readers_.push_back(std::move(reader));
  }

  const std::string path_;
  const SqliteOptions options_;
  const std::unique_ptr<Connection> writer_;  // used by the batch leader only
  std::mutex queue_mutex_;
  std::condition_variable done_;
  std::vector<Pending*> queue_;  // GUARDED_BY(queue_mutex_)
  bool leader_active_ = false;   // GUARDED_BY(queue_mutex_)
  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<Connection>> readers_;  // GUARDED_BY(readers_mutex_)
};

// Returns "ok" or what PRAGMA quick_check found.
std::string QuickCheck(SQLite::Database& db) {
  SQLite::Statement check(db, "PRAGMA quick_check");
  std::string findings;
  while (check.executeStep()) {
    if (!findings.empty()) findings += "; ";
    findings += check.getColumn(0).getString();
    if (findings.size() > 300) break;
  }
  return findings;
}

// Tells a Tandem database from an empty file and from someone else's database.
Status CheckIsTandemDatabase(SQLite::Database& db, const std::string& path) {
  SQLite::Statement tables(db, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'");
  tables.executeStep();
  if (tables.getColumn(0).getInt64() > 0 && !db.tableExists("schema_migrations")) {
    return Status::InvalidArgument(path + " is an SQLite database, but not one of Tandem's");
  }
  return Status::Ok();
}

void SyncDirectoryOf(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::string AsidePath(const std::string& path) {
  std::random_device random;
  return path + ".tmp-" + std::to_string(random()) + "-" + std::to_string(::getpid());
}

}  // namespace

Result<std::unique_ptr<SqlBackend>> OpenSqliteBackend(const std::string& path,
                                                      const SqliteOptions& options) {
  const std::string where = "sqlite:" + path;
  std::unique_ptr<Connection> writer;
  Status status = Guarded([&] {
    writer = std::make_unique<Connection>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                          options.busy_timeout_ms);
    SQLite::Database& db = writer->db;
    if (options.check) {
      const std::string findings = QuickCheck(db);
      if (findings != "ok") {
        return Status::Internal("the database file is damaged (quick_check: " + findings +
                                "); restore it from a backup (tandem restore)");
      }
    }
    Status tandem = CheckIsTandemDatabase(db, path);
    if (!tandem.ok()) return tandem;
    SQLite::Statement wal(db, "PRAGMA journal_mode = WAL");
    if (!wal.executeStep() || wal.getColumn(0).getString() != "wal") {
      return Status::Unavailable("cannot switch the database to WAL mode");
    }
    // FULL: a commit is on disk (the WAL fsynced) before it is acknowledged.
    db.exec("PRAGMA synchronous = FULL");
    db.exec("PRAGMA foreign_keys = ON");
    // The writer runs the checkpoints (the default, made explicit): readers never write.
    db.exec("PRAGMA wal_autocheckpoint = 1000");
    return Status::Ok();
  });
  if (!status.ok()) return Status(status.code(), where + ": " + status.message());
  return std::unique_ptr<SqlBackend>(
      std::make_unique<SqliteBackend>(path, options, std::move(writer)));
}

Status BackupSqlite(const std::string& path, const std::string& backup_path) {
  if (!std::filesystem::exists(path)) {
    return Status::NotFound("sqlite:" + path + ": no such database file");
  }
  struct stat info {};
  if (::stat(backup_path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    return Status::InvalidArgument(backup_path + ": not a regular file; name a file to write");
  }
  const std::string aside = AsidePath(backup_path);
  Status status = Guarded([&] {
    SQLite::Database source(path, SQLite::OPEN_READONLY, 10000);
    SQLite::Database copy(aside, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // One step copies every page inside one read transaction: a consistent snapshot even
    // while the server writes through its own connection.
    SQLite::Backup backup(copy, source);
    if (backup.executeStep(-1) != SQLITE_DONE) {
      return Status::Unavailable("the backup did not complete");
    }
    const std::string findings = QuickCheck(copy);
    if (findings != "ok") return Status::Internal("the backup failed its check: " + findings);
    return Status::Ok();
  });
  if (!status.ok()) {
    std::remove(aside.c_str());
    return Status(status.code(), "backup of sqlite:" + path + ": " + status.message());
  }
  if (std::rename(aside.c_str(), backup_path.c_str()) != 0) {
    std::remove(aside.c_str());
    return Status::Unavailable("cannot write " + backup_path);
  }
  SyncDirectoryOf(backup_path);
  return Status::Ok();
}

Status RestoreSqlite(const std::string& path, const std::string& backup_path, int latest_version) {
  if (!std::filesystem::exists(backup_path)) {
    return Status::NotFound(backup_path + ": no such backup file");
  }
  return Guarded([&] {
    SQLite::Database backup(backup_path, SQLite::OPEN_READONLY);
    const std::string findings = QuickCheck(backup);
    if (findings != "ok") {
      return Status::InvalidArgument(backup_path + " is damaged (quick_check: " + findings + ")");
    }
    if (!backup.tableExists("schema_migrations")) {
      return Status::InvalidArgument(backup_path + " is not a Tandem database");
    }
    SQLite::Statement version(backup, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    version.executeStep();
    if (version.getColumn(0).getInt() > latest_version) {
      return Status::InvalidArgument(backup_path + " comes from a newer tandem (schema " +
                                     version.getColumn(0).getString() + ")");
    }
    SQLite::Database target(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, 10000);
    target.exec("PRAGMA journal_mode = WAL");
    target.exec("PRAGMA synchronous = FULL");
    SQLite::Backup copy(target, backup);
    if (copy.executeStep(-1) != SQLITE_DONE) {
      return Status::Unavailable("the restore did not complete; the database is unchanged");
    }
    return Status::Ok();
  });
}

}  // namespace tandem::store
