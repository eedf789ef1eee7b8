// The PostgreSQL backend (libpqxx): a pool of connections to one database.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "store/sql_backend.h"

namespace tandem::store {

// Connects to `url` (a libpq URI, postgresql://...) and keeps up to `connections` (at least 1)
// connections open; one is opened here, so an unreachable server or a refused login fails now
// (Unavailable). Requires PostgreSQL 10 or newer (identity columns).
//
// Write transactions run at SERIALIZABLE and are retried (up to 10 attempts, with a short
// randomized backoff) when PostgreSQL reports a serialization failure or a deadlock; read
// transactions run at REPEATABLE READ READ ONLY. A connection found broken is dropped and the
// transaction is retried on a new one; a connection lost during COMMIT is reported as
// Unavailable ("may or may not have been applied"). Constraint violations are Conflict,
// naming the constraint. Messages never contain the URL's password nor the values of rows.
// The backend is thread-safe.
Result<std::unique_ptr<SqlBackend>> OpenPostgresBackend(const std::string& url, int connections);

// `text` with every password that `url` carries (user:password@, ?password=) replaced by
// "***". For messages that might quote a connection string.
std::string RedactPostgresPassword(const std::string& text, const std::string& url);

}  // namespace tandem::store
