// Store over any SqlBackend: records through SqlTx, migrations through schema_migrations.
#pragma once

#include <memory>

#include "app/store.h"
#include "store/sql_backend.h"

namespace tandem::store {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<SqlBackend> backend) : backend_(std::move(backend)) {}

  using Store::Write;
  Status Write(const TxFunction& fn, WriteLock lock) override;
  Status Read(const TxFunction& fn) override;
  std::string_view backend() const override { return backend_->name(); }
  Result<int> SchemaVersion() override;
  int LatestSchemaVersion() const override;
  Result<int> Migrate(int up_to = -1) override;

  SqlBackend& sql() { return *backend_; }

 private:
  const std::unique_ptr<SqlBackend> backend_;
};

// The migration `session`'s database is at: 0 when it has no schema_migrations table.
int CurrentSchemaVersion(SqlSession& session, std::string_view backend);

}  // namespace tandem::store
