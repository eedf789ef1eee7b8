#include "match/bipartite.h"

#include <algorithm>

namespace tandem {

int Bipartite::MaxScore() const {
  int best = 0;
  for (int s : arc_score) best = std::max(best, s);
  return best;
}

bool IsFeasible(const Bipartite& problem, const Selection& selection) {
  std::vector<int> mentee_load(static_cast<size_t>(problem.num_mentees), 0);
  std::vector<int> mentor_load(static_cast<size_t>(problem.num_mentors), 0);
  std::int64_t total = 0;
  std::int64_t previous = -1;
  for (std::int64_t arc : selection.arcs) {
    if (arc <= previous || arc >= problem.num_arcs()) return false;
    previous = arc;
    auto it = std::upper_bound(problem.arc_begin.begin(), problem.arc_begin.end(), arc);
    size_t mentee = static_cast<size_t>(it - problem.arc_begin.begin() - 1);
    size_t mentor = static_cast<size_t>(problem.arc_mentor[static_cast<size_t>(arc)]);
    if (++mentee_load[mentee] > problem.mentee_capacity[mentee]) return false;
    if (++mentor_load[mentor] > problem.mentor_capacity[mentor]) return false;
    total += problem.arc_score[static_cast<size_t>(arc)];
  }
  return total == selection.total_score;
}

}  // namespace tandem
