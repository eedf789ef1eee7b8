#include "core/survey.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace tandem {
namespace {

DisclosurePolicy K(int k) { return DisclosurePolicy::WithMinGroupSize(k).value(); }

const std::vector<std::string> kTopics{"ai", "cloud", "data"};

Answer Number(std::string question, int value) {
  Answer a;
  a.question = std::move(question);
  a.number = value;
  return a;
}

Answer ChoiceOf(std::string question, std::string choice) {
  Answer a;
  a.question = std::move(question);
  a.choice = std::move(choice);
  return a;
}

Answer Text(std::string question, std::string text) {
  Answer a;
  a.question = std::move(question);
  a.text = std::move(text);
  return a;
}

Answer Topics(std::string question, std::vector<TopicRating> ratings) {
  Answer a;
  a.question = std::move(question);
  a.topics = std::move(ratings);
  return a;
}

// A small survey with one question of every type.
Survey EveryType() {
  Survey s;
  Question scale;
  scale.key = "scale";
  scale.type = QuestionType::kScale;
  scale.required = true;
  Question nps;
  nps.key = "nps";
  nps.type = QuestionType::kRecommendation;
  Question choice;
  choice.key = "choice";
  choice.type = QuestionType::kSingleChoice;
  choice.choices = {
      {"yes", {"Ja", "Yes"}}, {"no", {"Nein", "No"}}, {"maybe", {"Vielleicht", "Maybe"}}};
  Question text;
  text.key = "text";
  text.type = QuestionType::kFreeText;
  Question topics;
  topics.key = "topics";
  topics.type = QuestionType::kTopicRating;
  for (Question* q : {&scale, &nps, &choice, &text, &topics}) {
    q->text = {"Frage", "Question"};
    q->low_label = {"wenig", "little"};
    q->high_label = {"viel", "much"};
  }
  choice.low_label = choice.high_label = text.low_label = text.high_label = {};
  s.questions = {scale, nps, choice, text, topics};
  return s;
}

// A copy, so that it may be taken from a temporary result.
QuestionResult ResultFor(const SurveyResult& r, const std::string& key) {
  for (const QuestionResult& q : r.questions) {
    if (q.key == key) return q;
  }
  ADD_FAILURE() << "no result for " << key;
  return {};
}

bool HasProblem(const std::vector<SurveyProblem>& problems, const std::string& field,
                const std::string& part) {
  for (const SurveyProblem& p : problems) {
    if (p.field == field && p.message.find(part) != std::string::npos) return true;
  }
  return false;
}

std::string Dump(const std::vector<SurveyProblem>& problems) {
  std::string s;
  for (const SurveyProblem& p : problems) s += p.field + ": " + p.message + "\n";
  return s;
}

// ---- Default surveys -----------------------------------------------------------------------

struct Combination {
  SurveyKind kind;
  SurveyAudience audience;
};
const Combination kAll[] = {{SurveyKind::kMidTerm, SurveyAudience::kMentees},
                            {SurveyKind::kMidTerm, SurveyAudience::kMentors},
                            {SurveyKind::kFinal, SurveyAudience::kMentees},
                            {SurveyKind::kFinal, SurveyAudience::kMentors}};

TEST(SurveyDefaults, AreValidWithUniqueKeysAndBothLanguagesEverywhere) {
  for (const Combination& c : kAll) {
    const Survey s = DefaultSurvey(c.kind, c.audience);
    EXPECT_EQ(s.kind, c.kind);
    EXPECT_EQ(s.audience, c.audience);
    EXPECT_TRUE(ValidateSurvey(s).empty()) << Dump(ValidateSurvey(s));
    std::set<std::string> keys;
    std::set<QuestionType> types;
    for (const Question& q : s.questions) {
      EXPECT_TRUE(keys.insert(q.key).second) << "duplicate key " << q.key;
      types.insert(q.type);
      std::vector<const LocalizedText*> texts{&q.text};
      if (q.type != QuestionType::kSingleChoice && q.type != QuestionType::kFreeText) {
        texts.push_back(&q.low_label);
        texts.push_back(&q.high_label);
      }
      std::set<std::string> choice_keys;
      for (const Choice& choice : q.choices) {
        EXPECT_TRUE(choice_keys.insert(choice.key).second) << q.key << "." << choice.key;
        texts.push_back(&choice.label);
      }
      for (const LocalizedText* t : texts) {
        EXPECT_FALSE(t->de.empty()) << q.key;
        EXPECT_FALSE(t->en.empty()) << q.key;
        EXPECT_NE(t->de, t->en) << q.key << ": not translated";
        // Formal German: the product addresses people as "Sie", never "du".
        const std::regex informal(R"(\b([Dd]u|[Dd]ich|[Dd]ir|[Dd]ein\w*|[Ee]uch|[Ee]uer\w*)\b)");
        EXPECT_FALSE(std::regex_search(t->de, informal)) << q.key << ": " << t->de;
      }
    }
    // Every survey uses the four basic types, and asks the recommendation question.
    EXPECT_TRUE(
        types.count(QuestionType::kScale) == 1 && types.count(QuestionType::kRecommendation) == 1 &&
        types.count(QuestionType::kSingleChoice) == 1 && types.count(QuestionType::kFreeText) == 1);
    EXPECT_EQ(keys.count("recommend"), 1U);
  }
}

TEST(SurveyDefaults, FinalSurveysReRateTheTopicsInBothDirections) {
  auto topic_keys = [](const Survey& s) {
    std::set<std::string> keys;
    for (const Question& q : s.questions) {
      if (q.type == QuestionType::kTopicRating) keys.insert(q.key);
    }
    return keys;
  };
  EXPECT_TRUE(topic_keys(DefaultSurvey(SurveyKind::kMidTerm, SurveyAudience::kMentees)).empty());
  EXPECT_TRUE(topic_keys(DefaultSurvey(SurveyKind::kMidTerm, SurveyAudience::kMentors)).empty());
  EXPECT_EQ(topic_keys(DefaultSurvey(SurveyKind::kFinal, SurveyAudience::kMentees)),
            (std::set<std::string>{kMenteeUnderstandingNow}));
  EXPECT_EQ(topic_keys(DefaultSurvey(SurveyKind::kFinal, SurveyAudience::kMentors)),
            (std::set<std::string>{kMentorViewBefore, kMentorViewNow}));
}

// ---- Validating a survey -------------------------------------------------------------------

TEST(ValidateSurvey, NamesEveryProblemByQuestionKey) {
  Survey s = EveryType();
  EXPECT_TRUE(ValidateSurvey(s).empty()) << Dump(ValidateSurvey(s));
  s.questions[1].key = "scale";                  // duplicate
  s.questions[2].choices.resize(1);              // one choice only
  s.questions[3].text.en = "  ";                 // English missing
  s.questions[4].key = "Topics!";                // not a key
  s.questions[0].choices = {{"a", {"A", "A"}}};  // choices on a scale
  s.questions[0].high_label.de.clear();
  const std::vector<SurveyProblem> p = ValidateSurvey(s);
  EXPECT_TRUE(HasProblem(p, "scale", "used by another question")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "choice.choices", "needs two choices")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "text.text", "English text is missing")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "Topics!", "a-z, 0-9 and _")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "scale.choices", "only single choice")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "scale.high_label", "German text is missing")) << Dump(p);
  EXPECT_TRUE(HasProblem(ValidateSurvey(Survey{}), "questions", "needs a question"));

  // Bounds: questions, choices, text length.
  Survey big = EveryType();
  while (big.questions.size() <= kMaxSurveyQuestions) {
    Question q = big.questions[0];
    q.key = "q" + std::to_string(big.questions.size());
    big.questions.push_back(q);
  }
  big.questions[2].choices.resize(kMaxSurveyChoices + 1, big.questions[2].choices[0]);
  big.questions[3].text.de = std::string(kMaxSurveyTextLength + 1, 'x');
  const std::vector<SurveyProblem> bounds = ValidateSurvey(big);
  EXPECT_TRUE(HasProblem(bounds, "questions", "at most 60 questions")) << Dump(bounds);
  EXPECT_TRUE(HasProblem(bounds, "choice.choices", "at most 30 choices")) << Dump(bounds);
  EXPECT_TRUE(HasProblem(bounds, "text.text", "at most 2000 bytes")) << Dump(bounds);
}

// ---- Validating a response -----------------------------------------------------------------

TEST(ValidateResponse, AcceptsAFullResponse) {
  SurveyResponse r;
  r.answers = {Number("scale", 4), Number("nps", 10), ChoiceOf("choice", "maybe"),
               Text("text", "Gut."), Topics("topics", {{"ai", 3}, {"data", 0}})};
  EXPECT_TRUE(ValidateResponse(EveryType(), kTopics, r).empty())
      << Dump(ValidateResponse(EveryType(), kTopics, r));
  // Optional questions may be left out; a blank text is no answer.
  SurveyResponse minimal;
  minimal.answers = {Number("scale", 1), Text("text", "   ")};
  EXPECT_TRUE(ValidateResponse(EveryType(), kTopics, minimal).empty());
}

TEST(ValidateResponse, NamesTheQuestionAndWhatIsWrong) {
  SurveyResponse r;
  r.answers = {
      Number("nps", 11),                                       // out of range
      ChoiceOf("choice", "perhaps"),                           // unknown choice
      Text("nonsense", "x"),                                   // unknown question
      Text("text", std::string(kMaxFreeTextLength + 1, 'a')),  // too long
      Topics("topics", {{"ai", 4}, {"blockchain", 1}, {"data", 2}, {"data", 3}}),
      Number("nps", 5),  // answered twice
  };
  const std::vector<SurveyProblem> p = ValidateResponse(EveryType(), kTopics, r);
  EXPECT_TRUE(HasProblem(p, "scale", "is required")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "nps", "a whole number from 0 to 10")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "nps", "more than once")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "choice", "'perhaps' is not one of the choices (yes, no, maybe)"))
      << Dump(p);
  EXPECT_TRUE(HasProblem(p, "nonsense", "not a question of this survey")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "text", "longer than 4000 characters")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "topics.ai", "a whole number from 0 to 3")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "topics.blockchain", "not a topic of the programme")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "topics.data", "rated more than once")) << Dump(p);
}

TEST(ValidateResponse, RefusesAValueOfTheWrongKind) {
  SurveyResponse r;
  Answer scale_with_text = Number("scale", 3);
  scale_with_text.text = "and a comment";
  r.answers = {scale_with_text, Number("choice", 1), ChoiceOf("scale_missing", "yes")};
  const std::vector<SurveyProblem> p = ValidateResponse(EveryType(), kTopics, r);
  EXPECT_TRUE(HasProblem(p, "scale", "a scale question takes no other kind of value")) << Dump(p);
  EXPECT_TRUE(HasProblem(p, "choice", "a single choice question takes no other kind of value"))
      << Dump(p);
  SurveyResponse low;
  low.answers = {Number("scale", 0)};
  EXPECT_TRUE(HasProblem(ValidateResponse(EveryType(), kTopics, low), "scale",
                         "a whole number from 1 to 5"));
}

TEST(ValidateResponse, CountsCharactersNotBytes) {
  std::string umlauts;
  for (std::size_t i = 0; i < kMaxFreeTextLength; ++i) umlauts += "ä";  // two bytes each
  SurveyResponse r;
  r.answers = {Number("scale", 3), Text("text", umlauts)};
  EXPECT_TRUE(ValidateResponse(EveryType(), kTopics, r).empty());
}

// ---- Aggregation ---------------------------------------------------------------------------

SurveyResponse Recommendation(int value) {
  SurveyResponse r;
  r.answers = {Number("scale", 3), Number("nps", value)};
  return r;
}

TEST(AggregateSurvey, NetPromoterScoreOnKnownAnswers) {
  // 5 promoters (9, 10), 2 passives (7, 8), 3 detractors (0..6): (5 - 3) / 10 = +20.
  std::vector<SurveyResponse> responses;
  for (const int v : {10, 10, 9, 9, 9, 8, 7, 6, 3, 0}) responses.push_back(Recommendation(v));
  const SurveyResult r = AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1);
  const QuestionResult nps = ResultFor(r, "nps");
  EXPECT_EQ(nps.respondents, std::optional<std::int64_t>(10));
  // 2 passives and 3 detractors are groups below 5: the groups and the distribution are
  // hidden, and with them the score (+20), which together with the count narrows the groups.
  EXPECT_FALSE(nps.nps.has_value());
  EXPECT_FALSE(nps.nps_groups.has_value());
  EXPECT_FALSE(nps.distribution.has_value());
  EXPECT_FALSE(nps.mean.has_value());

  // 10 promoters, 5 passives, 5 detractors: (10 - 5) / 20 = +25, and every group is shown.
  responses.clear();
  for (int i = 0; i < 10; ++i) responses.push_back(Recommendation(10));
  for (int i = 0; i < 5; ++i) responses.push_back(Recommendation(8));
  for (int i = 0; i < 5; ++i) responses.push_back(Recommendation(2));
  const QuestionResult all =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "nps");
  EXPECT_EQ(all.nps, std::optional<double>(25.0));
  EXPECT_EQ(all.nps_groups, (std::vector<std::int64_t>{5, 5, 10}));
  EXPECT_EQ(all.distribution, (std::vector<std::int64_t>{0, 0, 5, 0, 0, 0, 0, 0, 5, 0, 10}));

  // Only detractors: -100; rounding to whole points.
  responses.clear();
  for (int i = 0; i < 6; ++i) responses.push_back(Recommendation(i));
  EXPECT_EQ(
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "nps").nps,
      std::optional<double>(-100.0));
  // 6 detractors, 0 passives, 5 promoters: (5 - 6) / 11 = -9.09.
  for (int i = 0; i < 5; ++i) responses.push_back(Recommendation(9));
  EXPECT_EQ(
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "nps").nps,
      std::optional<double>(-9.0));
}

// The reviewer's example: 5 answers with a score of +80 are 4 promoters and exactly one
// passive. The score is shown only beside its shown groups.
TEST(AggregateSurvey, NetPromoterScoreNeedsItsGroupsShown) {
  std::vector<SurveyResponse> responses;
  for (const int v : {10, 10, 9, 9, 8}) responses.push_back(Recommendation(v));
  const QuestionResult four =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "nps");
  EXPECT_EQ(four.respondents, std::optional<std::int64_t>(5));
  EXPECT_FALSE(four.nps.has_value());  // would be +80
  EXPECT_FALSE(four.nps_groups.has_value());
  EXPECT_FALSE(four.distribution.has_value());

  // 5 promoters (9 and 10 mixed): the groups {0, 0, 5} are shown, so is the score +100; the
  // 0..10 distribution stays hidden (two 9s, three 10s).
  responses.back() = Recommendation(10);
  const QuestionResult five =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "nps");
  EXPECT_EQ(five.nps, std::optional<double>(100.0));
  EXPECT_EQ(five.nps_groups, (std::vector<std::int64_t>{0, 0, 5}));
  EXPECT_FALSE(five.distribution.has_value());
}

TEST(AggregateSurvey, ScaleMeanIsShownAndItsDistributionOnlyWhenNothingIsSmall) {
  std::vector<SurveyResponse> responses;
  for (const int v : {5, 5, 4, 4, 3, 2}) {
    SurveyResponse r;
    r.answers = {Number("scale", v)};
    responses.push_back(r);
  }
  const QuestionResult scale =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "scale");
  EXPECT_EQ(scale.respondents, std::optional<std::int64_t>(6));
  // Values given by 1..4 people: the distribution is hidden, and with it the mean (3.8), which
  // over few people gives back the exact sum of the answers.
  EXPECT_FALSE(scale.distribution.has_value());
  EXPECT_FALSE(scale.mean.has_value());

  responses.clear();
  for (int i = 0; i < 5; ++i) {
    for (const int v : {4, 2}) {
      SurveyResponse r;
      r.answers = {Number("scale", v)};
      responses.push_back(r);
    }
  }
  const QuestionResult even =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "scale");
  EXPECT_EQ(even.mean, std::optional<double>(3.0));
  EXPECT_EQ(even.distribution, (std::vector<std::int64_t>{0, 5, 0, 5, 0}));
}

// ShowsEveryFigure decides whether a reopened survey's new answers may be released: their
// result on its own must hide nothing that has answers behind it.
TEST(ShowsEveryFigure, OnlyWhenNothingWithAnswersIsHidden) {
  const Survey only_scale{
      SurveyKind::kMidTerm, SurveyAudience::kMentees, {EveryType().questions[0]}};
  ASSERT_EQ(only_scale.questions[0].type, QuestionType::kScale);
  const auto scale_answers = [&](std::vector<int> values) {
    std::vector<SurveyResponse> out;
    for (const int v : values) {
      SurveyResponse r;
      r.answers = {Number(only_scale.questions[0].key, v)};
      out.push_back(r);
    }
    return AggregateSurvey(DisclosurePolicy(), only_scale, kTopics, out, 1);
  };
  EXPECT_TRUE(ShowsEveryFigure(scale_answers({4, 4, 4, 4, 4})));
  EXPECT_FALSE(ShowsEveryFigure(scale_answers({4, 4, 4, 4, 4, 3})));  // one 3: hidden
  EXPECT_FALSE(ShowsEveryFigure(scale_answers({4, 4})));              // too few people
  // Five people of whom one skipped the optional question: the question is hidden.
  std::vector<SurveyResponse> skipped(5);
  for (size_t i = 0; i < 4; ++i) skipped[i].answers = {Number(only_scale.questions[0].key, 4)};
  EXPECT_FALSE(
      ShowsEveryFigure(AggregateSurvey(DisclosurePolicy(), only_scale, kTopics, skipped, 1)));
  // Nobody answered the question at all: nothing with answers is hidden.
  EXPECT_TRUE(ShowsEveryFigure(
      AggregateSurvey(DisclosurePolicy(), only_scale, kTopics, std::vector<SurveyResponse>(5), 1)));
}

// The reviewer's example: 5 answers with a mean of 4.8 mean that exactly one person answered 4.
TEST(AggregateSurvey, MeanIsHiddenWhenItsDistributionIsHidden) {
  std::vector<SurveyResponse> responses;
  for (const int v : {5, 5, 5, 5, 4}) {
    SurveyResponse r;
    r.answers = {Number("scale", v)};
    responses.push_back(r);
  }
  const QuestionResult scale =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "scale");
  EXPECT_EQ(scale.respondents, std::optional<std::int64_t>(5));
  EXPECT_FALSE(scale.mean.has_value());  // would be 4.8
  EXPECT_FALSE(scale.distribution.has_value());
}

// Beside the survey's respondents, a question's count tells how many skipped it: 1..k-1
// skipping people hide every figure of the question.
TEST(AggregateSurvey, QuestionSkippedByOneToKMinusOneIsHidden) {
  const auto respond = [](int people, int skipping) {
    std::vector<SurveyResponse> responses;
    for (int i = 0; i < people; ++i) {
      SurveyResponse r;
      if (i >= skipping) {
        r.answers = {Number("scale", 4), Number("nps", 10), ChoiceOf("choice", "yes"),
                     Text("text", "gut " + std::to_string(i)), Topics("topics", {{"ai", 2}})};
      }
      responses.push_back(r);
    }
    return AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1);
  };
  for (int skipping = 1; skipping < kDefaultMinGroupSize; ++skipping) {
    const SurveyResult r = respond(5 + skipping, skipping);
    const std::string what = "skipping=" + std::to_string(skipping);
    EXPECT_EQ(r.respondents, std::optional<std::int64_t>(5 + skipping)) << what;
    for (const QuestionResult& q : r.questions) {
      EXPECT_FALSE(q.respondents.has_value()) << what << " " << q.key;
      EXPECT_FALSE(q.mean.has_value()) << what << " " << q.key;
      EXPECT_FALSE(q.distribution.has_value()) << what << " " << q.key;
      EXPECT_FALSE(q.nps.has_value()) << what << " " << q.key;
      EXPECT_FALSE(q.nps_groups.has_value()) << what << " " << q.key;
      EXPECT_FALSE(q.texts.has_value()) << what << " " << q.key;
      for (const DisclosedCount& c : q.choice_counts) EXPECT_FALSE(c.has_value()) << what;
      EXPECT_EQ(q.choice_counts.size(), q.key == "choice" ? 3U : 0U) << what;
      for (const TopicResult& t : q.topics) {
        EXPECT_FALSE(t.respondents.has_value()) << what << " " << t.topic;
        EXPECT_FALSE(t.mean.has_value()) << what << " " << t.topic;
      }
      EXPECT_EQ(q.topics.size(), q.key == "topics" ? 3U : 0U) << what;
    }
  }
  // Nobody or 5 people skipping: everything is shown.
  for (const int skipping : {0, 5}) {
    const SurveyResult r = respond(5 + skipping, skipping);
    EXPECT_EQ(ResultFor(r, "scale").respondents, std::optional<std::int64_t>(5));
    EXPECT_EQ(ResultFor(r, "scale").mean, std::optional<double>(4.0));
    EXPECT_EQ(ResultFor(r, "nps").nps, std::optional<double>(100.0));
    EXPECT_EQ(ResultFor(r, "choice").choice_counts, (std::vector<DisclosedCount>{5, 0, 0}));
    EXPECT_TRUE(ResultFor(r, "text").texts.has_value());
    EXPECT_EQ(ResultFor(r, "topics").topics[0].mean, std::optional<double>(2.0));
  }
}

TEST(AggregateSurvey, SingleChoiceCountsFollowTheTableRule) {
  std::vector<SurveyResponse> responses;
  auto add = [&](const std::string& choice, int times) {
    for (int i = 0; i < times; ++i) {
      SurveyResponse r;
      r.answers = {Number("scale", 3), ChoiceOf("choice", choice)};
      responses.push_back(r);
    }
  };
  add("yes", 12);
  add("no", 3);
  add("maybe", 10);
  const QuestionResult choice =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "choice");
  EXPECT_EQ(choice.respondents, std::optional<std::int64_t>(25));
  EXPECT_EQ(choice.choice_counts, (std::vector<DisclosedCount>{12, std::nullopt, std::nullopt}));
}

TEST(AggregateSurvey, FreeTextsNeedKWritersAndComeShuffled) {
  std::vector<SurveyResponse> responses;
  for (const char* t : {"eins", "zwei", "drei", "vier"}) {
    SurveyResponse r;
    r.answers = {Number("scale", 3), Text("text", t)};
    responses.push_back(r);
  }
  SurveyResponse silent;  // answered the survey, wrote nothing
  silent.answers = {Number("scale", 3)};
  responses.push_back(silent);
  const QuestionResult four =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "text");
  EXPECT_FALSE(four.texts.has_value());
  EXPECT_FALSE(four.respondents.has_value());

  SurveyResponse fifth;
  fifth.answers = {Number("scale", 3), Text("text", "fünf")};
  responses.push_back(fifth);
  // Five wrote, but one of the six did not: beside the survey's 6 that is one person.
  EXPECT_FALSE(
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 7), "text")
          .texts.has_value());
  for (int i = 0; i < 4; ++i) responses.push_back(silent);  // now five did not write
  const QuestionResult five =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 7), "text");
  ASSERT_TRUE(five.texts.has_value());
  EXPECT_EQ(std::multiset<std::string>(five.texts->begin(), five.texts->end()),
            (std::multiset<std::string>{"eins", "zwei", "drei", "vier", "fünf"}));
  EXPECT_EQ(five.respondents, std::optional<std::int64_t>(5));
}

TEST(AggregateSurvey, TopicRatingMeansPerTopic) {
  // Ten people: "ai" five times 1 and five times 2; "data" by 7 of them (3 did not rate it).
  std::vector<SurveyResponse> responses;
  for (int i = 0; i < 10; ++i) {
    SurveyResponse r;
    std::vector<TopicRating> ratings{{"ai", i < 5 ? 1 : 2}};
    if (i < 7) ratings.push_back({"data", 3});
    r.answers = {Number("scale", 3), Topics("topics", ratings)};
    responses.push_back(r);
  }
  const QuestionResult topics =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "topics");
  ASSERT_EQ(topics.topics.size(), 3U);
  EXPECT_EQ(topics.respondents, std::optional<std::int64_t>(10));
  EXPECT_EQ(topics.topics[0].topic, "ai");
  EXPECT_EQ(topics.topics[0].respondents, std::optional<std::int64_t>(10));
  EXPECT_EQ(topics.topics[0].mean, std::optional<double>(1.5));
  EXPECT_EQ(topics.topics[1].respondents, std::optional<std::int64_t>(0));  // cloud
  EXPECT_FALSE(topics.topics[1].mean.has_value());
  // 7 rated "data", 10 - 7 = 3 did not: hidden although 7 >= k.
  EXPECT_FALSE(topics.topics[2].respondents.has_value());
  EXPECT_FALSE(topics.topics[2].mean.has_value());

  // A topic mean whose 0..3 distribution is partly small is hidden: ai = 2 for four, 3 for one
  // would give 2.2, from which the one 3 follows.
  responses.clear();
  for (int i = 0; i < 5; ++i) {
    SurveyResponse r;
    r.answers = {Number("scale", 3), Topics("topics", {{"ai", i == 0 ? 3 : 2}})};
    responses.push_back(r);
  }
  const TopicResult ai =
      ResultFor(AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1), "topics")
          .topics[0];
  EXPECT_EQ(ai.respondents, std::optional<std::int64_t>(5));
  EXPECT_FALSE(ai.mean.has_value());
}

// Given k from 3 to 6 and 1 to k-1 responses to every question, no figure of any question is
// shown: not a count, a mean, a score, a distribution, a text or a topic.
TEST(AggregateSurvey, GroupsOfOneToKMinusOneAreNeverShown) {
  for (int k = 3; k <= 6; ++k) {
    for (int n = 1; n < k; ++n) {
      std::vector<SurveyResponse> responses;
      for (int i = 0; i < n; ++i) {
        SurveyResponse r;
        r.answers = {Number("scale", 1 + i % 5), Number("nps", i % 11),
                     ChoiceOf("choice", i % 2 == 0 ? "yes" : "no"),
                     Text("text", "answer " + std::to_string(i)),
                     Topics("topics", {{"ai", i % 4}, {"cloud", 3}, {"data", 0}})};
        responses.push_back(r);
      }
      const SurveyResult r = AggregateSurvey(K(k), EveryType(), kTopics, responses, 3);
      const std::string what = "k=" + std::to_string(k) + " n=" + std::to_string(n);
      EXPECT_FALSE(r.respondents.has_value()) << what;
      for (const QuestionResult& q : r.questions) {
        EXPECT_FALSE(q.respondents.has_value()) << what << " " << q.key;
        EXPECT_FALSE(q.mean.has_value()) << what << " " << q.key;
        EXPECT_FALSE(q.nps.has_value()) << what << " " << q.key;
        EXPECT_FALSE(q.nps_groups.has_value()) << what << " " << q.key;
        EXPECT_FALSE(q.distribution.has_value()) << what << " " << q.key;
        EXPECT_FALSE(q.texts.has_value()) << what << " " << q.key;
        for (const DisclosedCount& c : q.choice_counts) {
          // Only a choice nobody took may show its 0.
          EXPECT_TRUE(!c.has_value() || *c == 0) << what << " " << q.key;
        }
        for (const TopicResult& t : q.topics) {
          EXPECT_FALSE(t.respondents.has_value()) << what << " " << t.topic;
          EXPECT_FALSE(t.mean.has_value()) << what << " " << t.topic;
        }
      }
    }
  }
}

TEST(AggregateSurvey, IgnoresAnswersThatDoNotFit) {
  std::vector<SurveyResponse> responses;
  for (int i = 0; i < 5; ++i) {
    SurveyResponse r;
    r.answers = {Number("scale", 4), Number("nps", 42), ChoiceOf("choice", "perhaps")};
    responses.push_back(r);
  }
  const SurveyResult r = AggregateSurvey(DisclosurePolicy(), EveryType(), kTopics, responses, 1);
  EXPECT_EQ(ResultFor(r, "scale").mean, std::optional<double>(4.0));
  EXPECT_EQ(ResultFor(r, "nps").respondents, std::optional<std::int64_t>(0));
  EXPECT_FALSE(ResultFor(r, "nps").nps.has_value());
  EXPECT_EQ(ResultFor(r, "choice").respondents, std::optional<std::int64_t>(0));
}

// ---- Learning in both directions -----------------------------------------------------------

TEST(LearningPerTopic, MenteesAgainstTheirEnrolmentOnKnownAnswers) {
  // Ten mentees: skill on "ai" at enrolment and understanding at the end; five rose from 0 to
  // 2, five stayed at 1 (every distribution behind the means holds 0 or >= 5 people).
  const int before[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
  const int after[] = {2, 2, 2, 2, 2, 1, 1, 1, 1, 1};
  std::vector<LearningRatings> people;
  for (int i = 0; i < 10; ++i) {
    LearningRatings p;
    p.before = {{"ai", before[i]}, {"cloud", 2}, {"data", 1}};
    p.after = {{"ai", after[i]}};
    if (i < 4) p.after.push_back({"data", 3});  // only four re-rated "data"
    people.push_back(p);
  }
  const std::vector<TopicResult> r = LearningPerTopic(DisclosurePolicy(), kTopics, people);
  ASSERT_EQ(r.size(), 3U);
  const TopicResult& ai = r[0];
  EXPECT_EQ(ai.topic, "ai");
  EXPECT_EQ(ai.respondents, std::optional<std::int64_t>(10));
  EXPECT_EQ(ai.mean_before, std::optional<double>(0.5));
  EXPECT_EQ(ai.mean, std::optional<double>(1.5));
  EXPECT_EQ(ai.mean_change, std::optional<double>(1.0));
  EXPECT_EQ(ai.change_counts, (std::vector<std::int64_t>{5, 5, 0}));
  // Nobody re-rated "cloud"; four re-rated "data": hidden.
  EXPECT_EQ(r[1].respondents, std::optional<std::int64_t>(0));
  EXPECT_FALSE(r[1].mean_change.has_value());
  EXPECT_FALSE(r[2].respondents.has_value());
  EXPECT_FALSE(r[2].mean_before.has_value());
  EXPECT_FALSE(r[2].mean.has_value());
  EXPECT_FALSE(r[2].mean_change.has_value());
}

TEST(LearningPerTopic, MentorsFromTheirFinalSurveyWithChangeCounts) {
  // Ten mentors: five rose from 1 to 3, five stayed at 2; one more rated "ai" twice at the end
  // (ignored), one rated an unknown topic (ignored).
  std::vector<LearningRatings> people;
  for (int i = 0; i < 10; ++i) {
    SurveyResponse response;
    const bool rose = i < 5;
    response.answers = {Topics(kMentorViewBefore, {{"ai", rose ? 1 : 2}}),
                        Topics(kMentorViewNow, {{"ai", rose ? 3 : 2}})};
    people.push_back(
        {TopicRatingsOf(response, kMentorViewBefore), TopicRatingsOf(response, kMentorViewNow)});
  }
  // Five more rated "ai" twice at the end (ignored), five an unknown topic (ignored). Five
  // each, so that the differences to the 10 who count are groups of >= k.
  for (int i = 0; i < 5; ++i) {
    people.push_back({{{"ai", 0}}, {{"ai", 3}, {"ai", 0}}});
    people.push_back({{{"quantum", 0}}, {{"quantum", 3}}});
  }
  const TopicResult ai = LearningPerTopic(DisclosurePolicy(), kTopics, people)[0];
  EXPECT_EQ(ai.respondents, std::optional<std::int64_t>(10));
  EXPECT_EQ(ai.mean_before, std::optional<double>(1.5));
  EXPECT_EQ(ai.mean, std::optional<double>(2.5));
  EXPECT_EQ(ai.mean_change, std::optional<double>(1.0));
  EXPECT_EQ(ai.change_counts, (std::vector<std::int64_t>{5, 5, 0}));
}

// The reviewer's example for learning: 5 people with a mean before of 2.8 are four 3s and
// exactly one 2. The means are shown only when every distribution behind them could be shown;
// the count and the change counts follow their own rules.
TEST(LearningPerTopic, MeansAreHiddenWhenADistributionBehindThemIsSmall) {
  std::vector<LearningRatings> people;
  for (const int before : {3, 3, 3, 3, 2}) people.push_back({{{"ai", before}}, {{"ai", 3}}});
  const TopicResult ai = LearningPerTopic(DisclosurePolicy(), kTopics, people)[0];
  EXPECT_EQ(ai.respondents, std::optional<std::int64_t>(5));
  EXPECT_FALSE(ai.mean_before.has_value());  // would be 2.8
  EXPECT_FALSE(ai.mean.has_value());
  EXPECT_FALSE(ai.mean_change.has_value());
  EXPECT_FALSE(ai.change_counts.has_value());  // 1 rose, 4 stayed

  // Before all 2, after 3 for four and 2 for one: the before distribution alone is fine, but
  // the mean before and the mean change would give the sum after; all three stay hidden.
  people.clear();
  for (const int after : {3, 3, 3, 3, 2}) people.push_back({{{"ai", 2}}, {{"ai", after}}});
  const TopicResult ai2 = LearningPerTopic(DisclosurePolicy(), kTopics, people)[0];
  EXPECT_FALSE(ai2.mean_before.has_value());
  EXPECT_FALSE(ai2.mean.has_value());
  EXPECT_FALSE(ai2.mean_change.has_value());
}

// Beside the number of people compared (e.g. the final survey's respondents) and the number
// who rated a topic at all, the number who rated it both times must not differ by 1..k-1.
TEST(LearningPerTopic, TopicMissedByOneToKMinusOneIsHidden) {
  std::vector<LearningRatings> people(5, LearningRatings{{{"ai", 1}}, {{"ai", 2}}});
  people.push_back({{}, {{"ai", 2}}});  // no rating before
  people.push_back({{}, {}});           // rated nothing
  const TopicResult ai = LearningPerTopic(DisclosurePolicy(), kTopics, people)[0];
  EXPECT_FALSE(ai.respondents.has_value());
  EXPECT_FALSE(ai.mean.has_value());
  EXPECT_FALSE(ai.change_counts.has_value());

  for (int i = 0; i < 3; ++i) people.push_back({{}, {}});  // 5 rated nothing, 1 only after
  EXPECT_FALSE(LearningPerTopic(DisclosurePolicy(), kTopics, people)[0].respondents.has_value());

  people[5] = {{}, {}};  // 5 rated both times, 5 nothing
  const TopicResult shown = LearningPerTopic(DisclosurePolicy(), kTopics, people)[0];
  EXPECT_EQ(shown.respondents, std::optional<std::int64_t>(5));
  EXPECT_EQ(shown.mean_change, std::optional<double>(1.0));
  EXPECT_EQ(shown.change_counts, (std::vector<std::int64_t>{5, 0, 0}));
}

TEST(LearningPerTopic, OneToKMinusOnePeopleAreNeverShown) {
  for (int k = 3; k <= 6; ++k) {
    for (int n = 1; n < k; ++n) {
      std::vector<LearningRatings> people(static_cast<std::size_t>(n),
                                          LearningRatings{{{"ai", 0}}, {{"ai", 3}}});
      const TopicResult ai = LearningPerTopic(K(k), kTopics, people)[0];
      EXPECT_FALSE(ai.respondents.has_value());
      EXPECT_FALSE(ai.mean_before.has_value());
      EXPECT_FALSE(ai.mean.has_value());
      EXPECT_FALSE(ai.mean_change.has_value());
      EXPECT_FALSE(ai.change_counts.has_value());
    }
  }
}

}  // namespace
}  // namespace tandem
