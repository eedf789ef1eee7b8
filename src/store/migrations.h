// The numbered schema migrations of each backend (src/store/migrations/<backend>/NNNN_*.sql),
// compiled into the binary. Migration N is applied in one transaction and recorded in the
// table schema_migrations.
#pragma once

#include <string_view>
#include <vector>

namespace tandem::store {

struct Migration {
  int number;             // 1, 2, ...: consecutive
  std::string_view name;  // the file name without extension
  std::string_view sql;   // one or more statements
};

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgresql_migrations();

}  // namespace tandem::store
