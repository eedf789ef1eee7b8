// Opening a store by URL, and the operations that depend on the backend.
#pragma once

#include <memory>
#include <string>

#include "app/store.h"
#include "core/status.h"

namespace tandem::store {

inline constexpr char kDefaultStoreUrl[] = "sqlite:tandem.db";

struct OpenOptions {
  bool migrate = true;  // apply pending migrations before returning
  bool check = true;    // verify the database (SQLite: PRAGMA quick_check) first
  int readers = 4;      // read connections kept open
  int busy_timeout_ms = 10000;
};

// Opens `url`: "sqlite:PATH" (the file is created when missing) or "postgresql://..." /
// "postgres://..." (a libpq connection URI). Refuses a database newer than this binary, a
// corrupt or foreign file, and unknown URL schemes, with a message that names the problem.
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const OpenOptions& options = {});

// Writes a consistent copy of the SQLite database at `url` to `backup_path` while other
// connections may write (SQLite's online backup API). The copy is written aside and renamed
// into place, so `backup_path` is either the old file or the complete new one.
// PostgreSQL: returns InvalidArgument pointing to pg_dump (docs/operations.md).
Status BackupStore(const std::string& url, const std::string& backup_path);

// Replaces the content of the SQLite database at `url` with the backup at `backup_path`,
// after checking that the backup is a sound Tandem database not newer than this binary.
Status RestoreStore(const std::string& url, const std::string& backup_path);

// Copies every row of the database at `from_url` into the empty database at `to_url` (both
// migrated to the latest schema first), in one transaction on the target: moving from SQLite
// to PostgreSQL or back. Returns the number of rows copied.
Result<std::int64_t> CopyStore(const std::string& from_url, const std::string& to_url);

}  // namespace tandem::store
