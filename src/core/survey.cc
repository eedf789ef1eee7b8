#include "core/survey.h"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

// ---- The default questionnaires ------------------------------------------------------------

LocalizedText T(std::string de, std::string en) { return {std::move(de), std::move(en)}; }

Question Scale(std::string key, LocalizedText text, LocalizedText low, LocalizedText high,
               bool required = true) {
  Question q;
  q.key = std::move(key);
  q.type = QuestionType::kScale;
  q.text = std::move(text);
  q.low_label = std::move(low);
  q.high_label = std::move(high);
  q.required = required;
  return q;
}

// A statement rated from "strongly disagree" to "strongly agree".
Question Agreement(std::string key, LocalizedText statement) {
  return Scale(std::move(key), std::move(statement),
               T("Stimme überhaupt nicht zu", "Strongly disagree"),
               T("Stimme voll und ganz zu", "Strongly agree"));
}

Question Satisfaction(std::string key, LocalizedText text) {
  return Scale(std::move(key), std::move(text), T("Sehr unzufrieden", "Very dissatisfied"),
               T("Sehr zufrieden", "Very satisfied"));
}

Question Recommend() {
  Question q;
  q.key = "recommend";
  q.type = QuestionType::kRecommendation;
  q.text =
      T("Wie wahrscheinlich ist es, dass Sie das Programm einer Kollegin oder einem Kollegen "
        "empfehlen?",
        "How likely is it that you would recommend the programme to a colleague?");
  q.low_label = T("Sehr unwahrscheinlich", "Not at all likely");
  q.high_label = T("Sehr wahrscheinlich", "Extremely likely");
  q.required = true;
  return q;
}

Question SingleChoice(std::string key, LocalizedText text, std::vector<Choice> choices) {
  Question q;
  q.key = std::move(key);
  q.type = QuestionType::kSingleChoice;
  q.text = std::move(text);
  q.choices = std::move(choices);
  q.required = true;
  return q;
}

Question FreeText(std::string key, LocalizedText text) {
  Question q;
  q.key = std::move(key);
  q.type = QuestionType::kFreeText;
  q.text = std::move(text);
  q.required = false;
  return q;
}

Question TopicRatingQuestion(std::string key, LocalizedText text, LocalizedText low,
                             LocalizedText high) {
  Question q;
  q.key = std::move(key);
  q.type = QuestionType::kTopicRating;
  q.text = std::move(text);
  q.low_label = std::move(low);
  q.high_label = std::move(high);
  q.required = false;  // a topic the tandem never touched may stay unrated
  return q;
}

Question MeetingRhythm() {
  return SingleChoice("meeting_rhythm",
                      T("Wie regelmäßig hat sich Ihr Tandem bisher getroffen?",
                        "How regularly has your tandem met so far?"),
                      {{"as_planned", T("Wie vereinbart", "As agreed")},
                       {"less_often", T("Seltener als vereinbart", "Less often than agreed")},
                       {"not_yet", T("Noch gar nicht", "Not at all yet")}});
}

Question MeetingsHeld() {
  return SingleChoice("meetings_held",
                      T("Wie viele Treffen hatte Ihr Tandem insgesamt?",
                        "How many meetings did your tandem hold in total?"),
                      {{"none", T("Keines", "None")},
                       {"one_to_three", T("1 bis 3", "1 to 3")},
                       {"four_to_five", T("4 bis 5", "4 to 5")},
                       {"six_to_eight", T("6 bis 8", "6 to 8")},
                       {"more_than_eight", T("Mehr als 8", "More than 8")}});
}

Question Continue() {
  return SingleChoice(
      "continue_exchange",
      T("Möchten Sie den Austausch in Ihrem Tandem fortsetzen?",
        "Would you like to continue the exchange in your tandem?"),
      {{"yes", T("Ja", "Yes")}, {"maybe", T("Vielleicht", "Maybe")}, {"no", T("Nein", "No")}});
}

Survey MidTermMentees() {
  Survey s;
  s.questions = {
      MeetingRhythm(),
      Satisfaction("exchange_quality", T("Wie zufrieden sind Sie bisher mit dem Austausch in "
                                         "Ihrem Tandem?",
                                         "How satisfied are you with the exchange in your "
                                         "tandem so far?")),
      Agreement("open_space", T("In unserem Tandem kann ich offen sprechen.",
                                "I can speak openly in our tandem.")),
      Agreement("relevant_topics", T("Die besprochenen Themen sind für meine Arbeit relevant.",
                                     "The topics we discuss are relevant to my work.")),
      Agreement("roadmap_on_track", T("Wir kommen mit unserem Fahrplan gut voran.",
                                      "We are making good progress with our roadmap.")),
      Recommend(),
      FreeText("help_second_half",
               T("Was würde Ihrem Tandem in der zweiten Hälfte des Programms helfen?",
                 "What would help your tandem in the second half of the programme?")),
  };
  return s;
}

Survey MidTermMentors() {
  Survey s;
  s.questions = {
      MeetingRhythm(),
      Satisfaction("exchange_quality", T("Wie zufrieden sind Sie bisher mit dem Austausch in "
                                         "Ihrem Tandem?",
                                         "How satisfied are you with the exchange in your "
                                         "tandem so far?")),
      Agreement("open_space", T("In unserem Tandem kann ich offen sprechen.",
                                "I can speak openly in our tandem.")),
      Agreement("prepared", T("Ich fühle mich gut darauf vorbereitet, meine Themen zu vermitteln.",
                              "I feel well prepared to pass on my topics.")),
      Agreement("time_available", T("Ich habe ausreichend Zeit für das Programm.",
                                    "I have enough time for the programme.")),
      Recommend(),
      FreeText("help_second_half",
               T("Was würde Ihnen als Mentorin oder Mentor in der zweiten Hälfte helfen?",
                 "What would help you as a mentor in the second half?")),
  };
  return s;
}

Survey FinalMentees() {
  Survey s;
  s.questions = {
      Satisfaction("overall", T("Wie zufrieden sind Sie insgesamt mit dem Programm?",
                                "Overall, how satisfied are you with the programme?")),
      MeetingsHeld(),
      Agreement("expectations_met",
                T("Das Tandem hat meine Erwartungen erfüllt.", "The tandem met my expectations.")),
      Agreement("applies_to_work", T("Ich wende das Gelernte bereits in meiner Arbeit an.",
                                     "I already apply what I learned in my work.")),
      TopicRatingQuestion(kMenteeUnderstandingNow,
                          T("Wie schätzen Sie Ihre Kenntnisse in diesen Themen jetzt ein?",
                            "How would you rate your knowledge of these topics now?"),
                          T("Keine Kenntnisse", "No knowledge"), T("Expertin/Experte", "Expert")),
      Agreement("understand_experts_needs",
                T("Ich verstehe jetzt besser, welche Unterstützung Expertinnen und Experten von "
                  "der Führung brauchen.",
                  "I now understand better what support experts need from leadership.")),
      Continue(),
      Recommend(),
      FreeText("experts_needs",
               T("Welche Unterstützung brauchen Expertinnen und Experten aus Ihrer Sicht am "
                 "dringendsten von der Führung?",
                 "In your view, what support do experts need most from leadership?")),
      FreeText("improve", T("Was sollte das Programm beim nächsten Mal anders machen?",
                            "What should the programme do differently next time?")),
  };
  return s;
}

Survey FinalMentors() {
  Survey s;
  s.questions = {
      Satisfaction("overall", T("Wie zufrieden sind Sie insgesamt mit dem Programm?",
                                "Overall, how satisfied are you with the programme?")),
      MeetingsHeld(),
      TopicRatingQuestion(
          kMentorViewBefore,
          T("Wie gut kannten Sie zu Beginn des Programms die Prioritäten und die geschäftliche "
            "Sicht des Managements auf diese Themen?",
            "At the start of the programme, how well did you know management's priorities and "
            "business view on these topics?"),
          T("Gar nicht", "Not at all"), T("Sehr gut", "Very well")),
      TopicRatingQuestion(kMentorViewNow,
                          T("Und wie gut kennen Sie diese Prioritäten und die geschäftliche "
                            "Sicht jetzt?",
                            "And how well do you know these priorities and the business view "
                            "now?"),
                          T("Gar nicht", "Not at all"), T("Sehr gut", "Very well")),
      Agreement("heard_by_leadership", T("Meine Anliegen sind bei der Führung angekommen.",
                                         "My concerns have reached leadership.")),
      Agreement("own_development", T("Das Programm hat meine eigene Entwicklung gefördert.",
                                     "The programme furthered my own development.")),
      SingleChoice(
          "mentor_again",
          T("Würden Sie wieder als Mentorin oder Mentor teilnehmen?",
            "Would you take part as a mentor again?"),
          {{"yes", T("Ja", "Yes")}, {"maybe", T("Vielleicht", "Maybe")}, {"no", T("Nein", "No")}}),
      Recommend(),
      FreeText("learned_about_management",
               T("Was haben Sie über die Sicht und die Prioritäten des Managements gelernt?",
                 "What did you learn about management's view and priorities?")),
      FreeText("improve", T("Was sollte das Programm beim nächsten Mal anders machen?",
                            "What should the programme do differently next time?")),
  };
  return s;
}

// ---- Validation ----------------------------------------------------------------------------

bool IsKey(const std::string& key) {
  if (key.empty() || key.size() > kMaxQuestionKeyLength) return false;
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsBlank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// The number of Unicode code points of UTF-8 text (continuation bytes are not counted).
std::size_t CodePoints(const std::string& s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U) ++n;
  }
  return n;
}

bool IsNumeric(QuestionType type) {
  return type == QuestionType::kScale || type == QuestionType::kRecommendation ||
         type == QuestionType::kTopicRating;
}

void CheckText(const LocalizedText& text, const std::string& field,
               std::vector<SurveyProblem>& problems) {
  if (IsBlank(text.de)) problems.push_back({field, "German text is missing"});
  if (IsBlank(text.en)) problems.push_back({field, "English text is missing"});
  if (text.de.size() > kMaxSurveyTextLength || text.en.size() > kMaxSurveyTextLength) {
    problems.push_back(
        {field, "a text is at most " + std::to_string(kMaxSurveyTextLength) + " bytes"});
  }
}

std::string Range(int low, int high) {
  return "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
}

const char* TypeName(QuestionType type) {
  switch (type) {
    case QuestionType::kScale:
      return "scale";
    case QuestionType::kRecommendation:
      return "recommendation";
    case QuestionType::kSingleChoice:
      return "single choice";
    case QuestionType::kFreeText:
      return "free text";
    case QuestionType::kTopicRating:
      return "topic rating";
  }
  return "question";
}

// Whether `answer` carries a value other than the one its type uses.
bool HasForeignValue(const Answer& answer, QuestionType type) {
  const bool number = answer.number.has_value();
  const bool choice = !answer.choice.empty();
  const bool text = !answer.text.empty();
  const bool topics = !answer.topics.empty();
  switch (type) {
    case QuestionType::kScale:
    case QuestionType::kRecommendation:
      return choice || text || topics;
    case QuestionType::kSingleChoice:
      return number || text || topics;
    case QuestionType::kFreeText:
      return number || choice || topics;
    case QuestionType::kTopicRating:
      return number || choice || text;
  }
  return true;
}

// Whether `answer` carries a value at all (a blank text counts as no answer).
bool HasValue(const Answer& answer, QuestionType type) {
  switch (type) {
    case QuestionType::kScale:
    case QuestionType::kRecommendation:
      return answer.number.has_value();
    case QuestionType::kSingleChoice:
      return !answer.choice.empty();
    case QuestionType::kFreeText:
      return !IsBlank(answer.text);
    case QuestionType::kTopicRating:
      return !answer.topics.empty();
  }
  return false;
}

void CheckAnswer(const Question& q, const std::vector<std::string>& topic_keys, const Answer& a,
                 std::vector<SurveyProblem>& problems) {
  if (HasForeignValue(a, q.type)) {
    problems.push_back(
        {q.key, std::string("a ") + TypeName(q.type) + " question takes no other kind of value"});
    return;
  }
  switch (q.type) {
    case QuestionType::kScale:
    case QuestionType::kRecommendation: {
      const bool scale = q.type == QuestionType::kScale;
      const int low = scale ? kScaleMin : kRecommendationMin;
      const int high = scale ? kScaleMax : kRecommendationMax;
      if (!a.number.has_value() || *a.number < low || *a.number > high) {
        problems.push_back({q.key, "expects " + Range(low, high)});
      }
      return;
    }
    case QuestionType::kSingleChoice: {
      bool known = false;
      for (const Choice& c : q.choices) known = known || c.key == a.choice;
      if (!known) {
        std::string keys;
        for (const Choice& c : q.choices) keys += (keys.empty() ? "" : ", ") + c.key;
        problems.push_back({q.key, "'" + a.choice + "' is not one of the choices (" + keys + ")"});
      }
      return;
    }
    case QuestionType::kFreeText:
      if (CodePoints(a.text) > kMaxFreeTextLength) {
        problems.push_back(
            {q.key, "is longer than " + std::to_string(kMaxFreeTextLength) + " characters"});
      }
      return;
    case QuestionType::kTopicRating: {
      const std::set<std::string> known(topic_keys.begin(), topic_keys.end());
      std::set<std::string> seen;
      for (const TopicRating& r : a.topics) {
        const std::string field = q.key + "." + r.topic;
        if (known.count(r.topic) == 0) {
          problems.push_back({field, "'" + r.topic + "' is not a topic of the programme"});
        } else if (!seen.insert(r.topic).second) {
          problems.push_back({field, "is rated more than once"});
        } else if (r.rating < kTopicRatingMin || r.rating > kTopicRatingMax) {
          problems.push_back({field, "expects " + Range(kTopicRatingMin, kTopicRatingMax)});
        }
      }
      return;
    }
  }
}

// ---- Aggregation ---------------------------------------------------------------------------

// Dividing the rounded integer by 10 gives the double closest to the decimal (3.8, not
// 3.8000000000000003), so results compare equal to the literals people write.
double RoundToTenth(double value) { return std::round(value * 10.0) / 10.0; }

// The counts if every one of them may be shown, else nothing: with a mean or a score next to
// it, a partly hidden distribution could be solved for its hidden cells.
std::optional<std::vector<std::int64_t>> AllOrNothing(const DisclosurePolicy& policy,
                                                      const std::vector<std::int64_t>& counts) {
  for (const std::int64_t n : counts) {
    if (!policy.MayShowCount(n)) return std::nullopt;
  }
  return counts;
}

// Whether the last of `counts` (nested groups, largest first, e.g. a survey's respondents, a
// question's respondents, a topic's raters) may be shown beside the others: the nested-count
// rule, so that no difference of two shown stages describes 1..k-1 people.
bool MayShowInnermost(const DisclosurePolicy& policy, const std::vector<std::int64_t>& counts) {
  const Result<std::vector<DisclosedCount>> shown = DiscloseNestedCounts(policy, counts);
  return shown.ok() && !shown.value().empty() && shown.value().back().has_value();
}

double Mean(std::int64_t sum, std::int64_t n) {
  return static_cast<double>(sum) / static_cast<double>(n);
}

// The answers to `key` that fit question `q`, one per response (the first if repeated).
std::vector<const Answer*> AnswersTo(const Question& q,
                                     const std::vector<SurveyResponse>& responses) {
  std::vector<const Answer*> answers;
  for (const SurveyResponse& r : responses) {
    for (const Answer& a : r.answers) {
      if (a.question != q.key) continue;
      if (HasValue(a, q.type) && !HasForeignValue(a, q.type)) answers.push_back(&a);
      break;
    }
  }
  return answers;
}

// Each aggregator fills `result` and returns how many people answered the question.
std::int64_t AggregateNumbers(const DisclosurePolicy& policy, const Question& q,
                              const std::vector<const Answer*>& answers, QuestionResult& result) {
  const bool scale = q.type == QuestionType::kScale;
  const int low = scale ? kScaleMin : kRecommendationMin;
  const int high = scale ? kScaleMax : kRecommendationMax;
  std::vector<std::int64_t> counts(static_cast<std::size_t>(high - low + 1), 0);
  std::int64_t n = 0;
  std::int64_t sum = 0;
  std::int64_t promoters = 0;
  std::int64_t passives = 0;
  std::int64_t detractors = 0;
  for (const Answer* a : answers) {
    const int v = *a->number;
    if (v < low || v > high) continue;
    ++counts[static_cast<std::size_t>(v - low)];
    ++n;
    sum += v;
    if (v >= 9) {
      ++promoters;
    } else if (v >= 7) {
      ++passives;
    } else {
      ++detractors;
    }
  }
  result.respondents = policy.MayShowCount(n) ? DisclosedCount(n) : std::nullopt;
  if (!policy.MayShowAggregate(n)) return n;
  result.distribution = AllOrNothing(policy, counts);
  if (scale) {
    // The mean only beside a shown distribution: over few people a rounded mean gives back
    // the exact sum (5 answers with mean 4.8: exactly one person answered 4).
    if (result.distribution.has_value()) result.mean = RoundToTenth(Mean(sum, n));
    return n;
  }
  // The score only beside its shown groups: 5 answers with NPS 80 are 4 promoters and exactly
  // one passive. The score is a function of the groups, so it then reveals nothing more.
  result.nps_groups = AllOrNothing(policy, {detractors, passives, promoters});
  if (result.nps_groups.has_value())
    result.nps = std::round(100.0 * Mean(promoters - detractors, n));
  return n;
}

std::int64_t AggregateChoices(const DisclosurePolicy& policy, const Question& q,
                              const std::vector<const Answer*>& answers, QuestionResult& result) {
  std::vector<std::int64_t> counts(q.choices.size(), 0);
  for (const Answer* a : answers) {
    for (std::size_t i = 0; i < q.choices.size(); ++i) {
      if (q.choices[i].key == a->choice) ++counts[i];
    }
  }
  std::int64_t n = 0;
  for (const std::int64_t c : counts) n += c;
  Result<DisclosedCounts> shown = DiscloseCounts(policy, counts);
  if (!shown.ok()) return n;  // counts are never negative
  result.respondents = shown.value().total;
  result.choice_counts = std::move(shown.value().cells);
  return n;
}

std::int64_t AggregateTexts(const DisclosurePolicy& policy,
                            const std::vector<const Answer*>& answers, std::uint64_t seed,
                            QuestionResult& result) {
  std::vector<std::string> texts;
  texts.reserve(answers.size());
  for (const Answer* a : answers) texts.push_back(a->text);
  const auto n = static_cast<std::int64_t>(texts.size());
  result.respondents = policy.MayShowCount(n) ? DisclosedCount(n) : std::nullopt;
  result.texts = DiscloseTexts(policy, texts, seed);
  return n;
}

// Per topic: the ratings (0..3) given, each person's first rating of a topic only.
std::map<std::string, int> RatingsByTopic(const std::vector<TopicRating>& ratings,
                                          const std::set<std::string>& known) {
  std::map<std::string, int> by_topic;
  std::set<std::string> repeated;
  for (const TopicRating& r : ratings) {
    if (known.count(r.topic) == 0) continue;
    if (r.rating < kTopicRatingMin || r.rating > kTopicRatingMax) continue;
    if (!by_topic.emplace(r.topic, r.rating).second) repeated.insert(r.topic);
  }
  // A topic rated twice by one person is ambiguous: drop it rather than guess.
  for (const std::string& topic : repeated) by_topic.erase(topic);
  return by_topic;
}

// How many people gave each rating 0..3.
using RatingCounts = std::vector<std::int64_t>;

RatingCounts NoRatings() {
  return RatingCounts(static_cast<std::size_t>(kTopicRatingMax - kTopicRatingMin + 1), 0);
}

std::int64_t SumOf(const RatingCounts& counts) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    sum += counts[i] * (static_cast<std::int64_t>(i) + kTopicRatingMin);
  }
  return sum;
}

std::int64_t AggregateTopicRatings(const DisclosurePolicy& policy,
                                   const std::vector<std::string>& topic_keys,
                                   const std::vector<const Answer*>& answers,
                                   QuestionResult& result) {
  const std::set<std::string> known(topic_keys.begin(), topic_keys.end());
  std::map<std::string, RatingCounts> by_topic;
  std::int64_t respondents = 0;
  for (const Answer* a : answers) {
    const std::map<std::string, int> ratings = RatingsByTopic(a->topics, known);
    if (!ratings.empty()) ++respondents;
    for (const auto& [topic, rating] : ratings) {
      const auto it = by_topic.emplace(topic, NoRatings()).first;
      ++it->second[static_cast<std::size_t>(rating - kTopicRatingMin)];
    }
  }
  result.respondents =
      policy.MayShowCount(respondents) ? DisclosedCount(respondents) : std::nullopt;
  for (const std::string& topic : topic_keys) {
    TopicResult t;
    t.topic = topic;
    const auto it = by_topic.find(topic);
    const RatingCounts counts = it == by_topic.end() ? NoRatings() : it->second;
    std::int64_t n = 0;
    for (const std::int64_t c : counts) n += c;
    // Beside the question's respondents, the topic's count tells how many did not rate it.
    if (MayShowInnermost(policy, {respondents, n})) {
      t.respondents = n;
      // The mean only when its distribution could be shown (see AggregateNumbers).
      if (policy.MayShowAggregate(n) && AllOrNothing(policy, counts).has_value()) {
        t.mean = RoundToTenth(Mean(SumOf(counts), n));
      }
    }
    result.topics.push_back(std::move(t));
  }
  return respondents;
}

// Hides every figure of a question (its count lies 1..k-1 below the survey's respondents).
void Suppress(QuestionResult& result) {
  QuestionResult hidden;
  hidden.key = std::move(result.key);
  hidden.type = result.type;
  hidden.choice_counts.assign(result.choice_counts.size(), std::nullopt);
  for (TopicResult& t : result.topics) {
    TopicResult topic;
    topic.topic = std::move(t.topic);
    hidden.topics.push_back(std::move(topic));
  }
  result = std::move(hidden);
}

}  // namespace

Survey DefaultSurvey(SurveyKind kind, SurveyAudience audience) {
  Survey s;
  if (kind == SurveyKind::kMidTerm) {
    s = audience == SurveyAudience::kMentees ? MidTermMentees() : MidTermMentors();
  } else {
    s = audience == SurveyAudience::kMentees ? FinalMentees() : FinalMentors();
  }
  s.kind = kind;
  s.audience = audience;
  return s;
}

std::vector<SurveyProblem> ValidateSurvey(const Survey& survey) {
  std::vector<SurveyProblem> problems;
  if (survey.questions.empty()) problems.push_back({"questions", "a survey needs a question"});
  if (survey.questions.size() > kMaxSurveyQuestions) {
    problems.push_back({"questions", "a survey has at most " + std::to_string(kMaxSurveyQuestions) +
                                         " questions"});
  }
  std::set<std::string> keys;
  for (const Question& q : survey.questions) {
    if (!IsKey(q.key)) {
      problems.push_back({q.key, "a question key is 1 to " + std::to_string(kMaxQuestionKeyLength) +
                                     " characters of a-z, 0-9 and _"});
    } else if (!keys.insert(q.key).second) {
      problems.push_back({q.key, "the key is used by another question"});
    }
    CheckText(q.text, q.key + ".text", problems);
    if (IsNumeric(q.type)) {
      CheckText(q.low_label, q.key + ".low_label", problems);
      CheckText(q.high_label, q.key + ".high_label", problems);
    }
    if (q.type != QuestionType::kSingleChoice) {
      if (!q.choices.empty()) {
        problems.push_back({q.key + ".choices", "only single choice questions have choices"});
      }
      continue;
    }
    if (q.choices.size() < 2) {
      problems.push_back({q.key + ".choices", "a single choice question needs two choices"});
    }
    if (q.choices.size() > kMaxSurveyChoices) {
      problems.push_back({q.key + ".choices", "a single choice question has at most " +
                                                  std::to_string(kMaxSurveyChoices) + " choices"});
    }
    std::set<std::string> choice_keys;
    for (const Choice& c : q.choices) {
      const std::string field = q.key + ".choices." + c.key;
      if (!IsKey(c.key)) {
        problems.push_back({field, "a choice key is 1 to " + std::to_string(kMaxQuestionKeyLength) +
                                       " characters of a-z, 0-9 and _"});
      } else if (!choice_keys.insert(c.key).second) {
        problems.push_back({field, "the key is used by another choice"});
      }
      CheckText(c.label, field, problems);
    }
  }
  return problems;
}

std::vector<SurveyProblem> ValidateResponse(const Survey& survey,
                                            const std::vector<std::string>& topic_keys,
                                            const SurveyResponse& response) {
  std::vector<SurveyProblem> problems;
  std::map<std::string, const Question*> by_key;
  for (const Question& q : survey.questions) by_key.emplace(q.key, &q);
  std::set<std::string> answered;
  for (const Answer& a : response.answers) {
    const auto it = by_key.find(a.question);
    if (it == by_key.end()) {
      problems.push_back({a.question, "is not a question of this survey"});
      continue;
    }
    if (!answered.insert(a.question).second) {
      problems.push_back({a.question, "is answered more than once"});
      continue;
    }
    const Question& q = *it->second;
    if (!HasValue(a, q.type) && !HasForeignValue(a, q.type)) {
      answered.erase(a.question);  // an empty answer is no answer
      continue;
    }
    CheckAnswer(q, topic_keys, a, problems);
  }
  for (const Question& q : survey.questions) {
    if (q.required && answered.count(q.key) == 0) {
      problems.push_back({q.key, "is required"});
    }
  }
  return problems;
}

SurveyResult AggregateSurvey(const DisclosurePolicy& policy, const Survey& survey,
                             const std::vector<std::string>& topic_keys,
                             const std::vector<SurveyResponse>& responses,
                             std::uint64_t text_seed) {
  SurveyResult result;
  const auto n = static_cast<std::int64_t>(responses.size());
  result.respondents = policy.MayShowCount(n) ? DisclosedCount(n) : std::nullopt;
  std::uint64_t question_seed = text_seed;
  for (const Question& q : survey.questions) {
    QuestionResult r;
    r.key = q.key;
    r.type = q.type;
    const std::vector<const Answer*> answers = AnswersTo(q, responses);
    std::int64_t answered = 0;
    switch (q.type) {
      case QuestionType::kScale:
      case QuestionType::kRecommendation:
        answered = AggregateNumbers(policy, q, answers, r);
        break;
      case QuestionType::kSingleChoice:
        answered = AggregateChoices(policy, q, answers, r);
        break;
      case QuestionType::kFreeText:
        answered = AggregateTexts(policy, answers, question_seed, r);
        break;
      case QuestionType::kTopicRating:
        answered = AggregateTopicRatings(policy, topic_keys, answers, r);
        break;
    }
    // Beside the survey's respondents, the question's count tells how many skipped it: the
    // question is shown only when that is 0 or >= k people (the nested-count rule).
    if (!MayShowInnermost(policy, {n, answered})) Suppress(r);
    // Each free-text question gets its own order.
    question_seed = question_seed * 6364136223846793005ULL + 1442695040888963407ULL;
    result.questions.push_back(std::move(r));
  }
  return result;
}

std::vector<TopicResult> LearningPerTopic(const DisclosurePolicy& policy,
                                          const std::vector<std::string>& topic_keys,
                                          const std::vector<LearningRatings>& people) {
  const std::set<std::string> known(topic_keys.begin(), topic_keys.end());
  constexpr int kSpan = kTopicRatingMax - kTopicRatingMin;
  struct Sums {
    std::int64_t n = 0;             // rated both times
    std::int64_t rated_before = 0;  // rated before (whether or not after)
    std::int64_t rated_after = 0;
    RatingCounts before = NoRatings();
    RatingCounts after = NoRatings();
    // How many changed by -kSpan..+kSpan.
    std::vector<std::int64_t> change = std::vector<std::int64_t>(2 * kSpan + 1, 0);
  };
  std::map<std::string, Sums> sums;
  for (const LearningRatings& person : people) {
    const std::map<std::string, int> before = RatingsByTopic(person.before, known);
    const std::map<std::string, int> after = RatingsByTopic(person.after, known);
    for (const auto& [topic, start] : before) ++sums[topic].rated_before;
    for (const auto& [topic, end] : after) {
      Sums& s = sums[topic];
      ++s.rated_after;
      const auto start = before.find(topic);
      if (start == before.end()) continue;
      ++s.n;
      ++s.before[static_cast<std::size_t>(start->second - kTopicRatingMin)];
      ++s.after[static_cast<std::size_t>(end - kTopicRatingMin)];
      const int change = end - start->second + kSpan;  // index of the change -kSpan..+kSpan
      ++s.change[static_cast<std::size_t>(change)];
    }
  }
  const auto population = static_cast<std::int64_t>(people.size());
  std::vector<TopicResult> results;
  for (const std::string& topic : topic_keys) {
    const Sums s = sums[topic];
    TopicResult t;
    t.topic = topic;
    // The people who rated the topic both times are a part of those who rated it before, of
    // those who rated it after, and of everybody, whose counts the report may show beside
    // this one: none of the differences may describe 1..k-1 people.
    if (!policy.MayShowCount(s.n) || !policy.MayShowCount(s.rated_before - s.n) ||
        !policy.MayShowCount(s.rated_after - s.n) || !policy.MayShowCount(population - s.n)) {
      results.push_back(std::move(t));
      continue;
    }
    t.respondents = s.n;
    if (!policy.MayShowAggregate(s.n)) {
      results.push_back(std::move(t));
      continue;
    }
    std::int64_t rose = 0;
    std::int64_t fell = 0;
    std::int64_t change_sum = 0;
    for (int d = -kSpan; d <= kSpan; ++d) {
      const int index = d + kSpan;
      const std::int64_t c = s.change[static_cast<std::size_t>(index)];
      if (d > 0) rose += c;
      if (d < 0) fell += c;
      change_sum += c * d;
    }
    const std::int64_t same = s.change[static_cast<std::size_t>(kSpan)];
    t.change_counts = AllOrNothing(policy, {rose, same, fell});
    // The three means only together, and only when every distribution behind them (ratings
    // before, after, and each person's change) could be shown: two of them give the third's
    // exact sum, and over few people a rounded mean gives back its distribution.
    if (AllOrNothing(policy, s.before).has_value() && AllOrNothing(policy, s.after).has_value() &&
        AllOrNothing(policy, s.change).has_value()) {
      t.mean_before = RoundToTenth(Mean(SumOf(s.before), s.n));
      t.mean = RoundToTenth(Mean(SumOf(s.after), s.n));
      // Rounded from the exact change, not the difference of two rounded means.
      t.mean_change = RoundToTenth(Mean(change_sum, s.n));
    }
    results.push_back(std::move(t));
  }
  return results;
}

std::vector<TopicRating> TopicRatingsOf(const SurveyResponse& response,
                                        const std::string& question_key) {
  for (const Answer& a : response.answers) {
    if (a.question == question_key) return a.topics;
  }
  return {};
}

bool ShowsEveryFigure(const SurveyResult& result) {
  if (!result.respondents) return false;
  for (const QuestionResult& q : result.questions) {
    if (!q.respondents) return false;
    if (*q.respondents == 0) continue;
    switch (q.type) {
      case QuestionType::kScale:
        if (!q.distribution || !q.mean) return false;
        break;
      case QuestionType::kRecommendation:
        if (!q.distribution || !q.nps || !q.nps_groups) return false;
        break;
      case QuestionType::kSingleChoice:
        for (const DisclosedCount& c : q.choice_counts) {
          if (!c) return false;
        }
        break;
      case QuestionType::kFreeText:
        if (!q.texts) return false;
        break;
      case QuestionType::kTopicRating:
        for (const TopicResult& t : q.topics) {
          if (!t.respondents || (*t.respondents > 0 && !t.mean)) return false;
        }
        break;
    }
  }
  return true;
}

}  // namespace tandem
