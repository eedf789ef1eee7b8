// Surveys of a programme: questions, the default questionnaires, answers, results.
//
// A programme runs a mid-term and a final survey for each audience (mentees, mentors). A survey
// is a list of questions; a response is one person's answers, stored and aggregated without
// the person. Results apply the minimum-group-size rule of core/disclosure.h to every figure.
// docs/reports.md describes every figure for readers outside engineering. Pure: no I/O.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/disclosure.h"
#include "core/status.h"

namespace tandem {

enum class QuestionType {
  kScale,           // 1..5, low_label .. high_label
  kRecommendation,  // 0..10, "how likely would you recommend": the Net Promoter Score
  kSingleChoice,    // one of `choices`
  kFreeText,        // up to kMaxFreeTextLength characters
  kTopicRating,     // 0..3 for each topic of the programme's catalogue
};

enum class SurveyKind { kMidTerm, kFinal };
enum class SurveyAudience { kMentees, kMentors };

inline constexpr int kScaleMin = 1;
inline constexpr int kScaleMax = 5;
inline constexpr int kRecommendationMin = 0;
inline constexpr int kRecommendationMax = 10;
inline constexpr int kTopicRatingMin = 0;
inline constexpr int kTopicRatingMax = 3;  // the enrolment questionnaire's scale (kMaxRating)
inline constexpr std::size_t kMaxFreeTextLength = 4000;  // characters (Unicode code points)
inline constexpr std::size_t kMaxQuestionKeyLength = 40;
// Bounds of a survey as a programme may edit it.
inline constexpr std::size_t kMaxSurveyQuestions = 60;
inline constexpr std::size_t kMaxSurveyChoices = 30;
inline constexpr std::size_t kMaxSurveyTextLength = 2000;  // bytes, per language

// A text in both languages of the product.
struct LocalizedText {
  std::string de;  // German, formal "Sie"
  std::string en;
};

struct Choice {
  std::string key;  // stable identifier, [a-z0-9_]
  LocalizedText label;
};

struct Question {
  std::string key;  // stable identifier within the survey, [a-z0-9_], at most 40 characters
  QuestionType type = QuestionType::kScale;
  LocalizedText text;
  // What the lowest and highest value mean (scale, recommendation, topic rating).
  LocalizedText low_label;
  LocalizedText high_label;
  std::vector<Choice> choices;  // single choice only: at least two, unique keys
  bool required = false;
};

struct Survey {
  SurveyKind kind = SurveyKind::kMidTerm;
  SurveyAudience audience = SurveyAudience::kMentees;
  std::vector<Question> questions;
};

// The default questionnaire for `kind` and `audience`, in German and English. Final surveys
// hold the topic re-rating for learning in both directions: mentees rate how well they now
// know each topic ("understanding_now", the enrolment's skill scale); mentors rate how well they
// knew, and now know, management's priorities and business view on each topic
// ("management_view_before", "management_view_now").
Survey DefaultSurvey(SurveyKind kind, SurveyAudience audience);

// Keys of the default questions that LearningPerTopic reads.
inline constexpr char kMenteeUnderstandingNow[] = "understanding_now";
inline constexpr char kMentorViewBefore[] = "management_view_before";
inline constexpr char kMentorViewNow[] = "management_view_now";

// A problem found in a survey or a response; `field` names the question key (and, where it
// applies, the choice or topic: "meetings_held.choices", "understanding_now.ai").
struct SurveyProblem {
  std::string field;
  std::string message;
};

// Checks a survey as a programme might edit it: at least one question, unique well-formed
// keys, both languages of every text, labels for numeric questions, at least two unique
// choices for single choice and none otherwise. Returns every problem; empty means valid.
std::vector<SurveyProblem> ValidateSurvey(const Survey& survey);

struct TopicRating {
  std::string topic;  // a key of the programme's topic catalogue
  int rating = 0;     // kTopicRatingMin..kTopicRatingMax
};

// One answer; exactly the field that the question's type uses is set.
struct Answer {
  std::string question;             // the question's key
  std::optional<int> number;        // scale, recommendation
  std::string choice;               // single choice: a choice key
  std::string text;                 // free text
  std::vector<TopicRating> topics;  // topic rating: some or all topics, each once
};

// One person's answers to one survey. It carries no identity: results never need one.
struct SurveyResponse {
  std::vector<Answer> answers;
};

// Checks `response` against `survey` and the programme's topic keys: every answer names a
// question of the survey once, carries the value its type needs and nothing else, in range;
// every required question is answered. Returns every problem; empty means valid.
std::vector<SurveyProblem> ValidateResponse(const Survey& survey,
                                            const std::vector<std::string>& topic_keys,
                                            const SurveyResponse& response);

// One topic's figures in a topic rating question or a learning comparison.
struct TopicResult {
  std::string topic;
  // People with a rating (both ratings for learning); hidden, with every figure of the topic,
  // when it lies 1..k-1 below the question's respondents (learning: below the people compared,
  // those who rated the topic before, or those who rated it after).
  DisclosedCount respondents;
  // End rating (0..3), shown for >= k people when each rating 0..3 was given by 0 or >= k.
  std::optional<double> mean;
  // Learning: the three means are shown together or not at all, only when each rating before,
  // each rating after and each change (-3..+3) was given by 0 or >= k of the people compared.
  std::optional<double> mean_before;  // learning only
  std::optional<double> mean_change;  // learning only: mean of (after - before)
  // Learning only: how many rated higher, the same, lower at the end; all or nothing.
  std::optional<std::vector<std::int64_t>> change_counts;
};

// The figures of one question. Which fields are used depends on `type`; a hidden figure is
// std::nullopt ("too few to show"). Means are rounded to one decimal, the NPS to an integer.
// Over few people a rounded mean or score gives back the exact sum, and so often the hidden
// distribution: a mean or score is shown only beside its shown distribution. When the
// question's respondents lie 1..k-1 below the survey's (1..k-1 people skipped it), every figure
// of the question is hidden (choice_counts and topics keep their length, all hidden).
struct QuestionResult {
  std::string key;
  QuestionType type = QuestionType::kScale;
  // People who answered this question (free text: who wrote something).
  DisclosedCount respondents;
  // Scale: the mean of 1..5, shown only with the distribution.
  std::optional<double> mean;
  // Scale: count per value 1..5; recommendation: per value 0..10. Shown only when every
  // value's count is 0 or >= k: with the mean, a partly hidden distribution could be solved.
  std::optional<std::vector<std::int64_t>> distribution;
  // Recommendation: % promoters (9-10) - % detractors (0-6), shown only with nps_groups.
  std::optional<double> nps;
  // Recommendation: {detractors, passives, promoters}, all or nothing as the distribution.
  std::optional<std::vector<std::int64_t>> nps_groups;
  // Single choice: count per choice in the question's order (the table rule of DiscloseCounts).
  std::vector<DisclosedCount> choice_counts;
  // Free text: the texts, shuffled, when >= k people wrote one.
  std::optional<std::vector<std::string>> texts;
  // Topic rating: one entry per topic key, in the given order.
  std::vector<TopicResult> topics;
};

struct SurveyResult {
  DisclosedCount respondents;  // responses to the survey
  std::vector<QuestionResult> questions;
};

// Aggregates `responses` (each valid for `survey`) question by question under `policy`.
// Answers that do not fit their question are ignored. `text_seed` orders the free texts
// (keep it fixed per survey, e.g. derived from its id, so that the order does not change).
SurveyResult AggregateSurvey(const DisclosurePolicy& policy, const Survey& survey,
                             const std::vector<std::string>& topic_keys,
                             const std::vector<SurveyResponse>& responses, std::uint64_t text_seed);

// Whether `result` shows every figure that has answers behind it: the respondents, each
// question's respondents, and for each question answered by anybody its distribution, mean,
// score, groups, choice counts, texts and topics (a topic rated by nobody needs no mean). A
// survey reopened after a release releases new answers only when their result on their own
// shows every figure, since the difference of two releases is exactly that result.
bool ShowsEveryFigure(const SurveyResult& result);

// One participant's topic ratings (0..3) at the start and at the end of the programme.
// Mentees: `before` is the enrolment questionnaire's skill per topic, `after` the final
// survey's "understanding_now". Mentors: `before` and `after` are the final survey's
// "management_view_before" and "management_view_now" (the enrolment questionnaire does not
// ask mentors about management's view).
struct LearningRatings {
  std::vector<TopicRating> before;
  std::vector<TopicRating> after;
};

// The change per topic over the people who rated the topic both before and after: mean before,
// mean after, mean change and how many rose, stayed, fell. Every figure of a topic is hidden
// when fewer than k people rated it both times, or when 1..k-1 of `people`, of those who rated
// it before, or of those who rated it after did not rate it both times (pass as `people`
// everybody whose count the report shows, e.g. all respondents of the final survey). The three
// means are all or nothing (see TopicResult); the three change counts are all or nothing.
// Ratings outside 0..3, unknown topics and a topic rated twice by one person are ignored.
std::vector<TopicResult> LearningPerTopic(const DisclosurePolicy& policy,
                                          const std::vector<std::string>& topic_keys,
                                          const std::vector<LearningRatings>& people);

// The topic ratings a response gives to question `question_key` (empty when not answered).
std::vector<TopicRating> TopicRatingsOf(const SurveyResponse& response,
                                        const std::string& question_key);

}  // namespace tandem
