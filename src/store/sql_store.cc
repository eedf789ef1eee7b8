#include "store/sql_store.h"

#include <chrono>
#include <string>

namespace tandem::store {
namespace {

constexpr char kCreateMigrationsTable[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";

Millis WallClockNow() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int CurrentSchemaVersion(SqlSession& session, std::string_view backend) {
  const char* exists_sql =
      backend == "sqlite" ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
                            "'schema_migrations'"
                          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                            "current_schema() AND table_name = 'schema_migrations'";
  if (session.Query(exists_sql, {}).at(0).Int(0) == 0) return 0;
  const auto rows = session.Query("SELECT MAX(version) FROM schema_migrations", {});
  return rows.at(0).IsNull(0) ? 0 : rows.at(0).SmallInt(0);
}

Status SqlStore::Write(const TxFunction& fn, WriteLock lock) {
  const SqlBackend::Exclusive exclusive =
      lock == WriteLock::kPeople ? SqlBackend::Exclusive::kPeople : SqlBackend::Exclusive::kNone;
  return backend_->InWriteTransaction(
      [&](SqlSession& session) {
        SqlTx tx(session, backend_->name());
        return fn(tx);
      },
      exclusive);
}

Status SqlStore::Read(const TxFunction& fn) {
  return backend_->InReadTransaction([&](SqlSession& session) {
    SqlTx tx(session, backend_->name());
    return fn(tx);
  });
}

int SqlStore::LatestSchemaVersion() const {
  const auto& all = backend_->migrations();
  return all.empty() ? 0 : all.back().number;
}

Result<int> SqlStore::SchemaVersion() {
  int version = 0;
  const Status status = backend_->InReadTransaction([&](SqlSession& session) {
    version = CurrentSchemaVersion(session, backend_->name());
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return version;
}

Result<int> SqlStore::Migrate(int up_to) {
  const int latest = LatestSchemaVersion();
  const int target = up_to < 0 ? latest : std::min(up_to, latest);
  int applied = 0;
  // One transaction per migration: a failure keeps every earlier one and nothing of its own.
  for (const Migration& migration : backend_->migrations()) {
    if (migration.number > target) break;
    bool ran = false;
    const Status status = backend_->InWriteTransaction([&](SqlSession& session) {
      ran = false;
      // Lock first: two servers creating schema_migrations at once would deadlock.
      backend_->LockForMigration(session);
      session.ExecuteScript(kCreateMigrationsTable);
      const int current = CurrentSchemaVersion(session, backend_->name());
      if (current > latest) {
        return Status::InvalidArgument("the database is at schema version " +
                                       std::to_string(current) + ", newer than this tandem (" +
                                       std::to_string(latest) + "): upgrade tandem");
      }
      if (current >= migration.number) return Status::Ok();
      if (current != migration.number - 1) {
        return Status::Internal("schema version " + std::to_string(current) +
                                " cannot be followed by migration " +
                                std::to_string(migration.number));
      }
      session.ExecuteScript(migration.sql);
      session.Execute(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
          {std::int64_t{migration.number}, std::string(migration.name), WallClockNow()});
      ran = true;
      return Status::Ok();
    });
    if (!status.ok()) {
      return Status(status.code(),
                    "migration " + std::string(migration.name) + ": " + status.message());
    }
    if (ran) ++applied;
  }
  // A database newer than this binary is refused even when nothing was pending.
  Result<int> version = SchemaVersion();
  if (!version.ok()) return version.status();
  if (version.value() > latest) {
    return Status::InvalidArgument("the database is at schema version " +
                                   std::to_string(version.value()) + ", newer than this tandem (" +
                                   std::to_string(latest) + "): upgrade tandem");
  }
  return applied;
}

}  // namespace tandem::store
