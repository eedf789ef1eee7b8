// What a database backend provides to SqlStore: transactions on its connections, its
// migrations, and the few statements that differ between SQL dialects.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/migrations.h"
#include "store/sql_session.h"
#include "store/sql_tx.h"

namespace tandem::store {

using SessionFunction = std::function<Status(SqlSession&)>;

class SqlBackend {
 public:
  virtual ~SqlBackend() = default;

  virtual std::string_view name() const = 0;  // "sqlite" or "postgresql"
  virtual const std::vector<Migration>& migrations() const = 0;

  // Runs `fn` in one read-write transaction; commits when it returns ok, rolls back when it
  // returns an error or throws. Retries `fn` when the database reports a serialization
  // conflict. Library exceptions and StoreError become a Status. Thread-safe.
  Status InWriteTransaction(const SessionFunction& fn) {
    return InWriteTransaction(fn, Exclusive::kNone);
  }
  // What the transaction holds against other writers from its start (Store's WriteLock):
  // PostgreSQL locks the people table before the first statement (so the SERIALIZABLE
  // snapshot is taken with the lock held); SQLite's single writer already excludes everyone.
  enum class Exclusive { kNone, kPeople };
  virtual Status InWriteTransaction(const SessionFunction& fn, Exclusive exclusive) = 0;
  // The same, read-only, on one consistent snapshot.
  virtual Status InReadTransaction(const SessionFunction& fn) = 0;

  // Inside a write transaction: keeps a concurrent migration of another process out until
  // this transaction ends (PostgreSQL: an advisory lock; SQLite's writer lock already does).
  virtual void LockForMigration(SqlSession& session) = 0;
  // After rows with explicit ids were copied into `table`: lets new rows continue after them.
  virtual void AfterCopy(SqlSession& session, const TableSpec& table) = 0;
};

}  // namespace tandem::store
