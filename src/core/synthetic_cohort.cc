#include "core/synthetic_cohort.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace tandem {
namespace {

constexpr int kTopicCount = 12;

struct TopicSpec {
  const char* key;
  const char* name;
  int wanted;                           // relative popularity among mentees
  int offered;                          // relative popularity among mentors
  std::array<const char*, 2> projects;  // gerund phrases for experience texts
};

// clang-format off
constexpr std::array<TopicSpec, kTopicCount> kTopics = {{
    {"ai", "Artificial Intelligence", 30, 14,
     {"building machine-learning models for demand forecasting",
      "training language models for customer-service chatbots"}},
    {"big_data", "Big Data", 18, 10,
     {"running Spark pipelines over vehicle telemetry",
      "operating a data lake for production data"}},
    {"social_intranet", "Social Intranet", 6, 10,
     {"moderating the company's internal social network",
      "rolling out team spaces on the intranet"}},
    {"cloud", "Cloud Computing", 12, 14,
     {"migrating on-premise services to the cloud",
      "running Kubernetes clusters for internal applications"}},
    {"cybersecurity", "Cyber Security", 12, 8,
     {"handling security incidents for the plant networks",
      "running phishing drills, penetration tests and audits"}},
    {"iot", "Internet of Things", 6, 6,
     {"connecting plant machinery to an IoT platform",
      "building sensor networks for predictive maintenance"}},
    {"agile", "Agile Working", 8, 12,
     {"coaching Scrum teams", "introducing Kanban and OKRs in a line organisation"}},
    {"data_analytics", "Data Analytics", 14, 12,
     {"building dashboards for sales controlling", "analysing quality data with Python and SQL"}},
    {"digital_marketing", "Digital Marketing", 9, 8,
     {"running social-media campaigns", "optimising search-engine advertising"}},
    {"automation", "Process Automation", 8, 8,
     {"automating back-office processes with software robots",
      "modelling approval workflows for invoice processing"}},
    {"ecommerce", "E-Commerce", 5, 6,
     {"building an online shop for spare parts", "running the online vehicle configurator"}},
    {"blockchain", "Blockchain", 3, 1,
     {"piloting a blockchain for supply-chain traceability",
      "evaluating smart contracts for parts tracking"}},
}};
// clang-format on

constexpr std::array<int, kTopicCount> TopicWeights(int TopicSpec::*field) {
  std::array<int, kTopicCount> weights{};
  for (std::size_t t = 0; t < weights.size(); ++t) weights[t] = kTopics[t].*field;
  return weights;
}
constexpr std::array<int, kTopicCount> kWanted = TopicWeights(&TopicSpec::wanted);
constexpr std::array<int, kTopicCount> kOffered = TopicWeights(&TopicSpec::offered);
// Chance per unit of `wanted` that a mentee rates a topic: the weights sum to 131, so a mentee
// has about 131 * 27 / 1000 = 3.5 interests on average.
constexpr int kWantedPermillePerWeight = 27;

// Index 0 is the CEO's; level-3 heads take the others in turn.
constexpr std::array<const char*, 9> kDepartments = {
    "Board", "Sales", "Finance", "IT", "R&D", "Production", "Marketing", "HR", "Logistics"};
constexpr std::array<const char*, 6> kLocations = {"Stuttgart", "Sindelfingen", "Berlin",
                                                   "München",   "Hamburg",      "Bremen"};
constexpr std::array<int, 6> kLocationWeights = {40, 16, 14, 12, 10, 8};

constexpr std::array<const char*, 30> kFirstNames = {
    "Anna",  "Lukas",  "Lena",  "Jonas",  "Sophie", "Felix",  "Marie", "Maximilian",
    "Laura", "Paul",   "Julia", "Jürgen", "Sabine", "Thomas", "Petra", "Stefan",
    "Björn", "Mehmet", "Elif",  "Ahmed",  "Fatima", "Giulia", "Marco", "Sofia",
    "Olga",  "Dmitri", "Priya", "Arjun",  "Wei",    "Carlos"};
constexpr std::array<const char*, 30> kLastNames = {
    "Müller",  "Schmidt",  "Schneider",  "Fischer", "Weber",  "Meyer",       "Wagner",   "Becker",
    "Schulz",  "Hoffmann", "Koch",       "Richter", "Klein",  "Wolf",        "Schröder", "Neumann",
    "Schwarz", "Braun",    "Zimmermann", "Krüger",  "Yilmaz", "Kaya",        "Öztürk",   "Rossi",
    "García",  "Kowalski", "Nowak",      "Sharma",  "Nguyen", "Papadopoulos"};

// mt19937_64 is fully specified by the standard; the std:: distributions are not, so the
// helpers below map its output by hand to keep cohorts identical across standard libraries.
class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, n) for n > 0; the modulo bias is negligible for the n used here.
  int Below(int n) { return static_cast<int>(engine_() % static_cast<std::uint64_t>(n)); }
  bool Permille(int permille) { return Below(1000) < permille; }

  // An index picked with probability proportional to its weight; some weight must be > 0.
  template <std::size_t N>
  int Weighted(const std::array<int, N>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    int r = Below(total);
    for (std::size_t i = 0; i < N; ++i) {
      if (r < weights[i]) return static_cast<int>(i);
      r -= weights[i];
    }
    return static_cast<int>(N) - 1;
  }

  template <std::size_t N>
  const char* Pick(const std::array<const char*, N>& items) {
    return items[static_cast<std::size_t>(Below(static_cast<int>(N)))];
  }

 private:
  std::mt19937_64 engine_;
};

std::string FormatId(int number, std::size_t width) {
  std::string digits = std::to_string(number);
  std::string id = "p";
  if (digits.size() < width) id.append(width - digits.size(), '0');
  return id + digits;
}

// Lowercases ASCII and spells out the few non-ASCII letters used in the name lists.
std::string EmailPart(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kSpelled = {
      {{"ä", "ae"},
       {"ö", "oe"},
       {"ü", "ue"},
       {"Ä", "ae"},
       {"Ö", "oe"},
       {"Ü", "ue"},
       {"ß", "ss"},
       {"é", "e"},
       {"í", "i"}}};
  std::string out;
  out.reserve(name.size() + 2);
  std::size_t i = 0;
  while (i < name.size()) {
    bool spelled = false;
    for (const auto& [from, to] : kSpelled) {
      if (name.substr(i, from.size()) == from) {
        out += to;
        i += from.size();
        spelled = true;
        break;
      }
    }
    if (spelled) continue;
    const char c = name[i++];
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

template <std::size_t N>
std::array<std::string, N> EmailParts(const std::array<const char*, N>& names) {
  std::array<std::string, N> parts;
  for (std::size_t i = 0; i < N; ++i) parts[i] = EmailPart(names[i]);
  return parts;
}

std::string Years(int years) { return std::to_string(years) + (years == 1 ? " year" : " years"); }

std::string ExperienceText(Random& rng, int topic, int skill, const Person& person) {
  const TopicSpec& spec = kTopics[static_cast<std::size_t>(topic)];
  const int years = skill >= 3 ? 3 + rng.Below(6) : 1 + rng.Below(3);
  const std::string project = rng.Pick(spec.projects);
  const std::string where =
      person.department == kDepartments[0] ? "across the company" : "in " + person.department;
  switch (rng.Below(4)) {
    case 0:
      return Years(years) + " " + project + " " + where;
    case 1:
      return "Led a team " + project + " " + where + " (" + Years(years) + ")";
    case 2:
      return Years(years) + " of hands-on work " + project + ", now trains colleagues at the " +
             person.location + " site";
    default:
      return std::string("Certified in ") + spec.name + "; " + Years(years) + " " + project;
  }
}

std::uint8_t InterestRating(Random& rng) {
  static constexpr std::array<int, 3> kWeights = {35, 45, 20};
  return static_cast<std::uint8_t>(1 + rng.Weighted(kWeights));
}

std::uint8_t SkillRating(Random& rng) {
  static constexpr std::array<int, 3> kWeights = {25, 45, 30};
  return static_cast<std::uint8_t>(1 + rng.Weighted(kWeights));
}

void FillRolesAndRatings(Random& rng, Person& p) {
  static constexpr std::array<int, 4> kMenteePermille = {0, 200, 700, 800};
  static constexpr std::array<int, 4> kMentorPermille = {500, 350, 150, 20};
  static constexpr std::array<int, 3> kMentorCapacityWeights = {60, 30, 10};
  static constexpr std::array<int, 3> kSkillCountWeights = {40, 40, 20};
  const auto level = static_cast<std::size_t>(p.level);
  p.mentee_capacity = rng.Permille(kMenteePermille[level]) ? 1 : 0;
  p.mentor_capacity =
      rng.Permille(kMentorPermille[level]) ? 1 + rng.Weighted(kMentorCapacityWeights) : 0;

  p.interest.assign(kTopicCount, 0);
  if (p.mentee_capacity > 0) {
    bool any = false;
    for (std::size_t t = 0; t < kTopicCount; ++t) {
      if (rng.Permille(kWanted[t] * kWantedPermillePerWeight)) {
        p.interest[t] = InterestRating(rng);
        any = true;
      }
    }
    if (!any) p.interest[static_cast<std::size_t>(rng.Weighted(kWanted))] = InterestRating(rng);
  } else if (rng.Permille(300)) {
    // Some non-mentees state a mild curiosity too, so open-mode runs and role changes have data.
    const int picks = 1 + rng.Below(2);
    for (int k = 0; k < picks; ++k) p.interest[static_cast<std::size_t>(rng.Weighted(kWanted))] = 1;
  }

  p.skill.assign(kTopicCount, 0);
  if (p.mentor_capacity == 0) return;
  std::array<int, kTopicCount> offered = kOffered;
  const int topics = 1 + rng.Weighted(kSkillCountWeights);
  for (int k = 0; k < topics; ++k) {
    const auto t = static_cast<std::size_t>(rng.Weighted(offered));
    offered[t] = 0;  // without replacement
    p.skill[t] = SkillRating(rng);
  }
  for (int t = 0; t < kTopicCount; ++t) {
    const int skill = p.skill[static_cast<std::size_t>(t)];
    if (skill >= 2) p.experience.push_back({t, ExperienceText(rng, t, skill, p)});
  }
}

}  // namespace

std::vector<Topic> DefaultTopics() {
  std::vector<Topic> topics;
  topics.reserve(kTopics.size());
  for (const TopicSpec& spec : kTopics) topics.push_back({spec.key, spec.name, 1});
  return topics;
}

Cohort GenerateCohort(int people, std::uint64_t seed) {
  Cohort cohort;
  cohort.topics = DefaultTopics();
  if (people <= 0) return cohort;
  const auto n = static_cast<std::size_t>(people);
  Random rng(seed);

  // Level quotas: ~4% (at least the CEO), ~12%, ~24%, the rest at level 0. A programme cohort
  // is its volunteers plus their management chain, so seniors are over-represented.
  const auto quota = [&](std::size_t percent) { return (n * percent + 50) / 100; };
  std::array<std::size_t, 4> count{};
  count[3] = std::max<std::size_t>(1, quota(4));
  count[2] = std::min(quota(12), n - count[3]);
  count[1] = std::min(quota(24), n - count[3] - count[2]);
  count[0] = n - count[3] - count[2] - count[1];

  // Index 0 is the CEO; the other levels are shuffled so that ids do not reveal seniority.
  std::vector<std::uint8_t> level;
  level.reserve(n);
  for (int l = 3; l >= 0; --l) {
    level.insert(level.end(), count[static_cast<std::size_t>(l)], static_cast<std::uint8_t>(l));
  }
  for (std::size_t i = n - 1; i > 1; --i) {
    const auto j = 1 + static_cast<std::size_t>(rng.Below(static_cast<int>(i)));
    std::swap(level[i], level[j]);
  }
  std::array<std::vector<int>, 4> members;  // by level; the CEO is in none
  for (std::size_t l = 0; l < 4; ++l) members[l].reserve(count[l]);
  for (std::size_t i = 1; i < n; ++i) members[level[i]].push_back(static_cast<int>(i));

  // Managers always sit at a strictly higher level (or are the CEO), so there are no cycles.
  // Levels are filled top-down so that a manager's department is known before the reports'.
  const std::vector<int> ceo_only = {0};
  std::vector<int> manager(n, -1);
  std::vector<std::uint8_t> department(n, 0);
  for (std::size_t k = 0; k < members[3].size(); ++k) {
    const auto head = static_cast<std::size_t>(members[3][k]);
    manager[head] = 0;
    department[head] = static_cast<std::uint8_t>(1 + k % (kDepartments.size() - 1));
  }
  for (std::size_t l = 3; l-- > 0;) {
    const std::vector<int>* pool = &ceo_only;
    for (std::size_t above = l + 1; above <= 3; ++above) {
      if (!members[above].empty()) {
        pool = &members[above];
        break;
      }
    }
    for (int i : members[l]) {
      const int boss = (*pool)[static_cast<std::size_t>(rng.Below(static_cast<int>(pool->size())))];
      manager[static_cast<std::size_t>(i)] = boss;
      department[static_cast<std::size_t>(i)] = department[static_cast<std::size_t>(boss)];
    }
  }

  // Wide enough that lexicographic id order equals numeric order.
  const std::size_t width = std::max<std::size_t>(6, std::to_string(people).size());
  const auto first_emails = EmailParts(kFirstNames);
  const auto last_emails = EmailParts(kLastNames);
  cohort.people.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    Person& p = cohort.people.emplace_back();
    const int number = static_cast<int>(i) + 1;
    p.id = FormatId(number, width);
    const auto first = static_cast<std::size_t>(rng.Below(static_cast<int>(kFirstNames.size())));
    const auto last = static_cast<std::size_t>(rng.Below(static_cast<int>(kLastNames.size())));
    p.name.append(kFirstNames[first]).append(" ").append(kLastNames[last]);
    p.email.append(first_emails[first]).append(".").append(last_emails[last]).append(".");
    p.email.append(std::to_string(number)).append("@example.com");
    p.department = kDepartments[department[i]];
    p.location = kLocations[static_cast<std::size_t>(rng.Weighted(kLocationWeights))];
    if (manager[i] >= 0) p.manager_id = FormatId(manager[i] + 1, width);
    p.level = level[i];
    const int language = rng.Below(100);
    if (language < 80) {
      p.languages = {"de"};
    } else if (language < 92) {
      p.languages = {"en"};
    } else {
      p.languages = {"de", "en"};
    }
    FillRolesAndRatings(rng, p);
  }
  return cohort;
}

}  // namespace tandem
