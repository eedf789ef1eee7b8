#include "core/management_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

Person MakePerson(std::string id, std::string manager_id = "") {
  Person p;
  p.id = std::move(id);
  p.manager_id = std::move(manager_id);
  return p;
}

// The index of the person with `id`; people are few, so a linear search is fine.
int IndexOf(const std::vector<Person>& people, const std::string& id) {
  for (size_t i = 0; i < people.size(); ++i) {
    if (people[i].id == id) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no person " << id;
  return -1;
}

// True when `a` is reached from `b` by following manager ids (a == b included).
bool NaiveIsAncestor(const std::vector<Person>& people, int a, int b) {
  int at = b;
  for (size_t steps = 0; steps <= people.size(); ++steps) {
    if (at == a) return true;
    const std::string& manager = people[static_cast<size_t>(at)].manager_id;
    if (manager.empty()) return false;
    at = IndexOf(people, manager);
  }
  return false;
}

// A small organisation, ids in sorted order:
//   ceo
//   ├── cto
//   │   ├── dev1
//   │   │   └── intern
//   │   └── dev2
//   └── cfo
std::vector<Person> SmallOrganisation() {
  return {MakePerson("ceo"),         MakePerson("cfo", "ceo"),  MakePerson("cto", "ceo"),
          MakePerson("dev1", "cto"), MakePerson("dev2", "cto"), MakePerson("intern", "dev1")};
}

TEST(ManagementTree, ManagerAtAnyDepthIsInLine) {
  const std::vector<Person> people = SmallOrganisation();
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  EXPECT_TRUE(problems.empty());

  const int ceo = IndexOf(people, "ceo"), cto = IndexOf(people, "cto");
  const int dev1 = IndexOf(people, "dev1"), intern = IndexOf(people, "intern");
  EXPECT_TRUE(tree.IsAncestor(dev1, intern));  // depth 1
  EXPECT_TRUE(tree.IsAncestor(cto, intern));   // depth 2
  EXPECT_TRUE(tree.IsAncestor(ceo, intern));   // depth 3
  EXPECT_FALSE(tree.IsAncestor(intern, ceo));
  EXPECT_FALSE(tree.IsAncestor(intern, cto));
  EXPECT_TRUE(tree.InLine(intern, ceo));
  EXPECT_TRUE(tree.InLine(ceo, intern));
  EXPECT_TRUE(tree.InLine(cto, intern));
  EXPECT_TRUE(tree.InLine(intern, cto));
}

TEST(ManagementTree, SiblingsAndCousinsAreNotInLine) {
  const std::vector<Person> people = SmallOrganisation();
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);

  const int cfo = IndexOf(people, "cfo"), cto = IndexOf(people, "cto");
  const int dev1 = IndexOf(people, "dev1"), dev2 = IndexOf(people, "dev2");
  const int intern = IndexOf(people, "intern");
  EXPECT_FALSE(tree.InLine(cfo, cto));      // siblings
  EXPECT_FALSE(tree.InLine(dev1, dev2));    // siblings
  EXPECT_FALSE(tree.InLine(dev2, intern));  // uncle and nephew
  EXPECT_FALSE(tree.InLine(cfo, dev1));     // uncle and nephew
  EXPECT_FALSE(tree.InLine(cfo, intern));   // great-uncle
}

TEST(ManagementTree, PersonIsOwnAncestor) {
  const std::vector<Person> people = SmallOrganisation();
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  for (size_t i = 0; i < people.size(); ++i) {
    const int p = static_cast<int>(i);
    EXPECT_TRUE(tree.IsAncestor(p, p));
    EXPECT_TRUE(tree.InLine(p, p));
  }
}

TEST(ManagementTree, ParentIsTheManager) {
  const std::vector<Person> people = SmallOrganisation();
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  EXPECT_EQ(tree.Parent(IndexOf(people, "ceo")), -1);
  EXPECT_EQ(tree.Parent(IndexOf(people, "cto")), IndexOf(people, "ceo"));
  EXPECT_EQ(tree.Parent(IndexOf(people, "intern")), IndexOf(people, "dev1"));
}

TEST(ManagementTree, SeparateTreesAreNotInLine) {
  // Given two unrelated reporting lines, nobody in one is in line with anybody in the other.
  const std::vector<Person> people = {MakePerson("a"), MakePerson("a1", "a"), MakePerson("b"),
                                      MakePerson("b1", "b"), MakePerson("b2", "b1")};
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  EXPECT_TRUE(problems.empty());
  for (const char* x : {"a", "a1"}) {
    for (const char* y : {"b", "b1", "b2"}) {
      EXPECT_FALSE(tree.InLine(IndexOf(people, x), IndexOf(people, y))) << x << " " << y;
    }
  }
  EXPECT_TRUE(tree.InLine(IndexOf(people, "b"), IndexOf(people, "b2")));
}

TEST(ManagementTree, UnknownManagerIsAProblemAndARoot) {
  // Given one person whose manager is not in the cohort, we report them once and keep going.
  const std::vector<Person> people = {MakePerson("a"), MakePerson("b", "ghost"),
                                      MakePerson("c", "b")};
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].person, 1);
  EXPECT_NE(problems[0].message.find("unknown manager"), std::string::npos) << problems[0].message;
  EXPECT_NE(problems[0].message.find("ghost"), std::string::npos) << problems[0].message;
  EXPECT_EQ(tree.Parent(1), -1);
  EXPECT_TRUE(tree.InLine(1, 2));
  EXPECT_FALSE(tree.InLine(0, 1));
  EXPECT_FALSE(tree.InLine(0, 2));
}

TEST(ManagementTree, CycleIsReportedOncePerPersonInIt) {
  // Given a -> b -> c -> a and d reporting into the cycle, a, b and c are reported, d is not.
  const std::vector<Person> people = {MakePerson("a", "b"), MakePerson("b", "c"),
                                      MakePerson("c", "a"), MakePerson("d", "a"), MakePerson("e")};
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  std::vector<int> reported;
  for (const ManagementTree::Problem& p : problems) {
    reported.push_back(p.person);
    EXPECT_NE(p.message.find("management cycle"), std::string::npos) << p.message;
  }
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(reported, (std::vector<int>{0, 1, 2}));
  // The tree stays usable: queries terminate and unrelated people stay apart.
  for (int x = 0; x < 4; ++x) EXPECT_FALSE(tree.InLine(x, 4)) << x;
  EXPECT_TRUE(tree.InLine(3, 0));
}

TEST(ManagementTree, TwoPeopleManagingEachOtherAreBothReported) {
  const std::vector<Person> people = {MakePerson("a", "b"), MakePerson("b", "a")};
  std::vector<ManagementTree::Problem> problems;
  ManagementTree::Build(people, &problems);
  std::vector<int> reported;
  for (const ManagementTree::Problem& p : problems) reported.push_back(p.person);
  std::sort(reported.begin(), reported.end());
  EXPECT_EQ(reported, (std::vector<int>{0, 1}));
}

TEST(ManagementTree, SelfManagerIsAProblemAndARoot) {
  // Given a person who names themselves as manager, we report them once and treat them as a root.
  const std::vector<Person> people = {MakePerson("a"), MakePerson("b", "b"), MakePerson("c", "b")};
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(people, &problems);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].person, 1);
  EXPECT_NE(problems[0].message.find("own manager"), std::string::npos) << problems[0].message;
  EXPECT_EQ(tree.Parent(1), -1);
  EXPECT_TRUE(tree.InLine(1, 2));
  EXPECT_FALSE(tree.InLine(0, 1));
}

TEST(ManagementTree, EmptyCohortHasNoProblems) {
  std::vector<ManagementTree::Problem> problems;
  ManagementTree::Build({}, &problems);
  EXPECT_TRUE(problems.empty());
}

TEST(ManagementTree, RandomForestsAgreeWithWalkingUpTheChain) {
  // Given random forests, IsAncestor agrees with following manager ids one step at a time.
  std::mt19937 rng(20240611);
  for (int round = 0; round < 20; ++round) {
    const int n = std::uniform_int_distribution<int>(1, 60)(rng);
    // Managers are drawn among people earlier in a random order, so there is no cycle.
    std::vector<int> order(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<Person> people;
    for (int i = 0; i < n; ++i) {
      char id[16];
      std::snprintf(id, sizeof id, "p%03d", i);
      people.push_back(MakePerson(id));
    }
    for (size_t k = 1; k < order.size(); ++k) {
      if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) continue;  // a new root
      const size_t boss = std::uniform_int_distribution<size_t>(0, k - 1)(rng);
      people[static_cast<size_t>(order[k])].manager_id =
          people[static_cast<size_t>(order[boss])].id;
    }
    std::vector<ManagementTree::Problem> problems;
    const ManagementTree tree = ManagementTree::Build(people, &problems);
    EXPECT_TRUE(problems.empty());
    for (int a = 0; a < n; ++a) {
      for (int b = 0; b < n; ++b) {
        ASSERT_EQ(tree.IsAncestor(a, b), NaiveIsAncestor(people, a, b))
            << "round " << round << " a=" << a << " b=" << b;
        ASSERT_EQ(tree.InLine(a, b),
                  NaiveIsAncestor(people, a, b) || NaiveIsAncestor(people, b, a));
      }
    }
  }
}

}  // namespace
}  // namespace tandem
