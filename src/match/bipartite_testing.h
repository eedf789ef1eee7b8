// Helpers for tests that build Bipartite problems by hand. Test-only: not linked into tandem.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "match/bipartite.h"

namespace tandem::test_util {

struct Arc {
  int mentee = 0;
  int mentor = 0;
  int score = 0;
};

// Builds a problem from arcs in any order; each mentee's arcs keep their relative order.
inline Bipartite MakeProblem(std::vector<int> mentee_capacity, std::vector<int> mentor_capacity,
                             const std::vector<Arc>& arcs) {
  Bipartite p;
  p.num_mentees = static_cast<int>(mentee_capacity.size());
  p.num_mentors = static_cast<int>(mentor_capacity.size());
  p.mentee_capacity = std::move(mentee_capacity);
  p.mentor_capacity = std::move(mentor_capacity);
  p.arc_begin.push_back(0);
  for (int e = 0; e < p.num_mentees; ++e) {
    for (const Arc& a : arcs) {
      if (a.mentee != e) continue;
      p.arc_mentor.push_back(a.mentor);
      p.arc_score.push_back(a.score);
    }
    p.arc_begin.push_back(p.num_arcs());
  }
  return p;
}

// The mentee of every arc, from the CSR layout.
inline std::vector<int> ArcMentees(const Bipartite& p) {
  std::vector<int> out;
  for (int e = 0; e < p.num_mentees; ++e) {
    const auto ei = static_cast<size_t>(e);
    for (std::int64_t a = p.arc_begin[ei]; a < p.arc_begin[ei + 1]; ++a) out.push_back(e);
  }
  return out;
}

}  // namespace tandem::test_util
