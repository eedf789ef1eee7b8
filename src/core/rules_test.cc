#include "core/rules.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

// Three topics whose keys are not in index order, so that "ties by key" differs from
// "ties by index".
std::vector<Topic> ThreeTopics() {
  return {{"zeta", "Zeta", 2}, {"alpha", "Alpha", 1}, {"mid", "Mid", 3}};
}

Person MakePerson(std::string id, int level, std::vector<std::string> languages,
                  int mentor_capacity, int mentee_capacity, std::vector<std::uint8_t> interest,
                  std::vector<std::uint8_t> skill) {
  Person p;
  p.id = std::move(id);
  p.level = level;
  p.languages = std::move(languages);
  p.mentor_capacity = mentor_capacity;
  p.mentee_capacity = mentee_capacity;
  p.interest = std::move(interest);
  p.skill = std::move(skill);
  return p;
}

// A junior mentor "m" (index 1) and a senior mentee "e" (index 0) who fit on topic "zeta":
// every rule holds, so each test breaks exactly one.
Cohort EligiblePair() {
  Cohort c;
  c.topics = ThreeTopics();
  c.people.push_back(MakePerson("e", 2, {"de"}, 0, 1, {2, 0, 0}, {0, 0, 0}));
  c.people.push_back(MakePerson("m", 1, {"de"}, 1, 0, {0, 0, 0}, {3, 0, 0}));
  return c;
}
constexpr int kMentee = 0;
constexpr int kMentor = 1;

// Builds the tree and the rules together, and keeps them alive as long as the fixture.
class RulesFixture {
 public:
  explicit RulesFixture(Cohort cohort, MatchMode mode = MatchMode::kReverse,
                        std::vector<std::pair<int, int>> excluded = {})
      : cohort_(std::move(cohort)),
        tree_(ManagementTree::Build(cohort_.people, &problems_)),
        rules_(cohort_, tree_, mode, excluded) {}

  const Rules& rules() const { return rules_; }
  const std::vector<ManagementTree::Problem>& problems() const { return problems_; }

 private:
  std::vector<ManagementTree::Problem> problems_;
  const Cohort cohort_;
  const ManagementTree tree_;
  const Rules rules_;
};

TEST(Rules, BasePairIsEligible) {
  RulesFixture f(EligiblePair());
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kEligible);
  EXPECT_TRUE(f.rules().Eligible(kMentor, kMentee));
}

TEST(Rules, SamePersonIsNotAPair) {
  Cohort c = EligiblePair();
  c.people[kMentor].mentee_capacity = 1;
  c.people[kMentor].interest = {3, 3, 3};
  RulesFixture f(c, MatchMode::kOpen);
  EXPECT_EQ(f.rules().Check(kMentor, kMentor), Ineligibility::kSamePerson);
}

TEST(Rules, MentorWithoutMentorCapacityIsNotEligible) {
  Cohort c = EligiblePair();
  c.people[kMentor].mentor_capacity = 0;
  c.people[kMentor].mentee_capacity = 2;  // capacity for the other role does not count
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kNoCapacity);
}

TEST(Rules, MenteeWithoutMenteeCapacityIsNotEligible) {
  Cohort c = EligiblePair();
  c.people[kMentee].mentee_capacity = 0;
  c.people[kMentee].mentor_capacity = 2;
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kNoCapacity);
}

TEST(Rules, MenteeTwoLevelsUpTheMentorsLineIsAConflict) {
  // Given a mentor whose manager reports to the mentee, the pair is in one management line.
  Cohort c = EligiblePair();
  c.people.push_back(MakePerson("x", 1, {"de"}, 0, 0, {0, 0, 0}, {0, 0, 0}));  // index 2
  c.people[kMentor].manager_id = "x";
  c.people[2].manager_id = "e";
  RulesFixture f(c);
  EXPECT_TRUE(f.problems().empty());
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kManagementLine);
}

TEST(Rules, MentorTwoLevelsUpTheMenteesLineIsAConflict) {
  // Given a mentee whose manager reports to the mentor (open mode, so level does not decide),
  // the pair is in one management line.
  Cohort c = EligiblePair();
  c.people.push_back(MakePerson("x", 1, {"de"}, 0, 0, {0, 0, 0}, {0, 0, 0}));  // index 2
  c.people[kMentee].manager_id = "x";
  c.people[2].manager_id = "m";
  RulesFixture f(c, MatchMode::kOpen);
  EXPECT_TRUE(f.problems().empty());
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kManagementLine);
}

TEST(Rules, SameManagerIsNoConflict) {
  Cohort c = EligiblePair();
  c.people.push_back(MakePerson("x", 3, {"de"}, 0, 0, {0, 0, 0}, {0, 0, 0}));
  c.people[kMentee].manager_id = "x";
  c.people[kMentor].manager_id = "x";
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kEligible);
}

TEST(Rules, ReverseModeNeedsAMoreJuniorMentor) {
  Cohort same = EligiblePair();
  same.people[kMentor].level = same.people[kMentee].level;
  EXPECT_EQ(RulesFixture(same).rules().Check(kMentor, kMentee), Ineligibility::kLevel);

  Cohort senior = EligiblePair();
  senior.people[kMentor].level = 3;
  EXPECT_EQ(RulesFixture(senior).rules().Check(kMentor, kMentee), Ineligibility::kLevel);
}

TEST(Rules, OpenModeIgnoresLevels) {
  Cohort same = EligiblePair();
  same.people[kMentor].level = same.people[kMentee].level;
  EXPECT_EQ(RulesFixture(same, MatchMode::kOpen).rules().Check(kMentor, kMentee),
            Ineligibility::kEligible);

  Cohort senior = EligiblePair();
  senior.people[kMentor].level = 3;
  RulesFixture f(senior, MatchMode::kOpen);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kEligible);
  EXPECT_TRUE(f.rules().LevelAllows(3, 0));
  EXPECT_FALSE(RulesFixture(EligiblePair()).rules().LevelAllows(2, 2));
  EXPECT_TRUE(RulesFixture(EligiblePair()).rules().LevelAllows(1, 2));
}

TEST(Rules, DisjointLanguagesAreNotEligible) {
  Cohort c = EligiblePair();
  c.people[kMentor].languages = {"en", "fr"};
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kLanguage);
}

TEST(Rules, OneSharedLanguageIsEnough) {
  Cohort c = EligiblePair();
  c.people[kMentor].languages = {"en", "de"};
  c.people[kMentee].languages = {"fr", "de"};
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kEligible);
}

TEST(Rules, UnstatedLanguagesAreCompatibleWithAny) {
  Cohort mentor_silent = EligiblePair();
  mentor_silent.people[kMentor].languages = {};
  mentor_silent.people[kMentee].languages = {"en"};
  EXPECT_EQ(RulesFixture(mentor_silent).rules().Check(kMentor, kMentee), Ineligibility::kEligible);

  Cohort mentee_silent = EligiblePair();
  mentee_silent.people[kMentee].languages = {};
  mentee_silent.people[kMentor].languages = {"en"};
  EXPECT_EQ(RulesFixture(mentee_silent).rules().Check(kMentor, kMentee), Ineligibility::kEligible);

  Cohort both_silent = EligiblePair();
  both_silent.people[kMentee].languages = {};
  both_silent.people[kMentor].languages = {};
  EXPECT_EQ(RulesFixture(both_silent).rules().Check(kMentor, kMentee), Ineligibility::kEligible);
}

TEST(Rules, LanguageMasksFollowFirstAppearance) {
  Cohort c = EligiblePair();
  c.people[kMentee].languages = {"en", "de"};
  c.people[kMentor].languages = {"fr"};
  RulesFixture f(c);
  EXPECT_EQ(f.rules().languages(), (std::vector<std::string>{"en", "de", "fr"}));
  EXPECT_EQ(f.rules().LanguageMask(kMentee), 0b011u);
  EXPECT_EQ(f.rules().LanguageMask(kMentor), 0b100u);
  EXPECT_FALSE(f.rules().LanguagesCompatible(0b011u, 0b100u));
  EXPECT_TRUE(f.rules().LanguagesCompatible(0, 0b100u));
  EXPECT_TRUE(f.rules().LanguagesCompatible(0b110u, 0b100u));
}

TEST(Rules, ExcludedPairIsNotEligible) {
  RulesFixture f(EligiblePair(), MatchMode::kReverse, {{kMentor, kMentee}});
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kExcluded);
  EXPECT_TRUE(f.rules().IsExcluded(kMentor, kMentee));
}

TEST(Rules, ExclusionHasADirection) {
  // Given an excluded pair (e mentors m), m may still mentor e.
  Cohort c = EligiblePair();
  c.people[kMentee].mentor_capacity = 1;
  c.people[kMentee].skill = {0, 2, 0};
  c.people[kMentor].mentee_capacity = 1;
  c.people[kMentor].interest = {0, 3, 0};
  RulesFixture f(c, MatchMode::kOpen, {{kMentee, kMentor}});
  EXPECT_EQ(f.rules().Check(kMentee, kMentor), Ineligibility::kExcluded);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kEligible);
  EXPECT_FALSE(f.rules().IsExcluded(kMentor, kMentee));
}

TEST(Rules, ZeroScoreIsNotEligible) {
  Cohort c = EligiblePair();
  c.people[kMentee].interest = {0, 3, 3};  // wants what the mentor cannot teach
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Score(kMentor, kMentee), 0);
  EXPECT_EQ(f.rules().Check(kMentor, kMentee), Ineligibility::kNoScore);
}

TEST(Rules, ScoreIsWeightTimesInterestTimesSkillSummedOverTopics) {
  Cohort c = EligiblePair();
  c.people[kMentee].interest = {3, 2, 1};
  c.people[kMentor].skill = {1, 3, 2};
  RulesFixture f(c);
  // weights 2, 1, 3: 2*3*1 + 1*2*3 + 3*1*2 = 18.
  EXPECT_EQ(f.rules().Score(kMentor, kMentee), 18);
  // The score is directional: the mentee's skills and the mentor's interests do not count.
  EXPECT_EQ(f.rules().Score(kMentee, kMentor), 0);
}

TEST(Rules, ScoreReachesItsMaximum) {
  Cohort c = EligiblePair();
  c.people[kMentee].interest = {3, 3, 3};
  c.people[kMentor].skill = {3, 3, 3};
  RulesFixture f(c);
  EXPECT_EQ(f.rules().Score(kMentor, kMentee), (2 + 1 + 3) * kMaxRating * kMaxRating);
}

TEST(Rules, ContributionsAreLargestFirst) {
  Cohort c = EligiblePair();
  c.people[kMentee].interest = {1, 3, 2};
  c.people[kMentor].skill = {1, 3, 3};
  RulesFixture f(c);
  // zeta 2*1*1 = 2, alpha 1*3*3 = 9, mid 3*2*3 = 18.
  const std::vector<TopicContribution> got = f.rules().Contributions(kMentor, kMentee);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].topic, 2);
  EXPECT_EQ(got[0].points, 18);
  EXPECT_EQ(got[1].topic, 1);
  EXPECT_EQ(got[1].points, 9);
  EXPECT_EQ(got[2].topic, 0);
  EXPECT_EQ(got[2].points, 2);
}

TEST(Rules, ContributionTiesGoByTopicKey) {
  Cohort c = EligiblePair();
  // zeta 2*3*1 = 6, alpha 1*2*3 = 6, mid 3*1*2 = 6: all tied, so alpha, mid, zeta.
  c.people[kMentee].interest = {3, 2, 1};
  c.people[kMentor].skill = {1, 3, 2};
  RulesFixture f(c);
  const std::vector<TopicContribution> got = f.rules().Contributions(kMentor, kMentee);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].topic, 1);
  EXPECT_EQ(got[1].topic, 2);
  EXPECT_EQ(got[2].topic, 0);
  for (const TopicContribution& t : got) EXPECT_EQ(t.points, 6);
}

TEST(Rules, ContributionsLeaveOutTopicsWithoutPoints) {
  Cohort c = EligiblePair();
  c.people[kMentee].interest = {2, 3, 0};
  c.people[kMentor].skill = {3, 0, 3};
  RulesFixture f(c);
  const std::vector<TopicContribution> got = f.rules().Contributions(kMentor, kMentee);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].topic, 0);
  EXPECT_EQ(got[0].points, 12);
  int sum = 0;
  for (const TopicContribution& t : got) sum += t.points;
  EXPECT_EQ(sum, f.rules().Score(kMentor, kMentee));
}

TEST(Rules, EveryIneligibilityHasItsOwnText) {
  std::set<std::string> texts;
  for (Ineligibility why :
       {Ineligibility::kEligible, Ineligibility::kSamePerson, Ineligibility::kNoCapacity,
        Ineligibility::kManagementLine, Ineligibility::kLevel, Ineligibility::kLanguage,
        Ineligibility::kExcluded, Ineligibility::kNoScore}) {
    const std::string text = IneligibilityText(why);
    EXPECT_FALSE(text.empty());
    texts.insert(text);
  }
  EXPECT_EQ(texts.size(), 8u);
}

TEST(Rules, LanguageNameKnowsCommonCodes) {
  EXPECT_EQ(LanguageName("de"), "German");
  EXPECT_EQ(LanguageName("en"), "English");
  EXPECT_EQ(LanguageName("xx"), "xx");
}

}  // namespace
}  // namespace tandem
