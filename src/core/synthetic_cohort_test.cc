#include "core/synthetic_cohort.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace tandem {
namespace {

constexpr std::size_t kTopics = 12;

void ExpectSamePerson(const Person& a, const Person& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.email, b.email);
  EXPECT_EQ(a.department, b.department);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.manager_id, b.manager_id);
  EXPECT_EQ(a.level, b.level);
  EXPECT_EQ(a.languages, b.languages);
  EXPECT_EQ(a.mentor_capacity, b.mentor_capacity);
  EXPECT_EQ(a.mentee_capacity, b.mentee_capacity);
  EXPECT_EQ(a.interest, b.interest);
  EXPECT_EQ(a.skill, b.skill);
  ASSERT_EQ(a.experience.size(), b.experience.size());
  for (std::size_t i = 0; i < a.experience.size(); ++i) {
    EXPECT_EQ(a.experience[i].topic, b.experience[i].topic);
    EXPECT_EQ(a.experience[i].text, b.experience[i].text);
  }
}

bool SamePerson(const Person& a, const Person& b) {
  if (a.experience.size() != b.experience.size()) return false;
  for (std::size_t i = 0; i < a.experience.size(); ++i) {
    if (a.experience[i].topic != b.experience[i].topic ||
        a.experience[i].text != b.experience[i].text) {
      return false;
    }
  }
  return a.id == b.id && a.name == b.name && a.email == b.email && a.department == b.department &&
         a.location == b.location && a.manager_id == b.manager_id && a.level == b.level &&
         a.languages == b.languages && a.mentor_capacity == b.mentor_capacity &&
         a.mentee_capacity == b.mentee_capacity && a.interest == b.interest && a.skill == b.skill;
}

// Checks the management tree: known managers, no cycles, exactly one root (the CEO, p000001),
// and nobody reports to someone more junior.
void ExpectSoundTree(const Cohort& cohort) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < cohort.people.size(); ++i) {
    EXPECT_TRUE(index.emplace(cohort.people[i].id, i).second)
        << "duplicate " << cohort.people[i].id;
  }
  int roots = 0;
  for (const Person& p : cohort.people) {
    EXPECT_GE(p.level, 0);
    EXPECT_LE(p.level, 3);
    if (p.manager_id.empty()) {
      ++roots;
      EXPECT_EQ(p.id, "p000001");
      EXPECT_EQ(p.level, 3);
      continue;
    }
    auto it = index.find(p.manager_id);
    ASSERT_NE(it, index.end()) << p.id << " has unknown manager " << p.manager_id;
    EXPECT_GE(cohort.people[it->second].level, p.level) << p.id;
    // Walking up must reach a root within as many steps as there are people.
    const Person* at = &p;
    std::size_t steps = 0;
    while (!at->manager_id.empty() && steps <= cohort.people.size()) {
      at = &cohort.people[index.at(at->manager_id)];
      ++steps;
    }
    EXPECT_TRUE(at->manager_id.empty()) << "cycle above " << p.id;
  }
  EXPECT_EQ(roots, 1);
}

TEST(SyntheticCohort, DefaultTopicsAreTheTwelveOfTheQuestionnaire) {
  const std::vector<Topic> topics = DefaultTopics();
  ASSERT_EQ(topics.size(), kTopics);
  EXPECT_EQ(topics[0].key, "ai");
  EXPECT_EQ(topics[0].name, "Artificial Intelligence");
  EXPECT_EQ(topics[11].key, "blockchain");
  for (const Topic& t : topics) {
    EXPECT_FALSE(t.name.empty());
    EXPECT_EQ(t.weight, 1);
  }
}

TEST(SyntheticCohort, SameSeedSameCohort) {
  const Cohort a = GenerateCohort(3000, 42);
  const Cohort b = GenerateCohort(3000, 42);
  ASSERT_EQ(a.topics.size(), b.topics.size());
  for (std::size_t t = 0; t < a.topics.size(); ++t) EXPECT_EQ(a.topics[t].key, b.topics[t].key);
  ASSERT_EQ(a.people.size(), 3000u);
  ASSERT_EQ(b.people.size(), 3000u);
  for (std::size_t i = 0; i < a.people.size(); ++i) ExpectSamePerson(a.people[i], b.people[i]);
}

TEST(SyntheticCohort, DifferentSeedDifferentCohort) {
  const Cohort a = GenerateCohort(3000, 42);
  const Cohort b = GenerateCohort(3000, 43);
  ASSERT_EQ(a.people.size(), b.people.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.people.size(); ++i) {
    if (!SamePerson(a.people[i], b.people[i])) ++differing;
  }
  EXPECT_GT(differing, a.people.size() / 2);
}

TEST(SyntheticCohort, ManagementTreeIsSound) {
  const Cohort cohort = GenerateCohort(5000, 7);
  ExpectSoundTree(cohort);
  // The CEO's department is the board; everyone else inherits the manager's department.
  std::unordered_map<std::string, const Person*> by_id;
  for (const Person& p : cohort.people) by_id[p.id] = &p;
  EXPECT_EQ(cohort.people[0].department, "Board");
  for (const Person& p : cohort.people) {
    if (p.manager_id.empty() || by_id.at(p.manager_id)->manager_id.empty()) continue;
    EXPECT_EQ(p.department, by_id.at(p.manager_id)->department) << p.id;
  }
}

TEST(SyntheticCohort, LevelQuotasAreRoughlyMet) {
  const Cohort cohort = GenerateCohort(20000, 11);
  std::vector<int> at_level(4, 0);
  for (const Person& p : cohort.people) ++at_level[static_cast<std::size_t>(p.level)];
  EXPECT_EQ(at_level[3], 800);
  EXPECT_EQ(at_level[2], 2400);
  EXPECT_EQ(at_level[1], 4800);
  EXPECT_EQ(at_level[0], 12000);
}

TEST(SyntheticCohort, IdsAreZeroPaddedAndSorted) {
  const Cohort cohort = GenerateCohort(2000, 3);
  EXPECT_EQ(cohort.people.front().id, "p000001");
  EXPECT_EQ(cohort.people.back().id, "p002000");
  for (std::size_t i = 1; i < cohort.people.size(); ++i) {
    EXPECT_LT(cohort.people[i - 1].id, cohort.people[i].id);
  }
}

TEST(SyntheticCohort, RatingsAndCapacitiesAreInRange) {
  const Cohort cohort = GenerateCohort(5000, 5);
  for (const Person& p : cohort.people) {
    ASSERT_EQ(p.interest.size(), kTopics) << p.id;
    ASSERT_EQ(p.skill.size(), kTopics) << p.id;
    int interests = 0;
    int skills = 0;
    for (std::size_t t = 0; t < kTopics; ++t) {
      EXPECT_LE(p.interest[t], kMaxRating);
      EXPECT_LE(p.skill[t], kMaxRating);
      if (p.interest[t] > 0) ++interests;
      if (p.skill[t] > 0) ++skills;
    }
    EXPECT_GE(p.mentee_capacity, 0);
    EXPECT_LE(p.mentee_capacity, 1);
    EXPECT_GE(p.mentor_capacity, 0);
    EXPECT_LE(p.mentor_capacity, 3);
    if (p.mentee_capacity > 0) {
      EXPECT_GE(interests, 1) << p.id;
    }
    if (p.mentor_capacity > 0) {
      EXPECT_GE(skills, 1) << p.id;
      EXPECT_LE(skills, 3) << p.id;
    } else {
      EXPECT_EQ(skills, 0) << p.id;
    }
    EXPECT_FALSE(p.languages.empty());
    EXPECT_NE(p.email.find("@example.com"), std::string::npos);
  }
}

TEST(SyntheticCohort, ExperienceExactlyForSkillsOfTwoOrMore) {
  const Cohort cohort = GenerateCohort(5000, 9);
  std::size_t texts = 0;
  for (const Person& p : cohort.people) {
    for (std::size_t t = 0; t < kTopics; ++t) {
      const std::string& text = p.ExperienceFor(static_cast<int>(t));
      EXPECT_EQ(!text.empty(), p.skill[t] >= 2) << p.id << " topic " << t;
    }
    for (const Experience& e : p.experience) {
      EXPECT_FALSE(e.text.empty());
      ASSERT_GE(e.topic, 0);
      ASSERT_LT(static_cast<std::size_t>(e.topic), kTopics);
      EXPECT_GE(p.skill[static_cast<std::size_t>(e.topic)], 2) << p.id;
    }
    texts += p.experience.size();
  }
  EXPECT_GT(texts, 0u);
}

TEST(SyntheticCohort, TopicPopularityIsSkewed) {
  const Cohort cohort = GenerateCohort(20000, 2024);
  const std::size_t ai = 0;
  const std::size_t blockchain = 11;
  ASSERT_EQ(cohort.topics[ai].key, "ai");
  ASSERT_EQ(cohort.topics[blockchain].key, "blockchain");
  int mentees_ai = 0, mentees_blockchain = 0, mentors_ai = 0, mentors_blockchain = 0;
  int mentees = 0, mentors = 0;
  for (const Person& p : cohort.people) {
    if (p.mentee_capacity > 0) {
      ++mentees;
      if (p.interest[ai] > 0) ++mentees_ai;
      if (p.interest[blockchain] > 0) ++mentees_blockchain;
    }
    if (p.mentor_capacity > 0) {
      ++mentors;
      if (p.skill[ai] > 0) ++mentors_ai;
      if (p.skill[blockchain] > 0) ++mentors_blockchain;
    }
  }
  EXPECT_GT(mentees, 100);
  EXPECT_GT(mentors, 1000);
  EXPECT_GT(mentees_ai, 3 * mentees_blockchain);
  EXPECT_GT(mentors_ai, 3 * mentors_blockchain);
}

TEST(SyntheticCohort, SeniorsTendToBeMenteesAndJuniorsMentors) {
  const Cohort cohort = GenerateCohort(20000, 77);
  std::vector<int> people(4, 0), mentees(4, 0), mentors(4, 0);
  for (const Person& p : cohort.people) {
    const auto level = static_cast<std::size_t>(p.level);
    ++people[level];
    if (p.mentee_capacity > 0) ++mentees[level];
    if (p.mentor_capacity > 0) ++mentors[level];
  }
  // Compare rates per level: mentees[a] / people[a] > k * mentees[b] / people[b].
  EXPECT_GT(mentees[2] * people[0], 5 * mentees[0] * people[2]);
  EXPECT_GT(mentees[3] * people[1], 2 * mentees[1] * people[3]);
  EXPECT_GT(mentors[0] * people[2], 2 * mentors[2] * people[0]);
  EXPECT_GT(mentors[1] * people[3], 2 * mentors[3] * people[1]);
}

TEST(SyntheticCohort, MostPeopleSpeakGermanOnly) {
  const Cohort cohort = GenerateCohort(20000, 31);
  int german_only = 0;
  for (const Person& p : cohort.people) {
    if (p.languages == std::vector<std::string>{"de"}) ++german_only;
  }
  EXPECT_NEAR(german_only, 16000, 400);  // 80% of 20000, within 2 points
}

TEST(SyntheticCohort, TinyCohortsWork) {
  for (int n : {1, 2, 5}) {
    SCOPED_TRACE(n);
    const Cohort cohort = GenerateCohort(n, 1);
    ASSERT_EQ(cohort.people.size(), static_cast<std::size_t>(n));
    EXPECT_EQ(cohort.people[0].id, "p000001");
    EXPECT_TRUE(cohort.people[0].manager_id.empty());
    ExpectSoundTree(cohort);
  }
}

}  // namespace
}  // namespace tandem
