// The narrow seam between the store's SQL and a database library: run one statement with
// parameters, get rows back. SqlTx maps records onto it once, for every backend, so SQLite
// and PostgreSQL cannot drift apart; each backend implements only SqlSession and its
// transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace tandem::store {

// NULL, an integer or a text. PostgreSQL returns every value as text; the getters convert.
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;

class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  // REQUIRES: the value is an integer or a text holding one; throws StoreError otherwise.
  std::int64_t Int(size_t i) const;
  int SmallInt(size_t i) const;  // Int() that must fit an int
  std::optional<std::int64_t> OptionalInt(size_t i) const;
  // NULL reads as "".
  std::string Text(size_t i) const;
  const SqlValue& Value(size_t i) const { return values_.at(i); }

 private:
  std::vector<SqlValue> values_;
};

class SqlSession {
 public:
  virtual ~SqlSession() = default;
  // Runs one statement whose parameters are written `?` and returns its rows. Library
  // failures are thrown as StoreError or as the library's exception.
  virtual std::vector<SqlRow> Query(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs one statement and returns the number of rows it changed.
  virtual std::int64_t Execute(std::string_view sql, const std::vector<SqlValue>& params) = 0;
  // Runs a script of statements without parameters (a migration file).
  virtual void ExecuteScript(std::string_view sql) = 0;
};

}  // namespace tandem::store
