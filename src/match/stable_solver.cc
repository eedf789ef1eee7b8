#include "match/stable_solver.h"

#include <algorithm>
#include <numeric>

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

std::vector<int> ArcMentees(const Bipartite& p) {
  std::vector<int> mentee(Idx(p.num_arcs()));
  for (int e = 0; e < p.num_mentees; ++e) {
    for (std::int64_t a = p.arc_begin[Idx(e)]; a < p.arc_begin[Idx(e) + 1]; ++a) {
      mentee[Idx(a)] = e;
    }
  }
  return mentee;
}

}  // namespace

Selection SolveStable(const Bipartite& p, const Progress& progress) {
  const std::vector<int> arc_mentee = ArcMentees(p);
  // Each mentee's arcs in preference order: higher score first, then lower mentor index.
  std::vector<std::int64_t> order(Idx(p.num_arcs()));
  std::iota(order.begin(), order.end(), 0);
  for (int e = 0; e < p.num_mentees; ++e) {
    std::sort(order.begin() + p.arc_begin[Idx(e)], order.begin() + p.arc_begin[Idx(e) + 1],
              [&p](std::int64_t a, std::int64_t b) {
                if (p.arc_score[Idx(a)] != p.arc_score[Idx(b)]) {
                  return p.arc_score[Idx(a)] > p.arc_score[Idx(b)];
                }
                return p.arc_mentor[Idx(a)] < p.arc_mentor[Idx(b)];
              });
  }
  // A mentor prefers arc a to arc b when a's score is higher, or equal with a lower mentee.
  auto mentor_prefers = [&](std::int64_t a, std::int64_t b) {
    if (p.arc_score[Idx(a)] != p.arc_score[Idx(b)])
      return p.arc_score[Idx(a)] > p.arc_score[Idx(b)];
    return arc_mentee[Idx(a)] < arc_mentee[Idx(b)];
  };

  std::vector<std::int64_t> next(p.arc_begin.begin(), p.arc_begin.end() - 1);  // next proposal
  std::vector<int> mentee_load(Idx(p.num_mentees), 0);
  std::vector<std::int64_t> slot_begin(Idx(p.num_mentors) + 1, 0);
  for (int m = 0; m < p.num_mentors; ++m) {
    slot_begin[Idx(m) + 1] = slot_begin[Idx(m)] + p.mentor_capacity[Idx(m)];
  }
  std::vector<std::int64_t> held(Idx(slot_begin.back()), -1);
  std::vector<int> mentor_load(Idx(p.num_mentors), 0);

  std::vector<int> free_mentees;
  for (int e = p.num_mentees; e-- > 0;) free_mentees.push_back(e);
  std::int64_t proposals = 0;
  while (!free_mentees.empty()) {
    const int e = free_mentees.back();
    free_mentees.pop_back();
    while (mentee_load[Idx(e)] < p.mentee_capacity[Idx(e)] &&
           next[Idx(e)] < p.arc_begin[Idx(e) + 1]) {
      const std::int64_t a = order[Idx(next[Idx(e)]++)];
      const int m = p.arc_mentor[Idx(a)];
      if (++proposals % 65536 == 0) progress.Report(proposals, p.num_arcs());
      const std::int64_t begin = slot_begin[Idx(m)];
      if (mentor_load[Idx(m)] < p.mentor_capacity[Idx(m)]) {
        held[Idx(begin + mentor_load[Idx(m)]++)] = a;
        ++mentee_load[Idx(e)];
        continue;
      }
      if (p.mentor_capacity[Idx(m)] == 0) continue;
      std::int64_t worst = begin;
      for (std::int64_t s = begin + 1; s < begin + mentor_load[Idx(m)]; ++s) {
        if (mentor_prefers(held[Idx(worst)], held[Idx(s)])) worst = s;
      }
      if (!mentor_prefers(a, held[Idx(worst)])) continue;  // rejected
      const int loser = arc_mentee[Idx(held[Idx(worst)])];
      held[Idx(worst)] = a;
      ++mentee_load[Idx(e)];
      --mentee_load[Idx(loser)];
      free_mentees.push_back(loser);
    }
  }
  Selection out;
  for (std::int64_t a : held) {
    if (a >= 0) out.arcs.push_back(a);
  }
  std::sort(out.arcs.begin(), out.arcs.end());
  for (std::int64_t a : out.arcs) out.total_score += p.arc_score[Idx(a)];
  progress.Report(p.num_arcs(), p.num_arcs());
  return out;
}

std::vector<std::int64_t> BlockingArcs(const Bipartite& p, const Selection& selection) {
  const std::vector<int> arc_mentee = ArcMentees(p);
  std::vector<char> selected(Idx(p.num_arcs()), 0);
  std::vector<int> mentee_load(Idx(p.num_mentees), 0), mentor_load(Idx(p.num_mentors), 0);
  std::vector<std::int64_t> mentee_worst(Idx(p.num_mentees), -1),
      mentor_worst(Idx(p.num_mentors), -1);
  // Rank of an arc seen from each side; a smaller pair is preferred.
  auto mentee_rank = [&](std::int64_t a) {
    return std::make_pair(-p.arc_score[Idx(a)], p.arc_mentor[Idx(a)]);
  };
  auto mentor_rank = [&](std::int64_t a) {
    return std::make_pair(-p.arc_score[Idx(a)], arc_mentee[Idx(a)]);
  };
  for (std::int64_t a : selection.arcs) {
    selected[Idx(a)] = 1;
    const int e = arc_mentee[Idx(a)], m = p.arc_mentor[Idx(a)];
    ++mentee_load[Idx(e)];
    ++mentor_load[Idx(m)];
    if (mentee_worst[Idx(e)] < 0 || mentee_rank(mentee_worst[Idx(e)]) < mentee_rank(a)) {
      mentee_worst[Idx(e)] = a;
    }
    if (mentor_worst[Idx(m)] < 0 || mentor_rank(mentor_worst[Idx(m)]) < mentor_rank(a)) {
      mentor_worst[Idx(m)] = a;
    }
  }
  std::vector<std::int64_t> blocking;
  for (std::int64_t a = 0; a < p.num_arcs(); ++a) {
    if (selected[Idx(a)]) continue;
    const int e = arc_mentee[Idx(a)], m = p.arc_mentor[Idx(a)];
    if (p.mentee_capacity[Idx(e)] == 0 || p.mentor_capacity[Idx(m)] == 0) continue;
    const bool mentee_wants = mentee_load[Idx(e)] < p.mentee_capacity[Idx(e)] ||
                              mentee_rank(a) < mentee_rank(mentee_worst[Idx(e)]);
    if (!mentee_wants) continue;
    const bool mentor_wants =
        mentor_load[Idx(m)] < p.mentor_capacity[Idx(m)] ||
        (mentor_worst[Idx(m)] >= 0 && mentor_rank(a) < mentor_rank(mentor_worst[Idx(m)]));
    if (mentor_wants) blocking.push_back(a);
  }
  return blocking;
}

}  // namespace tandem
