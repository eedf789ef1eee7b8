// The SQLite backend: one file, WAL, a single writer connection and a pool of readers.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/sql_backend.h"

namespace tandem::store {

struct SqliteOptions {
  int readers = 4;              // read connections kept open
  int busy_timeout_ms = 10000;  // how long a connection waits for another process's lock
  bool check = true;            // run PRAGMA quick_check when opening
};

// Opens (creating when missing) the database file at `path`. Fails with a message naming the
// file when it is not an SQLite database, is damaged, or cannot be opened for writing.
Result<std::unique_ptr<SqlBackend>> OpenSqliteBackend(const std::string& path,
                                                      const SqliteOptions& options);

// Online backup of the database at `path` into `backup_path` (written aside, then renamed).
Status BackupSqlite(const std::string& path, const std::string& backup_path);

// Replaces the content of the database at `path` with a checked backup. The backup must be a
// sound Tandem database at schema version <= `latest_version`.
Status RestoreSqlite(const std::string& path, const std::string& backup_path, int latest_version);

}  // namespace tandem::store
