#include "http/json_mapping.h"

#include <algorithm>
#include <limits>
#include <map>

#include "app/csv_reader.h"
#include "app/programmes.h"
#include "app/survey_json.h"
#include "core/disclosure.h"

namespace tandem::http {
namespace {

nlohmann::json Nullable(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// The offset of the first byte that breaks UTF-8 (body.size() when there is none).
size_t FirstInvalidUtf8(std::string_view body) {
  size_t i = 0;
  while (i < body.size()) {
    const auto c = static_cast<unsigned char>(body[i]);
    size_t length = 0;
    if (c < 0x80) {
      length = 1;
    } else if ((c & 0xE0) == 0xC0 && c >= 0xC2) {
      length = 2;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
    } else if ((c & 0xF8) == 0xF0 && c <= 0xF4) {
      length = 4;
    } else {
      return i;
    }
    if (i + length > body.size()) return i;
    if (!IsValidUtf8(body.substr(i, length))) return i;
    i += length;
  }
  return i;
}

// The key of the string value that contains offset `at` in a JSON text ("key": "...<at>..."),
// or "" when `at` is not inside such a value. Good enough to name the field of a bad byte.
std::string KeyAround(std::string_view text, size_t at) {
  if (at >= text.size()) return {};
  size_t i = at;
  while (i > 0 && !(text[i - 1] == '"' && (i < 2 || text[i - 2] != '\\'))) --i;
  if (i == 0) return {};
  i -= 1;  // the value's opening quote
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t')) --i;
  if (i == 0 || text[i - 1] != ':') return {};
  --i;
  while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\n' || text[i - 1] == '\t')) --i;
  if (i == 0 || text[i - 1] != '"') return {};
  const size_t end = i - 1;
  const size_t start = text.rfind('"', end - 1);
  if (start == std::string_view::npos || end <= start + 1) return {};
  return std::string(text.substr(start + 1, end - start - 1));
}

// JSON text that the app stored (a run's result, a tandem's reasons): parsed, or `fallback`
// when empty (a run not computed yet, reasons cleared by an erasure).
nlohmann::json Embedded(const std::string& text, nlohmann::json fallback) {
  if (text.empty()) return fallback;
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? fallback : value;
}

nlohmann::json People(const std::vector<std::pair<RowId, std::string>>& people) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, name] : people) list.push_back({{"id", id}, {"name", name}});
  return list;
}

nlohmann::json Pairs(const std::vector<RunPair>& pairs) {
  nlohmann::json list = nlohmann::json::array();
  for (const RunPair& p : pairs) {
    list.push_back({{"mentor", p.mentor}, {"mentee", p.mentee}, {"score", p.score}});
  }
  return list;
}

// The objective of a run, from its parameters (`{"objective": "optimal", ...}`).
std::string Objective(const MatchingRunRecord& run) {
  const nlohmann::json parameters = Embedded(run.parameters, nlohmann::json::object());
  const auto it = parameters.find("objective");
  return it != parameters.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Every problem of a nested object, named "<where>/<field>".
void Nest(const std::string& where, const Fields& nested, Fields* fields) {
  for (const FieldProblem& problem : nested.problems()) {
    fields->Fail(where + "/" + problem.field, problem.message);
  }
}

}  // namespace

nlohmann::json ToJson(const PersonRecord& p) {
  return {{"id", p.id},
          {"external_id", p.external_id},
          {"name", p.name},
          {"email", p.email},
          {"department", p.department},
          {"location", p.location},
          {"manager_id", Nullable(p.manager)},
          {"level", p.level},
          {"languages", p.languages},
          {"erased", p.erased_at.has_value()},
          {"version", p.version}};
}

nlohmann::json ToJson(const ProgrammeRecord& p) {
  nlohmann::json topics = nlohmann::json::array();
  for (const ProgrammeTopic& t : p.topics) {
    topics.push_back(
        {{"key", t.key}, {"name_de", t.name_de}, {"name_en", t.name_en}, {"weight", t.weight}});
  }
  return {{"id", p.id},
          {"name", p.name},
          {"state", p.state},
          {"topics", std::move(topics)},
          {"mentee_min_level", p.mentee_min_level},
          {"term_min_months", p.term_min_months},
          {"term_max_months", p.term_max_months},
          {"target_meetings_min", p.target_meetings_min},
          {"target_meetings_max", p.target_meetings_max},
          {"mode", ToString(p.mode)},
          {"enrolment_deadline", Nullable(p.enrolment_deadline)},
          {"agreement_de", p.agreement_de},
          {"agreement_en", p.agreement_en},
          {"closed_at", Nullable(p.closed_at)},
          {"retention_months", p.retention_months},
          {"show_meeting_counts", p.show_meeting_counts},
          {"min_group_size", p.min_group_size},
          {"partner_feedback", p.partner_feedback},
          {"version", p.version}};
}

nlohmann::json ToJson(const AccountRecord& a) {
  return {{"id", a.id},
          {"email", a.email},
          {"person_id", Nullable(a.person)},
          {"display_name", a.display_name},
          {"language", ToString(a.language)},
          {"system_admin", a.system_admin},
          {"version", a.version}};
}

nlohmann::json ToJson(const AuditRecord& e) {
  return {{"id", e.id},         {"at", e.at},         {"actor", e.actor},
          {"action", e.action}, {"entity", e.entity}, {"entity_id", Nullable(e.entity_id)},
          {"detail", e.detail}};
}

nlohmann::json ToJson(const ApiTokenRecord& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"scopes", t.scopes},
          {"created_at", t.created_at},
          {"last_used_at", Nullable(t.last_used_at)},
          {"revoked_at", Nullable(t.revoked_at)}};
}

nlohmann::json ToJson(const Profile& profile) {
  return {{"account", ToJson(profile.account)},
          {"person", profile.person ? ToJson(*profile.person) : nlohmann::json(nullptr)}};
}

nlohmann::json ToJson(const ProgrammeSummary& s) {
  return {{"programme", ToJson(s.programme)},
          {"enrolments",
           {{"invited", s.invited},
            {"enrolled", s.enrolled},
            {"withdrawn", s.withdrawn},
            {"mentors", s.mentors},
            {"mentees", s.mentees}}},
          {"tandems",
           {{"proposed", s.proposed},
            {"active", s.active},
            {"completed", s.completed},
            {"declined", s.declined},
            {"dissolved", s.dissolved}}},
          {"runs", {{"total", s.runs}, {"pending", s.runs_pending}}},
          {"meetings",
           {{"tandems", s.meetings.tandems},
            {"too_few", s.meetings.too_few},
            {"held", Nullable(s.meetings.held)},
            {"reached_target", Nullable(s.meetings.reached_target)}}}};
}

nlohmann::json ToJson(const EnrolmentView& view, bool with_answers) {
  const EnrolmentRecord& e = view.enrolment;
  nlohmann::json out = {{"id", e.id},
                        {"programme_id", e.programme},
                        {"person_id", e.person},
                        {"name", view.name},
                        {"state", ToString(e.state)},
                        {"mentor_capacity", e.mentor_capacity},
                        {"mentee_capacity", e.mentee_capacity},
                        {"languages", e.languages},
                        {"availability", e.availability},
                        {"invited_at", Nullable(e.invited_at)},
                        {"enrolled_at", Nullable(e.enrolled_at)},
                        {"withdrawn_at", Nullable(e.withdrawn_at)},
                        {"version", e.version}};
  if (with_answers) {
    nlohmann::json answers = nlohmann::json::array();
    for (const AnswerRecord& a : view.answers) {
      answers.push_back({{"topic", a.topic},
                         {"interest", a.interest},
                         {"skill", a.skill},
                         {"experience", a.experience}});
    }
    out["answers"] = std::move(answers);
    nlohmann::json previous = nullptr;
    if (view.previous) {
      const PreviousEnrolment& p = *view.previous;
      nlohmann::json prefilled = nlohmann::json::array();
      for (const AnswerRecord& a : p.answers) {
        prefilled.push_back({{"topic", a.topic},
                             {"interest", a.interest},
                             {"skill", a.skill},
                             {"experience", a.experience}});
      }
      previous = {{"programme_id", p.programme},
                  {"programme_name", p.programme_name},
                  {"mentor_capacity", p.mentor_capacity},
                  {"mentee_capacity", p.mentee_capacity},
                  {"languages", p.languages},
                  {"availability", p.availability},
                  {"answers", std::move(prefilled)}};
    }
    out["previous"] = std::move(previous);
  }
  return out;
}

nlohmann::json ToJson(const RoleOfferView& view) {
  nlohmann::json topics = nlohmann::json::array();
  for (const ProgrammeTopic& t : view.topics) {
    topics.push_back({{"key", t.key}, {"name_de", t.name_de}, {"name_en", t.name_en}});
  }
  return {{"mentor_topics", view.offer.mentor_topics},
          {"mentee_topics", view.offer.mentee_topics},
          {"suggestions", {{"mentor", view.suggested_mentor}, {"mentee", view.suggested_mentee}}},
          {"topics", std::move(topics)},
          {"version", view.offer.version},
          {"updated_at", view.stored ? nlohmann::json(view.offer.updated_at) : nullptr}};
}

nlohmann::json ToJson(const MatchingRunRecord& r) {
  return {{"id", r.id},
          {"programme_id", r.programme},
          {"state", ToString(r.state)},
          {"objective", Objective(r)},
          {"phase", r.phase},
          {"progress_done", r.progress_done},
          {"progress_total", r.progress_total},
          {"error", r.error},
          {"created_at", r.created_at},
          {"started_at", Nullable(r.started_at)},
          {"finished_at", Nullable(r.finished_at)},
          {"published_at", Nullable(r.published_at)},
          {"version", r.version}};
}

nlohmann::json ToJson(const RunView& view) {
  nlohmann::json out = ToJson(view.run);
  out["result"] = Embedded(view.run.result, nullptr);
  out["report"] = Embedded(view.run.report, nullptr);
  out["people"] = People(view.people);
  return out;
}

nlohmann::json ToJson(const RunComparison& c) {
  return {{"a", c.a},
          {"b", c.b},
          {"a_total", c.a_total},
          {"b_total", c.b_total},
          {"a_pairs", c.a_pairs},
          {"b_pairs", c.b_pairs},
          {"in_both", c.in_both},
          {"only_a", Pairs(c.only_a)},
          {"only_b", Pairs(c.only_b)},
          {"people", People(c.people)}};
}

nlohmann::json ToJson(const PairRuleRecord& rule) {
  return {{"programme_id", rule.programme},
          {"mentor_id", rule.mentor},
          {"mentee_id", rule.mentee},
          {"kind", ToString(rule.kind)},
          {"created_at", rule.created_at}};
}

nlohmann::json ToJson(const TandemView& view, bool team) {
  const TandemRecord& t = view.tandem;
  nlohmann::json out = {{"id", t.id},
                        {"programme_id", t.programme},
                        {"programme_name", view.programme_name},
                        {"run_id", Nullable(t.run)},
                        {"origin", t.origin},
                        {"mentor", {{"id", t.mentor}, {"name", view.mentor_name}}},
                        {"mentee", {{"id", t.mentee}, {"name", view.mentee_name}}},
                        {"score", t.score},
                        {"topics", t.topics},
                        {"reasons", Embedded(t.reasons, nlohmann::json::array())},
                        {"state", ToString(t.state)},
                        {"mentor_accepted_at", Nullable(t.mentor_accepted_at)},
                        {"mentee_accepted_at", Nullable(t.mentee_accepted_at)},
                        {"activated_at", Nullable(t.activated_at)},
                        {"ends_at", Nullable(view.ends_at)},
                        {"mentor_completed_at", Nullable(t.mentor_completed_at)},
                        {"mentee_completed_at", Nullable(t.mentee_completed_at)},
                        {"ended_at", Nullable(t.ended_at)},
                        {"created_at", t.created_at},
                        {"version", t.version}};
  if (team) {
    out["decline_reason"] = t.decline_reason;
    out["dissolve_reason"] = t.dissolve_reason;
    if (view.meetings_held) out["meetings_held"] = *view.meetings_held;
  }
  return out;
}

nlohmann::json ToJson(const Suggestion& s) {
  return {{"person_id", s.person}, {"name", s.name},
          {"role", s.role},        {"score", s.score},
          {"topics", s.topics},    {"reasons", Embedded(s.reasons, nlohmann::json::array())}};
}

namespace {

// The deepest nesting of arrays and objects in `text` (strings skipped). Checked before parsing:
// writing or walking a deeply nested document recurses, and no request needs more than a few
// levels.
int NestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

}  // namespace

std::optional<nlohmann::json> ParseObject(std::string_view body, std::string* problem,
                                          std::string* field) {
  if (!IsValidUtf8(body)) {
    *problem = "the body is not valid UTF-8";
    *field = KeyAround(body, FirstInvalidUtf8(body));
    if (!field->empty()) *problem = "not valid UTF-8";
    return std::nullopt;
  }
  if (NestingDepth(body) > kMaxJsonDepth) {
    *problem = "the body nests arrays and objects deeper than " + std::to_string(kMaxJsonDepth) +
               " levels";
    return std::nullopt;
  }
  nlohmann::json value = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    *problem = "the body is not valid JSON";
    return std::nullopt;
  }
  if (!value.is_object()) {
    *problem = "the body must be a JSON object";
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> Fields::String(const char* name, bool required, size_t max_length) {
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(name, "required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    Fail(name, "must be a string");
    return std::nullopt;
  }
  std::string value = it->get<std::string>();
  if (value.size() > max_length) {
    Fail(name, "at most " + std::to_string(max_length) + " bytes");
    return std::nullopt;
  }
  return value;
}

std::optional<std::int64_t> Fields::Int(const char* name, bool required, std::int64_t min,
                                        std::int64_t max) {
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(name, "required");
    return std::nullopt;
  }
  if (!it->is_number_integer()) {
    Fail(name, "must be an integer");
    return std::nullopt;
  }
  if (it->is_number_unsigned() &&
      it->get<std::uint64_t>() >
          static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    Fail(name, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  const auto value = it->get<std::int64_t>();
  if (value < min || value > max) {
    Fail(name, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return value;
}

std::optional<bool> Fields::Bool(const char* name, bool required) {
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(name, "required");
    return std::nullopt;
  }
  if (!it->is_boolean()) {
    Fail(name, "must be true or false");
    return std::nullopt;
  }
  return it->get<bool>();
}

std::optional<std::vector<std::string>> Fields::Strings(const char* name, bool required,
                                                        size_t max_items) {
  const auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) {
    if (required) Fail(name, "required");
    return std::nullopt;
  }
  if (!it->is_array() || it->size() > max_items) {
    Fail(name, "must be an array of at most " + std::to_string(max_items) + " strings");
    return std::nullopt;
  }
  std::vector<std::string> values;
  for (const nlohmann::json& item : *it) {
    if (!item.is_string()) {
      Fail(name, "must be an array of strings");
      return std::nullopt;
    }
    values.push_back(item.get<std::string>());
  }
  return values;
}

std::optional<std::optional<std::int64_t>> Fields::NullableInt(const char* name, std::int64_t min,
                                                               std::int64_t max) {
  const auto it = object_.find(name);
  if (it == object_.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::int64_t>{};
  const std::optional<std::int64_t> value = Int(name, true, min, max);
  if (!value) return std::nullopt;
  return std::optional<std::int64_t>{*value};
}

PersonRecord PersonFromJson(const nlohmann::json& body, Fields* fields) {
  PersonRecord p;
  p.external_id = fields->String("external_id", true, 200).value_or("");
  p.name = fields->String("name", false, 300).value_or("");
  p.email = fields->String("email", false, 300).value_or("");
  p.department = fields->String("department", false, 300).value_or("");
  p.location = fields->String("location", false, 300).value_or("");
  if (auto manager =
          fields->NullableInt("manager_id", 1, std::numeric_limits<std::int64_t>::max())) {
    p.manager = *manager;
  }
  p.level = static_cast<int>(fields->Int("level", true, 0, 1000).value_or(0));
  p.languages = fields->Strings("languages", false, 20).value_or(std::vector<std::string>{});
  (void)body;
  return p;
}

ProgrammeRecord ProgrammeFromJson(const nlohmann::json& body, Fields* fields) {
  ProgrammeRecord p;
  p.name = fields->String("name", true, 200).value_or("");
  p.mentee_min_level =
      static_cast<int>(fields->Int("mentee_min_level", false, 0, 1000).value_or(0));
  p.term_min_months = static_cast<int>(fields->Int("term_min_months", false, 1, 60).value_or(6));
  p.term_max_months = static_cast<int>(fields->Int("term_max_months", false, 1, 60).value_or(9));
  p.target_meetings_min =
      static_cast<int>(fields->Int("target_meetings_min", false, 1, 100).value_or(6));
  p.target_meetings_max =
      static_cast<int>(fields->Int("target_meetings_max", false, 1, 100).value_or(8));
  if (const auto mode = fields->String("mode", false, 20)) {
    const auto parsed = ParseMatchModeSetting(*mode);
    if (parsed) {
      p.mode = *parsed;
    } else {
      fields->Fail("mode", "must be 'reverse' or 'open'");
    }
  }
  if (auto deadline =
          fields->NullableInt("enrolment_deadline", 0, std::numeric_limits<std::int64_t>::max())) {
    p.enrolment_deadline = *deadline;
  }
  p.agreement_de = fields->String("agreement_de", false, 20000).value_or("");
  p.agreement_en = fields->String("agreement_en", false, 20000).value_or("");
  p.retention_months =
      static_cast<int>(fields->Int("retention_months", false, 1, 120).value_or(12));
  p.show_meeting_counts = fields->Bool("show_meeting_counts", false).value_or(false);
  // The minimum group size of reports: refused below the lowest, never raised (docs/reports.md).
  p.min_group_size = kKeepMinGroupSize;  // a new programme: the default; an update: unchanged
  if (const auto k = fields->Int("min_group_size", false, -1000000, 1000)) {
    if (*k < kLowestMinGroupSize) {
      fields->Fail("min_group_size", "must be at least " + std::to_string(kLowestMinGroupSize));
    } else {
      p.min_group_size = static_cast<int>(*k);
    }
  }
  p.partner_feedback = fields->Bool("partner_feedback", false).value_or(false);
  const auto topics = body.find("topics");
  if (topics != body.end() && !topics->is_null()) {
    if (!topics->is_array() || topics->size() > 100) {
      fields->Fail("topics", "must be an array of at most 100 topics");
    } else {
      for (size_t i = 0; i < topics->size(); ++i) {
        const nlohmann::json& t = (*topics)[i];
        const std::string where = "topics/" + std::to_string(i);
        if (!t.is_object()) {
          fields->Fail(where, "must be an object");
          continue;
        }
        Fields topic(t);
        ProgrammeTopic parsed;
        parsed.key = topic.String("key", true, 64).value_or("");
        parsed.name_de = topic.String("name_de", true, 200).value_or("");
        parsed.name_en = topic.String("name_en", true, 200).value_or("");
        parsed.weight = static_cast<int>(topic.Int("weight", false, 1, 100).value_or(1));
        for (const FieldProblem& problem : topic.problems()) {
          fields->Fail(where + "/" + problem.field, problem.message);
        }
        p.topics.push_back(std::move(parsed));
      }
    }
  }
  return p;
}

InviteRequest InviteRequestFromJson(const nlohmann::json& body, Fields* fields) {
  InviteRequest request;
  const auto ids = body.find("person_ids");
  if (ids != body.end() && !ids->is_null()) {
    if (!ids->is_array() || ids->size() > 100000) {
      fields->Fail("person_ids", "must be an array of person ids");
    } else {
      for (const nlohmann::json& id : *ids) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 1) {
          fields->Fail("person_ids", "must be an array of person ids (integers from 1)");
          break;
        }
        request.people.push_back(id.get<std::int64_t>());
      }
    }
  }
  const auto filter = body.find("filter");
  if (filter != body.end() && !filter->is_null()) {
    if (!filter->is_object()) {
      fields->Fail("filter", "must be an object");
      return request;
    }
    Fields f(*filter);
    request.use_filter = true;
    if (auto v = f.Int("level_min", false, 0, 1000)) request.level_min = static_cast<int>(*v);
    if (auto v = f.Int("level_max", false, 0, 1000)) request.level_max = static_cast<int>(*v);
    request.department = f.String("department", false, 300);
    request.location = f.String("location", false, 300);
    request.offers = f.String("offers", false, 20);
    if (request.offers && *request.offers != "mentor" && *request.offers != "mentee") {
      f.Fail("offers", "must be \"mentor\" or \"mentee\"");
    }
    Nest("filter", f, fields);
  }
  return request;
}

EnrolmentInput EnrolmentInputFromJson(const nlohmann::json& body, Fields* fields) {
  EnrolmentInput input;
  input.mentor_capacity =
      static_cast<int>(fields->Int("mentor_capacity", true, 0, kMaxMentorCapacity).value_or(0));
  input.mentee_capacity =
      static_cast<int>(fields->Int("mentee_capacity", true, 0, kMaxMenteeCapacity).value_or(0));
  input.languages = fields->Strings("languages", false, 20).value_or(std::vector<std::string>{});
  input.availability = fields->String("availability", false, kMaxAvailabilityLength).value_or("");
  const auto answers = body.find("answers");
  if (answers == body.end() || answers->is_null()) {
    fields->Fail("answers", "required");
  } else if (!answers->is_array() || answers->size() > 100) {
    fields->Fail("answers", "must be an array of at most 100 answers");
  } else {
    for (size_t i = 0; i < answers->size(); ++i) {
      const nlohmann::json& a = (*answers)[i];
      const std::string where = "answers/" + std::to_string(i);
      if (!a.is_object()) {
        fields->Fail(where, "must be an object");
        continue;
      }
      Fields answer(a);
      AnswerRecord parsed;
      parsed.topic = answer.String("topic", true, 64).value_or("");
      parsed.interest = static_cast<int>(answer.Int("interest", true, 0, 3).value_or(0));
      parsed.skill = static_cast<int>(answer.Int("skill", true, 0, 3).value_or(0));
      parsed.experience = answer.String("experience", false, kMaxExperienceLength).value_or("");
      Nest(where, answer, fields);
      input.answers.push_back(std::move(parsed));
    }
  }
  return input;
}

// ---- The tandem's protected space

nlohmann::json ToJson(const AgreementView& view) {
  nlohmann::json acceptances = nlohmann::json::array();
  for (const AgreementAcceptanceView& a : view.acceptances) {
    acceptances.push_back(
        {{"person_id", a.person}, {"role", a.role}, {"accepted_at", a.accepted_at}});
  }
  return {{"tandem_id", view.tandem},
          {"text", view.text},
          {"acceptances", std::move(acceptances)},
          {"accepted_by_me", view.accepted_by_me},
          {"open", view.open}};
}

nlohmann::json ToJson(const RoadmapItemView& view) {
  const RoadmapItemRecord& i = view.item;
  return {{"id", i.id},
          {"position", i.position},
          {"topic", i.topic},
          {"text", view.text},
          {"covered", i.covered_at.has_value()},
          {"covered_at", Nullable(i.covered_at)},
          {"version", i.version},
          {"created_at", i.created_at},
          {"updated_at", i.updated_at}};
}

nlohmann::json ToJson(const RoadmapView& view) {
  nlohmann::json items = nlohmann::json::array();
  for (const RoadmapItemView& item : view.items) items.push_back(ToJson(item));
  return {{"items", std::move(items)}, {"version", view.version}};
}

nlohmann::json ToJson(const NoteView& view) {
  nlohmann::json actions = nlohmann::json::array();
  for (const ActionItem& a : view.action_items) {
    actions.push_back({{"text", a.text}, {"done", a.done}});
  }
  const NoteRecord& n = view.note;
  return {
      {"id", n.id},           {"author_id", n.author},      {"private", n.is_private},
      {"title", view.title},  {"text", view.text},          {"action_items", std::move(actions)},
      {"version", n.version}, {"created_at", n.created_at}, {"updated_at", n.updated_at}};
}

NoteInput NoteInputFromJson(const nlohmann::json& body, Fields* fields) {
  NoteInput in;
  in.title = fields->String("title", false, kMaxNoteTitleLength).value_or("");
  in.text = fields->String("text", false, kMaxNoteTextLength).value_or("");
  in.is_private = fields->Bool("private", false).value_or(false);
  const auto items = body.find("action_items");
  if (items == body.end() || items->is_null()) return in;
  if (!items->is_array() || items->size() > kMaxActionItems) {
    fields->Fail("action_items",
                 "must be an array of at most " + std::to_string(kMaxActionItems) + " items");
    return in;
  }
  for (size_t i = 0; i < items->size(); ++i) {
    const nlohmann::json& item = (*items)[i];
    const std::string where = "action_items/" + std::to_string(i);
    if (!item.is_object()) {
      fields->Fail(where, "must be an object {text, done}");
      continue;
    }
    Fields f(item);
    const auto text = f.String("text", true, kMaxActionItemLength);
    const auto done = f.Bool("done", false);
    for (const FieldProblem& p : f.problems()) fields->Fail(where + "/" + p.field, p.message);
    if (text) in.action_items.push_back({*text, done.value_or(false)});
  }
  return in;
}

nlohmann::json ToJson(const MeetingView& view) {
  nlohmann::json agenda = nlohmann::json::array();
  for (const AgendaItem& a : view.agenda) agenda.push_back({{"kind", a.kind}, {"text", a.text}});
  const MeetingRecord& m = view.meeting;
  return {{"id", m.id},
          {"state", ToString(m.state)},
          {"starts_at", m.starts_at},
          {"duration_minutes", m.duration_minutes},
          {"time_zone", m.time_zone},
          {"proposed_by", m.proposed_by},
          {"place", view.place},
          {"video_link", view.video_link},
          {"agenda", std::move(agenda)},
          {"version", m.version},
          {"created_at", m.created_at},
          {"updated_at", m.updated_at}};
}

MeetingInput MeetingInputFromJson(const nlohmann::json& body, Fields* fields) {
  MeetingInput in;
  in.starts_at =
      fields->Int("starts_at", true, 0, std::numeric_limits<std::int64_t>::max()).value_or(0);
  in.duration_minutes = static_cast<int>(
      fields->Int("duration_minutes", false, kMinMeetingMinutes, kMaxMeetingMinutes)
          .value_or(kDefaultMeetingMinutes));
  in.time_zone = fields->String("time_zone", false, 64).value_or("Europe/Berlin");
  in.place = fields->String("place", false, kMaxPlaceLength).value_or("");
  in.video_link = fields->String("video_link", false, kMaxVideoLinkLength).value_or("");
  const auto agenda = body.find("agenda");
  if (agenda == body.end() || agenda->is_null()) return in;
  if (!agenda->is_array() || agenda->size() > kMaxAgendaItems) {
    fields->Fail("agenda",
                 "must be an array of at most " + std::to_string(kMaxAgendaItems) + " items");
    return in;
  }
  in.agenda.emplace();
  for (size_t i = 0; i < agenda->size(); ++i) {
    const nlohmann::json& item = (*agenda)[i];
    const std::string where = "agenda/" + std::to_string(i);
    if (!item.is_object()) {
      fields->Fail(where, "must be an object {kind, text}");
      continue;
    }
    Fields f(item);
    const auto kind = f.String("kind", true, 20);
    const auto text = f.String("text", false, kMaxAgendaTextLength);
    for (const FieldProblem& p : f.problems()) fields->Fail(where + "/" + p.field, p.message);
    if (kind) in.agenda->push_back({*kind, text.value_or("")});
  }
  return in;
}

nlohmann::json ToJson(const LeadershipAskRecord& ask) {
  return {{"id", ask.id},     {"programme_id", ask.programme},   {"topics", ask.topics},
          {"text", ask.text}, {"named", ask.author.has_value()}, {"created_at", ask.created_at}};
}

nlohmann::json ToJson(const std::vector<LeadershipAskView>& asks) {
  // By topic, in the order topics first appear; asks without a topic under "".
  std::vector<std::string> order;
  std::map<std::string, nlohmann::json> by_topic;
  for (const LeadershipAskView& v : asks) {
    nlohmann::json item = {
        {"id", v.ask.id},
        {"topics", v.ask.topics},
        {"text", v.ask.text},
        {"created_at", v.ask.created_at},
        {"author", v.ask.author ? nlohmann::json{{"id", *v.ask.author}, {"name", v.author_name}}
                                : nlohmann::json(nullptr)}};
    std::vector<std::string> topics = v.ask.topics;
    if (topics.empty()) topics.emplace_back();
    for (const std::string& topic : topics) {
      auto [at, fresh] = by_topic.try_emplace(topic, nlohmann::json::array());
      if (fresh) order.push_back(topic);
      at->second.push_back(item);
    }
  }
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& topic : order) {
    out.push_back({{"topic", topic}, {"asks", std::move(by_topic[topic])}});
  }
  return {{"topics", std::move(out)}, {"total", asks.size()}};
}

RoleOfferInput RoleOfferInputFromJson(const nlohmann::json& /*body*/, Fields* fields) {
  RoleOfferInput input;
  input.mentor_topics =
      fields->Strings("mentor_topics", true, 1000).value_or(std::vector<std::string>{});
  input.mentee_topics =
      fields->Strings("mentee_topics", true, 1000).value_or(std::vector<std::string>{});
  return input;
}

// ---- Surveys, partner feedback and reports (issue 8)

namespace {

nlohmann::json Localized(const LocalizedText& text) { return {{"de", text.de}, {"en", text.en}}; }

nlohmann::json NullableNumber(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json NullableCounts(const std::optional<std::vector<std::int64_t>>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// A JSON document the app stored (answers): embedded as JSON; an unreadable one as {}.
nlohmann::json Embedded(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  return parsed.is_discarded() ? nlohmann::json::object() : parsed;
}

nlohmann::json FunnelJson(const std::vector<FunnelStage>& funnel) {
  nlohmann::json out = nlohmann::json::array();
  for (const FunnelStage& s : funnel)
    out.push_back({{"stage", s.stage}, {"count", Nullable(s.count)}});
  return out;
}

nlohmann::json FilterJson(const std::vector<FilterOption>& options) {
  nlohmann::json out = nlohmann::json::array();
  for (const FilterOption& o : options) {
    out.push_back({{"value", o.value}, {"available", o.available}});
  }
  return out;
}

nlohmann::json TopicResultsJson(const std::vector<TopicResult>& topics) {
  nlohmann::json out = nlohmann::json::array();
  for (const TopicResult& t : topics) out.push_back(ToJson(t));
  return out;
}

nlohmann::json OptionalResult(const std::optional<SurveyResult>& result, const Survey& survey) {
  return result ? ToJson(*result, survey) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json QuestionsJson(const Survey& survey) {
  nlohmann::json out = nlohmann::json::array();
  for (const Question& q : survey.questions) {
    nlohmann::json item = {{"key", q.key},
                           {"type", std::string(ToString(q.type))},
                           {"text", Localized(q.text)},
                           {"required", q.required}};
    // Labels and choices only where the type uses them, so that a definition read here can be
    // sent back unchanged.
    if (q.type == QuestionType::kScale || q.type == QuestionType::kRecommendation ||
        q.type == QuestionType::kTopicRating) {
      item["low_label"] = Localized(q.low_label);
      item["high_label"] = Localized(q.high_label);
    }
    if (q.type == QuestionType::kSingleChoice) {
      nlohmann::json choices = nlohmann::json::array();
      for (const Choice& c : q.choices) {
        choices.push_back({{"key", c.key}, {"label", Localized(c.label)}});
      }
      item["choices"] = std::move(choices);
    }
    out.push_back(std::move(item));
  }
  return out;
}

nlohmann::json ToJson(const SurveyView& view) {
  const SurveyRecord& r = view.record;
  return {{"id", r.id},
          {"programme", r.programme},
          {"kind", std::string(ToString(r.kind))},
          {"audience", std::string(ToString(r.audience))},
          {"state", std::string(ToString(r.state))},
          {"opened_at", Nullable(r.opened_at)},
          {"closed_at", Nullable(r.closed_at)},
          {"remind_at", Nullable(r.remind_at)},
          {"reminded_at", Nullable(r.reminded_at)},
          {"responses", Nullable(view.responses)},
          {"invited", Nullable(view.invited)},
          {"released", view.released},
          {"editable", view.editable},
          {"version", r.version},
          {"questions", QuestionsJson(view.survey)}};
}

nlohmann::json ToJson(const TopicResult& t) {
  return {{"topic", t.topic},
          {"respondents", Nullable(t.respondents)},
          {"mean", NullableNumber(t.mean)},
          {"mean_before", NullableNumber(t.mean_before)},
          {"mean_change", NullableNumber(t.mean_change)},
          {"change_counts", NullableCounts(t.change_counts)}};
}

nlohmann::json ToJson(const SurveyResult& result, const Survey& survey) {
  nlohmann::json questions = nlohmann::json::array();
  for (const QuestionResult& q : result.questions) {
    const Question* asked = nullptr;
    for (const Question& candidate : survey.questions) {
      if (candidate.key == q.key) asked = &candidate;
    }
    nlohmann::json choices = nlohmann::json::array();
    for (size_t i = 0; i < q.choice_counts.size(); ++i) {
      const bool named = asked != nullptr && i < asked->choices.size();
      choices.push_back({{"key", named ? asked->choices[i].key : std::to_string(i)},
                         {"count", Nullable(q.choice_counts[i])}});
    }
    questions.push_back({{"key", q.key},
                         {"type", std::string(ToString(q.type))},
                         {"respondents", Nullable(q.respondents)},
                         {"mean", NullableNumber(q.mean)},
                         {"distribution", NullableCounts(q.distribution)},
                         {"nps", NullableNumber(q.nps)},
                         {"nps_groups", NullableCounts(q.nps_groups)},
                         {"choices", std::move(choices)},
                         {"texts", q.texts ? nlohmann::json(*q.texts) : nlohmann::json(nullptr)},
                         {"topics", TopicResultsJson(q.topics)}});
  }
  return {{"respondents", Nullable(result.respondents)}, {"questions", std::move(questions)}};
}

nlohmann::json ToJson(const SurveyResultView& view) {
  return {{"survey", ToJson(view.survey)},
          {"result", OptionalResult(view.result, view.survey.survey)}};
}

nlohmann::json ToJson(const MyResponseView& view) {
  return {{"answers", Embedded(view.answers)}, {"version", view.version}, {"frozen", view.frozen}};
}

nlohmann::json ToJson(const MySurveyView& view) {
  const SurveyRecord& r = view.record;
  return {{"id", r.id},
          {"programme", r.programme},
          {"programme_name", view.programme_name},
          {"kind", std::string(ToString(r.kind))},
          {"audience", std::string(ToString(r.audience))},
          {"state", std::string(ToString(r.state))},
          {"questions", QuestionsJson(view.survey)},
          {"response", view.response ? ToJson(*view.response) : nlohmann::json(nullptr)},
          {"frozen", view.frozen}};
}

nlohmann::json ToJson(const PartnerFeedbackView& view) {
  nlohmann::json mine = nullptr;
  if (view.mine) mine = {{"text", view.mine->text}, {"version", view.mine->version}};
  return {{"enabled", view.enabled},
          {"mine", std::move(mine)},
          {"partner_gave", view.partner_gave},
          {"partner", view.partner ? nlohmann::json(*view.partner) : nlohmann::json(nullptr)}};
}

nlohmann::json ToJson(const DashboardView& view) {
  const auto optional_text = [](const std::optional<std::string>& v) {
    return v && !v->empty() ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  nlohmann::json topics = nlohmann::json::array();
  for (const TopicFigures& t : view.topics) {
    topics.push_back({{"key", t.key},
                      {"name", {{"de", t.name_de}, {"en", t.name_en}}},
                      {"mentees", Nullable(t.mentees)},
                      {"demand", Nullable(t.demand)},
                      {"mentors", Nullable(t.mentors)},
                      {"supply", Nullable(t.supply)}});
  }
  nlohmann::json scores = nlohmann::json::array();
  for (const ScoreBand& b : view.scores) {
    scores.push_back({{"from", b.from}, {"to", b.to}, {"count", Nullable(b.count)}});
  }
  nlohmann::json cadence = nlohmann::json::array();
  for (const CadenceBand& b : view.meetings.cadence) {
    cadence.push_back({{"meetings", b.meetings}, {"count", Nullable(b.count)}});
  }
  const MeetingsAggregate& m = view.meetings.aggregate;
  nlohmann::json survey_list = nlohmann::json::array();
  for (const DashboardSurvey& s : view.surveys) {
    const Survey& survey = s.survey;
    survey_list.push_back({{"id", s.id},
                           {"kind", std::string(ToString(s.kind))},
                           {"audience", std::string(ToString(s.audience))},
                           {"state", std::string(ToString(s.state))},
                           {"invited", Nullable(s.invited)},
                           {"result", OptionalResult(s.result, survey)},
                           {"questions", QuestionsJson(survey)}});
  }
  nlohmann::json asks = nlohmann::json::array();
  for (const AskCount& a : view.asks) asks.push_back({{"topic", a.topic}, {"count", a.count}});
  nlohmann::json earlier = nlohmann::json::array();
  for (const EarlierCohort& e : view.earlier) {
    earlier.push_back({{"id", e.id},
                       {"name", e.name},
                       {"created_at", e.created_at},
                       {"funnel", FunnelJson(e.funnel)},
                       {"nps", NullableNumber(e.nps)},
                       {"satisfaction", NullableNumber(e.satisfaction)}});
  }
  return {
      {"programme", {{"id", view.programme}, {"name", view.name}, {"state", view.state}}},
      {"min_group_size", view.min_group_size},
      {"filters",
       {{"department", FilterJson(view.departments)}, {"location", FilterJson(view.locations)}}},
      {"applied",
       {{"department", optional_text(view.applied.department)},
        {"location", optional_text(view.applied.location)}}},
      {"funnel", FunnelJson(view.funnel)},
      {"withdrawn", Nullable(view.withdrawn)},
      {"topics", std::move(topics)},
      {"scores", std::move(scores)},
      {"meetings",
       {{"tandems", Nullable(view.meetings.tandems)},
        {"too_few", m.too_few},
        {"held", Nullable(m.held)},
        {"reached_target", Nullable(m.reached_target)},
        {"target_min", view.meetings.target_min},
        {"target_max", view.meetings.target_max},
        {"cadence", std::move(cadence)}}},
      {"surveys", std::move(survey_list)},
      {"learning",
       {{"mentees", TopicResultsJson(view.learning_mentees)},
        {"mentors", TopicResultsJson(view.learning_mentors)}}},
      {"asks", std::move(asks)},
      {"earlier", std::move(earlier)}};
}

}  // namespace tandem::http
