#include "match/mentor_classes.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "match/bipartite.h"
#include "match/bipartite_testing.h"
#include "match/optimal_solver.h"

namespace tandem {
namespace {

using test_util::Arc;
using test_util::ArcMentees;
using test_util::MakeProblem;

// A problem whose mentors copy one of `profiles` random profiles (arcs and scores), so that
// many are interchangeable; each mentee reaches a share `density` of the profiles. Capacities
// vary, which splits some classes.
Bipartite ProfileProblem(std::mt19937& rng, int num_mentees, int num_mentors, int profiles,
                         double density, int max_mentee_capacity) {
  std::uniform_int_distribution<int> profile(0, profiles - 1);
  std::uniform_int_distribution<int> score(1, 9);
  std::uniform_int_distribution<int> mentee_places(0, max_mentee_capacity);
  std::uniform_int_distribution<int> mentor_places(1, 2);
  std::bernoulli_distribution has_arc(density);
  std::vector<int> profile_of, mentee_capacity, mentor_capacity;
  for (int m = 0; m < num_mentors; ++m) {
    profile_of.push_back(profile(rng));
    mentor_capacity.push_back(mentor_places(rng));
  }
  std::vector<Arc> arcs;
  std::vector<int> score_of(static_cast<size_t>(profiles));
  for (int e = 0; e < num_mentees; ++e) {
    mentee_capacity.push_back(mentee_places(rng));
    for (int& s : score_of) s = has_arc(rng) ? score(rng) : 0;
    for (int m = 0; m < num_mentors; ++m) {
      const int s = score_of[static_cast<size_t>(profile_of[static_cast<size_t>(m)])];
      if (s > 0) arcs.push_back({e, m, s});
    }
  }
  return MakeProblem(std::move(mentee_capacity), std::move(mentor_capacity), arcs);
}

// Whether mentors a and b have the same capacity and the same arcs.
bool Interchangeable(const Bipartite& p, int a, int b) {
  if (p.mentor_capacity[static_cast<size_t>(a)] != p.mentor_capacity[static_cast<size_t>(b)]) {
    return false;
  }
  for (int e = 0; e < p.num_mentees; ++e) {
    int score_a = 0, score_b = 0;
    const size_t ei = static_cast<size_t>(e);
    for (std::int64_t arc = p.arc_begin[ei]; arc < p.arc_begin[ei + 1]; ++arc) {
      const size_t ai = static_cast<size_t>(arc);
      if (p.arc_mentor[ai] == a) score_a = p.arc_score[ai];
      if (p.arc_mentor[ai] == b) score_b = p.arc_score[ai];
    }
    if (score_a != score_b) return false;
  }
  return true;
}

TEST(MentorClasses, GroupsExactlyTheInterchangeableMentors) {
  // Given mentors copied from a few profiles, two mentors share a class exactly when they have
  // the same capacity and the same arcs, in rows that reach many mentors and rows that reach few.
  std::mt19937 rng(3);
  for (const double density : {0.9, 0.05}) {
    const Bipartite p = density > 0.5 ? ProfileProblem(rng, 30, 40, 6, density, 2)
                                      : ProfileProblem(rng, 30, 80, 20, density, 2);
    MentorClasses classes;
    Bipartite collapsed;
    ASSERT_TRUE(CollapseMentors(p, &classes, &collapsed)) << density;
    for (int a = 0; a < p.num_mentors; ++a) {
      for (int b = a + 1; b < p.num_mentors; ++b) {
        EXPECT_EQ(classes.of[static_cast<size_t>(a)] == classes.of[static_cast<size_t>(b)],
                  Interchangeable(p, a, b))
            << a << " " << b;
      }
    }
    EXPECT_EQ(collapsed.num_mentors, classes.count);
    EXPECT_LT(collapsed.num_arcs(), p.num_arcs());
  }
}

TEST(MentorClasses, MentorsThatDifferInOneArcStayApart) {
  // Given two mentors with the same arcs but one score, or the same arcs but one capacity,
  // nothing is collapsed.
  MentorClasses classes;
  Bipartite collapsed;
  EXPECT_FALSE(
      CollapseMentors(MakeProblem({1, 1}, {1, 1}, {{0, 0, 5}, {0, 1, 5}, {1, 0, 4}, {1, 1, 3}}),
                      &classes, &collapsed));
  EXPECT_FALSE(
      CollapseMentors(MakeProblem({1, 1}, {1, 2}, {{0, 0, 5}, {0, 1, 5}, {1, 0, 4}, {1, 1, 4}}),
                      &classes, &collapsed));
  EXPECT_TRUE(
      CollapseMentors(MakeProblem({1, 1}, {2, 2}, {{0, 0, 5}, {0, 1, 5}, {1, 0, 4}, {1, 1, 4}}),
                      &classes, &collapsed));
  EXPECT_EQ(classes.count, 1);
  EXPECT_EQ(collapsed.mentor_capacity, std::vector<int>{4});
}

TEST(MentorClasses, AMentorListedTwiceIsNotCollapsed) {
  // Given a mentee that lists mentor 0 twice and mentor 1 not at all, the counts of a class
  // match but the mentors differ: nothing is collapsed.
  MentorClasses classes;
  Bipartite collapsed;
  EXPECT_FALSE(
      CollapseMentors(MakeProblem({1, 1}, {1, 1}, {{0, 0, 5}, {0, 0, 5}, {1, 1, 5}, {1, 1, 5}}),
                      &classes, &collapsed));
}

TEST(MentorClasses, SolveOptimalEqualsLemonWithInterchangeableMentors) {
  // Given problems with many interchangeable mentors, mentees with several places and spare
  // or scarce capacity, SolveOptimal (which collapses them) equals LEMON on the full problem,
  // and its duals certify the selection arc by arc.
  std::mt19937 rng(11);
  for (int round = 0; round < 40; ++round) {
    const bool dense = round % 2 == 0;
    const Bipartite p = dense
                            ? ProfileProblem(rng, 20 + round, 30 + 2 * round, 3 + round % 5, 0.6, 3)
                            : ProfileProblem(rng, 20 + round, 80 + 2 * round, 20, 0.08, 3);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Duals duals;
    const Selection s = SolveOptimal(p, {}, &duals);
    const Selection best = SolveOptimalLemon(p);
    EXPECT_TRUE(IsFeasible(p, s));
    EXPECT_EQ(s.count(), best.count());
    EXPECT_EQ(s.total_score, best.total_score);
    ASSERT_EQ(duals.mentor.size(), static_cast<size_t>(p.num_mentors));
    std::vector<char> used(static_cast<size_t>(p.num_arcs()), 0);
    for (std::int64_t a : s.arcs) used[static_cast<size_t>(a)] = 1;
    const std::vector<int> arc_mentee = ArcMentees(p);
    for (size_t a = 0; a < used.size(); ++a) {
      const size_t e = static_cast<size_t>(arc_mentee[a]);
      const size_t m = static_cast<size_t>(p.arc_mentor[a]);
      const std::int64_t reduced = duals.smax - p.arc_score[a] + duals.mentee[e] - duals.mentor[m];
      if (used[a]) {
        EXPECT_LE(reduced, 0) << "used arc " << a;
      } else {
        EXPECT_GE(reduced, 0) << "unused arc " << a;
      }
    }
  }
}

}  // namespace
}  // namespace tandem
