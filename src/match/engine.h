// A matching run from a validated cohort to explained tandems and a report.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/cohort.h"
#include "core/management_tree.h"
#include "core/rules.h"
#include "match/bipartite.h"

namespace tandem {

enum class Objective { kOptimal, kStable };

struct MatchOptions {
  MatchMode mode = MatchMode::kReverse;
  Objective objective = Objective::kOptimal;
  // Best mentors kept per mentee: 0 = all eligible pairs (exact); K > 0 = the K best (exact
  // within that graph). kAutoCandidates: for the optimal objective, start from the
  // kLargeCohortCandidates best and add pairs until the duals prove the result exact over all
  // eligible pairs; for the stable objective, all pairs when mentees x mentors is at most
  // kFullGraphPairs, else the kLargeCohortCandidates best.
  int candidates = kAutoCandidates;
  // Column generation stops after this many solves; the report then says the result is exact
  // only within the graph it grew. kAutoRounds: kProofRounds while mentees x mentors is at
  // most kProofPairs, else a single solve (proving the optimum of a million-person cohort
  // takes far longer than the one solve; see docs/matching.md).
  int max_pricing_rounds = kAutoRounds;
  static constexpr int kAutoRounds = -1;
  static constexpr int kProofRounds = 30;
  static constexpr std::int64_t kProofPairs = 10'000'000'000;
  static constexpr int kAutoCandidates = -1;
  static constexpr std::int64_t kFullGraphPairs = 25'000'000;
  static constexpr int kLargeCohortCandidates = 24;
  static constexpr int kCandidatesPerScore = 4;  // in the starting graph of column generation
};

struct Tandem {
  int mentor = 0;  // person index
  int mentee = 0;  // person index
  int score = 0;
  std::vector<TopicContribution> contributions;  // largest first: the proposed roadmap
  std::string reasons;                           // one readable line
};

struct UnmatchedPerson {
  int person = 0;
  std::string role;    // "mentee" or "mentor"
  std::string reason;  // in words
};

struct TopicBalance {
  int topic = 0;
  std::int64_t demand = 0;  // sum of interest of people wanting a mentor
  std::int64_t supply = 0;  // sum of skill * mentor capacity
};

struct MatchReport {
  std::int64_t mentees_wanting = 0;       // people with mentee capacity
  std::int64_t mentees_matched = 0;       // of those, with at least one tandem
  std::int64_t mentee_places_wanted = 0;  // sum of mentee capacities
  std::int64_t mentors_offering = 0;      // people with mentor capacity
  std::int64_t mentor_capacity_offered = 0;
  std::int64_t mentor_capacity_used = 0;
  std::int64_t tandems = 0;
  std::int64_t total_score = 0;
  double mean_score = 0;
  int lowest_score = 0;
  std::vector<TopicBalance> topics;
  std::vector<UnmatchedPerson> unmatched;
  std::int64_t blocking_pair_count = 0;
  std::vector<std::pair<int, int>> blocking_pairs;  // (mentor, mentee), at most kMaxListed
  static constexpr size_t kMaxListed = 100;
  int candidates = 0;          // best mentors kept per mentee; 0 = all (or proved equivalent)
  int initial_candidates = 0;  // per mentee in the first graph
  int pricing_rounds = 0;      // solves until the duals proved no outside pair helps
  bool exact = true;           // false when the candidate limit dropped eligible pairs
  std::int64_t candidate_arcs = 0;
};

struct MatchResult {
  std::vector<Tandem> tandems;  // sorted by mentor id, then mentee id
  MatchReport report;
};

// Progress of a run: phase 0 builds the candidate graph, phase 1 solves (once per round of
// column generation). `fn` may be null; it must be cheap.
struct PhasedProgress {
  void (*fn)(void* context, int phase, std::int64_t done, std::int64_t total) = nullptr;
  void* context = nullptr;
};

// Runs the engine and returns the tandems with reasons and the report. REQUIRES: cohort sorted
// by id (SortPeopleById) and validated, `tree` built from it; `excluded` holds (mentor index,
// mentee index). Deterministic: the same inputs give the same result. Thread-compatible.
MatchResult RunMatching(const Cohort& cohort, const ManagementTree& tree,
                        const std::vector<std::pair<int, int>>& excluded,
                        const MatchOptions& options, const PhasedProgress& progress = {});

}  // namespace tandem
