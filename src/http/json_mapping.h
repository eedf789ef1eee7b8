// Records to JSON and request bodies to values, with every problem named by its field.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/directory.h"
#include "app/lifecycle.h"
#include "app/reports.h"
#include "app/store.h"
#include "app/surveys.h"
#include "app/workspace.h"
#include "http/problem.h"

namespace tandem::http {

nlohmann::json ToJson(const PersonRecord& person);
nlohmann::json ToJson(const ProgrammeRecord& programme);
nlohmann::json ToJson(const AccountRecord& account);
nlohmann::json ToJson(const AuditRecord& entry);
nlohmann::json ToJson(const ApiTokenRecord& token);
nlohmann::json ToJson(const Profile& profile);

// The programme lifecycle (routes.md, "Programme lifecycle"). JSON text that the app stores
// (run results and reports, tandem and suggestion reasons) is embedded as JSON, not as strings.
nlohmann::json ToJson(const EnrolmentView& view, bool with_answers);
nlohmann::json ToJson(const ProgrammeSummary& summary);
nlohmann::json ToJson(const MatchingRunRecord& run);  // without result, report and people
nlohmann::json ToJson(const RunView& view);
nlohmann::json ToJson(const RunComparison& comparison);
nlohmann::json ToJson(const PairRuleRecord& rule);
// `team`: the programme team's view, with the decline reason.
nlohmann::json ToJson(const TandemView& view, bool team);
nlohmann::json ToJson(const Suggestion& suggestion);
nlohmann::json ToJson(const RoleOfferView& view);

// The tandem's protected space (routes.md, "The tandem's workspace").
nlohmann::json ToJson(const AgreementView& view);
nlohmann::json ToJson(const RoadmapItemView& view);
nlohmann::json ToJson(const RoadmapView& view);
nlohmann::json ToJson(const NoteView& view);
nlohmann::json ToJson(const MeetingView& view);
nlohmann::json ToJson(const LeadershipAskRecord& ask);  // as sent by a partner
// The team's list: `{topics: [{topic, asks: [...]}], total}`.
nlohmann::json ToJson(const std::vector<LeadershipAskView>& asks);

// Surveys, partner feedback and reports (routes.md, "Surveys and reports (issue 8)"). A hidden
// figure ("too few to show") is null.
nlohmann::json QuestionsJson(const Survey& survey);  // [{key, type, text, ...}]
nlohmann::json ToJson(const SurveyView& view);
// `survey` names the choices of single-choice questions.
nlohmann::json ToJson(const SurveyResult& result, const Survey& survey);
nlohmann::json ToJson(const TopicResult& topic);
nlohmann::json ToJson(const SurveyResultView& view);
nlohmann::json ToJson(const MyResponseView& view);
nlohmann::json ToJson(const MySurveyView& view);
nlohmann::json ToJson(const PartnerFeedbackView& view);
nlohmann::json ToJson(const DashboardView& view);

template <typename T>
nlohmann::json ToJson(const Page<T>& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(ToJson(item));
  return {{"items", std::move(items)},
          {"next_after", page.next_after ? nlohmann::json(*page.next_after) : nullptr}};
}

// A page whose items need more than ToJson(item): `encode(item)` gives each item's JSON.
template <typename T, typename Encode>
nlohmann::json ToJson(const Page<T>& page, Encode&& encode) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(encode(item));
  return {{"items", std::move(items)},
          {"next_after", page.next_after ? nlohmann::json(*page.next_after) : nullptr}};
}

// The deepest nesting of arrays and objects a request body may have.
inline constexpr int kMaxJsonDepth = 64;

// Parses a request body that must be a JSON object. On failure returns nullopt and sets
// *problem to what is wrong (not JSON, invalid UTF-8, nested deeper than kMaxJsonDepth, not an
// object) and *field to the
// field it is in when that is known (invalid UTF-8 in a string value).
std::optional<nlohmann::json> ParseObject(std::string_view body, std::string* problem,
                                          std::string* field);

// Reads typed fields out of a JSON object, collecting a FieldProblem for each field that is
// missing (when required), of the wrong type or out of range.
class Fields {
 public:
  explicit Fields(const nlohmann::json& object) : object_(object) {}

  std::optional<std::string> String(const char* name, bool required, size_t max_length = 1000);
  std::optional<std::int64_t> Int(const char* name, bool required, std::int64_t min,
                                  std::int64_t max);
  std::optional<bool> Bool(const char* name, bool required);
  std::optional<std::vector<std::string>> Strings(const char* name, bool required,
                                                  size_t max_items = 100);
  // A nullable integer: nullopt when absent, null when given as null.
  std::optional<std::optional<std::int64_t>> NullableInt(const char* name, std::int64_t min,
                                                         std::int64_t max);
  void Fail(std::string field, std::string message) {
    problems_.push_back({std::move(field), 0, std::move(message)});
  }

  bool ok() const { return problems_.empty(); }
  const std::vector<FieldProblem>& problems() const { return problems_; }

 private:
  const nlohmann::json& object_;
  std::vector<FieldProblem> problems_;
};

// The person and programme fields of POST/PUT bodies. Problems go to *fields.
PersonRecord PersonFromJson(const nlohmann::json& body, Fields* fields);
ProgrammeRecord ProgrammeFromJson(const nlohmann::json& body, Fields* fields);
// `{person_ids?, filter?: {level_min?, level_max?, department?, location?, offers?}}`.
InviteRequest InviteRequestFromJson(const nlohmann::json& body, Fields* fields);
// The enrolment input: capacities, languages, availability and one answer per topic.
EnrolmentInput EnrolmentInputFromJson(const nlohmann::json& body, Fields* fields);
// `{title?, text?, action_items?: [{text, done?}], private?}`.
NoteInput NoteInputFromJson(const nlohmann::json& body, Fields* fields);
// `{starts_at, duration_minutes?, time_zone?, place?, video_link?, agenda?: [{kind, text?}]}`.
MeetingInput MeetingInputFromJson(const nlohmann::json& body, Fields* fields);
// `{mentor_topics: [key], mentee_topics: [key]}` (both required; the keys are checked later).
RoleOfferInput RoleOfferInputFromJson(const nlohmann::json& body, Fields* fields);

}  // namespace tandem::http
