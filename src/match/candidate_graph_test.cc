#include "match/candidate_graph.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/cohort.h"
#include "core/management_tree.h"
#include "core/rules.h"
#include "core/synthetic_cohort.h"
#include "match/cohort_testing.h"
#include "match/optimal_solver.h"

namespace tandem {
namespace {

// A random cohort of `n` people (ids p000.., so index order is id order) on four topics:
// levels 0..3, a random management forest, languages from {de, en, both, none}, capacities
// 0..2 in both roles, sparse ratings.
Cohort RandomCohort(std::mt19937& rng, int n) {
  Cohort c;
  c.topics = {{"ai", "AI", 1}, {"cloud", "Cloud", 2}, {"data", "Data", 1}, {"ux", "UX", 3}};
  test_util::AddRandomPeople(rng, n, &c);
  test_util::AddRandomManagers(rng, &c);
  return c;
}

std::vector<std::pair<int, int>> RandomExclusions(std::mt19937& rng, int n, int count) {
  std::uniform_int_distribution<int> person(0, n - 1);
  std::vector<std::pair<int, int>> out;
  for (int i = 0; i < count; ++i) out.emplace_back(person(rng), person(rng));
  return out;
}

// (mentor person, score) of a mentee's arcs, in graph order.
using Candidates = std::vector<std::pair<int, int>>;

Candidates ArcsOf(const CandidateGraph& g, size_t mentee_node) {
  Candidates out;
  const Bipartite& p = g.problem;
  for (std::int64_t a = p.arc_begin[mentee_node]; a < p.arc_begin[mentee_node + 1]; ++a) {
    const size_t ai = static_cast<size_t>(a);
    out.emplace_back(g.mentors[static_cast<size_t>(p.arc_mentor[ai])], p.arc_score[ai]);
  }
  return out;
}

// Every eligible mentor of `mentee` by asking Rules pair by pair: score desc, then index.
Candidates AllEligible(const Rules& rules, int mentee) {
  Candidates out;
  const int n = static_cast<int>(rules.cohort().people.size());
  for (int m = 0; m < n; ++m) {
    if (rules.Eligible(m, mentee)) out.emplace_back(m, rules.Score(m, mentee));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

TEST(CandidateGraph, FullGraphHoldsEveryEligiblePair) {
  // Given random cohorts, the unlimited graph holds exactly the eligible pairs with their
  // scores, best first, ties by id, and nodes and capacities as the cohort states them.
  std::mt19937 rng(21);
  for (int round = 0; round < 60; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 40)(rng);
    const Cohort cohort = RandomCohort(rng, n);
    std::vector<ManagementTree::Problem> problems;
    const ManagementTree tree = ManagementTree::Build(cohort.people, &problems);
    ASSERT_TRUE(problems.empty());
    const auto excluded = RandomExclusions(rng, n, n / 3);
    const MatchMode mode = round % 2 == 0 ? MatchMode::kReverse : MatchMode::kOpen;
    const Rules rules(cohort, tree, mode, excluded);
    const MentorIndex index(rules);
    const CandidateGraph g = BuildCandidateGraph(rules, index, 0);
    SCOPED_TRACE(::testing::Message() << "round " << round);

    EXPECT_FALSE(g.truncated);
    std::vector<int> mentees, mentors;
    for (int i = 0; i < n; ++i) {
      const Person& p = cohort.people[static_cast<size_t>(i)];
      if (p.mentee_capacity > 0) mentees.push_back(i);
      const bool skilled =
          std::any_of(p.skill.begin(), p.skill.end(), [](std::uint8_t s) { return s > 0; });
      if (p.mentor_capacity > 0 && skilled) mentors.push_back(i);
    }
    EXPECT_EQ(g.mentees, mentees);
    EXPECT_EQ(g.mentors, mentors);
    ASSERT_EQ(g.problem.num_mentees, static_cast<int>(mentees.size()));
    ASSERT_EQ(g.problem.num_mentors, static_cast<int>(mentors.size()));
    for (size_t k = 0; k < mentees.size(); ++k) {
      EXPECT_EQ(g.problem.mentee_capacity[k],
                cohort.people[static_cast<size_t>(mentees[k])].mentee_capacity);
    }
    for (size_t k = 0; k < mentors.size(); ++k) {
      EXPECT_EQ(g.problem.mentor_capacity[k],
                cohort.people[static_cast<size_t>(mentors[k])].mentor_capacity);
    }
    ASSERT_EQ(g.problem.arc_begin.size(), mentees.size() + 1);
    std::int64_t eligible = 0;
    for (size_t k = 0; k < mentees.size(); ++k) {
      const Candidates expected = AllEligible(rules, mentees[k]);
      eligible += static_cast<std::int64_t>(expected.size());
      EXPECT_EQ(ArcsOf(g, k), expected) << "mentee " << mentees[k];
    }
    EXPECT_EQ(g.problem.num_arcs(), eligible);
  }
}

TEST(CandidateGraph, LimitKeepsTheBestMentorsOfEachMentee) {
  // Given a limit K, each mentee keeps K of its eligible mentors (all when it has fewer): every
  // one scoring above the cut and, among those tied at the cut, any K in total. Arcs stay
  // sorted by score, then id, and the graph says it was truncated when a mentee lost one.
  std::mt19937 rng(22);
  int cut_ties = 0;
  for (int round = 0; round < 60; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 40)(rng);
    const Cohort cohort = RandomCohort(rng, n);
    std::vector<ManagementTree::Problem> problems;
    const ManagementTree tree = ManagementTree::Build(cohort.people, &problems);
    const auto excluded = RandomExclusions(rng, n, n / 3);
    const Rules rules(cohort, tree, MatchMode::kOpen, excluded);
    const MentorIndex index(rules);
    const int limit = std::uniform_int_distribution<int>(1, 4)(rng);
    const CandidateGraph g = BuildCandidateGraph(rules, index, limit);
    SCOPED_TRACE(::testing::Message() << "round " << round << ", limit " << limit);
    bool more_than_limit = false;
    for (size_t k = 0; k < g.mentees.size(); ++k) {
      const Candidates all = AllEligible(rules, g.mentees[k]);
      const Candidates got = ArcsOf(g, k);
      const size_t keep = std::min(all.size(), static_cast<size_t>(limit));
      more_than_limit = more_than_limit || all.size() > keep;
      ASSERT_EQ(got.size(), keep) << "mentee " << g.mentees[k];
      EXPECT_TRUE(std::is_sorted(got.begin(), got.end(),
                                 [](const auto& a, const auto& b) {
                                   return std::make_pair(-a.second, a.first) <
                                          std::make_pair(-b.second, b.first);
                                 }))
          << "mentee " << g.mentees[k];
      for (size_t i = 0; i < keep; ++i) {
        // The same scores as the best `keep`, each pair really eligible with that score.
        EXPECT_EQ(got[i].second, all[i].second) << "mentee " << g.mentees[k];
        EXPECT_NE(std::find(all.begin(), all.end(), got[i]), all.end())
            << "mentee " << g.mentees[k] << ", mentor " << got[i].first;
      }
      if (keep > 0 && keep < all.size() && all[keep - 1].second == all[keep].second) ++cut_ties;
    }
    // A mentee that lost an eligible mentor must make the graph say so. (The converse is the
    // subject of IneligibleLowerScoresDoNotCountAsTruncation.)
    if (more_than_limit) {
      EXPECT_TRUE(g.truncated);
    }
  }
  EXPECT_GT(cut_ties, 20);  // ties at the cut were exercised
}

TEST(CandidateGraph, IneligibleLowerScoresDoNotCountAsTruncation) {
  // Given a mentee with one eligible mentor and a lower-scoring mentor who speaks another
  // language, a limit of one drops no eligible pair, so the graph is not truncated.
  // Pins a bug: `truncated` was set whenever any lower-scoring group existed, eligible or not.
  Cohort c;
  c.topics = {{"ai", "AI", 1}};
  Person e, good, foreign;
  e.id = "a";
  e.level = 3;
  e.languages = {"de"};
  e.mentee_capacity = 1;
  e.interest = {3};
  e.skill = {0};
  good.id = "b";
  good.languages = {"de"};
  good.mentor_capacity = 1;
  good.interest = {0};
  good.skill = {3};
  foreign = good;
  foreign.id = "c";
  foreign.languages = {"en"};
  foreign.skill = {1};
  c.people = {e, good, foreign};
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(c.people, &problems);
  const Rules rules(c, tree, MatchMode::kReverse, {});
  const MentorIndex index(rules);
  const CandidateGraph g = BuildCandidateGraph(rules, index, 1);
  EXPECT_EQ(ArcsOf(g, 0), (Candidates{{1, 9}}));
  EXPECT_FALSE(g.truncated);
}

TEST(CandidateGraph, AddedArcsAreEligibleSortedAndReachTheOptimum) {
  // Given a graph cut to each mentee's two best mentors, adding improving arcs until none is
  // left keeps every arc eligible and sorted, and ends at the optimum of the full graph.
  std::mt19937 rng(24);
  int grew = 0;
  for (int round = 0; round < 30; ++round) {
    const int n = std::uniform_int_distribution<int>(10, 60)(rng);
    const Cohort cohort = RandomCohort(rng, n);
    std::vector<ManagementTree::Problem> problems;
    const ManagementTree tree = ManagementTree::Build(cohort.people, &problems);
    const auto excluded = RandomExclusions(rng, n, n / 3);
    const Rules rules(cohort, tree, MatchMode::kOpen, excluded);
    const MentorIndex index(rules);
    const CandidateGraph full = BuildCandidateGraph(rules, index, 0);
    CandidateGraph g = BuildCandidateGraph(rules, index, 2);
    SCOPED_TRACE(::testing::Message() << "round " << round);
    Selection selection;
    for (int step = 0;; ++step) {
      ASSERT_LT(step, 1000) << "no end to adding arcs";
      Duals duals;
      selection = SolveOptimal(g.problem, {}, &duals);
      std::vector<Candidates> before;
      for (size_t k = 0; k < g.mentees.size(); ++k) before.push_back(ArcsOf(g, k));
      const std::int64_t arcs_before = g.problem.num_arcs();
      const std::int64_t added = AddImprovingArcs(rules, index, duals, 3, &g);
      EXPECT_EQ(g.problem.num_arcs(), arcs_before + added);
      if (added == 0) break;
      ++grew;
      ASSERT_EQ(g.problem.arc_begin.size(), g.mentees.size() + 1);
      for (size_t k = 0; k < g.mentees.size(); ++k) {
        const int e = g.mentees[k];
        const Candidates after = ArcsOf(g, k);
        EXPECT_TRUE(std::is_sorted(after.begin(), after.end(),
                                   [](const auto& a, const auto& b) {
                                     return std::make_pair(-a.second, a.first) <
                                            std::make_pair(-b.second, b.first);
                                   }))
            << "mentee " << e;
        EXPECT_LE(after.size(), before[k].size() + 3) << "mentee " << e;
        for (const auto& arc : before[k]) {
          EXPECT_NE(std::find(after.begin(), after.end(), arc), after.end()) << "mentee " << e;
        }
        for (size_t i = 0; i < after.size(); ++i) {
          EXPECT_TRUE(rules.Eligible(after[i].first, e)) << after[i].first << " -> " << e;
          EXPECT_EQ(after[i].second, rules.Score(after[i].first, e));
          if (i > 0) {
            EXPECT_NE(after[i - 1].first, after[i].first) << "mentee " << e;
          }
        }
      }
    }
    const Selection best = SolveOptimalLemon(full.problem);
    EXPECT_EQ(selection.count(), best.count());
    EXPECT_EQ(selection.total_score, best.total_score);
  }
  EXPECT_GT(grew, 10);  // arcs were really added
}

TEST(MentorIndex, GroupsPartitionTheMentorsAndScoreLikeTheRules) {
  std::mt19937 rng(23);
  for (int round = 0; round < 30; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 60)(rng);
    const Cohort cohort = RandomCohort(rng, n);
    std::vector<ManagementTree::Problem> problems;
    const ManagementTree tree = ManagementTree::Build(cohort.people, &problems);
    const Rules rules(cohort, tree, MatchMode::kReverse, {});
    const MentorIndex index(rules);
    std::vector<int> members;
    for (const MentorIndex::Group& g : index.groups()) {
      for (const MentorIndex::Subgroup& sg : g.subgroups) {
        EXPECT_TRUE(std::is_sorted(sg.members.begin(), sg.members.end()));
        for (int m : sg.members) {
          const Person& p = cohort.people[static_cast<size_t>(m)];
          EXPECT_EQ(p.skill, g.skill);
          EXPECT_EQ(p.level, sg.level);
          EXPECT_EQ(rules.LanguageMask(m), sg.languages);
          members.push_back(m);
        }
      }
    }
    std::sort(members.begin(), members.end());
    EXPECT_TRUE(std::adjacent_find(members.begin(), members.end()) == members.end());
    std::vector<int> scores;
    for (int e = 0; e < n; ++e) {
      index.ScoreGroups(e, &scores);
      ASSERT_EQ(scores.size(), index.groups().size());
      for (size_t g = 0; g < scores.size(); ++g) {
        const int member = index.groups()[g].subgroups.front().members.front();
        EXPECT_EQ(scores[g], rules.Score(member, e));
        EXPECT_LE(scores[g], index.max_score());
      }
    }
  }
}

TEST(CandidateGraph, ThreadsDoNotChangeTheGraph) {
  // Given a generated cohort large enough to be split between threads, building and pricing
  // on one thread or on several gives the same arcs in the same order.
  const Cohort cohort = GenerateCohort(20000, 9);
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(cohort.people, &problems);
  ASSERT_TRUE(problems.empty());
  const Rules rules(cohort, tree, MatchMode::kReverse, {});
  const MentorIndex index(rules);
  CandidateGraph one = BuildCandidateGraph(rules, index, 24, 4, {}, 1);
  CandidateGraph three = BuildCandidateGraph(rules, index, 24, 4, {}, 3);
  ASSERT_GE(one.mentees.size(), 3 * kMenteesPerThread);
  EXPECT_EQ(one.problem.arc_begin, three.problem.arc_begin);
  EXPECT_EQ(one.problem.arc_mentor, three.problem.arc_mentor);
  EXPECT_EQ(one.problem.arc_score, three.problem.arc_score);
  EXPECT_EQ(one.truncated, three.truncated);

  Duals duals;
  SolveOptimal(one.problem, {}, &duals);
  const std::int64_t added_one = AddImprovingArcs(rules, index, duals, 24, &one, 1);
  const std::int64_t added_three = AddImprovingArcs(rules, index, duals, 24, &three, 3);
  EXPECT_GT(added_one, 0);
  EXPECT_EQ(added_one, added_three);
  EXPECT_EQ(one.problem.arc_mentor, three.problem.arc_mentor);
  EXPECT_EQ(one.problem.arc_score, three.problem.arc_score);
}

}  // namespace
}  // namespace tandem
