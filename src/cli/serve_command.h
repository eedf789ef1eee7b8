// `tandem serve` and `tandem admin create`. Exit statuses as in commands.h.
#pragma once

#include <string>

namespace tandem {

struct ServeCommand {
  std::string listen;      // empty: $TANDEM_LISTEN, the config file, or 127.0.0.1:8080
  std::string db;          // empty: $TANDEM_DB, the config file, or sqlite:tandem.db
  std::string config;      // a TOML file (docs/operations.md lists the keys)
  std::string static_dir;  // the web front end's files
};
int RunServe(const ServeCommand& command);

struct AdminCreateCommand {
  std::string db;
  std::string email;
};
// Creates (or promotes) a system administrator and prints a one-time sign-in link.
int RunAdminCreate(const AdminCreateCommand& command);

}  // namespace tandem
