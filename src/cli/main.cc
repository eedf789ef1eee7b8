// The `tandem` binary: parse the command line, hand over to one subcommand.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? tandem::kExitOk : tandem::kExitBadInput;
  }
  if (m->parsed()) return tandem::RunMatch(match);
  if (g->parsed()) return tandem::RunGenerate(generate);
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
