// `tandem serve` and `tandem admin create`. Exit statuses as in commands.h.
#pragma once

#include <cstdint>
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

struct DemoCommand {
  std::string db;
  std::int64_t programme = 0;
  std::string admin_email = "admin@example.com";
};
// `tandem demo`: takes a draft programme whose people are enrolled (`tandem import
// --programme`) through the lifecycle as if weeks had passed: enrolment opened and closed, a
// matching run, publication, most tandems accepted by both partners, one left waiting. Then
// (and on every later call) prints one-time sign-in links for the administrator, a mentee with
// an active tandem and a mentor with a proposal to answer. Uses the use cases, not the tables.
int RunDemo(const DemoCommand& command);

}  // namespace tandem
