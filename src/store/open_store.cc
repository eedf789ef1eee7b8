#include "store/open_store.h"

#include <map>
#include <string_view>

#include "store/postgres_backend.h"
#include "store/sql_store.h"
#include "store/sqlite_backend.h"

namespace tandem::store {
namespace {

struct ParsedUrl {
  enum class Kind { kSqlite, kPostgres } kind;
  std::string location;  // a file path, or the libpq URI
};

Result<ParsedUrl> ParseUrl(const std::string& url) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (url.starts_with(kSqlite)) {
    std::string path = url.substr(kSqlite.size());
    if (path.starts_with("//")) path = path.substr(2);  // sqlite:///abs/path
    if (path.empty()) return Status::InvalidArgument("database URL 'sqlite:' names no file");
    return ParsedUrl{ParsedUrl::Kind::kSqlite, path};
  }
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return ParsedUrl{ParsedUrl::Kind::kPostgres, url};
  }
  // Only the scheme is echoed: the rest may hold a password.
  const size_t colon = url.find(':');
  return Status::InvalidArgument("database URL: unknown scheme '" +
                                 (colon == std::string::npos ? url : url.substr(0, colon)) +
                                 "'; use sqlite:PATH or postgresql://HOST/DATABASE");
}

Result<std::unique_ptr<SqlStore>> OpenSqlStore(const std::string& url, const OpenOptions& options) {
  Result<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  std::unique_ptr<SqlBackend> backend;
  if (parsed.value().kind == ParsedUrl::Kind::kSqlite) {
    Result<std::unique_ptr<SqlBackend>> sqlite = OpenSqliteBackend(
        parsed.value().location, {options.readers, options.busy_timeout_ms, options.check});
    if (!sqlite.ok()) return sqlite.status();
    backend = std::move(sqlite).value();
  } else {
    Result<std::unique_ptr<SqlBackend>> postgres =
        OpenPostgresBackend(parsed.value().location, options.readers);
    if (!postgres.ok()) return postgres.status();
    backend = std::move(postgres).value();
  }
  auto store = std::make_unique<SqlStore>(std::move(backend));
  if (options.migrate) {
    Result<int> migrated = store->Migrate();
    if (!migrated.ok()) return migrated.status();
  } else {
    Result<int> version = store->SchemaVersion();
    if (!version.ok()) return version.status();
    if (version.value() > store->LatestSchemaVersion()) {
      return Status::InvalidArgument("the database is at schema version " +
                                     std::to_string(version.value()) +
                                     ", newer than this tandem: upgrade tandem");
    }
  }
  return store;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options) {
  Result<std::unique_ptr<SqlStore>> store = OpenSqlStore(url, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(store).value());
}

Status BackupStore(const std::string& url, const std::string& backup_path) {
  Result<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed.value().kind != ParsedUrl::Kind::kSqlite) {
    return Status::InvalidArgument(
        "tandem backup works on SQLite; for PostgreSQL use pg_dump (docs/operations.md)");
  }
  return BackupSqlite(parsed.value().location, backup_path);
}

Status RestoreStore(const std::string& url, const std::string& backup_path) {
  Result<ParsedUrl> parsed = ParseUrl(url);
  if (!parsed.ok()) return parsed.status();
  if (parsed.value().kind != ParsedUrl::Kind::kSqlite) {
    return Status::InvalidArgument(
        "tandem restore works on SQLite; for PostgreSQL use pg_restore (docs/operations.md)");
  }
  const int latest = static_cast<int>(sqlite_migrations().back().number);
  return RestoreSqlite(parsed.value().location, backup_path, latest);
}

Result<std::int64_t> CopyStore(const std::string& from_url, const std::string& to_url) {
  Result<std::unique_ptr<SqlStore>> from = OpenSqlStore(from_url, {});
  if (!from.ok()) return from.status();
  Result<std::unique_ptr<SqlStore>> to = OpenSqlStore(to_url, {});
  if (!to.ok()) return to.status();

  // Read everything in one snapshot, then write it in one transaction: the target gets all
  // rows or none.
  std::map<std::string_view, std::vector<SqlRow>> rows;
  Status read = from.value()->sql().InReadTransaction([&](SqlSession& session) {
    for (const TableSpec& table : AllTables()) {
      std::string sql = "SELECT ";
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0) sql += ", ";
        sql += table.columns[i];
      }
      sql += " FROM ";
      sql += table.name;
      rows[table.name] = session.Query(sql, {});
    }
    return Status::Ok();
  });
  if (!read.ok())
    return Status(read.code(), "reading " + from_url.substr(0, from_url.find(':')) +
                                   " source: " + read.message());

  std::int64_t copied = 0;
  Status write = to.value()->sql().InWriteTransaction([&](SqlSession& session) {
    copied = 0;
    for (const TableSpec& table : AllTables()) {
      const auto count = session.Query("SELECT COUNT(*) FROM " + std::string(table.name), {});
      if (count.at(0).Int(0) != 0) {
        return Status::InvalidArgument("the target database is not empty (table " +
                                       std::string(table.name) + " has rows)");
      }
    }
    for (const TableSpec& table : AllTables()) {
      // A manager may come after the people who report to them: set the references after
      // every person exists.
      const bool people = table.name == "people";
      std::string sql = "INSERT INTO " + std::string(table.name) + " (";
      std::string marks;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0) {
          sql += ", ";
          marks += ", ";
        }
        sql += table.columns[i];
        marks += "?";
      }
      sql += ") VALUES (" + marks + ")";
      for (const SqlRow& row : rows[table.name]) {
        std::vector<SqlValue> values;
        for (size_t i = 0; i < row.size(); ++i) {
          values.push_back(people && table.columns[i] == "manager_id" ? SqlValue{} : row.Value(i));
        }
        session.Execute(sql, values);
        ++copied;
      }
      if (people) {
        for (const SqlRow& row : rows[table.name]) {
          if (row.IsNull(6)) continue;
          session.Execute("UPDATE people SET manager_id = ? WHERE id = ?",
                          {row.Value(6), row.Value(0)});
        }
      }
      to.value()->sql().AfterCopy(session, table);
    }
    return Status::Ok();
  });
  if (!write.ok()) return Status(write.code(), "writing the target: " + write.message());
  return copied;
}

}  // namespace tandem::store
