#include "match/optimal_solver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include "match/bipartite.h"
#include "match/bipartite_testing.h"

namespace tandem {
namespace {

using test_util::Arc;
using test_util::ArcMentees;
using test_util::MakeProblem;

// A random problem: each (mentee, mentor) pair is an arc with probability `density`.
Bipartite RandomProblem(std::mt19937& rng, int num_mentees, int num_mentors, int min_capacity,
                        int max_capacity, double density, int max_score) {
  std::uniform_int_distribution<int> capacity(min_capacity, max_capacity);
  std::uniform_int_distribution<int> score(1, max_score);
  std::bernoulli_distribution has_arc(density);
  std::vector<int> mentee_capacity, mentor_capacity;
  for (int e = 0; e < num_mentees; ++e) mentee_capacity.push_back(capacity(rng));
  for (int m = 0; m < num_mentors; ++m) mentor_capacity.push_back(capacity(rng));
  std::vector<Arc> arcs;
  std::vector<int> mentors(static_cast<size_t>(num_mentors));
  for (int m = 0; m < num_mentors; ++m) mentors[static_cast<size_t>(m)] = m;
  for (int e = 0; e < num_mentees; ++e) {
    // Arcs of a mentee in random mentor order: solvers must not rely on any order.
    std::shuffle(mentors.begin(), mentors.end(), rng);
    for (int m : mentors) {
      if (has_arc(rng)) arcs.push_back({e, m, score(rng)});
    }
  }
  return MakeProblem(std::move(mentee_capacity), std::move(mentor_capacity), arcs);
}

// A sparse random problem: each mentee gets `degree` distinct random mentors (or all of them).
Bipartite SparseProblem(std::mt19937& rng, int num_mentees, int num_mentors, int degree,
                        int max_capacity, int max_score) {
  std::uniform_int_distribution<int> capacity(1, max_capacity);
  std::uniform_int_distribution<int> score(1, max_score);
  std::vector<int> mentee_capacity, mentor_capacity;
  for (int e = 0; e < num_mentees; ++e) mentee_capacity.push_back(capacity(rng));
  for (int m = 0; m < num_mentors; ++m) mentor_capacity.push_back(capacity(rng));
  std::vector<int> mentors(static_cast<size_t>(num_mentors));
  for (int m = 0; m < num_mentors; ++m) mentors[static_cast<size_t>(m)] = m;
  std::vector<Arc> arcs;
  const size_t take = std::min(static_cast<size_t>(degree), mentors.size());
  for (int e = 0; e < num_mentees; ++e) {
    std::shuffle(mentors.begin(), mentors.end(), rng);
    for (size_t k = 0; k < take; ++k) arcs.push_back({e, mentors[k], score(rng)});
  }
  return MakeProblem(std::move(mentee_capacity), std::move(mentor_capacity), arcs);
}

// Both exact solvers of optimal_solver.h; the engine uses each (see engine.cc).
struct NamedSolver {
  const char* name;
  Selection (*solve)(const Bipartite&, const Progress&, Duals*);
};
const NamedSolver kSolvers[] = {{"cost scaling", SolveOptimal},
                                {"primal-dual", SolveOptimalPrimalDual}};

// (tandems, total score) of the best selection, by trying every feasible set of arcs.
class ExhaustiveSearch {
 public:
  explicit ExhaustiveSearch(const Bipartite& p)
      : p_(p),
        arc_mentee_(ArcMentees(p)),
        mentee_left_(p.mentee_capacity),
        mentor_left_(p.mentor_capacity) {}

  std::pair<std::int64_t, std::int64_t> Best() {
    Visit(0, 0, 0);
    return best_;
  }

 private:
  void Visit(std::int64_t arc, std::int64_t count, std::int64_t total) {
    if (arc == p_.num_arcs()) {
      best_ = std::max(best_, std::make_pair(count, total));
      return;
    }
    const size_t a = static_cast<size_t>(arc);
    const size_t e = static_cast<size_t>(arc_mentee_[a]);
    const size_t m = static_cast<size_t>(p_.arc_mentor[a]);
    Visit(arc + 1, count, total);
    if (mentee_left_[e] > 0 && mentor_left_[m] > 0) {
      --mentee_left_[e];
      --mentor_left_[m];
      Visit(arc + 1, count + 1, total + p_.arc_score[a]);
      ++mentee_left_[e];
      ++mentor_left_[m];
    }
  }

  const Bipartite& p_;
  const std::vector<int> arc_mentee_;
  std::vector<int> mentee_left_;
  std::vector<int> mentor_left_;
  std::pair<std::int64_t, std::int64_t> best_{0, 0};
};

// Checks what every solver answer must satisfy beyond IsFeasible: arcs ascending, and no
// (mentee, mentor) pair twice even when the problem lists it once.
void ExpectWellFormed(const Bipartite& p, const Selection& s) {
  EXPECT_TRUE(IsFeasible(p, s));
  EXPECT_TRUE(std::is_sorted(s.arcs.begin(), s.arcs.end()));
  const std::vector<int> arc_mentee = ArcMentees(p);
  std::set<std::pair<int, int>> pairs;
  std::int64_t total = 0;
  for (std::int64_t a : s.arcs) {
    ASSERT_GE(a, 0);
    ASSERT_LT(a, p.num_arcs());
    const size_t ai = static_cast<size_t>(a);
    EXPECT_TRUE(pairs.emplace(arc_mentee[ai], p.arc_mentor[ai]).second) << "arc " << a;
    total += p.arc_score[ai];
  }
  EXPECT_EQ(total, s.total_score);
}

TEST(OptimalSolver, EqualsExhaustiveSearchOnSmallRandomProblems) {
  // Given hundreds of random problems of up to 4 x 4, both solvers find the best selection.
  std::mt19937 rng(1);
  std::uniform_int_distribution<int> size(0, 4);
  std::uniform_real_distribution<double> density(0.2, 1.0);
  for (int round = 0; round < 400; ++round) {
    const Bipartite p = RandomProblem(rng, size(rng), size(rng), 0, 3, density(rng), 9);
    const auto [count, total] = ExhaustiveSearch(p).Best();
    const Selection lemon = SolveOptimalLemon(p);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    for (const NamedSolver& solver : kSolvers) {
      SCOPED_TRACE(solver.name);
      const Selection ours = solver.solve(p, {}, nullptr);
      ExpectWellFormed(p, ours);
      EXPECT_EQ(ours.count(), count);
      EXPECT_EQ(ours.total_score, total);
    }
    ExpectWellFormed(p, lemon);
    EXPECT_EQ(lemon.count(), count);
    EXPECT_EQ(lemon.total_score, total);
  }
}

TEST(OptimalSolver, EqualsExhaustiveSearchWhenScoresTie) {
  // Given small problems whose scores are mostly equal, ties do not cost optimality.
  std::mt19937 rng(2);
  std::uniform_int_distribution<int> size(1, 4);
  for (int round = 0; round < 200; ++round) {
    const Bipartite p = RandomProblem(rng, size(rng), size(rng), 1, 2, 0.7, 2);
    const auto [count, total] = ExhaustiveSearch(p).Best();
    SCOPED_TRACE(::testing::Message() << "round " << round);
    for (const NamedSolver& solver : kSolvers) {
      SCOPED_TRACE(solver.name);
      const Selection ours = solver.solve(p, {}, nullptr);
      ExpectWellFormed(p, ours);
      EXPECT_EQ(ours.count(), count);
      EXPECT_EQ(ours.total_score, total);
    }
  }
}

TEST(OptimalSolver, EqualsLemonOnMediumRandomProblems) {
  // Given random problems of 50 to 300 people per side, sparse and dense, SolveOptimal and
  // LEMON's network simplex agree on tandems and total score.
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> size(50, 300);
  std::uniform_int_distribution<int> degree(1, 12);
  std::uniform_real_distribution<double> density(0.2, 1.0);
  for (int round = 0; round < 30; ++round) {
    const int mentees = size(rng), mentors = size(rng);
    const int max_score = round % 3 == 0 ? 9 : 100;
    const Bipartite p = round % 2 == 0
                            ? SparseProblem(rng, mentees, mentors, degree(rng), 3, max_score)
                            : RandomProblem(rng, mentees, mentors, 1, 3, density(rng), max_score);
    const Selection lemon = SolveOptimalLemon(p);
    SCOPED_TRACE(::testing::Message() << "round " << round << ": " << mentees << " x " << mentors
                                      << ", " << p.num_arcs() << " arcs");
    ExpectWellFormed(p, lemon);
    for (const NamedSolver& solver : kSolvers) {
      SCOPED_TRACE(solver.name);
      const Selection ours = solver.solve(p, {}, nullptr);
      ExpectWellFormed(p, ours);
      EXPECT_EQ(ours.count(), lemon.count());
      EXPECT_EQ(ours.total_score, lemon.total_score);
    }
  }
}

// A problem shaped like a cohort's candidate graph: mentors come in a few identical groups, so
// scores tie massively; capacities up to `max_capacity`; more mentor places than mentees want.
Bipartite CohortLikeProblem(std::mt19937& rng, int num_mentees, int num_mentors, int degree,
                            int max_capacity) {
  std::uniform_int_distribution<int> capacity(1, max_capacity);
  std::uniform_int_distribution<int> group(0, 5);
  std::uniform_int_distribution<int> mentor(0, num_mentors - 1);
  std::vector<int> mentee_capacity, mentor_capacity, mentor_group;
  for (int e = 0; e < num_mentees; ++e) mentee_capacity.push_back(1 + (e % 7 == 0));
  for (int m = 0; m < num_mentors; ++m) {
    mentor_capacity.push_back(capacity(rng));
    mentor_group.push_back(group(rng));
  }
  std::vector<Arc> arcs;
  for (int e = 0; e < num_mentees; ++e) {
    std::set<int> chosen;
    while (static_cast<int>(chosen.size()) < std::min(degree, num_mentors)) {
      chosen.insert(mentor(rng));
    }
    for (int m : chosen) {
      // The score depends on the mentee's kind and the mentor's group only.
      const int score = 1 + (e % 5 + 2 * mentor_group[static_cast<size_t>(m)]) % 9;
      arcs.push_back({e, m, score});
    }
  }
  return MakeProblem(std::move(mentee_capacity), std::move(mentor_capacity), arcs);
}

TEST(OptimalSolver, EqualsLemonWhenScoresTieAcrossGroupsOfMentors) {
  // Given cohort-like problems (identical mentor groups, spare mentor places, capacities up to
  // 4, more arcs per mentee than the solver caches), SolveOptimal agrees with LEMON.
  std::mt19937 rng(8);
  std::uniform_int_distribution<int> size(200, 1500);
  for (int round = 0; round < 12; ++round) {
    const int mentees = size(rng);
    const int mentors = round % 3 == 0 ? mentees / 4 : size(rng);
    const Bipartite p = CohortLikeProblem(rng, mentees, mentors, 6 + round * 2, 1 + round % 4);
    const Selection lemon = SolveOptimalLemon(p);
    SCOPED_TRACE(::testing::Message() << "round " << round << ": " << mentees << " x " << mentors
                                      << ", " << p.num_arcs() << " arcs");
    for (const NamedSolver& solver : kSolvers) {
      SCOPED_TRACE(solver.name);
      const Selection ours = solver.solve(p, {}, nullptr);
      ExpectWellFormed(p, ours);
      EXPECT_EQ(ours.count(), lemon.count());
      EXPECT_EQ(ours.total_score, lemon.total_score);
    }
  }
}

TEST(OptimalSolver, EqualsLemonOnDenseSquareProblems) {
  // Given complete N x N problems with unit capacities, the benchmark's shape: uniform scores
  // (where every mentee usually has a best-scoring mentor to itself, solved without scaling),
  // few distinct scores, and a score matrix with a unique best place per mentee.
  std::mt19937 rng(9);
  for (int round = 0; round < 9; ++round) {
    const int n = 50 + 60 * round;
    const int max_score = round % 3 == 0 ? 100 : (round % 3 == 1 ? 3 : 1000);
    std::uniform_int_distribution<int> score(1, max_score);
    std::vector<Arc> arcs;
    for (int e = 0; e < n; ++e) {
      for (int m = 0; m < n; ++m) arcs.push_back({e, m, score(rng)});
    }
    const Bipartite p = MakeProblem(std::vector<int>(static_cast<size_t>(n), 1),
                                    std::vector<int>(static_cast<size_t>(n), 1), arcs);
    const Selection ours = SolveOptimal(p);
    const Selection lemon = SolveOptimalLemon(p);
    SCOPED_TRACE(::testing::Message() << "round " << round << ": n " << n);
    ExpectWellFormed(p, ours);
    EXPECT_EQ(ours.count(), n);
    EXPECT_EQ(ours.total_score, lemon.total_score);
  }
}

TEST(OptimalSolver, BetterMenteeWinsTheOnlyMentor) {
  // Given two mentees wanting one mentor, the pair with the higher score is formed, whichever
  // mentee comes first.
  const Bipartite first_better = MakeProblem({1, 1}, {1}, {{0, 0, 7}, {1, 0, 3}});
  const Bipartite second_better = MakeProblem({1, 1}, {1}, {{0, 0, 3}, {1, 0, 7}});
  for (const Bipartite* p : {&first_better, &second_better}) {
    for (const Selection& s : {SolveOptimal(*p), SolveOptimalLemon(*p)}) {
      ExpectWellFormed(*p, s);
      EXPECT_EQ(s.count(), 1);
      EXPECT_EQ(s.total_score, 7);
    }
  }
}

TEST(OptimalSolver, GreedyByScoreIsNotEnough) {
  // Given e0 fitting m0 (9) and m1 (8), and e1 fitting only m0 (8), taking the best arc first
  // leaves e1 alone; the optimum gives e0 to m1 and e1 to m0.
  const Bipartite p = MakeProblem({1, 1}, {1, 1}, {{0, 0, 9}, {0, 1, 8}, {1, 0, 8}});
  for (const Selection& s : {SolveOptimal(p), SolveOptimalLemon(p)}) {
    ExpectWellFormed(p, s);
    EXPECT_EQ(s.arcs, (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(s.total_score, 16);
  }
}

TEST(OptimalSolver, MoreTandemsBeatAHigherScore) {
  // Given e1-m1 (9), e1-m2 (1) and e2-m1 (1), two tandems of score 1 beat one of score 9.
  const Bipartite p = MakeProblem({1, 1}, {1, 1}, {{0, 0, 9}, {0, 1, 1}, {1, 0, 1}});
  for (const Selection& s : {SolveOptimal(p), SolveOptimalLemon(p)}) {
    ExpectWellFormed(p, s);
    EXPECT_EQ(s.count(), 2);
    EXPECT_EQ(s.total_score, 2);
    EXPECT_EQ(s.arcs, (std::vector<std::int64_t>{1, 2}));
  }
}

TEST(OptimalSolver, EmptyProblemHasNoTandems) {
  const Bipartite empty = MakeProblem({}, {}, {});
  const Bipartite no_arcs = MakeProblem({2, 1}, {3}, {});
  const Bipartite no_capacity = MakeProblem({0, 0}, {0}, {{0, 0, 5}, {1, 0, 5}});
  for (const Bipartite* p : {&empty, &no_arcs, &no_capacity}) {
    for (const Selection& s : {SolveOptimal(*p), SolveOptimalLemon(*p)}) {
      ExpectWellFormed(*p, s);
      EXPECT_EQ(s.count(), 0);
      EXPECT_EQ(s.total_score, 0);
    }
  }
}

TEST(OptimalSolver, MenteeWithTwoPlacesNeverTakesTheSameMentorTwice) {
  // Given a mentee with two places and a mentor with two, the second place goes to another
  // mentor although the first one scores higher.
  const Bipartite p = MakeProblem({2}, {2, 2}, {{0, 0, 9}, {0, 1, 1}});
  for (const Selection& s : {SolveOptimal(p), SolveOptimalLemon(p)}) {
    ExpectWellFormed(p, s);
    EXPECT_EQ(s.arcs, (std::vector<std::int64_t>{0, 1}));
    EXPECT_EQ(s.total_score, 10);
  }
  // With a single mentor only one tandem can be formed.
  const Bipartite one_mentor = MakeProblem({2}, {2}, {{0, 0, 9}});
  for (const Selection& s : {SolveOptimal(one_mentor), SolveOptimalLemon(one_mentor)}) {
    ExpectWellFormed(one_mentor, s);
    EXPECT_EQ(s.count(), 1);
  }
}

TEST(OptimalSolver, MentorCapacityIsShared) {
  // Given a mentor with two places and three mentees, the two best mentees are taken.
  const Bipartite p = MakeProblem({1, 1, 1}, {2}, {{0, 0, 4}, {1, 0, 6}, {2, 0, 5}});
  for (const Selection& s : {SolveOptimal(p), SolveOptimalLemon(p)}) {
    ExpectWellFormed(p, s);
    EXPECT_EQ(s.arcs, (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(s.total_score, 11);
  }
}

TEST(OptimalSolver, SameProblemSameSelection) {
  std::mt19937 rng(4);
  const Bipartite p = RandomProblem(rng, 80, 60, 1, 3, 0.3, 50);
  for (const NamedSolver& solver : kSolvers) {
    SCOPED_TRACE(solver.name);
    const Selection a = solver.solve(p, {}, nullptr);
    const Selection b = solver.solve(p, {}, nullptr);
    EXPECT_EQ(a.arcs, b.arcs);
    EXPECT_EQ(a.total_score, b.total_score);
  }
}

TEST(OptimalSolver, ReportsProgressToTheEnd) {
  std::mt19937 rng(5);
  const Bipartite p = RandomProblem(rng, 30, 30, 1, 2, 0.5, 9);
  std::vector<std::pair<std::int64_t, std::int64_t>> calls;
  auto record = [](void* context, std::int64_t done, std::int64_t total) {
    static_cast<std::vector<std::pair<std::int64_t, std::int64_t>>*>(context)->emplace_back(done,
                                                                                            total);
  };
  SolveOptimal(p, Progress{record, &calls});
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, calls.back().second);
  for (const auto& [done, total] : calls) EXPECT_LE(done, total);
}

// The reduced cost of arc (e, m) with `score` under `duals`, as bipartite.h defines it.
std::int64_t ReducedCost(const Duals& duals, int e, int m, int score) {
  return (duals.smax - score) + duals.mentee[static_cast<size_t>(e)] -
         duals.mentor[static_cast<size_t>(m)];
}

// Each mentee's `keep` best arcs by score (ties by position), as a first candidate graph.
Bipartite KeepBest(const Bipartite& p, size_t keep) {
  std::vector<Arc> arcs;
  for (int e = 0; e < p.num_mentees; ++e) {
    const size_t ei = static_cast<size_t>(e);
    std::vector<Arc> own;
    for (std::int64_t a = p.arc_begin[ei]; a < p.arc_begin[ei + 1]; ++a) {
      const size_t ai = static_cast<size_t>(a);
      own.push_back({e, p.arc_mentor[ai], p.arc_score[ai]});
    }
    std::stable_sort(own.begin(), own.end(),
                     [](const Arc& a, const Arc& b) { return a.score > b.score; });
    if (own.size() > keep) own.resize(keep);
    arcs.insert(arcs.end(), own.begin(), own.end());
  }
  return MakeProblem(p.mentee_capacity, p.mentor_capacity, arcs);
}

TEST(OptimalSolver, DualsCertifyTheSelection) {
  // Given random problems, every unused arc has a non-negative reduced cost under the duals
  // and every used arc a non-positive one: no augmenting cycle through tandem arcs remains.
  std::mt19937 rng(6);
  std::uniform_int_distribution<int> size(1, 40);
  for (int round = 0; round < 100; ++round) {
    const Bipartite p = RandomProblem(rng, size(rng), size(rng), 0, 3, 0.3, 20);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    for (const NamedSolver& solver : kSolvers) {
      SCOPED_TRACE(solver.name);
      Duals duals;
      const Selection s = solver.solve(p, {}, &duals);
      ExpectWellFormed(p, s);
      ASSERT_EQ(duals.mentee.size(), static_cast<size_t>(p.num_mentees));
      ASSERT_EQ(duals.mentor.size(), static_cast<size_t>(p.num_mentors));
      EXPECT_EQ(duals.smax, p.MaxScore());
      std::vector<char> used(static_cast<size_t>(p.num_arcs()), 0);
      for (std::int64_t a : s.arcs) used[static_cast<size_t>(a)] = 1;
      const std::vector<int> arc_mentee = ArcMentees(p);
      for (size_t a = 0; a < used.size(); ++a) {
        const std::int64_t rc = ReducedCost(duals, arc_mentee[a], p.arc_mentor[a], p.arc_score[a]);
        if (used[a]) {
          EXPECT_LE(rc, 0) << "used arc " << a;
        } else {
          EXPECT_GE(rc, 0) << "unused arc " << a;
        }
      }
    }
  }
}

TEST(OptimalSolver, DualsCertifyCohortLikeSelections) {
  // Given larger problems with ties, spare places and unmatched mentees, the duals still give
  // every unused arc a non-negative and every used arc a non-positive reduced cost.
  std::mt19937 rng(10);
  for (int round = 0; round < 6; ++round) {
    const Bipartite p = CohortLikeProblem(rng, 300 + 100 * round, 60 + 40 * round, 8, 3);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    for (const NamedSolver& solver : kSolvers) {
      SCOPED_TRACE(solver.name);
      Duals duals;
      const Selection s = solver.solve(p, {}, &duals);
      ExpectWellFormed(p, s);
      std::vector<char> used(static_cast<size_t>(p.num_arcs()), 0);
      for (std::int64_t a : s.arcs) used[static_cast<size_t>(a)] = 1;
      const std::vector<int> arc_mentee = ArcMentees(p);
      int violations = 0;
      for (size_t a = 0; a < used.size(); ++a) {
        const std::int64_t rc = ReducedCost(duals, arc_mentee[a], p.arc_mentor[a], p.arc_score[a]);
        violations += used[a] ? rc > 0 : rc < 0;
      }
      EXPECT_EQ(violations, 0);
    }
  }
}

TEST(OptimalSolver, DualsTellWhetherMissingArcsCouldHelp) {
  // Given a problem cut down to each mentee's best arcs, when no missing arc has a negative
  // reduced cost under the cut problem's duals, the cut problem's optimum is the full optimum.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> size(5, 40);
  int proved = 0, not_proved = 0;
  for (int round = 0; round < 200; ++round) {
    Bipartite full = RandomProblem(rng, size(rng), size(rng), 1, 3, 0.5, 20);
    if (round % 2 == 0) {
      // Mentor places to spare: every mentee can be matched, the usual case for proofs.
      std::fill(full.mentee_capacity.begin(), full.mentee_capacity.end(), 1);
      std::fill(full.mentor_capacity.begin(), full.mentor_capacity.end(), 3);
    }
    const Bipartite cut = KeepBest(full, static_cast<size_t>(2 + round % 7));
    Duals duals;
    const Selection s = kSolvers[round % 2].solve(cut, {}, &duals);
    const Selection best = SolveOptimalLemon(full);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    bool improvable = false;
    const std::vector<int> arc_mentee = ArcMentees(full);
    for (size_t a = 0; a < static_cast<size_t>(full.num_arcs()); ++a) {
      improvable = improvable ||
                   ReducedCost(duals, arc_mentee[a], full.arc_mentor[a], full.arc_score[a]) < 0;
    }
    if (!improvable) {
      ++proved;
      EXPECT_EQ(s.count(), best.count());
      EXPECT_EQ(s.total_score, best.total_score);
    } else {
      ++not_proved;
    }
    // Whatever the duals say, a cut problem never does better than the full one.
    EXPECT_LE(std::make_pair(s.count(), s.total_score),
              std::make_pair(best.count(), best.total_score));
  }
  EXPECT_GT(proved, 50);
  EXPECT_GT(not_proved, 50);
}

TEST(IsFeasible, RejectsBrokenSelections) {
  const Bipartite p = MakeProblem({1, 1}, {1, 1}, {{0, 0, 9}, {0, 1, 8}, {1, 0, 8}});
  EXPECT_TRUE(IsFeasible(p, Selection{{1, 2}, 16}));
  EXPECT_TRUE(IsFeasible(p, Selection{{}, 0}));
  EXPECT_FALSE(IsFeasible(p, Selection{{1, 2}, 15}));  // wrong total
  EXPECT_FALSE(IsFeasible(p, Selection{{0, 1}, 17}));  // mentee 0 has one place
  EXPECT_FALSE(IsFeasible(p, Selection{{0, 2}, 17}));  // mentor 0 has one place
  EXPECT_FALSE(IsFeasible(p, Selection{{1, 1}, 16}));  // the same arc twice
  EXPECT_FALSE(IsFeasible(p, Selection{{3}, 0}));      // no such arc
}

}  // namespace
}  // namespace tandem
