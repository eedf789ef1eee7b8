// Test support: throwaway databases. Test-only; linked into test binaries, not into tandem.
#pragma once

#include <memory>
#include <string>

#include "app/store.h"
#include "core/status.h"

namespace tandem::store {

// Creates a uniquely named database on the PostgreSQL server at `admin_url` (a role that may
// CREATE DATABASE), opens a Store on it (migrated to the latest schema when `migrate`), and
// drops the database when the Store is destroyed.
Result<std::unique_ptr<Store>> OpenScratchPostgresStore(const std::string& admin_url,
                                                        bool migrate = true);

// A new, empty database with a unique name on the PostgreSQL server at `admin_url`; dropped,
// with any connections still open to it, when this object is destroyed. For tests that open
// several stores or backends on one database.
class ScratchPostgresDatabase {
 public:
  static Result<std::unique_ptr<ScratchPostgresDatabase>> Create(const std::string& admin_url);
  ScratchPostgresDatabase(std::string admin_url, std::string name);
  ScratchPostgresDatabase(const ScratchPostgresDatabase&) = delete;
  ScratchPostgresDatabase& operator=(const ScratchPostgresDatabase&) = delete;
  ~ScratchPostgresDatabase();

  const std::string& name() const { return name_; }
  // `admin_url` with the database replaced by this one.
  const std::string& url() const { return url_; }

 private:
  const std::string admin_url_;
  const std::string name_;
  const std::string url_;
};

// `url` (a libpq URI) naming the database `database` instead of its own.
std::string PostgresUrlWithDatabase(const std::string& url, const std::string& database);

}  // namespace tandem::store
