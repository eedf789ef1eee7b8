#include "store/testing.h"

#include <unistd.h>

#include <atomic>
#include <iostream>
#include <pqxx/pqxx>
#include <random>
#include <utility>

#include "store/postgres_backend.h"
#include "store/sql_store.h"

namespace tandem::store {
namespace {

// Lower case letters, digits and '_': a database name that needs no quoting.
std::string UniqueDatabaseName() {
  static std::atomic<int> counter{0};
  std::random_device random;
  constexpr char kDigits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string suffix;
  for (int i = 0; i < 8; ++i) suffix += kDigits[random() % 36];
  return "tandem_scratch_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         suffix;
}

// Runs `sql` outside a transaction (CREATE and DROP DATABASE refuse to run inside one).
Status RunAsAdmin(const std::string& admin_url, const std::string& sql) {
  try {
    pqxx::connection connection(admin_url);
    pqxx::quiet_errorhandler quiet(connection);
    pqxx::nontransaction tx(connection);
    tx.exec(sql);
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Unavailable(RedactPostgresPassword(e.what(), admin_url));
  }
}

// A Store that drops its scratch database after itself.
class ScratchStore final : public Store {
 public:
  ScratchStore(std::unique_ptr<ScratchPostgresDatabase> database, std::unique_ptr<Store> store)
      : database_(std::move(database)), store_(std::move(store)) {}

  using Store::Write;
  Status Write(const TxFunction& fn, WriteLock lock) override { return store_->Write(fn, lock); }
  Status Read(const TxFunction& fn) override { return store_->Read(fn); }
  std::string_view backend() const override { return store_->backend(); }
  Result<int> SchemaVersion() override { return store_->SchemaVersion(); }
  int LatestSchemaVersion() const override { return store_->LatestSchemaVersion(); }
  Result<int> Migrate(int up_to) override { return store_->Migrate(up_to); }

 private:
  // Declared first, destroyed last: the store closes its connections before the drop.
  const std::unique_ptr<ScratchPostgresDatabase> database_;
  const std::unique_ptr<Store> store_;
};

}  // namespace

std::string PostgresUrlWithDatabase(const std::string& url, const std::string& database) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t path = url.find_first_of("/?", scheme + 3);
  if (path == std::string::npos) return url + "/" + database;
  const size_t query = url.find('?', path);
  return url.substr(0, path) + "/" + database +
         (query == std::string::npos ? std::string() : url.substr(query));
}

ScratchPostgresDatabase::ScratchPostgresDatabase(std::string admin_url, std::string name)
    : admin_url_(std::move(admin_url)),
      name_(std::move(name)),
      url_(PostgresUrlWithDatabase(admin_url_, name_)) {}

Result<std::unique_ptr<ScratchPostgresDatabase>> ScratchPostgresDatabase::Create(
    const std::string& admin_url) {
  std::string name = UniqueDatabaseName();
  const Status created = RunAsAdmin(admin_url, "CREATE DATABASE " + name);
  if (!created.ok()) {
    return Status(created.code(), "creating a scratch database: " + created.message());
  }
  return std::make_unique<ScratchPostgresDatabase>(admin_url, std::move(name));
}

ScratchPostgresDatabase::~ScratchPostgresDatabase() {
  const Status dropped =
      RunAsAdmin(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  if (!dropped.ok()) {
    std::cerr << "warning: scratch database " << name_ << " not dropped: " << dropped.message()
              << "\n";
  }
}

Result<std::unique_ptr<Store>> OpenScratchPostgresStore(const std::string& admin_url,
                                                        bool migrate) {
  Result<std::unique_ptr<ScratchPostgresDatabase>> database =
      ScratchPostgresDatabase::Create(admin_url);
  if (!database.ok()) return database.status();
  Result<std::unique_ptr<SqlBackend>> backend =
      OpenPostgresBackend(database.value()->url(), /*connections=*/4);
  if (!backend.ok()) return backend.status();
  auto store = std::make_unique<SqlStore>(std::move(backend).value());
  if (migrate) {
    Result<int> migrated = store->Migrate();
    if (!migrated.ok()) return migrated.status();
  }
  return std::unique_ptr<Store>(
      std::make_unique<ScratchStore>(std::move(database).value(), std::move(store)));
}

}  // namespace tandem::store
