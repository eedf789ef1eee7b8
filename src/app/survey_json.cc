#include "app/survey_json.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>

namespace tandem {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<QuestionType, std::string_view>, 5> kTypes = {{
    {QuestionType::kScale, "scale"},
    {QuestionType::kRecommendation, "recommendation"},
    {QuestionType::kSingleChoice, "single_choice"},
    {QuestionType::kFreeText, "free_text"},
    {QuestionType::kTopicRating, "topic_rating"},
}};

std::optional<QuestionType> ParseType(std::string_view text) {
  for (const auto& [type, name] : kTypes) {
    if (name == text) return type;
  }
  return std::nullopt;
}

std::string TypeList() {
  std::string out;
  for (const auto& [type, name] : kTypes) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

json TextJson(const LocalizedText& text) { return {{"de", text.de}, {"en", text.en}}; }

// The JSON type as a reader would name it.
std::string KindOf(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "true or false";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      return "a number";
    default:
      return "something else";
  }
}

class Problems {
 public:
  explicit Problems(std::vector<SurveyProblem>& out) : out_(out) {}
  void Add(std::string field, std::string message) {
    out_.push_back({std::move(field), std::move(message)});
  }
  // `value` must be an object; reports its keys outside `allowed`.
  bool Object(const json& value, const std::string& field,
              const std::set<std::string_view>& allowed) {
    if (!value.is_object()) {
      Add(field, "must be an object, not " + KindOf(value));
      return false;
    }
    for (const auto& [key, item] : value.items()) {
      if (allowed.count(key) == 0) Add(Join(field, key), "is not a known field");
    }
    return true;
  }
  static std::string Join(const std::string& field, std::string_view key) {
    return field.empty() ? std::string(key) : field + "." + std::string(key);
  }

 private:
  std::vector<SurveyProblem>& out_;
};

// A string member; absent -> `fallback`, present but no string -> a problem.
std::string StringAt(const json& object, std::string_view key, const std::string& field,
                     bool required, Problems& problems) {
  const auto it = object.find(key);
  const std::string where = Problems::Join(field, key);
  if (it == object.end() || it->is_null()) {
    if (required) problems.Add(where, "is missing");
    return "";
  }
  if (!it->is_string()) {
    problems.Add(where, "must be a string, not " + KindOf(*it));
    return "";
  }
  return it->get<std::string>();
}

LocalizedText TextAt(const json& object, std::string_view key, const std::string& field,
                     bool required, Problems& problems) {
  LocalizedText out;
  const auto it = object.find(key);
  const std::string where = Problems::Join(field, key);
  if (it == object.end() || it->is_null()) {
    if (required) problems.Add(where, "is missing: give {\"de\": ..., \"en\": ...}");
    return out;
  }
  if (!problems.Object(*it, where, {"de", "en"})) return out;
  out.de = StringAt(*it, "de", where, false, problems);
  out.en = StringAt(*it, "en", where, false, problems);
  return out;
}

Question ParseQuestion(const json& value, const std::string& field, Problems& problems) {
  Question q;
  if (!problems.Object(value, field,
                       {"key", "type", "text", "low_label", "high_label", "choices", "required"})) {
    return q;
  }
  q.key = StringAt(value, "key", field, true, problems);
  const auto type = value.find("type");
  if (type == value.end() || type->is_null()) {
    problems.Add(field + ".type", "is missing: one of " + TypeList());
  } else if (!type->is_string() || !ParseType(type->get<std::string>())) {
    problems.Add(field + ".type", "must be one of " + TypeList());
  } else {
    q.type = *ParseType(type->get<std::string>());
  }
  q.text = TextAt(value, "text", field, true, problems);
  q.low_label = TextAt(value, "low_label", field, false, problems);
  q.high_label = TextAt(value, "high_label", field, false, problems);
  if (const auto choices = value.find("choices"); choices != value.end() && !choices->is_null()) {
    if (!choices->is_array()) {
      problems.Add(field + ".choices", "must be an array, not " + KindOf(*choices));
    } else {
      for (size_t i = 0; i < choices->size(); ++i) {
        const std::string where = field + ".choices[" + std::to_string(i) + "]";
        const json& c = (*choices)[i];
        if (!problems.Object(c, where, {"key", "label"})) continue;
        Choice choice;
        choice.key = StringAt(c, "key", where, true, problems);
        choice.label = TextAt(c, "label", where, true, problems);
        q.choices.push_back(std::move(choice));
      }
    }
  }
  if (const auto required = value.find("required");
      required != value.end() && !required->is_null()) {
    if (!required->is_boolean()) {
      problems.Add(field + ".required", "must be true or false");
    } else {
      q.required = required->get<bool>();
    }
  }
  return q;
}

// A whole number from a JSON value, or nullopt (with a problem).
std::optional<int> WholeNumber(const json& value, const std::string& field, Problems& problems) {
  if (!value.is_number_integer()) {
    problems.Add(field, "must be a whole number, not " + KindOf(value));
    return std::nullopt;
  }
  if (value.is_number_unsigned()) {
    const auto n = value.get<std::uint64_t>();
    if (n > static_cast<std::uint64_t>(INT_MAX)) {
      problems.Add(field, "is out of range");
      return std::nullopt;
    }
    return static_cast<int>(n);
  }
  const auto n = value.get<std::int64_t>();
  if (n < INT_MIN || n > INT_MAX) {
    problems.Add(field, "is out of range");
    return std::nullopt;
  }
  return static_cast<int>(n);
}

}  // namespace

std::string_view ToString(QuestionType type) {
  for (const auto& [t, name] : kTypes) {
    if (t == type) return name;
  }
  return "scale";
}

std::string SurveyDefinitionJson(const Survey& survey) {
  json questions = json::array();
  for (const Question& q : survey.questions) {
    json choices = json::array();
    for (const Choice& c : q.choices) {
      choices.push_back({{"key", c.key}, {"label", TextJson(c.label)}});
    }
    questions.push_back({{"key", q.key},
                         {"type", ToString(q.type)},
                         {"text", TextJson(q.text)},
                         {"low_label", TextJson(q.low_label)},
                         {"high_label", TextJson(q.high_label)},
                         {"choices", std::move(choices)},
                         {"required", q.required}});
  }
  return json{{"questions", std::move(questions)}}.dump();
}

std::vector<SurveyProblem> ParseSurveyDefinition(std::string_view text, Survey& survey) {
  std::vector<SurveyProblem> out;
  Problems problems(out);
  survey.questions.clear();
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    problems.Add("questions", "the document is not valid JSON");
    return out;
  }
  if (!doc.is_object()) {
    problems.Add("questions", "expected an object {\"questions\": [...]}, not " + KindOf(doc));
    return out;
  }
  const auto questions = doc.find("questions");
  if (questions == doc.end() || questions->is_null()) {
    problems.Add("questions", "is missing");
    return out;
  }
  if (!questions->is_array()) {
    problems.Add("questions", "must be an array, not " + KindOf(*questions));
    return out;
  }
  for (size_t i = 0; i < questions->size(); ++i) {
    survey.questions.push_back(
        ParseQuestion((*questions)[i], "questions[" + std::to_string(i) + "]", problems));
  }
  return out;
}

std::string SurveyResponseJson(const SurveyResponse& response) {
  // ordered_json keeps the answers in the order given (the survey's).
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const Answer& a : response.answers) {
    if (!a.topics.empty()) {
      nlohmann::ordered_json topics = nlohmann::ordered_json::object();
      for (const TopicRating& r : a.topics) topics[r.topic] = r.rating;
      out[a.question] = std::move(topics);
    } else if (a.number) {
      out[a.question] = *a.number;
    } else if (!a.choice.empty()) {
      out[a.question] = a.choice;
    } else {
      out[a.question] = a.text;
    }
  }
  return out.dump();
}

std::vector<SurveyProblem> ParseSurveyResponse(std::string_view text, const Survey& survey,
                                               SurveyResponse& response) {
  std::vector<SurveyProblem> out;
  Problems problems(out);
  response.answers.clear();
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    problems.Add("", "the answers are not valid JSON");
    return out;
  }
  if (!doc.is_object()) {
    problems.Add("", "must be an object {\"<question key>\": value}, not " + KindOf(doc));
    return out;
  }
  std::map<std::string, const Question*> by_key;
  for (const Question& q : survey.questions) by_key.emplace(q.key, &q);
  // In the survey's order, so that the stored document reads like the questionnaire.
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < survey.questions.size(); ++i) order.emplace(survey.questions[i].key, i);
  std::vector<std::pair<size_t, Answer>> answers;
  for (const auto& [key, value] : doc.items()) {
    const auto q = by_key.find(key);
    if (q == by_key.end()) {
      problems.Add(key, "is not a question of this survey");
      continue;
    }
    if (value.is_null()) continue;  // not answered
    Answer a;
    a.question = key;
    switch (q->second->type) {
      case QuestionType::kScale:
      case QuestionType::kRecommendation:
        a.number = WholeNumber(value, key, problems);
        if (!a.number) continue;
        break;
      case QuestionType::kSingleChoice:
      case QuestionType::kFreeText:
        if (!value.is_string()) {
          problems.Add(key, "must be a string, not " + KindOf(value));
          continue;
        }
        (q->second->type == QuestionType::kSingleChoice ? a.choice : a.text) =
            value.get<std::string>();
        break;
      case QuestionType::kTopicRating:
        if (!value.is_object()) {
          problems.Add(key, "must be an object {\"<topic key>\": 0..3}, not " + KindOf(value));
          continue;
        }
        for (const auto& [topic, rating] : value.items()) {
          if (rating.is_null()) continue;
          const std::optional<int> n = WholeNumber(rating, key + "." + topic, problems);
          if (n) a.topics.push_back({topic, *n});
        }
        // No rating at all is no answer (stored, it would not read back as a topic rating).
        if (a.topics.empty()) continue;
        break;
    }
    answers.emplace_back(order[key], std::move(a));
  }
  std::stable_sort(answers.begin(), answers.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (auto& [index, a] : answers) response.answers.push_back(std::move(a));
  return out;
}

}  // namespace tandem
