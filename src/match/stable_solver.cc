#include "match/stable_solver.h"

#include <algorithm>
#include <numeric>

#include "match/huge_pages.h"

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
  // A mentee's preference: the higher score, then the lower mentor index (then the lower arc,
  // which only orders parallel arcs).
  auto mentee_prefers = [&p](std::int64_t a, std::int64_t b) {
    if (p.arc_score[Idx(a)] != p.arc_score[Idx(b)]) {
      return p.arc_score[Idx(a)] > p.arc_score[Idx(b)];
    }
    if (p.arc_mentor[Idx(a)] != p.arc_mentor[Idx(b)]) {
      return p.arc_mentor[Idx(a)] < p.arc_mentor[Idx(b)];
    }
    return a < b;
  };
  // Most mentees propose a few times: each proposal scans the mentee's arcs for the best one
  // after the last it made, which needs no memory per arc. A mentee rejected kScanned times
  // has its remaining arcs sorted once, into `sorted` (ended by -1), and goes down that list.
  // What a proposal reads of a mentee, and of a mentor, sits together: the loop is bound by
  // cache misses on people in random order.
  constexpr int kScanned = 4;
  struct Mentee {
    std::int64_t last = -1;    // the last arc proposed along
    std::int64_t cursor = -1;  // into `sorted`, once sorted
    int proposed = 0;
    int load = 0;
    int capacity = 0;
  };
  std::vector<Mentee> mentees = HugeVector<Mentee>(Idx(p.num_mentees));
  for (int e = 0; e < p.num_mentees; ++e) mentees[Idx(e)].capacity = p.mentee_capacity[Idx(e)];
  std::vector<std::int64_t> sorted;
  ReserveHuge(&sorted, Idx(p.num_arcs()) + Idx(p.num_mentees));  // untouched room costs nothing
  auto next_arc = [&](int e, Mentee& mentee) -> std::int64_t {
    const std::int64_t begin = p.arc_begin[Idx(e)], end = p.arc_begin[Idx(e) + 1];
    if (mentee.cursor < 0 && mentee.proposed == kScanned) {
      mentee.cursor = static_cast<std::int64_t>(sorted.size());
      for (std::int64_t a = begin; a < end; ++a) {
        if (mentee_prefers(mentee.last, a)) sorted.push_back(a);
      }
      std::sort(sorted.begin() + mentee.cursor, sorted.end(), mentee_prefers);
      sorted.push_back(-1);
    }
    if (mentee.cursor >= 0) {
      const std::int64_t a = sorted[Idx(mentee.cursor)];
      if (a >= 0) ++mentee.cursor;
      return a;
    }
    std::int64_t best = -1;
    for (std::int64_t a = begin; a < end; ++a) {
      if (mentee.last >= 0 && !mentee_prefers(mentee.last, a)) continue;  // proposed already
      if (best < 0 || mentee_prefers(a, best)) best = a;
    }
    if (best >= 0) {
      mentee.last = best;
      ++mentee.proposed;
    }
    return best;
  };

  // Each mentor's places, with what its preference needs (the higher score, then the lower
  // mentee index), so that comparing proposals does not touch the arc arrays.
  struct Place {
    std::int64_t arc;
    int score;
    int mentee;
  };
  auto mentor_prefers = [](const Place& a, const Place& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.mentee < b.mentee;
  };
  struct Mentor {
    std::int64_t first_place = 0;
    int load = 0;
    int capacity = 0;
  };
  std::vector<Mentor> mentors = HugeVector<Mentor>(Idx(p.num_mentors));
  std::int64_t num_places = 0;
  for (int m = 0; m < p.num_mentors; ++m) {
    mentors[Idx(m)] = {num_places, 0, p.mentor_capacity[Idx(m)]};
    num_places += p.mentor_capacity[Idx(m)];
  }
  std::vector<Place> places = HugeVector<Place>(Idx(num_places));

  std::vector<int> free_mentees;
  ReserveHuge(&free_mentees, Idx(p.num_mentees));
  for (int e = p.num_mentees; e-- > 0;) free_mentees.push_back(e);
  std::int64_t proposals = 0;
  while (!free_mentees.empty()) {
    const int e = free_mentees.back();
    free_mentees.pop_back();
    Mentee& mentee = mentees[Idx(e)];
    while (mentee.load < mentee.capacity) {
      const std::int64_t a = next_arc(e, mentee);
      if (a < 0) break;
      if (++proposals % 65536 == 0) progress.Report(proposals, p.num_arcs());
      Mentor& mentor = mentors[Idx(p.arc_mentor[Idx(a)])];
      const Place offer{a, p.arc_score[Idx(a)], e};
      Place* const first = places.data() + mentor.first_place;
      if (mentor.load < mentor.capacity) {
        first[mentor.load++] = offer;
        ++mentee.load;
        continue;
      }
      if (mentor.load == 0) continue;  // no place at all
      Place* worst = first;
      for (Place* place = first + 1; place < first + mentor.load; ++place) {
        if (mentor_prefers(*worst, *place)) worst = place;
      }
      if (!mentor_prefers(offer, *worst)) continue;  // rejected
      const int loser = worst->mentee;
      *worst = offer;
      ++mentee.load;
      --mentees[Idx(loser)].load;
      free_mentees.push_back(loser);
    }
  }
  Selection out;
  for (const Mentor& mentor : mentors) {
    const Place* first = places.data() + mentor.first_place;
    for (int k = 0; k < mentor.load; ++k) out.arcs.push_back(first[k].arc);
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
