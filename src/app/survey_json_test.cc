#include "app/survey_json.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tandem {
namespace {

bool HasProblem(const std::vector<SurveyProblem>& problems, const std::string& field) {
  for (const SurveyProblem& p : problems) {
    if (p.field == field) return true;
  }
  return false;
}

std::string Fields(const std::vector<SurveyProblem>& problems) {
  std::string out;
  for (const SurveyProblem& p : problems) out += p.field + ": " + p.message + "\n";
  return out;
}

TEST(SurveyJson, DefaultSurveysRoundTrip) {
  for (SurveyKind kind : {SurveyKind::kMidTerm, SurveyKind::kFinal}) {
    for (SurveyAudience audience : {SurveyAudience::kMentees, SurveyAudience::kMentors}) {
      const Survey original = DefaultSurvey(kind, audience);
      Survey parsed;
      const std::vector<SurveyProblem> problems =
          ParseSurveyDefinition(SurveyDefinitionJson(original), parsed);
      ASSERT_TRUE(problems.empty()) << Fields(problems);
      ASSERT_EQ(parsed.questions.size(), original.questions.size());
      for (size_t i = 0; i < parsed.questions.size(); ++i) {
        const Question& a = original.questions[i];
        const Question& b = parsed.questions[i];
        EXPECT_EQ(a.key, b.key);
        EXPECT_EQ(a.type, b.type);
        EXPECT_EQ(a.text.de, b.text.de);
        EXPECT_EQ(a.text.en, b.text.en);
        EXPECT_EQ(a.low_label.en, b.low_label.en);
        EXPECT_EQ(a.high_label.de, b.high_label.de);
        EXPECT_EQ(a.required, b.required);
        ASSERT_EQ(a.choices.size(), b.choices.size());
        for (size_t c = 0; c < a.choices.size(); ++c) {
          EXPECT_EQ(a.choices[c].key, b.choices[c].key);
          EXPECT_EQ(a.choices[c].label.de, b.choices[c].label.de);
        }
      }
      parsed.kind = kind;
      parsed.audience = audience;
      EXPECT_TRUE(ValidateSurvey(parsed).empty());
    }
  }
}

TEST(SurveyJson, TypeNames) {
  EXPECT_EQ(ToString(QuestionType::kScale), "scale");
  EXPECT_EQ(ToString(QuestionType::kRecommendation), "recommendation");
  EXPECT_EQ(ToString(QuestionType::kSingleChoice), "single_choice");
  EXPECT_EQ(ToString(QuestionType::kFreeText), "free_text");
  EXPECT_EQ(ToString(QuestionType::kTopicRating), "topic_rating");
}

TEST(SurveyJson, DefinitionProblemsNameThePath) {
  Survey s;
  std::vector<SurveyProblem> p = ParseSurveyDefinition("not json", s);
  ASSERT_EQ(p.size(), 1U);
  EXPECT_EQ(p[0].field, "questions");

  p = ParseSurveyDefinition(R"([1])", s);
  EXPECT_TRUE(HasProblem(p, "questions")) << Fields(p);
  p = ParseSurveyDefinition(R"({"questions": 3})", s);
  EXPECT_TRUE(HasProblem(p, "questions")) << Fields(p);
  p = ParseSurveyDefinition(R"({})", s);
  EXPECT_TRUE(HasProblem(p, "questions")) << Fields(p);

  p = ParseSurveyDefinition(R"({"questions": [
      {"key": "a", "type": "scale", "text": {"de": "A", "en": "A"}},
      {"key": "b", "type": "stars", "text": {"de": "B", "en": "B"}},
      {"type": "free_text", "text": "plain", "required": "yes", "colour": 1},
      {"key": "d", "type": "single_choice", "text": {"de": "D", "en": 4},
       "choices": [{"key": "x"}, 7, {"key": "y", "label": {"de": "Y", "en": "Y"}}]},
      5
    ]})",
                            s);
  EXPECT_TRUE(HasProblem(p, "questions[1].type")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[2].key")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[2].text")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[2].required")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[2].colour")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[3].text.en")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[3].choices[0].label")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[3].choices[1]")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "questions[4]")) << Fields(p);
  EXPECT_FALSE(HasProblem(p, "questions[0]")) << Fields(p);
  EXPECT_FALSE(HasProblem(p, "questions[0].type")) << Fields(p);
  for (const SurveyProblem& problem : p) {
    if (problem.field == "questions[1].type") {
      EXPECT_NE(problem.message.find("single_choice"), std::string::npos);
    }
  }
  ASSERT_EQ(s.questions.size(), 5U);
  EXPECT_EQ(s.questions[3].choices.size(), 2U);
}

TEST(SurveyJson, DefinitionToleratesNullOptionalFields) {
  Survey s;
  const std::vector<SurveyProblem> p = ParseSurveyDefinition(
      R"({"questions": [{"key": "a", "type": "free_text", "text": {"de": "A", "en": "A"},
          "low_label": null, "choices": null, "required": null}], "extra": 1})",
      s);
  EXPECT_TRUE(p.empty()) << Fields(p);
  ASSERT_EQ(s.questions.size(), 1U);
  EXPECT_EQ(s.questions[0].type, QuestionType::kFreeText);
  EXPECT_FALSE(s.questions[0].required);
}

Survey Sample() {
  Survey s;
  s.questions.push_back(
      {"sat", QuestionType::kScale, {"S", "S"}, {"l", "l"}, {"h", "h"}, {}, true});
  s.questions.push_back(
      {"nps", QuestionType::kRecommendation, {"N", "N"}, {"l", "l"}, {"h", "h"}, {}, false});
  s.questions.push_back({"pick",
                         QuestionType::kSingleChoice,
                         {"P", "P"},
                         {},
                         {},
                         {{"a", {"A", "A"}}, {"b", {"B", "B"}}},
                         false});
  s.questions.push_back({"say", QuestionType::kFreeText, {"T", "T"}, {}, {}, {}, false});
  s.questions.push_back(
      {"topics", QuestionType::kTopicRating, {"R", "R"}, {"l", "l"}, {"h", "h"}, {}, false});
  return s;
}

TEST(SurveyJson, ResponseRoundTripInQuestionOrder) {
  const Survey s = Sample();
  SurveyResponse r;
  const std::vector<SurveyProblem> p = ParseSurveyResponse(
      R"({"topics": {"ai": 2, "cloud": 0}, "say": "gut", "pick": "b", "nps": 9, "sat": 4})", s, r);
  ASSERT_TRUE(p.empty()) << Fields(p);
  ASSERT_EQ(r.answers.size(), 5U);
  EXPECT_EQ(r.answers[0].question, "sat");
  EXPECT_EQ(r.answers[0].number, 4);
  EXPECT_EQ(r.answers[1].number, 9);
  EXPECT_EQ(r.answers[2].choice, "b");
  EXPECT_EQ(r.answers[3].text, "gut");
  ASSERT_EQ(r.answers[4].topics.size(), 2U);
  EXPECT_TRUE(ValidateResponse(s, {"ai", "cloud"}, r).empty());

  SurveyResponse again;
  EXPECT_TRUE(ParseSurveyResponse(SurveyResponseJson(r), s, again).empty());
  EXPECT_EQ(SurveyResponseJson(again), SurveyResponseJson(r));
  EXPECT_EQ(SurveyResponseJson(r).find("\"sat\""), 1U);  // first
}

TEST(SurveyJson, ResponseProblemsNameTheQuestion) {
  const Survey s = Sample();
  SurveyResponse r;
  std::vector<SurveyProblem> p = ParseSurveyResponse("[]", s, r);
  ASSERT_EQ(p.size(), 1U);
  EXPECT_EQ(p[0].field, "");
  p = ParseSurveyResponse("{", s, r);
  ASSERT_EQ(p.size(), 1U);

  p = ParseSurveyResponse(
      R"({"sat": 4.5, "nps": "ten", "pick": 1, "say": ["x"], "topics": {"ai": "2", "cloud": 1},
          "who": 1})",
      s, r);
  EXPECT_TRUE(HasProblem(p, "sat")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "nps")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "pick")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "say")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "topics.ai")) << Fields(p);
  EXPECT_FALSE(HasProblem(p, "topics.cloud")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "who")) << Fields(p);
  for (const SurveyProblem& problem : p) {
    if (problem.field == "sat") {
      EXPECT_NE(problem.message.find("whole number"), std::string::npos);
    }
  }

  p = ParseSurveyResponse(R"({"sat": 99999999999, "topics": 3})", s, r);
  EXPECT_TRUE(HasProblem(p, "sat")) << Fields(p);
  EXPECT_TRUE(HasProblem(p, "topics")) << Fields(p);
}

TEST(SurveyJson, NullMeansNotAnswered) {
  const Survey s = Sample();
  SurveyResponse r;
  const std::vector<SurveyProblem> p =
      ParseSurveyResponse(R"({"sat": 3, "nps": null, "topics": {"ai": null}})", s, r);
  EXPECT_TRUE(p.empty()) << Fields(p);
  // A topic rating without any rating ({} or only nulls) is no answer: stored, it would not
  // read back, and the whole response would drop out of the results.
  ASSERT_EQ(r.answers.size(), 1U);
  EXPECT_EQ(r.answers[0].question, "sat");
  SurveyResponse empty;
  EXPECT_TRUE(ParseSurveyResponse(R"({"sat": 3, "topics": {}})", s, empty).empty());
  ASSERT_EQ(empty.answers.size(), 1U);
  SurveyResponse back;
  EXPECT_TRUE(ParseSurveyResponse(SurveyResponseJson(empty), s, back).empty());
  EXPECT_EQ(back.answers.size(), 1U);
}

}  // namespace
}  // namespace tandem
