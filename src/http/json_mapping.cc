#include "http/json_mapping.h"

#include <limits>

#include "app/csv_reader.h"

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

std::optional<nlohmann::json> ParseObject(std::string_view body, std::string* problem,
                                          std::string* field) {
  if (!IsValidUtf8(body)) {
    *problem = "the body is not valid UTF-8";
    *field = KeyAround(body, FirstInvalidUtf8(body));
    if (!field->empty()) *problem = "not valid UTF-8";
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

}  // namespace tandem::http
