#include "match/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/cohort.h"
#include "core/management_tree.h"
#include "core/rules.h"
#include "match/cohort_testing.h"

namespace tandem {
namespace {

// ---------------------------------------------------------------------------------------------
// Building cohorts by hand.

std::vector<Topic> ThreeTopics() {
  return {{"ai", "AI", 1}, {"blockchain", "Blockchain", 2}, {"cloud", "Cloud", 1}};
}

struct PersonSpec {
  std::string id;
  int level = 0;
  int mentor_capacity = 0;
  int mentee_capacity = 0;
  std::vector<std::uint8_t> interest;
  std::vector<std::uint8_t> skill;
  std::vector<std::string> languages;
  std::string manager_id;
};

Person MakePerson(PersonSpec s) {
  Person p;
  p.id = std::move(s.id);
  p.level = s.level;
  p.mentor_capacity = s.mentor_capacity;
  p.mentee_capacity = s.mentee_capacity;
  p.interest = std::move(s.interest);
  p.skill = std::move(s.skill);
  p.languages = std::move(s.languages);
  p.manager_id = std::move(s.manager_id);
  return p;
}

// A cohort together with its tree, as RunMatching requires: people sorted by id.
struct Fixture {
  explicit Fixture(Cohort c) : cohort(std::move(c)) {
    SortPeopleById(cohort);
    std::vector<ManagementTree::Problem> problems;
    tree = ManagementTree::Build(cohort.people, &problems);
    EXPECT_TRUE(problems.empty());
  }

  int Index(const std::string& id) const {
    for (size_t i = 0; i < cohort.people.size(); ++i) {
      if (cohort.people[i].id == id) return static_cast<int>(i);
    }
    ADD_FAILURE() << "no person " << id;
    return -1;
  }

  MatchResult Run(MatchMode mode, Objective objective = Objective::kOptimal,
                  std::vector<std::pair<std::string, std::string>> excluded_ids = {},
                  int candidates = MatchOptions::kAutoCandidates) const {
    std::vector<std::pair<int, int>> excluded;
    for (const auto& [m, e] : excluded_ids) excluded.emplace_back(Index(m), Index(e));
    MatchOptions options;
    options.mode = mode;
    options.objective = objective;
    options.candidates = candidates;
    return RunMatching(cohort, tree, excluded, options);
  }

  // (mentor id, mentee id) of every tandem, in output order.
  std::vector<std::pair<std::string, std::string>> Pairs(const MatchResult& r) const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const Tandem& t : r.tandems) {
      out.emplace_back(cohort.people[static_cast<size_t>(t.mentor)].id,
                       cohort.people[static_cast<size_t>(t.mentee)].id);
    }
    return out;
  }

  Cohort cohort;
  ManagementTree tree;
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

// A senior mentee "boss" (level 3, German) who wants AI, and a junior mentor "dev" (level 1,
// German) who teaches it: a tandem, until a test breaks one rule.
Cohort OnePair() {
  Cohort c;
  c.topics = ThreeTopics();
  c.people.push_back(MakePerson({"boss", 3, 0, 1, {3, 0, 0}, {0, 0, 0}, {"de"}, ""}));
  c.people.push_back(MakePerson({"dev", 1, 1, 0, {0, 0, 0}, {2, 0, 0}, {"de"}, ""}));
  return c;
}

// ---------------------------------------------------------------------------------------------
// The rules, re-derived from their text, and an exhaustive search over whole cohorts.

// "A pair (mentor m, mentee e) is eligible when all hold: m != e; m has mentor capacity and
// e mentee capacity; neither is in the other's management line (manager chain, any depth);
// in reverse mode level(m) < level(e); the two share a language when both list languages;
// the pair is not excluded; and its score is positive."
class RulesFromText {
 public:
  RulesFromText(const Cohort& cohort, MatchMode mode,
                const std::vector<std::pair<int, int>>& excluded)
      : cohort_(cohort), mode_(mode), excluded_(excluded.begin(), excluded.end()) {}

  // score(m, e) = sum over topics t of weight(t) * interest(e, t) * skill(m, t).
  int Score(int m, int e) const {
    int score = 0;
    for (size_t t = 0; t < cohort_.topics.size(); ++t) {
      score += cohort_.topics[t].weight * At(e).interest[t] * At(m).skill[t];
    }
    return score;
  }

  bool Eligible(int m, int e) const {
    if (m == e) return false;
    if (At(m).mentor_capacity <= 0 || At(e).mentee_capacity <= 0) return false;
    if (Manages(m, e) || Manages(e, m)) return false;
    if (mode_ == MatchMode::kReverse && At(m).level >= At(e).level) return false;
    if (!At(m).languages.empty() && !At(e).languages.empty()) {
      bool shared = false;
      for (const std::string& l : At(m).languages) {
        for (const std::string& k : At(e).languages) shared = shared || l == k;
      }
      if (!shared) return false;
    }
    if (excluded_.count({m, e}) != 0) return false;
    return Score(m, e) > 0;
  }

 private:
  const Person& At(int i) const { return cohort_.people[static_cast<size_t>(i)]; }

  // True when `boss` is found by walking up from `p` through manager ids.
  bool Manages(int boss, int p) const {
    std::string at = At(p).manager_id;
    for (size_t steps = 0; !at.empty() && steps <= cohort_.people.size(); ++steps) {
      if (at == At(boss).id) return true;
      const auto it = std::find_if(cohort_.people.begin(), cohort_.people.end(),
                                   [&at](const Person& q) { return q.id == at; });
      if (it == cohort_.people.end()) return false;
      at = it->manager_id;
    }
    return false;
  }

  const Cohort& cohort_;
  const MatchMode mode_;
  const std::set<std::pair<int, int>> excluded_;
};

struct EligiblePair {
  int mentor = 0;
  int mentee = 0;
  int score = 0;
};

// The best (tandems, total score) over every set of eligible pairs within the capacities.
// Branches that cannot beat the best found so far, even taking every remaining pair, are cut.
class CohortSearch {
 public:
  CohortSearch(const Cohort& cohort, std::vector<EligiblePair> pairs) : pairs_(std::move(pairs)) {
    for (const Person& p : cohort.people) {
      mentor_left_.push_back(p.mentor_capacity);
      mentee_left_.push_back(p.mentee_capacity);
    }
  }

  std::pair<std::int64_t, std::int64_t> Best() {
    Visit(0, 0, 0);
    return best_;
  }

 private:
  void Visit(size_t k, std::int64_t count, std::int64_t total) {
    best_ = std::max(best_, std::make_pair(count, total));
    if (k == pairs_.size()) return;
    std::int64_t more = 0, more_score = 0;
    for (size_t j = k; j < pairs_.size(); ++j) {
      if (Fits(pairs_[j])) {
        ++more;
        more_score += pairs_[j].score;
      }
    }
    if (std::make_pair(count + more, total + more_score) <= best_) return;
    const EligiblePair& p = pairs_[k];
    if (Fits(p)) {
      --mentor_left_[static_cast<size_t>(p.mentor)];
      --mentee_left_[static_cast<size_t>(p.mentee)];
      Visit(k + 1, count + 1, total + p.score);
      ++mentor_left_[static_cast<size_t>(p.mentor)];
      ++mentee_left_[static_cast<size_t>(p.mentee)];
    }
    Visit(k + 1, count, total);
  }

  bool Fits(const EligiblePair& p) const {
    return mentor_left_[static_cast<size_t>(p.mentor)] > 0 &&
           mentee_left_[static_cast<size_t>(p.mentee)] > 0;
  }

  const std::vector<EligiblePair> pairs_;
  std::vector<int> mentor_left_;
  std::vector<int> mentee_left_;
  std::pair<std::int64_t, std::int64_t> best_{0, 0};
};

// A random cohort of n people (ids p000.., so index order is id order) on three topics with
// random weights: levels 0..3, sometimes a management forest, languages from
// {de, en, both, none}, capacities 0..2 in both roles, sparse ratings.
Cohort RandomCohort(std::mt19937& rng, int n) {
  Cohort c;
  std::uniform_int_distribution<int> weight(1, 3), coin(0, 1);
  c.topics = {{"ai", "AI", weight(rng)},
              {"blockchain", "Blockchain", weight(rng)},
              {"cloud", "Cloud", weight(rng)}};
  test_util::AddRandomPeople(rng, n, &c);
  if (coin(rng) != 0) test_util::AddRandomManagers(rng, &c);
  return c;
}

Cohort RandomSmallCohort(std::mt19937& rng) {
  return RandomCohort(rng, std::uniform_int_distribution<int>(1, 8)(rng));
}

std::vector<std::pair<int, int>> RandomExclusions(std::mt19937& rng, int n) {
  std::uniform_int_distribution<int> person(0, n - 1);
  std::vector<std::pair<int, int>> out;
  const int count = std::uniform_int_distribution<int>(0, 3)(rng);
  for (int i = 0; i < count; ++i) out.emplace_back(person(rng), person(rng));
  return out;
}

// Checks what every result must satisfy: eligible pairs with their true scores, each pair
// at most once, capacities kept, output order, and a report that adds up.
void ExpectSoundResult(const Cohort& cohort, const RulesFromText& rules, const MatchResult& r) {
  std::vector<int> as_mentor(cohort.people.size(), 0), as_mentee(cohort.people.size(), 0);
  std::int64_t total = 0;
  for (size_t i = 0; i < r.tandems.size(); ++i) {
    const Tandem& t = r.tandems[i];
    EXPECT_TRUE(rules.Eligible(t.mentor, t.mentee)) << t.mentor << " -> " << t.mentee;
    EXPECT_EQ(t.score, rules.Score(t.mentor, t.mentee));
    if (i > 0) {
      const Tandem& previous = r.tandems[i - 1];
      EXPECT_LT(std::tie(previous.mentor, previous.mentee), std::tie(t.mentor, t.mentee))
          << "tandems out of order or repeated";
    }
    ++as_mentor[static_cast<size_t>(t.mentor)];
    ++as_mentee[static_cast<size_t>(t.mentee)];
    total += t.score;
  }
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    EXPECT_LE(as_mentor[i], cohort.people[i].mentor_capacity) << cohort.people[i].id;
    EXPECT_LE(as_mentee[i], cohort.people[i].mentee_capacity) << cohort.people[i].id;
  }
  EXPECT_EQ(r.report.tandems, static_cast<std::int64_t>(r.tandems.size()));
  EXPECT_EQ(r.report.total_score, total);
  EXPECT_EQ(r.report.mentor_capacity_used, r.report.tandems);
}

// Pairs (mentor, mentee) that block the tandems at the cohort level: both rank by score,
// ties by person index (= id order), and each has a free place or a worse current partner.
int CountBlockingPairs(const Cohort& cohort, const RulesFromText& rules,
                       const std::vector<Tandem>& tandems) {
  const int n = static_cast<int>(cohort.people.size());
  auto taken = [&tandems](int m, int e) {
    return std::any_of(tandems.begin(), tandems.end(),
                       [m, e](const Tandem& t) { return t.mentor == m && t.mentee == e; });
  };
  int blocking = 0;
  for (int m = 0; m < n; ++m) {
    for (int e = 0; e < n; ++e) {
      if (!rules.Eligible(m, e) || taken(m, e)) continue;
      const int score = rules.Score(m, e);
      int mentee_load = 0, mentor_load = 0;
      bool mentee_prefers = false, mentor_prefers = false;
      for (const Tandem& t : tandems) {
        if (t.mentee == e) {
          ++mentee_load;
          mentee_prefers =
              mentee_prefers || std::make_pair(-score, m) < std::make_pair(-t.score, t.mentor);
        }
        if (t.mentor == m) {
          ++mentor_load;
          mentor_prefers =
              mentor_prefers || std::make_pair(-score, e) < std::make_pair(-t.score, t.mentee);
        }
      }
      const Person& mentor = cohort.people[static_cast<size_t>(m)];
      const Person& mentee = cohort.people[static_cast<size_t>(e)];
      if ((mentee_load < mentee.mentee_capacity || mentee_prefers) &&
          (mentor_load < mentor.mentor_capacity || mentor_prefers)) {
        ++blocking;
      }
    }
  }
  return blocking;
}

TEST(Engine, OptimalEqualsExhaustiveSearchOnSmallCohorts) {
  // Given hundreds of random cohorts of up to 8 people in both modes, the rules agree with
  // their text and the optimal objective finds the best set of tandems there is.
  std::mt19937 rng(31);
  int with_tandems = 0;
  for (int round = 0; round < 1000; ++round) {
    const Fixture f(RandomSmallCohort(rng));
    const Cohort& cohort = f.cohort;
    const int n = static_cast<int>(cohort.people.size());
    const std::vector<std::pair<int, int>> excluded = RandomExclusions(rng, n);
    const MatchMode mode = round % 2 == 0 ? MatchMode::kReverse : MatchMode::kOpen;
    SCOPED_TRACE(::testing::Message()
                 << "round " << round << (round % 2 == 0 ? " reverse" : " open"));

    const RulesFromText expected_rules(cohort, mode, excluded);
    const Rules rules(cohort, f.tree, mode, excluded);
    std::vector<EligiblePair> pairs;
    for (int m = 0; m < n; ++m) {
      for (int e = 0; e < n; ++e) {
        const bool eligible = expected_rules.Eligible(m, e);
        ASSERT_EQ(rules.Eligible(m, e), eligible)
            << "mentor " << m << ", mentee " << e << ": " << IneligibilityText(rules.Check(m, e));
        ASSERT_EQ(rules.Score(m, e), expected_rules.Score(m, e));
        if (eligible) pairs.push_back({m, e, expected_rules.Score(m, e)});
      }
    }
    const auto [count, total] = CohortSearch(cohort, pairs).Best();

    for (int candidates : {0, MatchOptions::kAutoCandidates}) {
      MatchOptions options;
      options.mode = mode;
      options.objective = Objective::kOptimal;
      options.candidates = candidates;
      const MatchResult r = RunMatching(cohort, f.tree, excluded, options);
      ExpectSoundResult(cohort, expected_rules, r);
      EXPECT_EQ(r.report.tandems, count);
      EXPECT_EQ(r.report.total_score, total);
      EXPECT_TRUE(r.report.exact);
      if (candidates == 0) {
        EXPECT_EQ(r.report.candidates, 0);
      }
    }
    with_tandems += count > 0;
  }
  EXPECT_GT(with_tandems, 300);  // the search was not trivially empty
}

TEST(Engine, AutoCandidatesEqualTheFullGraphOnMediumCohorts) {
  // Given cohorts where mentees have more eligible mentors than the first candidate graph
  // keeps, the automatic choice still reaches the optimum of the full graph and says so.
  std::mt19937 rng(34);
  for (int round = 0; round < 8; ++round) {
    const Fixture f(RandomCohort(rng, std::uniform_int_distribution<int>(100, 250)(rng)));
    const MatchMode mode = round % 2 == 0 ? MatchMode::kOpen : MatchMode::kReverse;
    SCOPED_TRACE(::testing::Message() << "round " << round);
    const MatchResult full = f.Run(mode, Objective::kOptimal, {}, 0);
    const MatchResult automatic =
        f.Run(mode, Objective::kOptimal, {}, MatchOptions::kAutoCandidates);
    const RulesFromText rules(f.cohort, mode, {});
    ExpectSoundResult(f.cohort, rules, full);
    ExpectSoundResult(f.cohort, rules, automatic);
    EXPECT_EQ(automatic.report.tandems, full.report.tandems);
    EXPECT_EQ(automatic.report.total_score, full.report.total_score);
    EXPECT_TRUE(automatic.report.exact);
    EXPECT_TRUE(full.report.exact);
    EXPECT_EQ(automatic.report.candidates, 0);
    if (mode == MatchMode::kOpen) {
      // Open mode leaves most pairs eligible: the first graph was cut short.
      EXPECT_LT(automatic.report.candidate_arcs, full.report.candidate_arcs);
    }
  }
}

TEST(Engine, StableHasNoBlockingPairOnSmallCohorts) {
  // Given random cohorts, the stable objective leaves no pair that would rather be together.
  std::mt19937 rng(32);
  for (int round = 0; round < 500; ++round) {
    const Fixture f(RandomSmallCohort(rng));
    const int n = static_cast<int>(f.cohort.people.size());
    const std::vector<std::pair<int, int>> excluded = RandomExclusions(rng, n);
    const MatchMode mode = round % 2 == 0 ? MatchMode::kReverse : MatchMode::kOpen;
    SCOPED_TRACE(::testing::Message() << "round " << round);
    MatchOptions options;
    options.mode = mode;
    options.objective = Objective::kStable;
    const MatchResult r = RunMatching(f.cohort, f.tree, excluded, options);
    const RulesFromText rules(f.cohort, mode, excluded);
    ExpectSoundResult(f.cohort, rules, r);
    EXPECT_EQ(r.report.blocking_pair_count, 0);
    EXPECT_TRUE(r.report.blocking_pairs.empty());
    EXPECT_EQ(CountBlockingPairs(f.cohort, rules, r.tandems), 0);
  }
}

TEST(Engine, OptimalReportsItsBlockingPairs) {
  // Given a cohort where the most tandems need an unstable choice, the optimal result reports
  // the pair that blocks it.
  Cohort c;
  c.topics = ThreeTopics();
  // e0 fits m0 (9) and m1 (6); e1 fits only m0 (6).
  c.people.push_back(MakePerson({"e0", 3, 0, 1, {3, 0, 0}, {0, 0, 0}, {}, ""}));
  c.people.push_back(MakePerson({"e1", 3, 0, 1, {0, 0, 3}, {0, 0, 0}, {}, ""}));
  c.people.push_back(MakePerson({"m0", 0, 1, 0, {0, 0, 0}, {3, 0, 2}, {}, ""}));
  c.people.push_back(MakePerson({"m1", 0, 1, 0, {0, 0, 0}, {2, 0, 0}, {}, ""}));
  const Fixture f(c);
  const MatchResult optimal = f.Run(MatchMode::kReverse);
  EXPECT_EQ(f.Pairs(optimal), (Pairs{{"m0", "e1"}, {"m1", "e0"}}));
  EXPECT_EQ(optimal.report.blocking_pair_count, 1);
  ASSERT_EQ(optimal.report.blocking_pairs.size(), 1u);
  EXPECT_EQ(optimal.report.blocking_pairs[0], std::make_pair(f.Index("m0"), f.Index("e0")));

  const MatchResult stable = f.Run(MatchMode::kReverse, Objective::kStable);
  EXPECT_EQ(f.Pairs(stable), (Pairs{{"m0", "e0"}}));
  EXPECT_EQ(stable.report.blocking_pair_count, 0);
}

TEST(Engine, BasePairFormsATandem) {
  const Fixture f(OnePair());
  const MatchResult r = f.Run(MatchMode::kReverse);
  EXPECT_EQ(f.Pairs(r), (Pairs{{"dev", "boss"}}));
  ASSERT_EQ(r.tandems.size(), 1u);
  EXPECT_EQ(r.tandems[0].score, 6);
  EXPECT_TRUE(r.report.unmatched.empty());
}

TEST(Engine, MentorReportingToMenteeFormsNoTandem) {
  // Given a mentor whose manager is the mentee, the reporting line rules the pair out.
  Cohort c = OnePair();
  c.people[1].manager_id = "boss";
  const Fixture f(c);
  EXPECT_TRUE(f.Run(MatchMode::kReverse).tandems.empty());
  EXPECT_TRUE(f.Run(MatchMode::kOpen).tandems.empty());
}

TEST(Engine, SkipLevelManagerFormsNoTandem) {
  // Given a mentor two levels below the mentee in the same line, the pair is ruled out.
  Cohort c = OnePair();
  c.people.push_back(MakePerson({"lead", 2, 0, 0, {0, 0, 0}, {0, 0, 0}, {"de"}, "boss"}));
  c.people[1].manager_id = "lead";
  const Fixture f(c);
  EXPECT_TRUE(f.Run(MatchMode::kReverse).tandems.empty());
}

TEST(Engine, SameLevelIsATandemOnlyInOpenMode) {
  Cohort c = OnePair();
  c.people[1].level = 3;
  const Fixture f(c);
  EXPECT_TRUE(f.Run(MatchMode::kReverse).tandems.empty());
  EXPECT_EQ(f.Pairs(f.Run(MatchMode::kOpen)), (Pairs{{"dev", "boss"}}));
}

TEST(Engine, SeniorMentorIsATandemOnlyInOpenMode) {
  Cohort c = OnePair();
  c.people[1].level = 4;
  const Fixture f(c);
  EXPECT_TRUE(f.Run(MatchMode::kReverse).tandems.empty());
  EXPECT_EQ(f.Pairs(f.Run(MatchMode::kOpen)), (Pairs{{"dev", "boss"}}));
}

TEST(Engine, NoSharedLanguageFormsNoTandem) {
  Cohort c = OnePair();
  c.people[1].languages = {"en"};
  const Fixture f(c);
  EXPECT_TRUE(f.Run(MatchMode::kReverse).tandems.empty());
  EXPECT_TRUE(f.Run(MatchMode::kOpen).tandems.empty());
}

TEST(Engine, UnstatedLanguageFitsAnyLanguage) {
  Cohort c = OnePair();
  c.people[1].languages = {};
  const Fixture f(c);
  EXPECT_EQ(f.Pairs(f.Run(MatchMode::kReverse)), (Pairs{{"dev", "boss"}}));
}

TEST(Engine, ExcludedPairFormsNoTandem) {
  const Fixture f(OnePair());
  EXPECT_TRUE(f.Run(MatchMode::kReverse, Objective::kOptimal, {{"dev", "boss"}}).tandems.empty());
  EXPECT_TRUE(f.Run(MatchMode::kReverse, Objective::kStable, {{"dev", "boss"}}).tandems.empty());
  // Excluding the opposite direction leaves the pair alone.
  EXPECT_EQ(f.Pairs(f.Run(MatchMode::kReverse, Objective::kOptimal, {{"boss", "dev"}})),
            (Pairs{{"dev", "boss"}}));
}

TEST(Engine, NoCommonTopicFormsNoTandem) {
  Cohort c = OnePair();
  c.people[0].interest = {0, 3, 3};
  const Fixture f(c);
  EXPECT_TRUE(f.Run(MatchMode::kOpen).tandems.empty());
}

TEST(Engine, OpenModeLetsTwoPeopleMentorEachOther) {
  // Given two peers who each teach what the other wants, open mode forms both tandems.
  Cohort c;
  c.topics = ThreeTopics();
  c.people.push_back(MakePerson({"ann", 2, 1, 1, {0, 0, 3}, {3, 0, 0}, {"de"}, ""}));
  c.people.push_back(MakePerson({"bob", 2, 1, 1, {3, 0, 0}, {0, 0, 2}, {"de"}, ""}));
  const Fixture f(c);
  const MatchResult open = f.Run(MatchMode::kOpen);
  EXPECT_EQ(f.Pairs(open), (Pairs{{"ann", "bob"}, {"bob", "ann"}}));
  EXPECT_EQ(open.report.total_score, 9 + 6);
  EXPECT_EQ(f.Pairs(f.Run(MatchMode::kOpen, Objective::kStable)),
            (Pairs{{"ann", "bob"}, {"bob", "ann"}}));
  EXPECT_TRUE(f.Run(MatchMode::kReverse).tandems.empty());
}

TEST(Engine, MenteeWantingAnUnofferedTopicIsToldSo) {
  // Given a mentee who wants only blockchain and a mentor who teaches only AI, the mentee is
  // unmatched because nobody offers blockchain.
  Cohort c = OnePair();
  c.people[0].interest = {0, 3, 0};
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  EXPECT_TRUE(r.tandems.empty());
  const auto it = std::find_if(
      r.report.unmatched.begin(), r.report.unmatched.end(),
      [&f](const UnmatchedPerson& u) { return u.person == f.Index("boss") && u.role == "mentee"; });
  ASSERT_NE(it, r.report.unmatched.end());
  EXPECT_NE(it->reason.find("nobody offers"), std::string::npos) << it->reason;
  EXPECT_NE(it->reason.find("Blockchain"), std::string::npos) << it->reason;
}

TEST(Engine, MenteeWithoutMentorInTheirLanguageIsToldSo) {
  // Given a German-speaking mentee and an English-speaking mentor, the mentee learns that
  // nobody offers the topic in German.
  Cohort c = OnePair();
  c.people[1].languages = {"en"};
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  EXPECT_TRUE(r.tandems.empty());
  const auto it = std::find_if(
      r.report.unmatched.begin(), r.report.unmatched.end(),
      [&f](const UnmatchedPerson& u) { return u.person == f.Index("boss") && u.role == "mentee"; });
  ASSERT_NE(it, r.report.unmatched.end());
  EXPECT_NE(it->reason.find("in German"), std::string::npos) << it->reason;
  // The mentor is unmatched too.
  EXPECT_TRUE(std::any_of(
      r.report.unmatched.begin(), r.report.unmatched.end(),
      [&f](const UnmatchedPerson& u) { return u.person == f.Index("dev") && u.role == "mentor"; }));
}

TEST(Engine, MenteeWhoLostToABetterPairIsToldSo) {
  // Given two mentees for one mentor place, the weaker fit is told a better pair won.
  Cohort c = OnePair();
  c.people.push_back(MakePerson({"chief", 3, 0, 1, {1, 0, 0}, {0, 0, 0}, {"de"}, ""}));
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  EXPECT_EQ(f.Pairs(r), (Pairs{{"dev", "boss"}}));
  ASSERT_EQ(r.report.unmatched.size(), 1u);
  EXPECT_EQ(r.report.unmatched[0].person, f.Index("chief"));
  EXPECT_EQ(r.report.unmatched[0].role, "mentee");
  EXPECT_NE(r.report.unmatched[0].reason.find("better pair"), std::string::npos)
      << r.report.unmatched[0].reason;
}

TEST(Engine, CandidateLimitMakesTheResultInexact) {
  // Given a mentee with two eligible mentors, keeping one candidate per mentee drops a pair
  // and the report says the result is not exact; keeping all of them is exact.
  Cohort c = OnePair();
  c.people.push_back(MakePerson({"dev2", 1, 1, 0, {0, 0, 0}, {1, 0, 0}, {"de"}, ""}));
  const Fixture f(c);
  const MatchResult limited = f.Run(MatchMode::kReverse, Objective::kOptimal, {}, 1);
  EXPECT_FALSE(limited.report.exact);
  EXPECT_EQ(limited.report.candidates, 1);
  EXPECT_EQ(limited.report.candidate_arcs, 1);
  EXPECT_EQ(f.Pairs(limited), (Pairs{{"dev", "boss"}}));

  const MatchResult full = f.Run(MatchMode::kReverse, Objective::kOptimal, {}, 0);
  EXPECT_TRUE(full.report.exact);
  EXPECT_EQ(full.report.candidates, 0);
  EXPECT_EQ(full.report.candidate_arcs, 2);
}

TEST(Engine, CandidateLimitThatDropsNothingIsExact) {
  // Given a mentee with exactly one eligible mentor, a limit of one loses nothing.
  const Fixture f(OnePair());
  const MatchResult r = f.Run(MatchMode::kReverse, Objective::kOptimal, {}, 1);
  EXPECT_TRUE(r.report.exact);
  EXPECT_EQ(r.tandems.size(), 1u);
}

TEST(Engine, TandemsAreSortedAndExplained) {
  // Given several mentors and mentees given in scrambled id order, tandems come out by mentor,
  // then mentee, each with its contributions largest first.
  Cohort c;
  c.topics = ThreeTopics();
  c.people.push_back(MakePerson({"z-mentor", 0, 2, 0, {0, 0, 0}, {3, 1, 2}, {}, ""}));
  c.people.push_back(MakePerson({"c-mentee", 3, 0, 1, {1, 3, 3}, {0, 0, 0}, {}, ""}));
  c.people.push_back(MakePerson({"a-mentor", 0, 2, 0, {0, 0, 0}, {1, 3, 3}, {}, ""}));
  c.people.push_back(MakePerson({"b-mentee", 3, 0, 1, {3, 1, 2}, {0, 0, 0}, {}, ""}));
  c.people.push_back(MakePerson({"d-mentee", 3, 0, 1, {2, 2, 2}, {0, 0, 0}, {}, ""}));
  c.people.push_back(MakePerson({"e-mentee", 3, 0, 1, {3, 0, 1}, {0, 0, 0}, {}, ""}));
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  ASSERT_EQ(r.tandems.size(), 4u);
  for (size_t i = 1; i < r.tandems.size(); ++i) {
    EXPECT_LT(std::tie(r.tandems[i - 1].mentor, r.tandems[i - 1].mentee),
              std::tie(r.tandems[i].mentor, r.tandems[i].mentee));
  }
  const Rules rules(f.cohort, f.tree, MatchMode::kReverse, {});
  for (const Tandem& t : r.tandems) {
    ASSERT_FALSE(t.contributions.empty());
    int sum = 0;
    for (size_t i = 0; i < t.contributions.size(); ++i) {
      sum += t.contributions[i].points;
      if (i > 0) {
        EXPECT_GE(t.contributions[i - 1].points, t.contributions[i].points);
      }
    }
    EXPECT_EQ(sum, t.score);
    const std::vector<TopicContribution> expected = rules.Contributions(t.mentor, t.mentee);
    ASSERT_EQ(t.contributions.size(), expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(t.contributions[i].topic, expected[i].topic);
      EXPECT_EQ(t.contributions[i].points, expected[i].points);
    }
    EXPECT_FALSE(t.reasons.empty());
  }
}

TEST(Engine, ReasonsQuoteTheMentorsExperience) {
  Cohort c = OnePair();
  c.people[1].experience = {{0, "built the recommender"}};
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  ASSERT_EQ(r.tandems.size(), 1u);
  EXPECT_NE(r.tandems[0].reasons.find("built the recommender"), std::string::npos)
      << r.tandems[0].reasons;
  EXPECT_NE(r.tandems[0].reasons.find("AI"), std::string::npos) << r.tandems[0].reasons;
}

TEST(Engine, ReportCountsPeopleAndPlaces) {
  Cohort c = OnePair();
  c.people.push_back(MakePerson({"chief", 3, 0, 2, {1, 0, 0}, {0, 0, 0}, {"de"}, ""}));
  c.people.push_back(MakePerson({"dev2", 1, 3, 0, {0, 0, 0}, {0, 0, 1}, {"de"}, ""}));
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  EXPECT_EQ(r.report.mentees_wanting, 2);
  EXPECT_EQ(r.report.mentee_places_wanted, 3);
  EXPECT_EQ(r.report.mentors_offering, 2);
  EXPECT_EQ(r.report.mentor_capacity_offered, 4);
  EXPECT_EQ(r.report.tandems, 1);  // dev teaches boss (6) rather than chief (2)
  EXPECT_EQ(r.report.total_score, 6);
  EXPECT_EQ(r.report.mentees_matched, 1);
  EXPECT_EQ(r.report.lowest_score, 6);
  EXPECT_DOUBLE_EQ(r.report.mean_score, 6.0);
  ASSERT_EQ(r.report.topics.size(), 3u);
  EXPECT_EQ(r.report.topics[0].demand, 3 + 1);  // AI wanted by boss (3) and chief (1)
  EXPECT_EQ(r.report.topics[0].supply, 2 * 1);  // dev's skill 2 times capacity 1
  EXPECT_EQ(r.report.topics[2].supply, 1 * 3);  // dev2's skill 1 times capacity 3
}

TEST(Engine, SameCohortSameResult) {
  std::mt19937 rng(33);
  for (int round = 0; round < 20; ++round) {
    const Fixture f(RandomSmallCohort(rng));
    for (Objective objective : {Objective::kOptimal, Objective::kStable}) {
      const MatchResult a = f.Run(MatchMode::kOpen, objective);
      const MatchResult b = f.Run(MatchMode::kOpen, objective);
      EXPECT_EQ(f.Pairs(a), f.Pairs(b));
      ASSERT_EQ(a.tandems.size(), b.tandems.size());
      for (size_t i = 0; i < a.tandems.size(); ++i) {
        EXPECT_EQ(a.tandems[i].reasons, b.tandems[i].reasons);
      }
    }
  }
}

TEST(Engine, EmptyCohortHasNoTandems) {
  Cohort c;
  c.topics = ThreeTopics();
  const Fixture f(c);
  const MatchResult r = f.Run(MatchMode::kReverse);
  EXPECT_TRUE(r.tandems.empty());
  EXPECT_TRUE(r.report.unmatched.empty());
  EXPECT_EQ(r.report.total_score, 0);
}

TEST(Engine, OnlyOfferedByThemselvesIsNotAManagementLineProblem) {
  // Pins a review finding: in open mode a mentee who is the only one offering their topic was
  // told that everyone who could mentor them is in their management line.
  Cohort c;
  c.topics = {{"ai", "AI", 1}};
  Person a;
  a.id = "a";
  a.level = 1;
  a.mentor_capacity = 1;
  a.mentee_capacity = 1;
  a.interest = {3};
  a.skill = {3};
  c.people.push_back(a);
  std::vector<ManagementTree::Problem> problems;
  const ManagementTree tree = ManagementTree::Build(c.people, &problems);
  MatchOptions options;
  options.mode = MatchMode::kOpen;
  const MatchResult result = RunMatching(c, tree, {}, options);
  ASSERT_EQ(result.report.unmatched.size(), 2u);
  EXPECT_EQ(result.report.unmatched[0].role, "mentee");
  EXPECT_EQ(result.report.unmatched[0].reason, "nobody else offers 'AI'");
}

}  // namespace
}  // namespace tandem
