// The problem every matching solver takes: a bipartite graph of mentees (left) and mentors
// (right) with capacities and a positive integer score on each arc.
#pragma once

#include <cstdint>
#include <vector>

namespace tandem {

struct Bipartite {
  int num_mentees = 0;
  int num_mentors = 0;
  std::vector<int> mentee_capacity;  // size num_mentees, each >= 0
  std::vector<int> mentor_capacity;  // size num_mentors, each >= 0
  // Arcs grouped by mentee (CSR): the arcs of mentee e are [arc_begin[e], arc_begin[e + 1]).
  std::vector<std::int64_t> arc_begin;  // size num_mentees + 1
  std::vector<int> arc_mentor;          // mentor index per arc
  std::vector<int> arc_score;           // score per arc, > 0

  std::int64_t num_arcs() const { return static_cast<std::int64_t>(arc_mentor.size()); }
  int MaxScore() const;
};

// A solver's answer: the arcs that form tandems, in increasing arc order.
struct Selection {
  std::vector<std::int64_t> arcs;
  std::int64_t total_score = 0;
  std::int64_t count() const { return static_cast<std::int64_t>(arcs.size()); }
};

// Node potentials of an optimal min-cost flow (see optimal_solver.h): the dual certificate.
// A pair (e, m) that is not an arc cannot improve the selection when its reduced cost
// (smax - score) + mentee[e] - mentor[m] is >= 0 (potentials are relative to the sink's).
struct Duals {
  std::vector<std::int64_t> mentee;
  std::vector<std::int64_t> mentor;
  int smax = 0;
};

// Called now and then with (done, total); may be empty. Must be cheap.
using ProgressFn = void (*)(void* context, std::int64_t done, std::int64_t total);
struct Progress {
  ProgressFn fn = nullptr;
  void* context = nullptr;
  void Report(std::int64_t done, std::int64_t total) const {
    if (fn != nullptr) fn(context, done, total);
  }
};

// Returns the number of arcs and score of `selection` and checks it against `problem`: every
// arc exists, no capacity is exceeded, no arc is taken twice. Returns false when it is broken.
bool IsFeasible(const Bipartite& problem, const Selection& selection);

}  // namespace tandem
