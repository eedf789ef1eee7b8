// assignment_bench: times one exact assignment solve on a problem file written by
// bench/run_assignment_bench.py, so that our solver and scipy run on the very same matrices.
//
//   assignment_bench --solver ours|lemon|stable PROBLEM_FILE
//
// prints one JSON object on stdout:
//   {"solver", "seconds" (the solve call only, steady_clock), "read_seconds" (file to memory),
//    "build_seconds" (memory to Bipartite), "mentees", "mentors", "arcs", "count",
//    "total_score", "feasible", "peak_rss_mib"}, and for the stable objective (SolveStable,
//    mentee-proposing deferred acceptance) "blocking_pairs", counted after the timed call.
// Exit status 2 on a bad command line or file, 1 when the solver returns an infeasible selection.
//
// Problem file: native-endian int32 throughout (what numpy's tofile() writes). A header of five
// values: kMagic, kind, n_mentees, n_mentors, n_arcs; then
//   kind 1 (dense):   n_mentees x n_mentors scores, row-major by mentee; 0 means "no arc";
//   kind 2 (triples): n_arcs triples (mentee, mentor, score), score > 0, any order.
// Every capacity is 1.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "match/bipartite.h"
#include "match/optimal_solver.h"
#include "match/stable_solver.h"

namespace {

constexpr std::int32_t kMagic = 0x31504254;  // "TBP1" in little-endian bytes.
constexpr std::int32_t kDense = 1;
constexpr std::int32_t kTriples = 2;

struct ProblemFile {
  std::int32_t kind = 0;
  int num_mentees = 0;
  int num_mentors = 0;
  std::int64_t num_arcs = 0;       // Triples only; dense files derive it from the matrix.
  std::vector<std::int32_t> data;  // The matrix or the triples, as stored.
};

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

size_t Idx(std::int64_t i) { return static_cast<size_t>(i); }

void ReadInts(std::ifstream& in, std::int32_t* out, std::int64_t count, const std::string& path) {
  // Ints are read as raw bytes: the file is produced on this machine by numpy.
  in.read(reinterpret_cast<char*>(out),
          static_cast<std::streamsize>(count * static_cast<std::int64_t>(sizeof(std::int32_t))));
  if (!in) throw std::runtime_error(path + ": file is shorter than its header says");
}

ProblemFile ReadProblemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::int32_t header[5];
  ReadInts(in, header, 5, path);
  if (header[0] != kMagic) throw std::runtime_error(path + ": not a problem file (bad magic)");
  ProblemFile file;
  file.kind = header[1];
  file.num_mentees = header[2];
  file.num_mentors = header[3];
  file.num_arcs = header[4];
  if (file.num_mentees < 0 || file.num_mentors < 0 || file.num_arcs < 0) {
    throw std::runtime_error(path + ": negative size in header");
  }
  std::int64_t values = 0;
  if (file.kind == kDense) {
    values = static_cast<std::int64_t>(file.num_mentees) * file.num_mentors;
  } else if (file.kind == kTriples) {
    values = 3 * file.num_arcs;
  } else {
    throw std::runtime_error(path + ": unknown kind " + std::to_string(file.kind));
  }
  file.data.resize(Idx(values));
  ReadInts(in, file.data.data(), values, path);
  return file;
}

// Builds the CSR problem with unit capacities; arcs keep the file's order within a mentee.
tandem::Bipartite BuildBipartite(const ProblemFile& file) {
  tandem::Bipartite p;
  p.num_mentees = file.num_mentees;
  p.num_mentors = file.num_mentors;
  p.mentee_capacity.assign(Idx(file.num_mentees), 1);
  p.mentor_capacity.assign(Idx(file.num_mentors), 1);
  p.arc_begin.assign(Idx(file.num_mentees) + 1, 0);
  const std::vector<std::int32_t>& d = file.data;

  if (file.kind == kDense) {
    const size_t cols = Idx(file.num_mentors);
    size_t positive = 0;
    for (std::int32_t s : d) positive += s > 0 ? 1 : 0;
    p.arc_mentor.reserve(positive);
    p.arc_score.reserve(positive);
    for (size_t e = 0; e < Idx(file.num_mentees); ++e) {
      const std::int32_t* row = d.data() + e * cols;
      for (size_t m = 0; m < cols; ++m) {
        if (row[m] > 0) {
          p.arc_mentor.push_back(static_cast<int>(m));
          p.arc_score.push_back(row[m]);
        }
      }
      p.arc_begin[e + 1] = p.num_arcs();
    }
    return p;
  }

  // Triples: a counting sort by mentee.
  const size_t n = Idx(file.num_arcs);
  for (size_t a = 0; a < n; ++a) {
    const std::int32_t e = d[3 * a], m = d[3 * a + 1], s = d[3 * a + 2];
    if (e < 0 || e >= p.num_mentees || m < 0 || m >= p.num_mentors || s <= 0) {
      throw std::runtime_error("arc " + std::to_string(a) + " is out of range");
    }
    ++p.arc_begin[Idx(e) + 1];
  }
  for (size_t e = 0; e < Idx(p.num_mentees); ++e) p.arc_begin[e + 1] += p.arc_begin[e];
  p.arc_mentor.resize(n);
  p.arc_score.resize(n);
  std::vector<std::int64_t> next(p.arc_begin.begin(), p.arc_begin.end() - 1);
  for (size_t a = 0; a < n; ++a) {
    const size_t slot = Idx(next[Idx(d[3 * a])]++);
    p.arc_mentor[slot] = d[3 * a + 1];
    p.arc_score[slot] = d[3 * a + 2];
  }
  return p;
}

double PeakRssMib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux.
}

// Reads, builds and solves; prints the JSON line. Returns the exit status; throws on a bad file.
int Run(const std::string& solver, const std::string& path) {
  Clock::time_point start = Clock::now();
  const ProblemFile file = ReadProblemFile(path);
  const double read_seconds = SecondsSince(start);
  start = Clock::now();
  const tandem::Bipartite problem = BuildBipartite(file);
  const double build_seconds = SecondsSince(start);

  start = Clock::now();
  const tandem::Selection selection = solver == "ours"     ? tandem::SolveOptimal(problem)
                                      : solver == "stable" ? tandem::SolveStable(problem)
                                                           : tandem::SolveOptimalLemon(problem);
  const double seconds = SecondsSince(start);

  const bool feasible = tandem::IsFeasible(problem, selection);
  nlohmann::json out = {
      {"solver", solver},
      {"seconds", seconds},
      {"read_seconds", read_seconds},
      {"build_seconds", build_seconds},
      {"mentees", problem.num_mentees},
      {"mentors", problem.num_mentors},
      {"arcs", problem.num_arcs()},
      {"count", selection.count()},
      {"total_score", selection.total_score},
      {"feasible", feasible},
      {"peak_rss_mib", PeakRssMib()},
  };
  if (solver == "stable") {
    out["blocking_pairs"] = tandem::BlockingArcs(problem, selection).size();
  }
  std::cout << out.dump() << "\n";
  return feasible ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"Times one exact assignment solve on a problem file (see bench/)."};
    std::string solver = "ours";
    std::string path;
    app.add_option("--solver", solver,
                   "ours (SolveOptimal), lemon (SolveOptimalLemon) or stable (SolveStable)")
        ->check(CLI::IsMember({"ours", "lemon", "stable"}));
    app.add_option("problem", path, "problem file written by run_assignment_bench.py")->required();
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e) == 0 ? 0 : 2;
    }
    return Run(solver, path);
  } catch (const std::exception& e) {
    std::cerr << "assignment_bench: " << e.what() << "\n";
    return 2;
  }
}
