// engine_bench: times `tandem match`'s engine on a participants file, phase by phase, so that
// candidate graph building and solving can be told apart (the CLI reports only their sum).
//
//   engine_bench [--objective optimal|stable] [--max-rounds N] [--candidates K] FILE
//
// prints one JSON object on stdout: "read_seconds" (file to validated cohort), "graph_seconds"
// (first candidate graph), "solve_seconds" (every solve and pricing round after it),
// "match_seconds" (RunMatching in all), "tandems", "total_score", "exact", "rounds", "arcs",
// "peak_rss_mib". Exit status 2 on a bad command line or input file.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "app/participants_csv.h"
#include "match/engine.h"

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Remembers when the engine first reported the solve phase.
struct PhaseClock {
  Clock::time_point solve_start{};
  bool solving = false;
  static void Update(void* context, int phase, std::int64_t /*done*/, std::int64_t /*total*/) {
    auto* clock = static_cast<PhaseClock*>(context);
    if (phase == 1 && !clock->solving) {
      clock->solving = true;
      clock->solve_start = Clock::now();
    }
  }
};

int Run(const std::string& path, const tandem::MatchOptions& options) {
  Clock::time_point start = Clock::now();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "engine_bench: cannot open " << path << "\n";
    return 2;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  tandem::ParticipantsFile participants;
  tandem::InputProblems problems;
  tandem::ReadParticipants(path, text, {}, &participants, &problems);
  if (!problems.ok()) {
    for (const std::string& e : problems.errors) std::cerr << e << "\n";
    return 2;
  }
  const double read_seconds = SecondsSince(start);

  PhaseClock phases;
  start = Clock::now();
  const tandem::MatchResult result = tandem::RunMatching(participants.cohort, participants.tree, {},
                                                         options, {PhaseClock::Update, &phases});
  const double match_seconds = SecondsSince(start);
  const double graph_seconds =
      phases.solving ? std::chrono::duration<double>(phases.solve_start - start).count()
                     : match_seconds;

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const tandem::MatchReport& r = result.report;
  const nlohmann::json out = {
      {"read_seconds", read_seconds},
      {"graph_seconds", graph_seconds},
      {"solve_seconds", match_seconds - graph_seconds},
      {"match_seconds", match_seconds},
      {"tandems", r.tandems},
      {"mentees_wanting", r.mentees_wanting},
      {"total_score", r.total_score},
      {"exact", r.exact},
      {"rounds", r.pricing_rounds},
      {"arcs", r.candidate_arcs},
      {"peak_rss_mib", static_cast<double>(usage.ru_maxrss) / 1024.0},
  };
  std::cout << out.dump() << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"Times the matching engine on a participants file, phase by phase."};
    std::string path, objective = "optimal";
    int max_rounds = tandem::MatchOptions::kAutoRounds;
    int candidates = tandem::MatchOptions::kAutoCandidates;
    app.add_option("--objective", objective)->check(CLI::IsMember({"optimal", "stable"}));
    app.add_option("--max-rounds", max_rounds, "solves of column generation (default: auto)");
    app.add_option("--candidates", candidates, "best mentors per mentee (default: auto)");
    app.add_option("file", path, "participants CSV")->required();
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e) == 0 ? 0 : 2;
    }
    tandem::MatchOptions options;
    options.objective =
        objective == "stable" ? tandem::Objective::kStable : tandem::Objective::kOptimal;
    options.max_pricing_rounds = max_rounds;
    options.candidates = candidates;
    return Run(path, options);
  } catch (const std::exception& e) {
    std::cerr << "engine_bench: " << e.what() << "\n";
    return 2;
  }
}
