#include "app/lifecycle.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <unordered_map>
#include <utility>

#include "app/mail_templates.h"
#include "app/tandems.h"
#include "core/disclosure.h"
#include "core/management_tree.h"
#include "core/rules.h"
#include "match/engine.h"

namespace tandem {
namespace {

using nlohmann::json;

constexpr char kSignIn[] = "sign in first";
constexpr char kDraft[] = "draft";
constexpr char kEnrolling[] = "enrolling";
constexpr char kMatching[] = "matching";
constexpr char kRunning[] = "running";
constexpr char kClosed[] = "closed";
constexpr int kBatch = 5000;  // rows per store call when reading whole tables

size_t Idx(int i) { return static_cast<size_t>(i); }

std::string Id(RowId id) { return std::to_string(id); }

Status NotFound(std::string_view what, RowId id) {
  return Status::NotFound(std::string(what) + " " + Id(id) + " not found");
}

Status StateConflict(const ProgrammeRecord& p, std::string_view why) {
  return Status::Conflict("programme " + Id(p.id) + " is " + p.state + ": " + std::string(why));
}

bool IsStanding(TandemState s) {
  return s == TandemState::kProposed || s == TandemState::kAcceptedByOne ||
         s == TandemState::kActive;
}

bool IsPending(RunState s) { return s == RunState::kQueued || s == RunState::kRunning; }

// Every row of a paged list: `page(after, limit)` returns the rows after `after`, by id.
template <typename Page>
auto ReadAll(Page page, int batch = kBatch) {
  decltype(page(RowId{0}, batch)) out;
  RowId after = 0;
  for (;;) {
    auto rows = page(after, batch);
    if (rows.empty()) break;
    after = rows.back().id;
    out.insert(out.end(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  }
  return out;
}

std::vector<EnrolmentRecord> AllEnrolments(StoreTx& tx, RowId programme) {
  return ReadAll(
      [&](RowId after, int limit) { return tx.ListEnrolments(programme, after, limit); });
}

std::vector<TandemRecord> AllTandems(StoreTx& tx, RowId programme) {
  return ReadAll([&](RowId after, int limit) { return tx.ListTandems(programme, after, limit); });
}

std::vector<MatchingRunRecord> AllRuns(StoreTx& tx, RowId programme) {
  // Runs carry their result and report: smaller pages.
  return ReadAll(
      [&](RowId after, int limit) { return tx.ListMatchingRuns(programme, after, limit); }, 100);
}

std::vector<PersonRecord> AllPeople(StoreTx& tx) {
  return ReadAll([&](RowId after, int limit) { return tx.ListPeople(after, limit); });
}

std::string NameOf(StoreTx& tx, RowId person) {
  const std::optional<PersonRecord> p = tx.FindPerson(person);
  return p ? p->name : std::string();
}

void EnqueueMail(StoreTx& tx, const AccountRecord& account, MailKind kind, const std::string& name,
                 const std::string& link, Millis now, RowId programme) {
  const MailContent content = RenderMail(kind, account.language, name, link, 1);
  tx.EnqueueMail(OutboxMail(account.email, content, now, programme));
}

// Mails `person` about a tandem of `programme` when they have an account; returns whether a
// mail went out.
bool MailPartner(StoreTx& tx, RowId person, MailKind kind, const std::string& link, Millis now,
                 RowId programme) {
  const std::optional<AccountRecord> account = tx.FindAccountByPerson(person);
  if (!account || account->disabled_at) return false;
  std::string name = account->display_name;
  if (name.empty()) name = NameOf(tx, person);
  EnqueueMail(tx, *account, kind, name, link, now, programme);
  return true;
}

// ---- The cohort of a programme, as the engine sees it.

struct ProgrammeCohort {
  Cohort cohort;
  ManagementTree tree;
  std::vector<RowId> person_of;  // cohort index -> person row id
  std::unordered_map<RowId, int> index_of;
  std::vector<std::pair<int, int>> excluded;  // history and forbidden pairs
  std::vector<TandemRecord> standing;         // this programme's proposals and active tandems
  std::vector<PairRuleRecord> pins;
  std::int64_t tree_problems = 0;
  // The experience texts of the enrolled: (person, topic key) -> text.
  std::map<std::pair<RowId, std::string>, std::string> experience;
};

// Reads everything a run needs in one snapshot. People enrolled take part with their
// capacities (less their standing tandems); their managers up the line join with no
// capacity, so that reporting lines across people who did not enrol still count.
ProgrammeCohort LoadCohort(StoreTx& tx, const ProgrammeRecord& programme) {
  ProgrammeCohort pc;
  for (const ProgrammeTopic& t : programme.topics) {
    pc.cohort.topics.push_back({t.key, t.name_en.empty() ? t.key : t.name_en, t.weight});
  }
  std::unordered_map<std::string, size_t> topic_index;
  for (size_t i = 0; i < programme.topics.size(); ++i) topic_index[programme.topics[i].key] = i;

  std::unordered_map<RowId, EnrolmentRecord> enrolled;  // by person
  std::unordered_map<RowId, RowId> person_of_enrolment;
  for (EnrolmentRecord& e : AllEnrolments(tx, programme.id)) {
    if (e.state != EnrolmentState::kEnrolled) continue;
    person_of_enrolment[e.id] = e.person;
    enrolled.emplace(e.person, std::move(e));
  }
  std::unordered_map<RowId, PersonRecord> people;
  for (PersonRecord& p : AllPeople(tx)) people.emplace(p.id, std::move(p));

  // The enrolled and everyone above them.
  std::set<RowId> members;
  for (const auto& [person, e] : enrolled) {
    std::optional<RowId> at = person;
    int depth = 0;
    while (at && members.insert(*at).second && depth++ < 1000) {
      auto it = people.find(*at);
      at = it == people.end() ? std::nullopt : it->second.manager;
    }
  }
  auto external = [&](RowId id) {
    auto it = people.find(id);
    if (it == people.end() || it->second.external_id.empty()) return "#" + Id(id);
    return it->second.external_id;
  };
  const size_t topics = pc.cohort.topics.size();
  std::unordered_map<std::string, RowId> row_of_id;
  for (const RowId id : members) {
    auto it = people.find(id);
    if (it == people.end()) continue;
    const PersonRecord& record = it->second;
    Person p;
    p.id = external(id);
    row_of_id[p.id] = id;
    if (record.manager && members.count(*record.manager) != 0)
      p.manager_id = external(*record.manager);
    p.level = record.level;
    p.languages = record.languages;
    p.interest.assign(topics, 0);
    p.skill.assign(topics, 0);
    auto e = enrolled.find(id);
    if (e != enrolled.end()) {
      p.mentor_capacity = e->second.mentor_capacity;
      p.mentee_capacity =
          record.level >= programme.mentee_min_level ? e->second.mentee_capacity : 0;
      if (!e->second.languages.empty()) p.languages = e->second.languages;
    }
    pc.cohort.people.push_back(std::move(p));
  }
  SortPeopleById(pc.cohort);
  for (size_t i = 0; i < pc.cohort.people.size(); ++i) {
    const RowId row = row_of_id[pc.cohort.people[i].id];
    pc.person_of.push_back(row);
    pc.index_of[row] = static_cast<int>(i);
  }
  for (const auto& [enrolment, answer] : tx.ListProgrammeAnswers(programme.id)) {
    auto person = person_of_enrolment.find(enrolment);
    auto topic = topic_index.find(answer.topic);
    if (person == person_of_enrolment.end() || topic == topic_index.end()) continue;
    Person& p = pc.cohort.people[Idx(pc.index_of[person->second])];
    p.interest[topic->second] = static_cast<std::uint8_t>(std::clamp(answer.interest, 0, 3));
    p.skill[topic->second] = static_cast<std::uint8_t>(std::clamp(answer.skill, 0, 3));
    if (!answer.experience.empty()) {
      pc.experience[{person->second, answer.topic}] = answer.experience;
    }
  }
  std::vector<ManagementTree::Problem> problems;
  pc.tree = ManagementTree::Build(pc.cohort.people, &problems);
  pc.tree_problems = static_cast<std::int64_t>(problems.size());

  auto index = [&](RowId person) -> int {
    auto it = pc.index_of.find(person);
    return it == pc.index_of.end() ? -1 : it->second;
  };
  for (const TandemRecord& t : tx.ListTandemsOfEnrolled(programme.id)) {
    const int m = index(t.mentor);
    const int e = index(t.mentee);
    if (m < 0 || e < 0) continue;
    pc.excluded.emplace_back(m, e);  // every earlier pair, whatever became of it
    if (t.programme == programme.id && IsStanding(t.state)) {
      Person& mentor = pc.cohort.people[Idx(m)];
      Person& mentee = pc.cohort.people[Idx(e)];
      mentor.mentor_capacity = std::max(0, mentor.mentor_capacity - 1);
      mentee.mentee_capacity = std::max(0, mentee.mentee_capacity - 1);
      pc.standing.push_back(t);
    }
  }
  for (PairRuleRecord& rule : tx.ListPairRules(programme.id)) {
    const int m = index(rule.mentor);
    const int e = index(rule.mentee);
    if (m < 0 || e < 0) continue;
    if (rule.kind == PairRuleKind::kForbid) {
      pc.excluded.emplace_back(m, e);
    } else {
      pc.pins.push_back(std::move(rule));
    }
  }
  return pc;
}

json ReasonsJson(const Rules& rules, const Cohort& cohort, int mentor, int mentee) {
  json reasons = json::array();
  const Person& m = cohort.people[Idx(mentor)];
  const Person& e = cohort.people[Idx(mentee)];
  for (const TopicContribution& c : rules.Contributions(mentor, mentee)) {
    reasons.push_back({{"topic", cohort.topics[Idx(c.topic)].key},
                       {"interest", e.interest[Idx(c.topic)]},
                       {"skill", m.skill[Idx(c.topic)]},
                       {"points", c.points}});
  }
  return reasons;
}

std::vector<std::string> TopicsOf(const json& reasons) {
  std::vector<std::string> topics;
  for (const json& r : reasons) topics.push_back(r.at("topic").get<std::string>());
  return topics;
}

std::string SharedLanguage(const Person& a, const Person& b) {
  for (const std::string& l : a.languages) {
    if (std::find(b.languages.begin(), b.languages.end(), l) != b.languages.end()) return l;
  }
  return "";
}

json PairJson(const ProgrammeCohort& pc, const Rules& rules, int mentor, int mentee, bool pinned) {
  const json reasons = ReasonsJson(rules, pc.cohort, mentor, mentee);
  json pair = {{"mentor", pc.person_of[Idx(mentor)]},
               {"mentee", pc.person_of[Idx(mentee)]},
               {"score", rules.Score(mentor, mentee)},
               {"topics", TopicsOf(reasons)},
               {"reasons", reasons},
               {"pinned", pinned}};
  const std::string language =
      SharedLanguage(pc.cohort.people[Idx(mentor)], pc.cohort.people[Idx(mentee)]);
  pair["language"] = language.empty() ? json(nullptr) : json(language);
  return pair;
}

// The run's computation: pins first (each checked against the rules and the capacity left),
// then the engine on what remains.
struct Computed {
  std::string result;
  std::string report;
};

struct ProgressSink {
  Store* store = nullptr;
  const Clock* clock = nullptr;
  RowId run = 0;
  std::string worker;
  std::chrono::steady_clock::time_point last{};
  bool lost = false;
};

void OnProgress(void* context, int phase, std::int64_t done, std::int64_t total) {
  auto* sink = static_cast<ProgressSink*>(context);
  const auto now = std::chrono::steady_clock::now();
  if (sink->lost || now - sink->last < std::chrono::milliseconds(500)) return;
  sink->last = now;
  bool held = false;
  const Status status = sink->store->Write([&](StoreTx& tx) {
    held = tx.ReportRunProgress(sink->run, sink->worker, sink->clock->Now() + RunWorker::kLease,
                                phase + 1, done, total);
    return Status::Ok();
  });
  if (status.ok() && !held) sink->lost = true;
}

Computed Compute(ProgrammeCohort& pc, const ProgrammeRecord& programme, Objective objective,
                 const PhasedProgress& progress) {
  const MatchMode mode =
      programme.mode == MatchModeSetting::kOpen ? MatchMode::kOpen : MatchMode::kReverse;
  json pairs = json::array();
  json pins_ignored = json::array();
  std::int64_t total = 0;
  std::vector<std::pair<int, int>> excluded = pc.excluded;
  {
    const Rules rules(pc.cohort, pc.tree, mode, pc.excluded);
    for (const PairRuleRecord& pin : pc.pins) {
      const int m = pc.index_of.at(pin.mentor);
      const int e = pc.index_of.at(pin.mentee);
      const Ineligibility why = rules.Check(m, e);
      if (why != Ineligibility::kEligible) {
        pins_ignored.push_back(
            {{"mentor", pin.mentor}, {"mentee", pin.mentee}, {"reason", IneligibilityText(why)}});
        continue;
      }
      json pair = PairJson(pc, rules, m, e, true);
      total += pair["score"].get<std::int64_t>();
      pairs.push_back(std::move(pair));
      // Rules reads the capacities as they are now: the next pin sees what this one used.
      pc.cohort.people[Idx(m)].mentor_capacity -= 1;
      pc.cohort.people[Idx(e)].mentee_capacity -= 1;
      excluded.emplace_back(m, e);
    }
  }
  MatchOptions options;
  options.mode = mode;
  options.objective = objective;
  const MatchResult result = RunMatching(pc.cohort, pc.tree, excluded, options, progress);
  const Rules rules(pc.cohort, pc.tree, mode, excluded);
  for (const Tandem& t : result.tandems) {
    json pair = PairJson(pc, rules, t.mentor, t.mentee, false);
    pair["score"] = t.score;
    total += t.score;
    pairs.push_back(std::move(pair));
  }
  json out = {{"pairs", pairs}, {"total_score", total}, {"fixed_tandems", pc.standing.size()}};

  const MatchReport& r = result.report;
  json unmatched = json::array();
  for (const UnmatchedPerson& u : r.unmatched) {
    unmatched.push_back(
        {{"person", pc.person_of[Idx(u.person)]}, {"role", u.role}, {"reason", u.reason}});
  }
  json topics = json::array();
  for (const TopicBalance& b : r.topics) {
    const ProgrammeTopic& t = programme.topics[Idx(b.topic)];
    topics.push_back({{"key", t.key},
                      {"name_de", t.name_de},
                      {"name_en", t.name_en},
                      {"demand", b.demand},
                      {"supply", b.supply}});
  }
  json report = {{"mentees_wanting", r.mentees_wanting},
                 {"mentees_matched", r.mentees_matched},
                 {"mentee_places_wanted", r.mentee_places_wanted},
                 {"mentors_offering", r.mentors_offering},
                 {"mentor_capacity_offered", r.mentor_capacity_offered},
                 {"mentor_capacity_used", r.mentor_capacity_used},
                 {"tandems", static_cast<std::int64_t>(pairs.size())},
                 {"pinned", static_cast<std::int64_t>(pairs.size() - result.tandems.size())},
                 {"pins_ignored", pins_ignored},
                 {"fixed_tandems", pc.standing.size()},
                 {"total_score", total},
                 {"engine_total_score", r.total_score},
                 {"mean_score", r.mean_score},
                 {"lowest_score", r.lowest_score},
                 {"blocking_pairs", r.blocking_pair_count},
                 {"exact", r.exact},
                 {"candidates", r.candidates},
                 {"pricing_rounds", r.pricing_rounds},
                 {"excluded_pairs", static_cast<std::int64_t>(excluded.size())},
                 {"management_problems", pc.tree_problems},
                 {"people", static_cast<std::int64_t>(pc.cohort.people.size())},
                 {"unmatched", unmatched},
                 {"topics", topics}};
  return {out.dump(), report.dump()};
}

// Every person id a run's result or report mentions.
std::set<RowId> MentionedPeople(const MatchingRunRecord& run) {
  std::set<RowId> ids;
  const json result = json::parse(run.result.empty() ? "{}" : run.result, nullptr, false);
  const json report = json::parse(run.report.empty() ? "{}" : run.report, nullptr, false);
  if (result.is_object() && result.contains("pairs")) {
    for (const json& p : result["pairs"]) {
      ids.insert(p.at("mentor").get<RowId>());
      ids.insert(p.at("mentee").get<RowId>());
    }
  }
  if (report.is_object()) {
    for (const char* list : {"unmatched", "pins_ignored"}) {
      if (!report.contains(list)) continue;
      for (const json& u : report[list]) {
        for (const char* key : {"person", "mentor", "mentee"}) {
          if (u.contains(key)) ids.insert(u[key].get<RowId>());
        }
      }
    }
  }
  return ids;
}

std::vector<RunPair> PairsOf(const MatchingRunRecord& run) {
  std::vector<RunPair> out;
  const json result = json::parse(run.result.empty() ? "{}" : run.result, nullptr, false);
  if (!result.is_object() || !result.contains("pairs")) return out;
  for (const json& p : result["pairs"]) {
    out.push_back({p.at("mentor").get<RowId>(), p.at("mentee").get<RowId>(),
                   p.at("score").get<std::int64_t>()});
  }
  return out;
}

TandemView ViewOf(StoreTx& tx, const TandemRecord& t) {
  TandemView v;
  v.tandem = t;
  const std::optional<ProgrammeRecord> p = tx.FindProgramme(t.programme);
  if (p) v.programme_name = p->name;
  if (p) v.ends_at = TermEndsAt(t, *p);
  v.mentor_name = NameOf(tx, t.mentor);
  v.mentee_name = NameOf(tx, t.mentee);
  return v;
}

// The reasons of a new tandem: the run's reasons with the mentor's stated experience.
std::string ReasonsWithExperience(StoreTx& tx, RowId programme, RowId mentor, json reasons) {
  const std::optional<EnrolmentRecord> e = tx.FindEnrolment(programme, mentor);
  if (e) {
    std::map<std::string, std::string> experience;
    for (const AnswerRecord& a : tx.ListAnswers(e->id)) experience[a.topic] = a.experience;
    for (json& r : reasons) {
      auto it = experience.find(r.at("topic").get<std::string>());
      if (it != experience.end() && !it->second.empty()) r["experience"] = it->second;
    }
  }
  return reasons.dump();
}

Status CheckEnrolmentInput(const ProgrammeRecord& programme, const PersonRecord& person,
                           const EnrolmentInput& in) {
  if (in.mentor_capacity < 0 || in.mentor_capacity > kMaxMentorCapacity) {
    return Status::InvalidArgument("mentor_capacity: 0 (no mentoring) or 1 to " +
                                   std::to_string(kMaxMentorCapacity) + " tandems");
  }
  if (in.mentee_capacity < 0 || in.mentee_capacity > kMaxMenteeCapacity) {
    return Status::InvalidArgument("mentee_capacity: 0 (no mentor wanted) or 1 to " +
                                   std::to_string(kMaxMenteeCapacity) + " tandems");
  }
  if (in.mentor_capacity == 0 && in.mentee_capacity == 0) {
    return Status::InvalidArgument(
        "mentor_capacity, mentee_capacity: offer mentoring, seek it, or both");
  }
  if (in.mentee_capacity > 0 && person.level < programme.mentee_min_level) {
    return Status::InvalidArgument("mentee_capacity: the mentee role is open from level " +
                                   std::to_string(programme.mentee_min_level) +
                                   "; this person's level is " + std::to_string(person.level));
  }
  for (size_t i = 0; i < in.languages.size(); ++i) {
    const std::string& l = in.languages[i];
    if (l.empty() || l.size() > 10 || l.find(';') != std::string::npos) {
      return Status::InvalidArgument("languages[" + std::to_string(i) +
                                     "]: a short code such as 'de'");
    }
  }
  if (in.availability.size() > kMaxAvailabilityLength) {
    return Status::InvalidArgument("availability: at most " +
                                   std::to_string(kMaxAvailabilityLength) + " bytes");
  }
  std::set<std::string> keys;
  for (const ProgrammeTopic& t : programme.topics) keys.insert(t.key);
  std::set<std::string> seen;
  for (size_t i = 0; i < in.answers.size(); ++i) {
    const AnswerRecord& a = in.answers[i];
    const std::string where = "answers[" + std::to_string(i) + "]";
    if (keys.count(a.topic) == 0) {
      return Status::InvalidArgument(where + ".topic: '" + a.topic +
                                     "' is not a topic of this programme");
    }
    if (!seen.insert(a.topic).second) {
      return Status::InvalidArgument(where + ".topic: '" + a.topic + "' is answered twice");
    }
    if (a.interest < 0 || a.interest > kMaxRating) {
      return Status::InvalidArgument(where + ".interest: 0 to 3");
    }
    if (a.skill < 0 || a.skill > kMaxRating) {
      return Status::InvalidArgument(where + ".skill: 0 to 3");
    }
    if (a.skill >= kMinExperienceSkill &&
        a.experience.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Status::InvalidArgument(
          where + ".experience: describe the experience that qualifies you to teach '" + a.topic +
          "' (required from skill 2)");
    }
    if (a.experience.size() > kMaxExperienceLength) {
      return Status::InvalidArgument(where + ".experience: at most " +
                                     std::to_string(kMaxExperienceLength) + " bytes");
    }
  }
  for (const ProgrammeTopic& t : programme.topics) {
    if (seen.count(t.key) == 0) {
      return Status::InvalidArgument("answers: topic '" + t.key + "' is not answered");
    }
  }
  return Status::Ok();
}

int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxPageSize); }

template <typename T, typename F>
Page<T> PageOf(std::vector<T> items, int limit, F id_of) {
  Page<T> page;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(Idx(limit));
    page.next_after = id_of(items.back());
  }
  page.items = std::move(items);
  return page;
}

// Whether the participant routes may be used: a person's own browser session.
Status CheckParticipant(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (caller.api_token != 0) {
    return Status::PermissionDenied("participants act in a browser session, not with API tokens");
  }
  if (!caller.person) {
    return Status::PermissionDenied("this account belongs to no person, so it cannot take part");
  }
  return Status::Ok();
}

}  // namespace

// ---- Permissions

Status Lifecycle::Deny(const Caller& caller, std::string_view what, std::string_view entity,
                       std::optional<RowId> id, const Status& status) {
  return AuditDenial(store_, clock_, caller, what, entity, id, status);
}

Status Lifecycle::CheckTeam(const Caller& caller, RowId programme, bool write,
                            std::string_view what) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  bool exists = false;
  bool enrolled = false;
  Status read = store_.Read([&](StoreTx& tx) {
    exists = tx.FindProgramme(programme).has_value();
    enrolled = exists && caller.person && tx.FindEnrolment(programme, *caller.person).has_value();
    return Status::Ok();
  });
  if (!read.ok()) return read;
  const bool team = caller.system_admin || AdministersProgramme(caller, programme);
  const bool sees = exists && (team || enrolled) && caller.HasScope(kScopeProgrammesRead);
  if (!sees) return NotFound("programme", programme);
  if (!team) {
    return Deny(caller, what, "programme", programme,
                Status::PermissionDenied("only the programme team may do this"));
  }
  if (write && !caller.HasScope(kScopeProgrammesWrite)) {
    return Deny(caller, what, "programme", programme,
                Status::PermissionDenied("the API token lacks the scope programmes:write"));
  }
  return Status::Ok();
}

Result<std::vector<LeadershipAskView>> Lifecycle::ListLeadershipAsks(const Caller& caller,
                                                                     RowId programme) {
  if (Status s = CheckTeam(caller, programme, false, "asks.list"); !s.ok()) return s;
  std::vector<LeadershipAskView> asks;
  const Status status = store_.Read([&](StoreTx& tx) {
    for (const LeadershipAskRecord& a : tx.ListLeadershipAsks(programme)) {
      asks.push_back({a, a.author ? NameOf(tx, *a.author) : ""});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return asks;
}

// ---- Programme states

Result<ProgrammeRecord> Lifecycle::OpenEnrolment(const Caller& caller, RowId id) {
  if (Status s = CheckTeam(caller, id, true, "programme.open"); !s.ok()) return s;
  const Millis now = clock_.Now();
  ProgrammeRecord out;
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    if (p->state != kDraft) return StateConflict(*p, "only a draft opens for enrolment");
    if (!p->enrolment_deadline || *p->enrolment_deadline <= now) {
      return Status::InvalidArgument(
          "enrolment_deadline: set a deadline in the future before opening enrolment");
    }
    if (p->topics.empty()) return Status::InvalidArgument("topics: the catalogue is empty");
    p->state = kEnrolling;
    p->updated_at = now;
    if (!tx.UpdateProgramme(*p)) return Status::Conflict("the programme changed; try again");
    tx.AppendAudit({0, now, caller.Actor(), "programme.open", "programme", id, ""});
    out = *p;
    out.version += 1;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<ProgrammeRecord> Lifecycle::Close(const Caller& caller, RowId id) {
  if (Status s = CheckTeam(caller, id, true, "programme.close"); !s.ok()) return s;
  const Millis now = clock_.Now();
  ProgrammeRecord out;
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    if (p->state == kDraft || p->state == kClosed) {
      return StateConflict(*p, "only a programme that has started can be closed");
    }
    for (const MatchingRunRecord& run : AllRuns(tx, id)) {
      if (IsPending(run.state)) {
        return Status::Conflict("run " + Id(run.id) + " is " + std::string(ToString(run.state)) +
                                ": close the programme when it has finished");
      }
    }
    std::int64_t completed = 0;
    std::int64_t dissolved = 0;
    for (TandemRecord& t : AllTandems(tx, id)) {
      if (!IsStanding(t.state)) continue;
      const bool active = t.state == TandemState::kActive;
      t.state = active ? TandemState::kCompleted : TandemState::kDissolved;
      t.ended_at = now;
      t.updated_at = now;
      if (!tx.UpdateTandem(t)) return Status::Conflict("a tandem changed; try again");
      ++(active ? completed : dissolved);
    }
    p->state = kClosed;
    p->closed_at = now;
    p->updated_at = now;
    if (!tx.UpdateProgramme(*p)) return Status::Conflict("the programme changed; try again");
    tx.AppendAudit(
        {0, now, caller.Actor(), "programme.close", "programme", id,
         "completed=" + std::to_string(completed) + " dissolved=" + std::to_string(dissolved)});
    out = *p;
    out.version += 1;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

// ---- Invitations

Result<InviteSummary> Lifecycle::Invite(const Caller& caller, RowId id,
                                        const InviteRequest& request) {
  if (Status s = CheckTeam(caller, id, true, "programme.invite"); !s.ok()) return s;
  if (request.level_min && request.level_max && *request.level_min > *request.level_max) {
    return Status::InvalidArgument("filter.level_min: larger than filter.level_max");
  }
  if (request.offers && *request.offers != "mentor" && *request.offers != "mentee") {
    return Status::InvalidArgument("filter.offers: must be \"mentor\" or \"mentee\"");
  }
  const Millis now = clock_.Now();
  InviteSummary summary;
  const Status status = store_.Write([&](StoreTx& tx) {
    summary = {};
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    if (p->state != kEnrolling) return StateConflict(*p, "invitations go out while enrolling");
    if (p->enrolment_deadline && *p->enrolment_deadline <= now) {
      return StateConflict(*p, "the enrolment deadline has passed; move it to invite more");
    }
    std::vector<PersonRecord> chosen;
    std::set<RowId> ids;
    for (size_t i = 0; i < request.people.size(); ++i) {
      const RowId person = request.people[i];
      std::optional<PersonRecord> record = tx.FindPerson(person);
      if (!record || record->erased_at) {
        return Status::InvalidArgument("person_ids[" + std::to_string(i) + "]: person " +
                                       Id(person) + " not found");
      }
      if (record->email.find('@') == std::string::npos) {
        return Status::InvalidArgument("person_ids[" + std::to_string(i) + "]: person " +
                                       Id(person) + " has no e-mail address");
      }
      if (ids.insert(person).second) chosen.push_back(std::move(*record));
    }
    if (request.use_filter) {
      // An offer counts only if it names a topic of this programme. With `offers`, people
      // already invited or enrolled here are left out before anything is counted, so that the
      // team learns offers only through whom it invites (docs/privacy.md).
      std::set<RowId> offerers;
      if (request.offers) {
        const bool mentor = *request.offers == "mentor";
        std::set<std::string> keys;
        for (const ProgrammeTopic& topic : p->topics) keys.insert(topic.key);
        for (const RowId listed : tx.ListRoleOfferers(mentor)) {
          const std::optional<RoleOfferRecord> offer = tx.FindRoleOffer(listed);
          if (!offer) continue;
          const std::vector<std::string>& named =
              mentor ? offer->mentor_topics : offer->mentee_topics;
          if (std::any_of(named.begin(), named.end(),
                          [&](const std::string& key) { return keys.count(key) != 0; }) &&
              !tx.FindEnrolment(id, listed)) {
            offerers.insert(listed);
          }
        }
      }
      for (PersonRecord& person : AllPeople(tx)) {
        if (person.erased_at || ids.count(person.id) != 0) continue;
        if (request.offers && offerers.count(person.id) == 0) continue;
        if (request.level_min && person.level < *request.level_min) continue;
        if (request.level_max && person.level > *request.level_max) continue;
        if (request.department && person.department != *request.department) continue;
        if (request.location && person.location != *request.location) continue;
        if (person.email.find('@') == std::string::npos) {
          ++summary.without_email;
          continue;
        }
        ids.insert(person.id);
        chosen.push_back(std::move(person));
      }
    }
    const std::string path = "/programmes/" + Id(id);
    for (const PersonRecord& person : chosen) {
      if (tx.FindEnrolment(id, person.id)) {
        ++summary.already;
        continue;
      }
      Result<AccountRecord> account = auth_.EnsureAccount(tx, person);
      if (!account.ok()) return account.status();
      EnrolmentRecord e;
      e.programme = id;
      e.person = person.id;
      e.state = EnrolmentState::kInvited;
      e.invited_at = now;
      e.created_at = e.updated_at = now;
      tx.InsertEnrolment(e);
      auth_.EnqueueInvitation(tx, account.value(), path);
      ++summary.invited;
    }
    tx.AppendAudit({0, now, caller.Actor(), "programme.invite", "programme", id,
                    "invited=" + std::to_string(summary.invited) +
                        " already=" + std::to_string(summary.already)});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return summary;
}

Status Lifecycle::ResendInvitation(const Caller& caller, RowId id, RowId person) {
  if (Status s = CheckTeam(caller, id, true, "programme.invite"); !s.ok()) return s;
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    if (p->state != kEnrolling) return StateConflict(*p, "invitations go out while enrolling");
    const std::optional<EnrolmentRecord> e = tx.FindEnrolment(id, person);
    if (!e)
      return Status::NotFound("person " + Id(person) + " is not invited to programme " + Id(id));
    if (e->state != EnrolmentState::kInvited) {
      return Status::Conflict("person " + Id(person) + " is " + std::string(ToString(e->state)) +
                              ": only open invitations are resent");
    }
    const std::optional<PersonRecord> record = tx.FindPerson(person);
    if (!record) return NotFound("person", person);
    Result<AccountRecord> account = auth_.EnsureAccount(tx, *record);
    if (!account.ok()) return account.status();
    auth_.EnqueueInvitation(tx, account.value(), "/programmes/" + Id(id));
    tx.AppendAudit({0, now, caller.Actor(), "programme.invite_resend", "person", person,
                    "programme=" + Id(id)});
    return Status::Ok();
  });
}

Status Lifecycle::RevokeInvitation(const Caller& caller, RowId id, RowId person) {
  if (Status s = CheckTeam(caller, id, true, "programme.invite"); !s.ok()) return s;
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    const std::optional<EnrolmentRecord> e = tx.FindEnrolment(id, person);
    if (!e)
      return Status::NotFound("person " + Id(person) + " is not invited to programme " + Id(id));
    if (e->state != EnrolmentState::kInvited || !tx.DeleteEnrolment(e->id)) {
      return Status::Conflict("person " + Id(person) + " is " + std::string(ToString(e->state)) +
                              ": only open invitations are revoked");
    }
    tx.AppendAudit({0, now, caller.Actor(), "programme.invite_revoke", "person", person,
                    "programme=" + Id(id)});
    return Status::Ok();
  });
}

namespace {

static_assert(kMeetingsAggregateMinTandems == kDefaultMinGroupSize);

MeetingsAggregate MeetingsOf(StoreTx& tx, const ProgrammeRecord& p) {
  return AggregateMeetings(p, AllTandems(tx, p.id));
}

}  // namespace

// The meetings aggregate over every tandem of the programme that ever became active (active,
// completed and dissolved ones), from each tandem's counter of meetings held. Neither the set of
// tandems nor a counter ever shrinks, so two summaries never differ by one tandem's meetings.
MeetingsAggregate AggregateMeetings(const ProgrammeRecord& p,
                                    const std::vector<TandemRecord>& tandems) {
  MeetingsAggregate out;
  std::int64_t total = 0;
  std::int64_t reached = 0;
  for (const TandemRecord& t : tandems) {
    if (!t.activated_at) continue;
    ++out.tandems;
    total += t.meetings_held;
    reached += t.meetings_held >= p.target_meetings_min ? 1 : 0;
  }
  // The programme's k; a stored value below the lowest allowed (never stored so) uses the default.
  Result<DisclosurePolicy> configured = DisclosurePolicy::WithMinGroupSize(p.min_group_size);
  const DisclosurePolicy policy = configured.ok() ? configured.value() : DisclosurePolicy();
  out.too_few = !policy.MayShowAggregate(out.tandems);
  if (out.too_few) return out;
  out.held = total;
  // Shown only if neither those that reached the target nor the others single out a tandem.
  if (policy.MayShowCount(reached) && policy.MayShowCount(out.tandems - reached)) {
    out.reached_target = reached;
  }
  return out;
}

Result<ProgrammeSummary> Lifecycle::Summary(const Caller& caller, RowId id) {
  if (Status s = CheckTeam(caller, id, false, "programme.summary"); !s.ok()) return s;
  ProgrammeSummary out;
  const Status status = store_.Read([&](StoreTx& tx) {
    std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    out.programme = std::move(*p);
    for (const EnrolmentRecord& e : AllEnrolments(tx, id)) {
      switch (e.state) {
        case EnrolmentState::kInvited:
          ++out.invited;
          break;
        case EnrolmentState::kEnrolled:
          ++out.enrolled;
          out.mentors += e.mentor_capacity > 0 ? 1 : 0;
          out.mentees += e.mentee_capacity > 0 ? 1 : 0;
          break;
        case EnrolmentState::kWithdrawn:
          ++out.withdrawn;
          break;
      }
    }
    for (const TandemRecord& t : AllTandems(tx, id)) {
      switch (t.state) {
        case TandemState::kProposed:
        case TandemState::kAcceptedByOne:
          ++out.proposed;
          break;
        case TandemState::kActive:
          ++out.active;
          break;
        case TandemState::kCompleted:
          ++out.completed;
          break;
        case TandemState::kDeclined:
          ++out.declined;
          break;
        case TandemState::kDissolved:
          ++out.dissolved;
          break;
      }
    }
    out.meetings = MeetingsOf(tx, out.programme);
    for (const MatchingRunRecord& r : AllRuns(tx, id)) {
      ++out.runs;
      out.runs_pending += IsPending(r.state) ? 1 : 0;
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<Page<EnrolmentView>> Lifecycle::ListEnrolments(const Caller& caller, RowId id, RowId after,
                                                      int limit) {
  if (Status s = CheckTeam(caller, id, false, "programme.enrolments"); !s.ok()) return s;
  limit = ClampLimit(limit);
  std::vector<EnrolmentView> views;
  const Status status = store_.Read([&](StoreTx& tx) {
    for (EnrolmentRecord& e : tx.ListEnrolments(id, after, limit + 1)) {
      EnrolmentView v;
      v.name = NameOf(tx, e.person);
      v.enrolment = std::move(e);
      views.push_back(std::move(v));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return PageOf(std::move(views), limit, [](const EnrolmentView& v) { return v.enrolment.id; });
}

// ---- Enrolment

Result<EnrolmentView> Lifecycle::GetOwnEnrolment(const Caller& caller, RowId id) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  EnrolmentView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<EnrolmentRecord> e = tx.FindEnrolment(id, *caller.person);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!e || !p) return NotFound("programme", id);
    view.enrolment = *e;
    view.name = NameOf(tx, e->person);
    view.answers = tx.ListAnswers(e->id);
    if (view.answers.empty()) view.previous = FindPreviousEnrolment(tx, e->person, *p);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<EnrolmentView> Lifecycle::Enrol(const Caller& caller, RowId id, const EnrolmentInput& input,
                                       std::int64_t if_match) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const Millis now = clock_.Now();
  EnrolmentView view;
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<EnrolmentRecord> e = tx.FindEnrolment(id, *caller.person);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!e || !p) return NotFound("programme", id);
    if (p->state != kEnrolling) return StateConflict(*p, "enrolment is not open");
    if (p->enrolment_deadline && *p->enrolment_deadline <= now) {
      return StateConflict(*p, "the enrolment deadline has passed; answers can no longer change");
    }
    if (if_match != kAnyVersion && e->version != if_match) {
      return Status::FailedPrecondition("the enrolment changed since it was read (version " +
                                        std::to_string(e->version) + ")");
    }
    const std::optional<PersonRecord> person = tx.FindPerson(*caller.person);
    if (!person) return NotFound("person", *caller.person);
    if (Status valid = CheckEnrolmentInput(*p, *person, input); !valid.ok()) return valid;
    const bool first = e->state != EnrolmentState::kEnrolled;
    e->state = EnrolmentState::kEnrolled;
    e->mentor_capacity = input.mentor_capacity;
    e->mentee_capacity = input.mentee_capacity;
    e->languages = input.languages;
    e->availability = input.availability;
    if (first) e->enrolled_at = now;
    e->withdrawn_at.reset();
    e->updated_at = now;
    if (!tx.UpdateEnrolment(*e)) {
      return Status::FailedPrecondition("the enrolment changed since it was read");
    }
    std::vector<AnswerRecord> answers = input.answers;
    std::sort(answers.begin(), answers.end(),
              [](const AnswerRecord& a, const AnswerRecord& b) { return a.topic < b.topic; });
    tx.ReplaceAnswers(e->id, answers);
    tx.AppendAudit({0, now, caller.Actor(), first ? "enrolment.enrol" : "enrolment.update",
                    "enrolment", e->id, "programme=" + Id(id)});
    view.enrolment = *e;
    view.enrolment.version += 1;
    view.name = person->name;
    view.answers = std::move(answers);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Status Lifecycle::Withdraw(const Caller& caller, RowId id) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const Millis now = clock_.Now();
  const RowId me = *caller.person;
  return store_.Write([&](StoreTx& tx) {
    std::optional<EnrolmentRecord> e = tx.FindEnrolment(id, me);
    if (!e || !tx.FindProgramme(id)) return NotFound("programme", id);
    if (e->state == EnrolmentState::kWithdrawn) return Status::Ok();
    e->state = EnrolmentState::kWithdrawn;
    e->withdrawn_at = now;
    e->updated_at = now;
    if (!tx.UpdateEnrolment(*e)) return Status::Conflict("the enrolment changed; try again");
    tx.ReplaceAnswers(e->id, {});
    std::int64_t ended = 0;
    for (TandemRecord& t : tx.ListTandemsOfPerson(me)) {
      if (t.programme != id || !IsStanding(t.state)) continue;
      t.state = TandemState::kDissolved;
      t.ended_at = now;
      t.updated_at = now;
      if (!tx.UpdateTandem(t)) return Status::Conflict("a tandem changed; try again");
      ++ended;
    }
    tx.AppendAudit({0, now, caller.Actor(), "enrolment.withdraw", "enrolment", e->id,
                    "programme=" + Id(id) + " tandems_ended=" + std::to_string(ended)});
    return Status::Ok();
  });
}

// ---- Runs

Result<MatchingRunRecord> Lifecycle::StartRun(const Caller& caller, RowId id,
                                              std::string_view objective) {
  if (objective != "optimal" && objective != "stable") {
    return Status::InvalidArgument("objective: 'optimal' or 'stable'");
  }
  if (Status s = CheckTeam(caller, id, true, "run.start"); !s.ok()) return s;
  const Millis now = clock_.Now();
  MatchingRunRecord run;
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    if (p->state == kDraft || p->state == kClosed) {
      return StateConflict(*p, "matching runs belong between enrolment and closing");
    }
    if (p->state == kEnrolling && p->enrolment_deadline && *p->enrolment_deadline > now) {
      return StateConflict(*p, "enrolment is still open; runs start after the deadline");
    }
    for (const MatchingRunRecord& r : AllRuns(tx, id)) {
      if (IsPending(r.state)) {
        return Status::Conflict("run " + Id(r.id) + " is still " + std::string(ToString(r.state)) +
                                "; wait for it to finish");
      }
    }
    if (p->state == kEnrolling) {
      p->state = kMatching;
      p->updated_at = now;
      if (!tx.UpdateProgramme(*p)) return Status::Conflict("the programme changed; try again");
    }
    run = {};
    run.programme = id;
    run.created_by = caller.Actor();
    run.parameters = json({{"objective", objective}, {"mode", ToString(p->mode)}}).dump();
    run.result = "{}";
    run.report = "{}";
    run.created_at = now;
    run.state = RunState::kQueued;
    run.id = tx.InsertMatchingRun(run);
    tx.AppendAudit({0, now, caller.Actor(), "run.start", "matching_run", run.id,
                    "programme=" + Id(id) + " objective=" + std::string(objective)});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (run_queued_) run_queued_();
  return run;
}

Result<Page<MatchingRunRecord>> Lifecycle::ListRuns(const Caller& caller, RowId id, RowId after,
                                                    int limit) {
  if (Status s = CheckTeam(caller, id, false, "run.list"); !s.ok()) return s;
  limit = ClampLimit(limit);
  std::vector<MatchingRunRecord> runs;
  const Status status = store_.Read([&](StoreTx& tx) {
    runs = tx.ListMatchingRuns(id, after, limit + 1);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  for (MatchingRunRecord& r : runs) {
    r.result.clear();
    r.report.clear();
  }
  return PageOf(std::move(runs), limit, [](const MatchingRunRecord& r) { return r.id; });
}

Result<RunView> Lifecycle::GetRun(const Caller& caller, RowId id, RowId run_id) {
  if (Status s = CheckTeam(caller, id, false, "run.read"); !s.ok()) return s;
  RunView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    std::optional<MatchingRunRecord> run = tx.FindMatchingRun(run_id);
    if (!run || run->programme != id) return NotFound("run", run_id);
    view.run = std::move(*run);
    for (const RowId person : MentionedPeople(view.run)) {
      view.people.emplace_back(person, NameOf(tx, person));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<RunComparison> Lifecycle::CompareRuns(const Caller& caller, RowId id, RowId a, RowId b) {
  if (Status s = CheckTeam(caller, id, false, "run.compare"); !s.ok()) return s;
  RunComparison c;
  c.a = a;
  c.b = b;
  const Status status = store_.Read([&](StoreTx& tx) {
    std::optional<MatchingRunRecord> ra = tx.FindMatchingRun(a);
    std::optional<MatchingRunRecord> rb = tx.FindMatchingRun(b);
    if (!ra || ra->programme != id) return NotFound("run", a);
    if (!rb || rb->programme != id) return NotFound("run", b);
    for (const MatchingRunRecord* r : {&*ra, &*rb}) {
      if (r->state != RunState::kDone) {
        return Status::Conflict("run " + Id(r->id) + " is " + std::string(ToString(r->state)) +
                                ": only finished runs are compared");
      }
    }
    const std::vector<RunPair> pa = PairsOf(*ra);
    const std::vector<RunPair> pb = PairsOf(*rb);
    auto key = [](const RunPair& p) { return std::make_pair(p.mentor, p.mentee); };
    std::set<std::pair<RowId, RowId>> sa;
    std::set<std::pair<RowId, RowId>> sb;
    for (const RunPair& p : pa) sa.insert(key(p));
    for (const RunPair& p : pb) sb.insert(key(p));
    std::set<RowId> people;
    for (const RunPair& p : pa) {
      c.a_total += p.score;
      if (sb.count(key(p)) == 0) {
        c.only_a.push_back(p);
        people.insert(p.mentor);
        people.insert(p.mentee);
      } else {
        ++c.in_both;
      }
    }
    for (const RunPair& p : pb) {
      c.b_total += p.score;
      if (sa.count(key(p)) == 0) {
        c.only_b.push_back(p);
        people.insert(p.mentor);
        people.insert(p.mentee);
      }
    }
    c.a_pairs = static_cast<std::int64_t>(pa.size());
    c.b_pairs = static_cast<std::int64_t>(pb.size());
    for (const RowId person : people) c.people.emplace_back(person, NameOf(tx, person));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return c;
}

Result<PublishSummary> Lifecycle::Publish(const Caller& caller, RowId id, RowId run_id) {
  if (Status s = CheckTeam(caller, id, true, "run.publish"); !s.ok()) return s;
  const Millis now = clock_.Now();
  PublishSummary summary;
  const Status status = store_.Write([&](StoreTx& tx) {
    summary = {};
    std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p) return NotFound("programme", id);
    std::optional<MatchingRunRecord> run = tx.FindMatchingRun(run_id);
    if (!run || run->programme != id) return NotFound("run", run_id);
    if (p->state != kMatching && p->state != kRunning) {
      return StateConflict(*p, "runs are published between the deadline and closing");
    }
    if (run->published_at) {
      return Status::Conflict("run " + Id(run_id) + " is published already");
    }
    if (run->state != RunState::kDone) {
      return Status::Conflict("run " + Id(run_id) + " is " + std::string(ToString(run->state)) +
                              ": only a finished run can be published");
    }
    // The run saw the enrolments and tandems of its moment (another run may have been
    // published since, people may have withdrawn): check they still allow every pair.
    std::unordered_map<RowId, int> mentor_left;
    std::unordered_map<RowId, int> mentee_left;
    std::set<std::pair<RowId, RowId>> taken;
    for (const EnrolmentRecord& e : AllEnrolments(tx, id)) {
      if (e.state != EnrolmentState::kEnrolled) continue;
      mentor_left[e.person] = e.mentor_capacity;
      mentee_left[e.person] = e.mentee_capacity;
    }
    for (const TandemRecord& t : AllTandems(tx, id)) {
      taken.insert({t.mentor, t.mentee});
      if (!IsStanding(t.state)) continue;
      --mentor_left[t.mentor];
      --mentee_left[t.mentee];
    }
    std::set<std::pair<RowId, RowId>> forbidden;
    for (const PairRuleRecord& r : tx.ListPairRules(id)) {
      if (r.kind == PairRuleKind::kForbid) forbidden.insert({r.mentor, r.mentee});
    }
    const json result = json::parse(run->result, nullptr, false);
    if (!result.is_object() || !result.contains("pairs")) {
      return Status::Internal("run " + Id(run_id) + " has no readable result");
    }
    const std::string stale = "run " + Id(run_id) + " is out of date: ";
    for (const json& pair : result["pairs"]) {
      const RowId m = pair.at("mentor").get<RowId>();
      const RowId e = pair.at("mentee").get<RowId>();
      if (taken.count({m, e}) != 0 || forbidden.count({m, e}) != 0) {
        return Status::Conflict(stale +
                                "a pair was formed, declined or forbidden since; start a new run");
      }
      if (mentor_left[m]-- <= 0 || mentee_left[e]-- <= 0) {
        return Status::Conflict(stale + "enrolments or tandems changed since; start a new run");
      }
    }
    for (const json& pair : result["pairs"]) {
      TandemRecord t;
      t.programme = id;
      t.run = run_id;
      t.mentor = pair.at("mentor").get<RowId>();
      t.mentee = pair.at("mentee").get<RowId>();
      t.score = pair.at("score").get<std::int64_t>();
      t.topics = pair.at("topics").get<std::vector<std::string>>();
      t.reasons = ReasonsWithExperience(tx, id, t.mentor, pair.at("reasons"));
      t.state = TandemState::kProposed;
      t.origin = "run";
      t.created_at = t.updated_at = now;
      const RowId tandem = tx.InsertTandem(t);
      const std::string link = public_url_ + "/tandems/" + Id(tandem);
      summary.mails += MailPartner(tx, t.mentor, MailKind::kProposal, link, now, id) ? 1 : 0;
      summary.mails += MailPartner(tx, t.mentee, MailKind::kProposal, link, now, id) ? 1 : 0;
      ++summary.tandems;
    }
    run->published_at = now;
    run->published_by = caller.Actor();
    if (!tx.UpdateMatchingRun(*run)) {
      return Status::Conflict("run " + Id(run_id) + " is published already");
    }
    if (p->state != kRunning) {
      p->state = kRunning;
      p->updated_at = now;
      if (!tx.UpdateProgramme(*p)) return Status::Conflict("the programme changed; try again");
    }
    tx.AppendAudit({0, now, caller.Actor(), "run.publish", "matching_run", run_id,
                    "tandems=" + std::to_string(summary.tandems)});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return summary;
}

// ---- Pins and forbidden pairs

Result<PairRuleRecord> Lifecycle::PutPairRule(const Caller& caller, PairRuleRecord rule) {
  if (Status s = CheckTeam(caller, rule.programme, true, "pair_rule.put"); !s.ok()) return s;
  const Millis now = clock_.Now();
  const Status status = store_.Write([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(rule.programme);
    if (!p) return NotFound("programme", rule.programme);
    if (p->state == kClosed) return StateConflict(*p, "pairs no longer change");
    if (rule.mentor == rule.mentee) {
      return Status::InvalidArgument("mentee_id: a person cannot mentor themself");
    }
    for (const auto& [field, person] :
         {std::make_pair("mentor_id", rule.mentor), std::make_pair("mentee_id", rule.mentee)}) {
      const std::optional<EnrolmentRecord> e = tx.FindEnrolment(rule.programme, person);
      if (!e || e->state != EnrolmentState::kEnrolled) {
        return Status::InvalidArgument(std::string(field) + ": person " + Id(person) +
                                       " is not enrolled in programme " + Id(rule.programme));
      }
    }
    rule.created_by = caller.Actor();
    rule.created_at = now;
    tx.PutPairRule(rule);
    tx.AppendAudit({0, now, caller.Actor(), "pair_rule.put", "programme", rule.programme,
                    std::string(ToString(rule.kind)) + " mentor=" + Id(rule.mentor) +
                        " mentee=" + Id(rule.mentee)});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rule;
}

Status Lifecycle::DeletePairRule(const Caller& caller, RowId id, RowId mentor, RowId mentee) {
  if (Status s = CheckTeam(caller, id, true, "pair_rule.delete"); !s.ok()) return s;
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    if (!tx.DeletePairRule(id, mentor, mentee)) {
      return Status::NotFound("no pin or forbidden pair for mentor " + Id(mentor) + " and mentee " +
                              Id(mentee));
    }
    tx.AppendAudit({0, now, caller.Actor(), "pair_rule.delete", "programme", id,
                    "mentor=" + Id(mentor) + " mentee=" + Id(mentee)});
    return Status::Ok();
  });
}

Result<std::vector<PairRuleRecord>> Lifecycle::ListPairRules(const Caller& caller, RowId id) {
  if (Status s = CheckTeam(caller, id, false, "pair_rule.list"); !s.ok()) return s;
  std::vector<PairRuleRecord> rules;
  const Status status = store_.Read([&](StoreTx& tx) {
    rules = tx.ListPairRules(id);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return rules;
}

// ---- Tandems

Result<Page<TandemView>> Lifecycle::ListProgrammeTandems(const Caller& caller, RowId id,
                                                         RowId after, int limit) {
  if (Status s = CheckTeam(caller, id, false, "tandem.list"); !s.ok()) return s;
  limit = ClampLimit(limit);
  std::vector<TandemView> views;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    for (const TandemRecord& t : tx.ListTandems(id, after, limit + 1)) {
      views.push_back(ViewOf(tx, t));
      TandemView& v = views.back();
      if (p && p->show_meeting_counts) v.meetings_held = t.meetings_held;
      // The reasons are for the team: never for integrations (API tokens), and never for a
      // team member who is a partner of the tandem (the other partner wrote them).
      if (caller.api_token != 0 ||
          (caller.person && (*caller.person == t.mentor || *caller.person == t.mentee))) {
        v.tandem.decline_reason.clear();
        v.tandem.dissolve_reason.clear();
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return PageOf(std::move(views), limit, [](const TandemView& v) { return v.tandem.id; });
}

Result<std::vector<TandemView>> Lifecycle::ListOwnTandems(const Caller& caller) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  std::vector<TandemView> views;
  const Status status = store_.Read([&](StoreTx& tx) {
    for (const TandemRecord& t : tx.ListTandemsOfPerson(*caller.person)) {
      views.push_back(ViewOf(tx, t));
      views.back().tandem.decline_reason.clear();
      views.back().tandem.dissolve_reason.clear();
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return views;
}

Result<TandemView> Lifecycle::GetTandem(const Caller& caller, RowId id) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  TandemView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<TandemRecord> t = tx.FindTandem(id);
    if (!t || (t->mentor != *caller.person && t->mentee != *caller.person)) {
      return NotFound("tandem", id);
    }
    view = ViewOf(tx, *t);
    view.tandem.decline_reason.clear();
    view.tandem.dissolve_reason.clear();
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<TandemView> Lifecycle::Accept(const Caller& caller, RowId id) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  // A tandem of a closed programme is completed or dissolved: AcceptTandem refuses it.
  Result<TandemState> state = AcceptTandem(store_, id, *caller.person, clock_.Now());
  if (!state.ok()) {
    if (state.status().code() == StatusCode::kPermissionDenied) return NotFound("tandem", id);
    return state.status();
  }
  return GetTandem(caller, id);
}

Result<TandemView> Lifecycle::Decline(const Caller& caller, RowId id, std::string_view reason) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  if (reason.size() > kMaxDeclineReasonLength) {
    return Status::InvalidArgument("reason: at most " + std::to_string(kMaxDeclineReasonLength) +
                                   " bytes");
  }
  const Millis now = clock_.Now();
  const RowId me = *caller.person;
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<TandemRecord> t = tx.FindTandem(id);
    if (!t || (t->mentor != me && t->mentee != me)) return NotFound("tandem", id);
    if (t->state != TandemState::kProposed && t->state != TandemState::kAcceptedByOne) {
      return Status::Conflict("tandem " + Id(id) + " is " + std::string(ToString(t->state)) +
                              " and can no longer be declined");
    }
    t->state = TandemState::kDeclined;
    t->decline_reason = std::string(reason);
    t->declined_by = me;
    t->ended_at = now;
    t->updated_at = now;
    if (!tx.UpdateTandem(*t)) return Status::Conflict("the tandem changed; try again");
    tx.AppendAudit({0, now, caller.Actor(), "tandem.decline", "tandem", id, ""});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return GetTandem(caller, id);
}

// ---- Ending

namespace {

Status NotActive(const TandemRecord& t, std::string_view what) {
  return Status::Conflict("tandem " + Id(t.id) + " is " + std::string(ToString(t.state)) +
                          " and can no longer be " + std::string(what));
}

}  // namespace

size_t CharacterCount(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

std::optional<Millis> TermEndsAt(const TandemRecord& tandem, const ProgrammeRecord& programme) {
  if (!tandem.activated_at) return std::nullopt;
  namespace chrono = std::chrono;
  const chrono::sys_time<chrono::milliseconds> at{chrono::milliseconds{*tandem.activated_at}};
  const chrono::sys_days day = chrono::floor<chrono::days>(at);
  chrono::year_month_day date{day};
  date += chrono::months{programme.term_max_months};
  if (!date.ok()) date = chrono::year_month_day{date.year() / date.month() / chrono::last};
  return (chrono::sys_days{date} + (at - day)).time_since_epoch().count();
}

Result<TandemView> Lifecycle::ChangeOwnTandem(
    const Caller& caller, RowId id,
    const std::function<Result<bool>(StoreTx&, TandemRecord&, RowId me)>& change,
    const std::function<void(StoreTx&, const TandemRecord&, RowId me)>& stored) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const RowId me = *caller.person;
  constexpr int kAttempts = 10;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    bool stale = false;
    const Status status = store_.Write([&](StoreTx& tx) {
      stale = false;
      std::optional<TandemRecord> t = tx.FindTandem(id);
      if (!t || (t->mentor != me && t->mentee != me)) return NotFound("tandem", id);
      Result<bool> store = change(tx, *t, me);
      if (!store.ok()) return store.status();
      if (!store.value()) return Status::Ok();
      if (!tx.UpdateTandem(*t)) {
        stale = true;
        return Status::Ok();
      }
      stored(tx, *t, me);
      return Status::Ok();
    });
    if (!status.ok()) return status;
    if (!stale) return GetTandem(caller, id);
  }
  return Status::Unavailable("the tandem kept changing; try again");
}

Result<TandemView> Lifecycle::Complete(const Caller& caller, RowId id) {
  const Millis now = clock_.Now();
  bool both = false;
  return ChangeOwnTandem(
      caller, id,
      [&](StoreTx&, TandemRecord& t, RowId me) -> Result<bool> {
        std::optional<Millis>& mine =
            t.mentor == me ? t.mentor_completed_at : t.mentee_completed_at;
        const bool ended_well = t.state == TandemState::kCompleted;
        if (mine && (t.state == TandemState::kActive || ended_well)) return false;  // marked
        if (t.state != TandemState::kActive) return NotActive(t, "completed");
        mine = now;
        both = t.mentor_completed_at && t.mentee_completed_at;
        if (both) {
          t.state = TandemState::kCompleted;
          t.ended_at = now;
        }
        t.updated_at = now;
        return true;
      },
      [&](StoreTx& tx, const TandemRecord&, RowId) {
        tx.AppendAudit({0, now, caller.Actor(), "tandem.complete", "tandem", id,
                        both ? "completed" : "marked"});
      });
}

Result<TandemView> Lifecycle::Dissolve(const Caller& caller, RowId id, std::string_view reason) {
  if (CharacterCount(reason) > kMaxDissolveReasonLength) {
    if (Status s = CheckParticipant(caller); !s.ok()) return s;
    return Status::InvalidArgument("reason: at most " + std::to_string(kMaxDissolveReasonLength) +
                                   " characters");
  }
  const Millis now = clock_.Now();
  return ChangeOwnTandem(
      caller, id,
      [&](StoreTx&, TandemRecord& t, RowId me) -> Result<bool> {
        if (t.state != TandemState::kActive) return NotActive(t, "dissolved");
        t.state = TandemState::kDissolved;
        t.dissolve_reason = std::string(reason);
        t.dissolved_by = me;
        t.ended_at = now;
        t.updated_at = now;
        return true;
      },
      [&](StoreTx& tx, const TandemRecord& t, RowId me) {
        tx.AppendAudit({0, now, caller.Actor(), "tandem.dissolve", "tandem", id, ""});
        // The other partner learns that it ended and who ended it; never why.
        const RowId other = t.mentor == me ? t.mentee : t.mentor;
        const std::optional<AccountRecord> account = tx.FindAccountByPerson(other);
        if (!account || account->disabled_at) return;
        std::string name = account->display_name;
        if (name.empty()) name = NameOf(tx, other);
        std::string partner;
        if (const std::optional<AccountRecord> mine = tx.FindAccountByPerson(me)) {
          partner = mine->display_name;
        }
        if (partner.empty()) partner = NameOf(tx, me);
        const MailContent mail = RenderTandemDissolved(account->language, name, partner,
                                                       public_url_ + "/tandems/" + Id(id));
        tx.EnqueueMail(OutboxMail(account->email, mail, now, t.programme));
      });
}

Result<std::int64_t> Lifecycle::CompleteDueTandems() {
  const Millis now = clock_.Now();
  std::vector<RowId> due;
  Status status = store_.Read([&](StoreTx& tx) {
    due.clear();
    const auto programmes =
        ReadAll([&](RowId after, int limit) { return tx.ListProgrammes(after, limit); }, 500);
    for (const ProgrammeRecord& p : programmes) {
      if (p.state == kClosed) continue;  // closing completed its tandems
      for (const TandemRecord& t : AllTandems(tx, p.id)) {
        if (t.state != TandemState::kActive) continue;
        const std::optional<Millis> ends = TermEndsAt(t, p);
        if (ends && *ends <= now) due.push_back(t.id);
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  std::int64_t completed = 0;
  for (const RowId id : due) {
    bool done = false;
    status = store_.Write([&](StoreTx& tx) {
      done = false;
      std::optional<TandemRecord> t = tx.FindTandem(id);
      if (!t || t->state != TandemState::kActive) return Status::Ok();  // ended since listed
      const std::optional<ProgrammeRecord> p = tx.FindProgramme(t->programme);
      const std::optional<Millis> ends = p ? TermEndsAt(*t, *p) : std::nullopt;
      if (!ends || *ends > now) return Status::Ok();
      t->state = TandemState::kCompleted;
      t->ended_at = now;
      t->updated_at = now;
      // A partner who changed it in between: the next sweep completes it.
      if (!tx.UpdateTandem(*t)) return Status::Ok();
      tx.AppendAudit({0, now, "system", "tandem.complete", "tandem", id, "term ended"});
      done = true;
      return Status::Ok();
    });
    if (!status.ok()) return status;
    completed += done ? 1 : 0;
  }
  return completed;
}

// ---- Open programmes: suggestions and requests

namespace {

struct Candidate {
  int partner = 0;
  bool partner_mentors = false;
  int score = 0;
};

// The eligible partners of `me` in both roles the capacities left allow, best first.
std::vector<Candidate> Candidates(const ProgrammeCohort& pc, const Rules& rules, int me) {
  std::vector<Candidate> out;
  const Person& self = pc.cohort.people[Idx(me)];
  for (size_t j = 0; j < pc.cohort.people.size(); ++j) {
    const int other = static_cast<int>(j);
    if (other == me) continue;
    if (self.mentee_capacity > 0 && rules.Eligible(other, me)) {
      out.push_back({other, true, rules.Score(other, me)});
    }
    if (self.mentor_capacity > 0 && rules.Eligible(me, other)) {
      out.push_back({other, false, rules.Score(me, other)});
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  return out;
}

Status CheckOpenProgramme(const ProgrammeRecord& p, const std::optional<EnrolmentRecord>& e) {
  if (!e || e->state != EnrolmentState::kEnrolled) {
    return StateConflict(p, "enrol first: suggestions and requests are for enrolled participants");
  }
  if (p.mode != MatchModeSetting::kOpen) {
    return Status::Conflict("programme " + Id(p.id) +
                            " is a reverse programme: the team proposes tandems");
  }
  if (p.state == kDraft || p.state == kClosed) {
    return StateConflict(p, "partners are found while the programme runs");
  }
  return Status::Ok();
}

MatchMode ModeOf(const ProgrammeRecord& p) {
  return p.mode == MatchModeSetting::kOpen ? MatchMode::kOpen : MatchMode::kReverse;
}

}  // namespace

Result<std::vector<Suggestion>> Lifecycle::Suggest(const Caller& caller, RowId id) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  std::vector<Suggestion> out;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    const std::optional<EnrolmentRecord> e =
        p ? tx.FindEnrolment(id, *caller.person) : std::nullopt;
    if (!p || !e) return NotFound("programme", id);
    if (Status open = CheckOpenProgramme(*p, e); !open.ok()) return open;
    ProgrammeCohort pc = LoadCohort(tx, *p);
    const auto me = pc.index_of.find(*caller.person);
    if (me == pc.index_of.end()) return Status::Ok();
    const Rules rules(pc.cohort, pc.tree, ModeOf(*p), pc.excluded);
    for (const Candidate& c : Candidates(pc, rules, me->second)) {
      if (out.size() == static_cast<size_t>(kSuggestions)) break;
      const int mentor = c.partner_mentors ? c.partner : me->second;
      const int mentee = c.partner_mentors ? me->second : c.partner;
      Suggestion s;
      s.person = pc.person_of[Idx(c.partner)];
      s.name = NameOf(tx, s.person);
      s.role = c.partner_mentors ? "mentor" : "mentee";
      s.score = c.score;
      const json reasons = ReasonsJson(rules, pc.cohort, mentor, mentee);
      s.topics = TopicsOf(reasons);
      s.reasons = reasons.dump();
      out.push_back(std::move(s));
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<TandemView> Lifecycle::Request(const Caller& caller, RowId id, RowId partner,
                                      std::string_view partner_role) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  if (partner_role != "mentor" && partner_role != "mentee") {
    return Status::InvalidArgument("partner_role: 'mentor' or 'mentee'");
  }
  const Millis now = clock_.Now();
  const RowId me = *caller.person;
  RowId tandem = 0;
  const Status status = store_.Write([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    const std::optional<EnrolmentRecord> e = p ? tx.FindEnrolment(id, me) : std::nullopt;
    if (!p || !e) return NotFound("programme", id);
    if (Status open = CheckOpenProgramme(*p, e); !open.ok()) return open;
    ProgrammeCohort pc = LoadCohort(tx, *p);
    const auto self = pc.index_of.find(me);
    const auto other = pc.index_of.find(partner);
    const std::optional<EnrolmentRecord> theirs = tx.FindEnrolment(id, partner);
    if (self == pc.index_of.end() || other == pc.index_of.end() || !theirs ||
        theirs->state != EnrolmentState::kEnrolled) {
      return Status::InvalidArgument("partner_id: person " + Id(partner) +
                                     " is not enrolled in programme " + Id(id));
    }
    const bool partner_mentors = partner_role == "mentor";
    const int mentor = partner_mentors ? other->second : self->second;
    const int mentee = partner_mentors ? self->second : other->second;
    const Rules rules(pc.cohort, pc.tree, ModeOf(*p), pc.excluded);
    const Ineligibility why = rules.Check(mentor, mentee);
    if (why != Ineligibility::kEligible) {
      return Status::Conflict("this pair cannot form a tandem: " +
                              std::string(IneligibilityText(why)));
    }
    const json reasons = ReasonsJson(rules, pc.cohort, mentor, mentee);
    TandemRecord t;
    t.programme = id;
    t.mentor = pc.person_of[Idx(mentor)];
    t.mentee = pc.person_of[Idx(mentee)];
    t.score = rules.Score(mentor, mentee);
    t.topics = TopicsOf(reasons);
    t.reasons = ReasonsWithExperience(tx, id, t.mentor, reasons);
    t.state = TandemState::kAcceptedByOne;
    t.origin = "request";
    (partner_mentors ? t.mentee_accepted_at : t.mentor_accepted_at) = now;
    t.created_at = t.updated_at = now;
    tandem = tx.InsertTandem(t);
    MailPartner(tx, partner, MailKind::kPartnerRequest, public_url_ + "/tandems/" + Id(tandem), now,
                id);
    tx.AppendAudit(
        {0, now, caller.Actor(), "tandem.request", "tandem", tandem, "programme=" + Id(id)});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return GetTandem(caller, tandem);
}

// ---- The run worker

struct RunWorker::Thread {
  std::mutex mutex;
  std::condition_variable wake;
  bool stop = false;
  bool woken = false;
  std::thread thread;
};

RunWorker::RunWorker(Store& store, const Clock& clock, std::string worker_id)
    : store_(store), clock_(clock), worker_id_(std::move(worker_id)) {}

RunWorker::~RunWorker() { Stop(); }

Result<bool> RunWorker::RunOnce() {
  std::optional<MatchingRunRecord> run;
  Status status = store_.Write([&](StoreTx& tx) {
    const Millis now = clock_.Now();
    run = tx.ClaimMatchingRun(worker_id_, now, now + kLease);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!run) return false;

  std::optional<ProgrammeRecord> programme;
  ProgrammeCohort pc;
  status = store_.Read([&](StoreTx& tx) {
    programme = tx.FindProgramme(run->programme);
    if (programme) pc = LoadCohort(tx, *programme);
    return Status::Ok();
  });
  std::string error;
  Computed computed;
  if (!status.ok()) {
    error = "reading the enrolments failed: " + status.message();
  } else if (!programme) {
    error = "the programme no longer exists";
  } else {
    const json parameters = json::parse(run->parameters, nullptr, false);
    const Objective objective =
        parameters.is_object() && parameters.value("objective", "") == "stable"
            ? Objective::kStable
            : Objective::kOptimal;
    ProgressSink sink{&store_, &clock_, run->id, worker_id_, {}, false};
    try {
      computed = Compute(pc, *programme, objective, {&OnProgress, &sink});
    } catch (const std::exception& e) {
      error = std::string("the engine failed: ") + e.what();
    }
  }
  status = store_.Write([&](StoreTx& tx) {
    std::optional<MatchingRunRecord> current = tx.FindMatchingRun(run->id);
    if (!current || current->state != RunState::kRunning || current->claimed_by != worker_id_) {
      return Status::Ok();  // another worker took it over after our lease ran out
    }
    current->state = error.empty() ? RunState::kDone : RunState::kFailed;
    current->error = error;
    if (error.empty()) {
      current->result = std::move(computed.result);
      current->report = std::move(computed.report);
    }
    current->phase = 3;
    current->finished_at = clock_.Now();
    current->claimed_until.reset();
    if (tx.UpdateMatchingRun(*current)) {
      tx.AppendAudit({0, clock_.Now(), "worker", error.empty() ? "run.done" : "run.failed",
                      "matching_run", current->id, ""});
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return true;
}

void RunWorker::Start(int poll_ms) {
  if (thread_) return;
  thread_ = std::make_unique<Thread>();
  thread_->thread = std::thread([this, poll_ms] { Loop(poll_ms); });
}

void RunWorker::Wake() {
  if (!thread_) return;
  {
    const std::lock_guard<std::mutex> lock(thread_->mutex);
    thread_->woken = true;
  }
  thread_->wake.notify_one();
}

void RunWorker::Stop() {
  if (!thread_) return;
  {
    const std::lock_guard<std::mutex> lock(thread_->mutex);
    thread_->stop = true;
  }
  thread_->wake.notify_one();
  thread_->thread.join();
  thread_.reset();
}

void RunWorker::Loop(int poll_ms) {
  for (;;) {
    Result<bool> ran = RunOnce();
    const bool again = ran.ok() && ran.value();
    std::unique_lock<std::mutex> lock(thread_->mutex);
    if (thread_->stop) return;
    if (!again) {
      thread_->wake.wait_for(lock, std::chrono::milliseconds(poll_ms),
                             [this] { return thread_->stop || thread_->woken; });
    }
    thread_->woken = false;
    if (thread_->stop) return;
  }
}

}  // namespace tandem
