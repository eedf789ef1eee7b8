// The `tandem` binary: parse the command line, hand over to one subcommand.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/keys_command.h"
#include "cli/serve_command.h"
#include "cli/store_commands.h"

namespace {

int RealMain(int argc, char** argv) {
  CLI::App app{"Tandem: reverse-mentoring programmes, matched and run in-house."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tandem 0.1.0");

  tandem::MatchCommand match;
  CLI::App* m = app.add_subcommand("match", "Form tandems from questionnaire answers (CSV).");
  m->add_option("participants", match.input, "Participants CSV (see docs/matching.md)")->required();
  m->add_option("--topics", match.topics, "Topic catalogue CSV: key,name,weight");
  m->add_option("--exclude", match.exclude, "Pairs that must not be formed: mentor_id,mentee_id");
  m->add_option("--mode", match.mode, "reverse (mentor below mentee's level) or open")
      ->check(CLI::IsMember({"reverse", "open"}));
  m->add_option("--objective", match.objective, "optimal (most tandems, then best total) or stable")
      ->check(CLI::IsMember({"optimal", "stable"}));
  m->add_option("--candidates", match.candidates,
                "Best mentors kept per mentee: a number, 'all' or 'auto' (all when it fits)");
  m->add_option("--max-rounds", match.max_rounds,
                "With --candidates auto: solves spent proving the optimum, a number or 'auto' "
                "(30, or 1 beyond 10^10 mentee-mentor pairs)");
  m->add_option("--out", match.out, "Write the tandems here instead of stdout");
  m->add_option("--format", match.format, "csv or json")->check(CLI::IsMember({"csv", "json"}));
  m->add_option("--report", match.report, "Write the JSON report here");
  m->add_flag("--quiet", match.quiet, "No summary or progress on stderr");

  tandem::GenerateCommand generate;
  CLI::App* g = app.add_subcommand("generate", "Write a realistic synthetic cohort as CSV.");
  g->add_option("--people", generate.people, "Number of people")->check(CLI::Range(1, 10'000'000));
  g->add_option("--seed", generate.seed, "Random seed; the same seed gives the same file");
  g->add_option("--out", generate.out, "Write here instead of stdout");
  g->add_option("--topics-out", generate.topics_out, "Also write the topic catalogue CSV here");

  // Store commands: the database comes from --db, else $TANDEM_DB, else sqlite:tandem.db.
  const auto add_db = [](CLI::App* command, tandem::StoreTarget* target) {
    target->db = "sqlite:tandem.db";
    command->add_option("--db", target->db, "Database URL: sqlite:PATH or postgresql://...")
        ->envname("TANDEM_DB");
  };

  tandem::MigrateCommand migrate;
  CLI::App* mg = app.add_subcommand("migrate", "Bring the database schema up to date.");
  add_db(mg, &migrate.target);
  mg->add_option("--to", migrate.to, "Stop at this migration number")->check(CLI::Range(1, 9999));
  mg->add_flag("--status", migrate.status_only, "Only print the schema version");

  tandem::ImportCommand import;
  CLI::App* im = app.add_subcommand(
      "import", "Insert or update people from a participants CSV, all or nothing.");
  add_db(im, &import.target);
  im->add_option("participants", import.input, "Participants CSV (see docs/matching.md)")
      ->required();
  im->add_option("--programme", import.programme,
                 "Also enrol them in this programme with their capacities and answers")
      ->check(CLI::PositiveNumber);

  tandem::ProgrammeCreateCommand programme;
  CLI::App* pr = app.add_subcommand("programme", "Manage programmes.");
  pr->require_subcommand(1);
  CLI::App* pc = pr->add_subcommand("create", "Create a programme with the default topics.");
  add_db(pc, &programme.target);
  pc->add_option("name", programme.name, "The programme's name")->required();
  pc->add_option("--mode", programme.mode, "reverse or open")
      ->check(CLI::IsMember({"reverse", "open"}));
  pc->add_option("--mentee-min-level", programme.mentee_min_level,
                 "Lowest level that may seek mentoring");

  tandem::StoreTarget backup_target, restore_target, erase_target;
  std::string backup_file, restore_file, erase_id, copy_from, copy_to;
  CLI::App* bk = app.add_subcommand("backup", "Write a consistent copy of the SQLite database.");
  add_db(bk, &backup_target);
  bk->add_option("file", backup_file, "The backup file to write")->required();
  CLI::App* rs = app.add_subcommand("restore", "Replace the SQLite database with a backup.");
  add_db(rs, &restore_target);
  rs->add_option("file", restore_file, "The backup file to restore")->required();
  CLI::App* cp = app.add_subcommand(
      "copy", "Copy every row into an empty database (e.g. SQLite to PostgreSQL).");
  cp->add_option("--from", copy_from, "Source database URL")->required();
  cp->add_option("--to", copy_to, "Target database URL (empty, any schema version)")->required();
  CLI::App* er = app.add_subcommand(
      "erase", "Erase a person's personal data everywhere (GDPR Art. 17); counts remain.");
  add_db(er, &erase_target);
  er->add_option("id", erase_id, "The person's HR id")->required();

  tandem::KeysGenerateCommand keys_generate;
  tandem::KeysRotateCommand keys_rotate;
  tandem::StoreTarget expire_target;
  CLI::App* keys = app.add_subcommand(
      "keys", "The master key that wraps every tandem's data key (docs/operations.md).");
  keys->require_subcommand(1);
  CLI::App* kg = keys->add_subcommand("generate", "Make a new random master key.");
  kg->add_option("--out", keys_generate.out, "A new file for it (mode 600); default: stdout");
  CLI::App* kr = keys->add_subcommand(
      "rotate", "Re-wrap every tandem key with a new master key, in one transaction.");
  add_db(kr, &keys_rotate.target);
  kr->add_option("--key-file", keys_rotate.key_file,
                 "The current key (default: $TANDEM_MASTER_KEY or $TANDEM_MASTER_KEY_FILE)");
  kr->add_option("--new-key-file", keys_rotate.new_key_file, "The new key (tandem keys generate)")
      ->required();
  CLI::App* ke = keys->add_subcommand(
      "erase-expired",
      "Erase the content of ended tandems and the personal data of closed programmes whose "
      "retention period has ended.");
  add_db(ke, &expire_target);

  tandem::ServeCommand serve;
  CLI::App* sv = app.add_subcommand("serve", "Run the web application and its JSON API.");
  sv->add_option("--listen", serve.listen, "HOST:PORT (default 127.0.0.1:8080; $TANDEM_LISTEN)");
  sv->add_option("--db", serve.db, "Database URL (default sqlite:tandem.db; $TANDEM_DB)");
  sv->add_option("--config", serve.config, "TOML configuration file (docs/operations.md)");
  sv->add_option("--static-dir", serve.static_dir, "Folder of the web front end's files");

  tandem::AdminCreateCommand admin_create;
  CLI::App* ad = app.add_subcommand("admin", "Administer accounts.");
  ad->require_subcommand(1);
  CLI::App* ac = ad->add_subcommand(
      "create", "Create a system administrator and print a one-time sign-in link.");
  admin_create.db = "sqlite:tandem.db";
  ac->add_option("--db", admin_create.db, "Database URL")->envname("TANDEM_DB");
  ac->add_option("email", admin_create.email, "The administrator's e-mail address")->required();

  tandem::DemoCommand demo_command;
  CLI::App* demo = app.add_subcommand(
      "demo", "Replay a programme's lifecycle on a database for a demonstration, print sign-ins.");
  demo_command.db = "sqlite:tandem.db";
  demo->add_option("--db", demo_command.db, "Database URL")->envname("TANDEM_DB");
  demo->add_option("--programme", demo_command.programme,
                   "A draft programme whose people are enrolled (tandem import --programme)")
      ->required()
      ->check(CLI::PositiveNumber);
  demo->add_option("--admin", demo_command.admin_email, "The administrator's e-mail address");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? tandem::kExitOk : tandem::kExitBadInput;
  }
  if (m->parsed()) return tandem::RunMatch(match);
  if (g->parsed()) return tandem::RunGenerate(generate);
  if (sv->parsed()) return tandem::RunServe(serve);
  if (ac->parsed()) return tandem::RunAdminCreate(admin_create);
  if (kg->parsed()) return tandem::RunKeysGenerate(keys_generate);
  if (kr->parsed()) return tandem::RunKeysRotate(keys_rotate);
  if (ke->parsed()) return tandem::RunKeysEraseExpired(expire_target);
  if (demo->parsed()) return tandem::RunDemo(demo_command);
  if (mg->parsed()) return tandem::RunMigrate(migrate);
  if (im->parsed()) return tandem::RunImport(import);
  if (pc->parsed()) return tandem::RunProgrammeCreate(programme);
  if (bk->parsed()) return tandem::RunBackup(backup_target, backup_file);
  if (rs->parsed()) return tandem::RunRestore(restore_target, restore_file);
  if (cp->parsed()) return tandem::RunCopy(copy_from, copy_to);
  if (er->parsed()) return tandem::RunErase(erase_target, erase_id);
  return tandem::kExitBadInput;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return RealMain(argc, argv);
  } catch (const std::exception& e) {
    // Out of memory and the like: say so instead of aborting.
    std::fprintf(stderr, "tandem: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "tandem: unexpected error\n");
  }
  return tandem::kExitFailure;
}
