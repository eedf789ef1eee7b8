#include "app/participants_csv.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "app/csv_reader.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

constexpr int kMaxCapacity = 100;

std::string Where(std::string_view file, std::int64_t line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}
std::string Column(std::string_view column) { return "column '" + std::string(column) + "': "; }

// Parses an integer in [low, high]; empty gives `empty_value` unless it is nullopt.
std::optional<int> ParseInt(std::string_view text, int low, int high,
                            std::optional<int> empty_value, std::string* why) {
  if (text.empty()) {
    if (empty_value) return empty_value;
    *why = "a value is required";
    return std::nullopt;
  }
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range ||
      (ec == std::errc() && end == text.data() + text.size() && (value < low || value > high))) {
    *why = "'" + std::string(text) + "' is out of range " + std::to_string(low) + ".." +
           std::to_string(high);
    return std::nullopt;
  }
  if (ec != std::errc() || end != text.data() + text.size()) {
    *why = "'" + std::string(text) + "' is not an integer";
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> SplitLanguages(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find(';', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view part = text.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) {
      out.emplace_back(part);
    }
    pos = end + 1;
  }
  return out;
}

enum class Field {
  kId,
  kName,
  kEmail,
  kDepartment,
  kLocation,
  kManager,
  kLevel,
  kLanguages,
  kMentorCapacity,
  kMenteeCapacity,
  kInterest,
  kSkill,
  kExperience,
  kIgnored
};

struct ColumnSpec {
  Field field = Field::kIgnored;
  int topic = -1;  // for interest/skill/experience
};

}  // namespace

void InputProblems::Error(std::string message) {
  if (errors.size() < kMaxErrors) {
    errors.push_back(std::move(message));
  } else {
    ++omitted;
  }
}

void ReadParticipants(std::string_view file_name, std::string_view text,
                      const std::vector<Topic>& catalogue, ParticipantsFile* out,
                      InputProblems* problems, bool check_managers) {
  // The header first; the rows are then streamed, so the file is never held as records.
  CsvRecord header;
  bool have_header = false;
  Status parsed = ParseCsv(file_name, text, [&](CsvRecord& r) {
    header = std::move(r);
    have_header = true;
    return false;
  });
  if (!parsed.ok()) {
    problems->Error(parsed.message());
    return;
  }
  if (!have_header) {
    problems->Error(Where(file_name, 1) + "the file is empty (expected a header row)");
    return;
  }

  // Header: map columns, collect topic keys, sorted so that column order does not matter.
  static const std::map<std::string_view, Field> kFixed = {
      {"id", Field::kId},
      {"name", Field::kName},
      {"email", Field::kEmail},
      {"department", Field::kDepartment},
      {"location", Field::kLocation},
      {"manager_id", Field::kManager},
      {"level", Field::kLevel},
      {"languages", Field::kLanguages},
      {"mentor_capacity", Field::kMentorCapacity},
      {"mentee_capacity", Field::kMenteeCapacity},
  };
  std::vector<std::string> topic_keys;
  for (const std::string& name : header.fields) {
    for (std::string_view prefix : {"interest:", "skill:"}) {
      if (name.rfind(prefix, 0) == 0 && name.size() > prefix.size()) {
        topic_keys.push_back(name.substr(prefix.size()));
      }
    }
  }
  std::sort(topic_keys.begin(), topic_keys.end());
  topic_keys.erase(std::unique(topic_keys.begin(), topic_keys.end()), topic_keys.end());
  auto topic_index = [&topic_keys](std::string_view key) {
    auto it = std::lower_bound(topic_keys.begin(), topic_keys.end(), key);
    return it != topic_keys.end() && *it == key ? static_cast<int>(it - topic_keys.begin()) : -1;
  };

  std::vector<ColumnSpec> columns(header.fields.size());
  std::map<std::string, size_t> seen_columns;
  std::vector<std::string> ignored;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string& name = header.fields[c];
    if (!IsValidUtf8(name)) {  // named by its position: the name itself cannot be printed
      problems->Error(Where(file_name, header.line) + "column " + std::to_string(c + 1) +
                      ": the name is not valid UTF-8");
      continue;
    }
    if (!seen_columns.emplace(name, c).second) {
      problems->Error(Where(file_name, header.line) + Column(name) + "appears twice in the header");
      continue;
    }
    if (auto it = kFixed.find(name); it != kFixed.end()) {
      columns[c].field = it->second;
      continue;
    }
    const std::pair<std::string_view, Field> kPrefixed[] = {{"interest:", Field::kInterest},
                                                            {"skill:", Field::kSkill},
                                                            {"experience:", Field::kExperience}};
    bool matched = false;
    for (const auto& [prefix, field] : kPrefixed) {
      if (name.rfind(prefix, 0) != 0) continue;
      const std::string_view key = std::string_view{name}.substr(prefix.size());
      const int t = topic_index(key);
      if (t >= 0) {
        columns[c] = {field, t};
        matched = true;
      }
    }
    if (!matched) ignored.push_back(name.empty() ? "(empty name)" : name);
  }
  if (!ignored.empty()) {
    std::string list;
    for (const std::string& name : ignored) list += (list.empty() ? "'" : ", '") + name + "'";
    problems->warnings.push_back(Where(file_name, header.line) + "ignoring unknown column" +
                                 (ignored.size() > 1 ? "s " : " ") + list);
  }
  for (std::string_view required : {"id", "level"}) {
    if (seen_columns.count(std::string(required)) == 0) {
      problems->Error(Where(file_name, header.line) + Column(required) +
                      "required column is missing");
    }
  }
  if (!problems->ok()) return;

  // Topics: from the catalogue where it names them, otherwise the key itself with weight 1.
  Cohort& cohort = out->cohort;
  cohort.topics.clear();
  for (const std::string& key : topic_keys) {
    Topic topic{key, key, 1};
    for (const Topic& known : catalogue) {
      if (known.key == key) topic = known;
    }
    cohort.topics.push_back(topic);
  }
  const size_t num_topics = topic_keys.size();

  // Rows.
  std::vector<Person> people;
  std::vector<std::int64_t> lines;
  std::unordered_map<std::string, std::int64_t> id_line;
  std::unordered_set<std::string> rejected_ids;  // rows with errors: not "unknown" managers
  std::string why;
  bool first_record = true;
  parsed = ParseCsv(file_name, text, [&](CsvRecord& record) {
    if (first_record) {  // the header, handled above
      first_record = false;
      return true;
    }
    const std::string where = Where(file_name, record.line);
    if (record.fields.size() != header.fields.size()) {
      problems->Error(where + "expected " + std::to_string(header.fields.size()) +
                      " fields as in the header, found " + std::to_string(record.fields.size()));
      return true;
    }
    Person p;
    p.interest.assign(num_topics, 0);
    p.skill.assign(num_topics, 0);
    bool row_ok = true;
    auto error = [&](size_t c, const std::string& what) {
      problems->Error(where + Column(header.fields[c]) + what);
      row_ok = false;
    };
    for (size_t c = 0; c < record.fields.size(); ++c) {
      const std::string& value = record.fields[c];
      const ColumnSpec& spec = columns[c];
      if (spec.field == Field::kIgnored) continue;
      if (!IsValidUtf8(value)) {
        error(c, "not valid UTF-8");
        continue;
      }
      switch (spec.field) {
        case Field::kId:
          if (value.empty()) error(c, "the id is empty");
          p.id = value;
          break;
        case Field::kName:
          p.name = value;
          break;
        case Field::kEmail:
          p.email = value;
          break;
        case Field::kDepartment:
          p.department = value;
          break;
        case Field::kLocation:
          p.location = value;
          break;
        case Field::kManager:
          p.manager_id = value;
          break;
        case Field::kLanguages:
          p.languages = SplitLanguages(value);
          break;
        case Field::kLevel:
          if (auto v = ParseInt(value, -1000, 1000, std::nullopt, &why)) {
            p.level = *v;
          } else {
            error(c, why);
          }
          break;
        case Field::kMentorCapacity:
        case Field::kMenteeCapacity:
          if (auto v = ParseInt(value, 0, kMaxCapacity, 0, &why)) {
            (spec.field == Field::kMentorCapacity ? p.mentor_capacity : p.mentee_capacity) = *v;
          } else {
            error(c, why);
          }
          break;
        case Field::kInterest:
        case Field::kSkill:
          if (auto v = ParseInt(value, 0, kMaxRating, 0, &why)) {
            auto& ratings = spec.field == Field::kInterest ? p.interest : p.skill;
            ratings[Idx(spec.topic)] = static_cast<std::uint8_t>(*v);
          } else {
            error(c, why);
          }
          break;
        case Field::kExperience:
          if (!value.empty()) p.experience.push_back({spec.topic, value});
          break;
        case Field::kIgnored:
          break;
      }
    }
    if (!p.id.empty()) {
      auto [it, inserted] = id_line.emplace(p.id, record.line);
      if (!inserted) {
        problems->Error(where + Column("id") + "duplicate id '" + p.id + "' (first on line " +
                        std::to_string(it->second) + ")");
        row_ok = false;
      }
    }
    if (!row_ok) {
      if (!p.id.empty()) rejected_ids.insert(p.id);
      return true;
    }
    std::sort(p.experience.begin(), p.experience.end(),
              [](const Experience& a, const Experience& b) { return a.topic < b.topic; });
    people.push_back(std::move(p));
    lines.push_back(record.line);
    return true;
  });
  if (!parsed.ok()) {
    problems->Error(parsed.message());
    return;
  }
  if (people.empty() && problems->ok()) {
    problems->Error(Where(file_name, header.line) +
                    "no participants: the file has a header but no rows");
  }

  // Sort by id, carrying the line numbers along.
  std::vector<size_t> order(people.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&people](size_t a, size_t b) { return people[a].id < people[b].id; });
  cohort.people.clear();
  cohort.people.reserve(people.size());
  out->lines.clear();
  for (size_t i : order) {
    cohort.people.push_back(std::move(people[i]));
    out->lines.push_back(lines[i]);
  }

  if (!check_managers) return;
  // A manager whose own row was rejected is reported there already; do not call them unknown.
  for (Person& person : cohort.people) {
    if (rejected_ids.count(person.manager_id) != 0) person.manager_id.clear();
  }
  std::vector<ManagementTree::Problem> tree_problems;
  out->tree = ManagementTree::Build(cohort.people, &tree_problems);
  std::sort(tree_problems.begin(), tree_problems.end(),
            [out](const ManagementTree::Problem& a, const ManagementTree::Problem& b) {
              return out->lines[Idx(a.person)] < out->lines[Idx(b.person)];
            });
  for (const ManagementTree::Problem& tp : tree_problems) {
    problems->Error(Where(file_name, out->lines[Idx(tp.person)]) + Column("manager_id") +
                    tp.message);
  }
}

std::vector<Topic> ReadTopics(std::string_view file_name, std::string_view text,
                              InputProblems* problems) {
  std::vector<Topic> topics;
  int key_col = -1, name_col = -1, weight_col = -1;
  bool header_done = false;
  std::string why;
  Status parsed = ParseCsv(file_name, text, [&](CsvRecord& r) {
    const std::string where = Where(file_name, r.line);
    if (!header_done) {
      header_done = true;
      for (size_t c = 0; c < r.fields.size(); ++c) {
        if (r.fields[c] == "key") key_col = static_cast<int>(c);
        if (r.fields[c] == "name") name_col = static_cast<int>(c);
        if (r.fields[c] == "weight") weight_col = static_cast<int>(c);
      }
      if (key_col < 0) problems->Error(where + Column("key") + "required column is missing");
      return key_col >= 0;
    }
    auto field = [&r](int c) { return c >= 0 && Idx(c) < r.fields.size() ? r.fields[Idx(c)] : ""; };
    Topic topic;
    topic.key = field(key_col);
    topic.name = field(name_col).empty() ? topic.key : field(name_col);
    if (topic.key.empty()) {
      problems->Error(where + Column("key") + "the key is empty");
      return true;
    }
    if (auto w = ParseInt(field(weight_col), 1, 1000, 1, &why)) {
      topic.weight = *w;
    } else {
      problems->Error(where + Column("weight") + why);
      return true;
    }
    for (const Topic& t : topics) {
      if (t.key == topic.key) {
        problems->Error(where + Column("key") + "duplicate key '" + topic.key + "'");
        return true;
      }
    }
    topics.push_back(std::move(topic));
    return true;
  });
  if (!parsed.ok()) problems->Error(parsed.message());
  if (!header_done && parsed.ok()) {
    problems->Error(Where(file_name, 1) + "the file is empty (expected a header row)");
  }
  return topics;
}

std::vector<std::pair<int, int>> ReadExclusions(std::string_view file_name, std::string_view text,
                                                const ParticipantsFile& participants,
                                                InputProblems* problems) {
  const std::vector<Person>& people = participants.cohort.people;
  auto find = [&people](const std::string& id) {
    auto it = std::lower_bound(people.begin(), people.end(), id,
                               [](const Person& p, const std::string& v) { return p.id < v; });
    return it != people.end() && it->id == id ? static_cast<int>(it - people.begin()) : -1;
  };
  std::vector<std::pair<int, int>> pairs;
  int mentor_col = -1, mentee_col = -1;
  bool header_done = false;
  Status parsed = ParseCsv(file_name, text, [&](CsvRecord& r) {
    const std::string where = Where(file_name, r.line);
    if (!header_done) {
      header_done = true;
      for (size_t c = 0; c < r.fields.size(); ++c) {
        if (r.fields[c] == "mentor_id") mentor_col = static_cast<int>(c);
        if (r.fields[c] == "mentee_id") mentee_col = static_cast<int>(c);
      }
      if (mentor_col < 0)
        problems->Error(where + Column("mentor_id") + "required column is missing");
      if (mentee_col < 0)
        problems->Error(where + Column("mentee_id") + "required column is missing");
      return mentor_col >= 0 && mentee_col >= 0;
    }
    int ids[2] = {-1, -1};
    const int cols[2] = {mentor_col, mentee_col};
    const char* names[2] = {"mentor_id", "mentee_id"};
    for (int k = 0; k < 2; ++k) {
      const size_t c = Idx(cols[k]);
      const std::string id = c < r.fields.size() ? r.fields[c] : "";
      ids[k] = find(id);
      if (ids[k] < 0) problems->Error(where + Column(names[k]) + "unknown person '" + id + "'");
    }
    if (ids[0] >= 0 && ids[1] >= 0) pairs.emplace_back(ids[0], ids[1]);
    return true;
  });
  if (!parsed.ok()) problems->Error(parsed.message());
  return pairs;
}

std::string WriteParticipants(const Cohort& cohort) {
  std::string out;
  out.reserve(cohort.people.size() * 160);
  out +=
      "id,name,email,department,location,manager_id,level,languages,mentor_capacity,"
      "mentee_capacity";
  for (const char* prefix : {"interest:", "skill:", "experience:"}) {
    for (const Topic& t : cohort.topics) {
      out += ',';
      AppendCsvField(&out, prefix + t.key);
    }
  }
  out += '\n';
  for (const Person& p : cohort.people) {
    for (const std::string* field :
         {&p.id, &p.name, &p.email, &p.department, &p.location, &p.manager_id}) {
      AppendCsvField(&out, *field);
      out += ',';
    }
    out += std::to_string(p.level);
    out += ',';
    std::string languages;
    for (const std::string& l : p.languages) languages += (languages.empty() ? "" : ";") + l;
    AppendCsvField(&out, languages);
    out += ',' + std::to_string(p.mentor_capacity) + ',' + std::to_string(p.mentee_capacity);
    for (std::uint8_t v : p.interest) out += ',' + std::to_string(v);
    for (std::uint8_t v : p.skill) out += ',' + std::to_string(v);
    for (size_t t = 0; t < cohort.topics.size(); ++t) {
      out += ',';
      AppendCsvField(&out, p.ExperienceFor(static_cast<int>(t)));
    }
    out += '\n';
  }
  return out;
}

}  // namespace tandem
