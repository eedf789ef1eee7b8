#include "match/stable_solver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "match/bipartite.h"
#include "match/bipartite_testing.h"

namespace tandem {
namespace {

using test_util::Arc;
using test_util::ArcMentees;
using test_util::MakeProblem;

// A random problem with capacities 0..max_capacity and scores 1..max_score; few distinct
// scores make many ties, which the tie-breaking rules then decide.
Bipartite RandomProblem(std::mt19937& rng, int num_mentees, int num_mentors, int max_capacity,
                        double density, int max_score) {
  std::uniform_int_distribution<int> capacity(0, max_capacity);
  std::uniform_int_distribution<int> score(1, max_score);
  std::bernoulli_distribution has_arc(density);
  std::vector<int> mentee_capacity, mentor_capacity;
  for (int e = 0; e < num_mentees; ++e) mentee_capacity.push_back(capacity(rng));
  for (int m = 0; m < num_mentors; ++m) mentor_capacity.push_back(capacity(rng));
  std::vector<int> mentors(static_cast<size_t>(num_mentors));
  for (int m = 0; m < num_mentors; ++m) mentors[static_cast<size_t>(m)] = m;
  std::vector<Arc> arcs;
  for (int e = 0; e < num_mentees; ++e) {
    std::shuffle(mentors.begin(), mentors.end(), rng);
    for (int m : mentors) {
      if (has_arc(rng)) arcs.push_back({e, m, score(rng)});
    }
  }
  return MakeProblem(std::move(mentee_capacity), std::move(mentor_capacity), arcs);
}

// The textbook mentee-proposing deferred acceptance, in rounds: every mentee with a free
// place proposes to its best mentors not yet asked; every mentor keeps the best proposals
// up to capacity among those held and the new ones, and rejects the rest.
// Mentees rank by score desc, then mentor index; mentors by score desc, then mentee index.
std::vector<std::int64_t> ReferenceDeferredAcceptance(const Bipartite& p) {
  const std::vector<int> arc_mentee = ArcMentees(p);
  const size_t num_mentees = static_cast<size_t>(p.num_mentees);
  const size_t num_mentors = static_cast<size_t>(p.num_mentors);
  std::vector<std::vector<std::int64_t>> wishes(num_mentees);
  for (size_t e = 0; e < num_mentees; ++e) {
    for (std::int64_t a = p.arc_begin[e]; a < p.arc_begin[e + 1]; ++a) wishes[e].push_back(a);
    std::sort(wishes[e].begin(), wishes[e].end(), [&p](std::int64_t a, std::int64_t b) {
      const size_t ai = static_cast<size_t>(a), bi = static_cast<size_t>(b);
      if (p.arc_score[ai] != p.arc_score[bi]) return p.arc_score[ai] > p.arc_score[bi];
      return p.arc_mentor[ai] < p.arc_mentor[bi];
    });
  }
  auto mentor_prefers = [&](std::int64_t a, std::int64_t b) {
    const size_t ai = static_cast<size_t>(a), bi = static_cast<size_t>(b);
    if (p.arc_score[ai] != p.arc_score[bi]) return p.arc_score[ai] > p.arc_score[bi];
    return arc_mentee[ai] < arc_mentee[bi];
  };
  std::vector<size_t> next(num_mentees, 0);
  std::vector<int> held_count(num_mentees, 0);
  std::vector<std::vector<std::int64_t>> held(num_mentors);
  for (bool proposed = true; proposed;) {
    proposed = false;
    std::vector<std::vector<std::int64_t>> proposals(num_mentors);
    for (size_t e = 0; e < num_mentees; ++e) {
      while (held_count[e] < p.mentee_capacity[e] && next[e] < wishes[e].size()) {
        const std::int64_t a = wishes[e][next[e]++];
        proposals[static_cast<size_t>(p.arc_mentor[static_cast<size_t>(a)])].push_back(a);
        ++held_count[e];  // counted as held until rejected
        proposed = true;
      }
    }
    for (size_t m = 0; m < num_mentors; ++m) {
      if (proposals[m].empty()) continue;
      std::vector<std::int64_t> all = held[m];
      all.insert(all.end(), proposals[m].begin(), proposals[m].end());
      std::sort(all.begin(), all.end(), mentor_prefers);
      const size_t keep = std::min(all.size(), static_cast<size_t>(p.mentor_capacity[m]));
      for (size_t k = keep; k < all.size(); ++k) {
        --held_count[static_cast<size_t>(arc_mentee[static_cast<size_t>(all[k])])];
      }
      all.resize(keep);
      held[m] = std::move(all);
    }
  }
  std::vector<std::int64_t> out;
  for (const auto& arcs : held) out.insert(out.end(), arcs.begin(), arcs.end());
  std::sort(out.begin(), out.end());
  return out;
}

// Blocking arcs by the definition: an unselected arc whose mentee has a free place or ranks
// it above a current partner, and whose mentor does the same.
std::vector<std::int64_t> ReferenceBlockingArcs(const Bipartite& p,
                                                const std::vector<std::int64_t>& selected) {
  const std::vector<int> arc_mentee = ArcMentees(p);
  auto mentee_rank = [&](std::int64_t a) {
    return std::make_pair(-p.arc_score[static_cast<size_t>(a)],
                          p.arc_mentor[static_cast<size_t>(a)]);
  };
  auto mentor_rank = [&](std::int64_t a) {
    return std::make_pair(-p.arc_score[static_cast<size_t>(a)], arc_mentee[static_cast<size_t>(a)]);
  };
  std::vector<std::int64_t> out;
  for (std::int64_t a = 0; a < p.num_arcs(); ++a) {
    if (std::find(selected.begin(), selected.end(), a) != selected.end()) continue;
    const int e = arc_mentee[static_cast<size_t>(a)];
    const int m = p.arc_mentor[static_cast<size_t>(a)];
    int mentee_load = 0, mentor_load = 0;
    bool mentee_prefers = false, mentor_prefers = false;
    for (std::int64_t b : selected) {
      if (arc_mentee[static_cast<size_t>(b)] == e) {
        ++mentee_load;
        mentee_prefers = mentee_prefers || mentee_rank(a) < mentee_rank(b);
      }
      if (p.arc_mentor[static_cast<size_t>(b)] == m) {
        ++mentor_load;
        mentor_prefers = mentor_prefers || mentor_rank(a) < mentor_rank(b);
      }
    }
    const bool mentee_wants =
        mentee_load < p.mentee_capacity[static_cast<size_t>(e)] || mentee_prefers;
    const bool mentor_wants =
        mentor_load < p.mentor_capacity[static_cast<size_t>(m)] || mentor_prefers;
    if (mentee_wants && mentor_wants) out.push_back(a);
  }
  return out;
}

// Some feasible selection, usually not stable: arcs in random order, taken while both ends
// have room.
Selection RandomSelection(std::mt19937& rng, const Bipartite& p) {
  const std::vector<int> arc_mentee = ArcMentees(p);
  std::vector<std::int64_t> order(static_cast<size_t>(p.num_arcs()));
  for (size_t a = 0; a < order.size(); ++a) order[a] = static_cast<std::int64_t>(a);
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<int> mentee_left = p.mentee_capacity, mentor_left = p.mentor_capacity;
  std::bernoulli_distribution skip(0.3);
  Selection s;
  for (std::int64_t a : order) {
    const size_t e = static_cast<size_t>(arc_mentee[static_cast<size_t>(a)]);
    const size_t m = static_cast<size_t>(p.arc_mentor[static_cast<size_t>(a)]);
    if (skip(rng) || mentee_left[e] == 0 || mentor_left[m] == 0) continue;
    --mentee_left[e];
    --mentor_left[m];
    s.arcs.push_back(a);
    s.total_score += p.arc_score[static_cast<size_t>(a)];
  }
  std::sort(s.arcs.begin(), s.arcs.end());
  return s;
}

TEST(StableSolver, SmallRandomProblemsHaveNoBlockingArc) {
  // Given many small random problems with ties, the stable selection has no blocking arc and
  // equals the textbook deferred acceptance.
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> size(0, 8);
  std::uniform_real_distribution<double> density(0.1, 1.0);
  for (int round = 0; round < 500; ++round) {
    const Bipartite p = RandomProblem(rng, size(rng), size(rng), 3, density(rng), 1 + round % 5);
    const Selection s = SolveStable(p);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    EXPECT_TRUE(IsFeasible(p, s));
    EXPECT_TRUE(BlockingArcs(p, s).empty());
    EXPECT_TRUE(ReferenceBlockingArcs(p, s.arcs).empty());
    EXPECT_EQ(s.arcs, ReferenceDeferredAcceptance(p));
  }
}

TEST(StableSolver, MediumRandomProblemsEqualTheReference) {
  // Given random problems of up to 200 per side, the selection equals the textbook one.
  std::mt19937 rng(12);
  std::uniform_int_distribution<int> size(20, 200);
  std::uniform_real_distribution<double> density(0.02, 0.5);
  for (int round = 0; round < 20; ++round) {
    const Bipartite p =
        RandomProblem(rng, size(rng), size(rng), 3, density(rng), round % 2 == 0 ? 4 : 100);
    const Selection s = SolveStable(p);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    EXPECT_TRUE(IsFeasible(p, s));
    EXPECT_TRUE(BlockingArcs(p, s).empty());
    EXPECT_EQ(s.arcs, ReferenceDeferredAcceptance(p));
  }
}

TEST(StableSolver, BlockingArcsFollowTheDefinition) {
  // Given random feasible selections, mostly unstable, BlockingArcs finds exactly the arcs the
  // definition names.
  std::mt19937 rng(13);
  std::uniform_int_distribution<int> size(1, 7);
  int with_blocking = 0;
  for (int round = 0; round < 300; ++round) {
    const Bipartite p = RandomProblem(rng, size(rng), size(rng), 2, 0.6, 1 + round % 4);
    const Selection s = RandomSelection(rng, p);
    ASSERT_TRUE(IsFeasible(p, s));
    const std::vector<std::int64_t> expected = ReferenceBlockingArcs(p, s.arcs);
    with_blocking += !expected.empty();
    EXPECT_EQ(BlockingArcs(p, s), expected) << "round " << round;
  }
  EXPECT_GT(with_blocking, 100);  // the test exercised unstable selections
}

TEST(StableSolver, BlockingArcsFindsACrossedPair) {
  // Given e0-m1 and e1-m0 formed while e0-m0 and e1-m1 both score 9, both 9s block.
  const Bipartite p = MakeProblem({1, 1}, {1, 1}, {{0, 0, 9}, {0, 1, 1}, {1, 0, 1}, {1, 1, 9}});
  const Selection crossed{{1, 2}, 2};
  ASSERT_TRUE(IsFeasible(p, crossed));
  EXPECT_EQ(BlockingArcs(p, crossed), (std::vector<std::int64_t>{0, 3}));
  const Selection straight{{0, 3}, 18};
  EXPECT_TRUE(BlockingArcs(p, straight).empty());
  EXPECT_EQ(SolveStable(p).arcs, straight.arcs);
}

TEST(StableSolver, BlockingArcsFindsTwoFreePlaces) {
  // Given a mentee and a mentor who both have room and fit, leaving them apart is unstable.
  const Bipartite p = MakeProblem({1}, {1}, {{0, 0, 1}});
  EXPECT_EQ(BlockingArcs(p, Selection{}), (std::vector<std::int64_t>{0}));
  EXPECT_TRUE(BlockingArcs(p, Selection{{0}, 1}).empty());
}

TEST(StableSolver, PlaceholderWithoutCapacityNeverBlocks) {
  const Bipartite p = MakeProblem({0, 1}, {1, 0}, {{0, 0, 5}, {1, 1, 5}});
  EXPECT_TRUE(BlockingArcs(p, Selection{}).empty());
  EXPECT_TRUE(SolveStable(p).arcs.empty());
}

TEST(StableSolver, TiesGoToTheLowerIndex) {
  // Given two mentees with equal scores for one mentor, the lower mentee index is kept; given
  // a mentee with equal scores for two mentors, it takes the lower mentor index.
  const Bipartite mentor_side = MakeProblem({1, 1}, {1}, {{0, 0, 5}, {1, 0, 5}});
  EXPECT_EQ(SolveStable(mentor_side).arcs, (std::vector<std::int64_t>{0}));
  const Bipartite mentee_side = MakeProblem({1}, {1, 1}, {{0, 1, 5}, {0, 0, 5}});
  EXPECT_EQ(SolveStable(mentee_side).arcs, (std::vector<std::int64_t>{1}));
}

TEST(StableSolver, StableIsNotAlwaysTheMostTandems) {
  // Given e0 fitting m0 (9) and m1 (8), and e1 fitting only m0 (8), stability keeps e0-m0
  // and leaves e1 without a mentor.
  const Bipartite p = MakeProblem({1, 1}, {1, 1}, {{0, 0, 9}, {0, 1, 8}, {1, 0, 8}});
  const Selection s = SolveStable(p);
  EXPECT_EQ(s.arcs, (std::vector<std::int64_t>{0}));
  EXPECT_EQ(s.total_score, 9);
}

TEST(StableSolver, EmptyProblem) {
  const Bipartite p = MakeProblem({}, {}, {});
  const Selection s = SolveStable(p);
  EXPECT_TRUE(s.arcs.empty());
  EXPECT_EQ(s.total_score, 0);
  EXPECT_TRUE(BlockingArcs(p, s).empty());
}

}  // namespace
}  // namespace tandem
