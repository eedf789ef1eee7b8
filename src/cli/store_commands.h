// The `tandem` subcommands that work on the store. Exit statuses as in commands.h.
#pragma once

#include <cstdint>
#include <string>

namespace tandem {

// The database of every store command: --db, else $TANDEM_DB, else sqlite:tandem.db.
struct StoreTarget {
  std::string db;
};

struct MigrateCommand {
  StoreTarget target;
  int to = -1;  // -1: the latest
  bool status_only = false;
};
int RunMigrate(const MigrateCommand& command);

struct ImportCommand {
  StoreTarget target;
  std::string input;
  std::int64_t programme = 0;  // 0: master data only
};
int RunImport(const ImportCommand& command);

struct ProgrammeCreateCommand {
  StoreTarget target;
  std::string name;
  std::string mode = "reverse";
  int mentee_min_level = 0;
};
int RunProgrammeCreate(const ProgrammeCreateCommand& command);

int RunBackup(const StoreTarget& target, const std::string& file);
int RunRestore(const StoreTarget& target, const std::string& file);
int RunCopy(const std::string& from, const std::string& to);
int RunErase(const StoreTarget& target, const std::string& external_id);

}  // namespace tandem
