#include "cli/store_commands.h"

#include <fmt/format.h>

#include <chrono>

#include "app/csv_reader.h"
#include "app/people_import.h"
#include "app/programmes.h"
#include "cli/commands.h"
#include "store/open_store.h"

namespace tandem {
namespace {

Millis Now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A URL as it may be shown: a PostgreSQL password is masked.
std::string Shown(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const size_t colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

int ExitFor(const Status& status) {
  return status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kNotFound
             ? kExitBadInput
             : kExitFailure;
}

int Fail(const Status& status) {
  fmt::print(stderr, "tandem: {}\n", status.message());
  return ExitFor(status);
}

Result<std::unique_ptr<Store>> Open(const StoreTarget& target, bool migrate = true) {
  return store::OpenStore(target.db, {.migrate = migrate});
}

}  // namespace

int RunMigrate(const MigrateCommand& command) {
  Result<std::unique_ptr<Store>> store = Open(command.target, /*migrate=*/false);
  if (!store.ok()) return Fail(store.status());
  Store& db = *store.value();
  Result<int> before = db.SchemaVersion();
  if (!before.ok()) return Fail(before.status());
  if (command.status_only) {
    fmt::print("{}: schema version {} of {}\n", Shown(command.target.db), before.value(),
               db.LatestSchemaVersion());
    return kExitOk;
  }
  Result<int> applied = db.Migrate(command.to);
  if (!applied.ok()) return Fail(applied.status());
  Result<int> after = db.SchemaVersion();
  if (!after.ok()) return Fail(after.status());
  fmt::print("{}: schema version {} -> {} ({} migration(s) applied)\n", Shown(command.target.db),
             before.value(), after.value(), applied.value());
  return kExitOk;
}

int RunImport(const ImportCommand& command) {
  std::string text;
  if (Status s = ReadFile(command.input, &text); !s.ok()) return Fail(s);
  InputProblems problems;
  ParticipantsFile file;
  ReadParticipants(command.input, text, {}, &file, &problems, /*check_managers=*/false);
  const auto print_problems = [&] {
    for (const std::string& w : problems.warnings) fmt::print(stderr, "warning: {}\n", w);
    for (const std::string& e : problems.errors) fmt::print(stderr, "{}\n", e);
    if (problems.omitted > 0) fmt::print(stderr, "... and {} more problems\n", problems.omitted);
  };
  if (!problems.ok()) {
    print_problems();
    fmt::print(stderr, "nothing was imported\n");
    return kExitBadInput;
  }
  text.clear();
  text.shrink_to_fit();
  if (command.programme == 0 && !file.cohort.topics.empty()) {
    problems.warnings.push_back(command.input +
                                ": answer columns ignored; give --programme ID to store them");
  }

  Result<std::unique_ptr<Store>> store = Open(command.target);
  if (!store.ok()) return Fail(store.status());
  ImportOptions options;
  if (command.programme != 0) options.programme = command.programme;
  options.now = Now();
  ImportSummary summary;
  const Status status =
      ImportPeople(*store.value(), command.input, file, options, &problems, &summary);
  print_problems();
  if (!status.ok()) {
    if (problems.ok()) fmt::print(stderr, "tandem: {}\n", status.message());
    fmt::print(stderr, "nothing was imported\n");
    return ExitFor(status);
  }
  fmt::print("imported {} people: {} new, {} updated, {} unchanged", file.cohort.people.size(),
             summary.inserted, summary.updated, summary.unchanged);
  if (options.programme) {
    fmt::print("; {} enrolled with {} answers", summary.enrolled, summary.answers);
    if (summary.skipped_withdrawn > 0) {
      fmt::print(" ({} withdrawn left alone)", summary.skipped_withdrawn);
    }
  }
  fmt::print("\n");
  return kExitOk;
}

int RunProgrammeCreate(const ProgrammeCreateCommand& command) {
  Result<std::unique_ptr<Store>> store = Open(command.target);
  if (!store.ok()) return Fail(store.status());
  ProgrammeRecord programme;
  programme.name = command.name;
  programme.mode = *ParseMatchModeSetting(command.mode);
  programme.mentee_min_level = command.mentee_min_level;
  Result<RowId> id = CreateProgramme(*store.value(), programme, "cli", Now());
  if (!id.ok()) return Fail(id.status());
  fmt::print("{}\n", id.value());
  return kExitOk;
}

int RunBackup(const StoreTarget& target, const std::string& file) {
  if (Status s = store::BackupStore(target.db, file); !s.ok()) return Fail(s);
  fmt::print("backed up {} to {}\n", Shown(target.db), file);
  return kExitOk;
}

int RunRestore(const StoreTarget& target, const std::string& file) {
  if (Status s = store::RestoreStore(target.db, file); !s.ok()) return Fail(s);
  // The restored copy may come from an older tandem: bring it to the latest schema.
  Result<std::unique_ptr<Store>> store = Open(target);
  if (!store.ok()) return Fail(store.status());
  fmt::print("restored {} from {}\n", Shown(target.db), file);
  return kExitOk;
}

int RunCopy(const std::string& from, const std::string& to) {
  Result<std::int64_t> rows = store::CopyStore(from, to);
  if (!rows.ok()) return Fail(rows.status());
  fmt::print("copied {} rows from {} to {}\n", rows.value(), Shown(from), Shown(to));
  return kExitOk;
}

int RunErase(const StoreTarget& target, const std::string& external_id) {
  Result<std::unique_ptr<Store>> store = Open(target);
  if (!store.ok()) return Fail(store.status());
  if (Status s = ErasePersonByExternalId(*store.value(), external_id, "cli", Now()); !s.ok()) {
    return Fail(s);
  }
  fmt::print("erased the person's personal data; anonymous counts remain\n");
  return kExitOk;
}

}  // namespace tandem
