#include "app/reports.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

#include "app/csv_reader.h"
#include "app/directory.h"
#include "app/export_xlsx.h"
#include "app/surveys.h"

namespace tandem {
namespace {

constexpr int kBatch = 5000;  // rows per store call when reading whole tables
constexpr std::size_t kStages = std::size(kFunnelStages);
constexpr std::size_t kActiveStage = 4;  // kFunnelStages[kActiveStage] is "active"
constexpr char kNoValue[] = "";          // people without a department (location): never offered

std::string Id(RowId id) { return std::to_string(id); }

// Every row of a paged list: `page(after, limit)` returns the rows after `after`, by id.
template <typename Page>
auto ReadAll(Page page) {
  decltype(page(RowId{0}, kBatch)) out;
  RowId after = 0;
  for (;;) {
    auto rows = page(after, kBatch);
    if (rows.empty()) break;
    after = rows.back().id;
    out.insert(out.end(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  }
  return out;
}

// ---- The people of a programme, their funnel stage and their filter atom.

struct Member {
  RowId person = 0;
  std::string department;
  std::string location;
  std::size_t atom = 0;
  std::size_t depth = 0;  // the last stage reached (stages nest: each needs the previous)
  bool withdrawn = false;
};

struct Population {
  std::vector<Member> members;           // one per enrolment (every invited person)
  std::vector<std::string> departments;  // the values, sorted ("" included when present)
  std::vector<std::string> locations;
  std::vector<bool> department_shown;  // DiscloseFilters
  std::vector<bool> location_shown;
  std::size_t atoms = 0;
};

std::size_t IndexOf(const std::vector<std::string>& values, const std::string& v) {
  return static_cast<std::size_t>(std::lower_bound(values.begin(), values.end(), v) -
                                  values.begin());
}

Population PopulationOf(StoreTx& tx, const ProgrammeRecord& p, const DisclosurePolicy& policy,
                        const std::vector<TandemRecord>& tandems) {
  // Per person: the stages their tandems reached.
  struct Reached {
    bool matched = false, accepted = false, active = false, completed = false;
  };
  std::map<RowId, Reached> reached;
  for (const TandemRecord& t : tandems) {
    for (const bool mentor : {true, false}) {
      Reached& r = reached[mentor ? t.mentor : t.mentee];
      r.matched = true;
      if (mentor ? t.mentor_accepted_at.has_value() : t.mentee_accepted_at.has_value()) {
        r.accepted = true;
      }
      if (t.activated_at) r.active = true;
      if (t.state == TandemState::kCompleted) r.completed = true;
    }
  }
  Population pop;
  const std::vector<EnrolmentRecord> enrolments =
      ReadAll([&](RowId after, int limit) { return tx.ListEnrolments(p.id, after, limit); });
  std::map<RowId, std::pair<std::string, std::string>> place;  // person -> department, location
  for (PersonRecord& person : ReadAll([&](RowId after, int limit) {
         return tx.ListPeopleOfProgrammes({p.id}, after, limit);
       })) {
    place[person.id] = {std::move(person.department), std::move(person.location)};
  }
  std::set<std::string> departments;
  std::set<std::string> locations;
  for (const EnrolmentRecord& e : enrolments) {
    Member m;
    m.person = e.person;
    if (auto it = place.find(e.person); it != place.end()) {
      m.department = it->second.first;
      m.location = it->second.second;
    }
    const Reached r = reached.count(e.person) != 0 ? reached[e.person] : Reached{};
    const bool stage[kStages] = {
        true, e.enrolled_at.has_value(), r.matched, r.accepted, r.active, r.completed};
    while (m.depth + 1 < kStages && stage[m.depth + 1]) ++m.depth;
    m.withdrawn = e.state == EnrolmentState::kWithdrawn;
    departments.insert(m.department);
    locations.insert(m.location);
    pop.members.push_back(std::move(m));
  }
  pop.departments.assign(departments.begin(), departments.end());
  pop.locations.assign(locations.begin(), locations.end());
  std::vector<std::vector<int>> rows;
  for (const Member& m : pop.members) {
    rows.push_back({static_cast<int>(IndexOf(pop.departments, m.department)),
                    static_cast<int>(IndexOf(pop.locations, m.location))});
  }
  const Result<std::vector<std::vector<bool>>> shown = DiscloseFilters(
      policy, {static_cast<int>(pop.departments.size()), static_cast<int>(pop.locations.size())},
      rows);
  pop.department_shown = shown.ok() ? shown.value()[0] : std::vector<bool>(departments.size());
  pop.location_shown = shown.ok() ? shown.value()[1] : std::vector<bool>(locations.size());
  // The atoms: a shown value or "the rest" of each dimension.
  std::map<std::pair<int, int>, std::size_t> atom_index;
  for (std::size_t i = 0; i < pop.members.size(); ++i) {
    const auto d = static_cast<std::size_t>(rows[i][0]);
    const auto l = static_cast<std::size_t>(rows[i][1]);
    const std::pair<int, int> key{pop.department_shown[d] ? rows[i][0] : -1,
                                  pop.location_shown[l] ? rows[i][1] : -1};
    auto [it, inserted] = atom_index.emplace(key, atom_index.size());
    pop.members[i].atom = it->second;
  }
  pop.atoms = atom_index.size();
  return pop;
}

bool Matches(const Member& m, const DashboardFilter& f) {
  return (!f.department || m.department == *f.department) &&
         (!f.location || m.location == *f.location);
}

struct FunnelFigures {
  std::vector<FunnelStage> funnel;
  DisclosedCount withdrawn;
  // The parts between neighbouring shown stages: segment_of[depth], and how many there are.
  std::vector<std::size_t> segment_of;
  std::size_t segments = 1;
};

// Whether a subset of the people (`in`, per member) may be counted beside the funnel: in every
// atom and between every two neighbouring shown stages, the people in the subset and the others
// are each 0 or >= k. Then every group that the funnel's figures and the subset's count of any
// view describe by sum or difference (e.g. "enrolled" minus "interested in the topic" when all of
// those interested are enrolled) holds 0 or >= k people.
bool MayCountBesideFunnel(const Population& pop, const DisclosurePolicy& policy,
                          const FunnelFigures& funnel, const std::vector<bool>& in) {
  std::vector<std::pair<std::int64_t, std::int64_t>> parts(pop.atoms * funnel.segments, {0, 0});
  for (std::size_t i = 0; i < pop.members.size(); ++i) {
    const Member& m = pop.members[i];
    auto& part = parts[m.atom * funnel.segments + funnel.segment_of[m.depth]];
    part.first += in[i] ? 1 : 0;
    ++part.second;
  }
  return MayShowSplitInAtoms(policy, parts);
}

// The funnel and the withdrawn count of the people matching `filter` (none: everyone), under the
// rules of DiscloseNestedCountsInAtoms and MayShowSplitInAtoms: the same stages are shown in the
// unfiltered and every filtered view, so that no two views combine to a small group.
FunnelFigures FunnelOf(const Population& pop, const DisclosurePolicy& policy,
                       const DashboardFilter& filter) {
  std::vector<std::vector<std::int64_t>> atom_counts(pop.atoms,
                                                     std::vector<std::int64_t>(kStages, 0));
  std::vector<std::int64_t> view(kStages, 0);
  std::int64_t withdrawn = 0;
  for (const Member& m : pop.members) {
    const bool in_view = Matches(m, filter);
    for (std::size_t s = 0; s <= m.depth; ++s) {
      ++atom_counts[m.atom][s];
      if (in_view) ++view[s];
    }
    if (in_view && m.withdrawn) ++withdrawn;
  }
  const Result<std::vector<bool>> shown_or =
      DiscloseNestedCountsInAtoms(policy, kStages, atom_counts);
  const std::vector<bool> shown = shown_or.ok() ? shown_or.value() : std::vector<bool>(kStages);
  FunnelFigures out;
  for (std::size_t s = 0; s < kStages; ++s) {
    out.funnel.push_back({kFunnelStages[s], shown[s] ? DisclosedCount(view[s]) : std::nullopt});
  }
  // Withdrawn: in every atom and between every two neighbouring shown stages, the withdrawn and
  // the others are each 0 or >= k; then the withdrawn count adds no group of 1..k-1 to the funnel.
  out.segment_of.assign(kStages, 0);
  for (std::size_t s = 1; s < kStages; ++s) {
    out.segment_of[s] = out.segment_of[s - 1] + (shown[s] ? 1 : 0);
  }
  out.segments = out.segment_of.back() + 1;
  std::vector<bool> withdrawn_members;
  for (const Member& m : pop.members) withdrawn_members.push_back(m.withdrawn);
  if (MayCountBesideFunnel(pop, policy, out, withdrawn_members)) out.withdrawn = withdrawn;
  return out;
}

// ---- Demand and supply per topic.

// Whether enrolment is over: the programme has left "enrolling" (the first matching run moves it
// to "matching"; it never goes back), so nobody enrols or changes their answers any more.
bool EnrolmentOver(const ProgrammeRecord& p) {
  return p.state == "matching" || p.state == "running" || p.state == "closed";
}

// The moment enrolment ended: the first matching run's start, else the closing (a programme
// closed straight from "enrolling"); 0 when neither is known.
Millis EnrolmentEndedAt(StoreTx& tx, const ProgrammeRecord& p) {
  const std::vector<MatchingRunRecord> first = tx.ListMatchingRuns(p.id, 0, 1);
  if (!first.empty()) return first.front().created_at;
  return p.closed_at.value_or(0);
}

// Per catalogue topic: the mentees interested in it (interest > 0) and the mentors with
// skill > 0 among everyone who enrolled (enrolled_at set, withdrawn later or not); hidden in a
// filtered view (people move between departments). Shown only once enrolment is over, so that two
// readings never differ by one person's enrolment or edited answers; over everyone who enrolled, so
// that a withdrawal does not change them either. The store deletes a person's answers when they
// withdraw or are erased: once that happened to someone after enrolment ended, the figures could no
// longer be computed as they were, and every topic figure stays hidden ("too few to show"). A count
// is shown when, in every atom, it and the rest of the enrolled mentees (mentors) are each 0 or >=
// k, and it may be counted beside the funnel (MayCountBesideFunnel): those interested in a topic
// are all enrolled, often all matched, so "enrolled" minus "interested" must not describe 1..k-1
// people either.
std::vector<TopicFigures> TopicsOf(StoreTx& tx, const ProgrammeRecord& p,
                                   const DisclosurePolicy& policy, const Population& pop,
                                   const FunnelFigures& funnel, const DashboardFilter& filter) {
  std::vector<TopicFigures> out;
  for (const ProgrammeTopic& t : p.topics) {
    TopicFigures f;
    f.key = t.key;
    f.name_de = t.name_de;
    f.name_en = t.name_en;
    out.push_back(std::move(f));
  }
  if (!EnrolmentOver(p)) return out;
  // Never filtered: a person's department or location may change (an HR update), and the
  // filtered figures before and after would differ by exactly that person's answers.
  if (filter.department || filter.location) return out;
  std::map<RowId, std::size_t> member_of;  // person -> index into pop.members
  for (std::size_t i = 0; i < pop.members.size(); ++i) member_of[pop.members[i].person] = i;
  struct Role {
    std::size_t member = 0;
    bool mentee = false;
    bool mentor = false;
    int mentor_capacity = 0;
  };
  std::map<RowId, Role> roles;  // enrolment id -> the enrolled person's roles
  std::set<RowId> left;         // enrolments withdrawn after enrolment ended
  const Millis ended = EnrolmentEndedAt(tx, p);
  std::vector<std::int64_t> mentees(pop.atoms, 0);  // enrolled mentees (mentors) per atom
  std::vector<std::int64_t> mentors(pop.atoms, 0);
  for (const EnrolmentRecord& e :
       ReadAll([&](RowId after, int limit) { return tx.ListEnrolments(p.id, after, limit); })) {
    if (!e.enrolled_at) continue;
    auto it = member_of.find(e.person);
    if (it == member_of.end()) continue;
    if (e.state == EnrolmentState::kWithdrawn && (!e.withdrawn_at || *e.withdrawn_at >= ended)) {
      left.insert(e.id);
    }
    roles[e.id] = {it->second, e.mentee_capacity > 0, e.mentor_capacity > 0, e.mentor_capacity};
    mentees[pop.members[it->second].atom] += e.mentee_capacity > 0 ? 1 : 0;
    mentors[pop.members[it->second].atom] += e.mentor_capacity > 0 ? 1 : 0;
  }
  const std::vector<std::pair<RowId, AnswerRecord>> answers = tx.ListProgrammeAnswers(p.id);
  for (const auto& entry : answers) left.erase(entry.first);
  // Someone who withdrew after enrolment ended has no answers any more: hide every topic figure.
  if (!left.empty()) return out;
  struct Sums {
    std::vector<bool> mentee_members, mentor_members;  // per member of pop
    std::int64_t mentees = 0, demand = 0, mentors = 0, supply = 0;
  };
  std::map<std::string, Sums> sums;
  for (const ProgrammeTopic& t : p.topics) {
    sums[t.key].mentee_members.assign(pop.members.size(), false);
    sums[t.key].mentor_members.assign(pop.members.size(), false);
  }
  for (const auto& [enrolment, answer] : answers) {
    auto r = roles.find(enrolment);
    auto s = sums.find(answer.topic);
    if (r == roles.end() || s == sums.end()) continue;
    const Role& role = r->second;
    const bool in_view = Matches(pop.members[role.member], filter);
    if (role.mentee && answer.interest > 0 && !s->second.mentee_members[role.member]) {
      s->second.mentee_members[role.member] = true;
      if (in_view) {
        ++s->second.mentees;
        s->second.demand += answer.interest;
      }
    }
    if (role.mentor && answer.skill > 0 && !s->second.mentor_members[role.member]) {
      s->second.mentor_members[role.member] = true;
      if (in_view) {
        ++s->second.mentors;
        s->second.supply += static_cast<std::int64_t>(answer.skill) * role.mentor_capacity;
      }
    }
  }
  auto shown = [&](const std::vector<bool>& in, const std::vector<std::int64_t>& population) {
    std::vector<std::pair<std::int64_t, std::int64_t>> parts;
    for (std::size_t a = 0; a < pop.atoms; ++a) parts.emplace_back(0, population[a]);
    for (std::size_t i = 0; i < in.size(); ++i) parts[pop.members[i].atom].first += in[i] ? 1 : 0;
    return MayShowSplitInAtoms(policy, parts) && MayCountBesideFunnel(pop, policy, funnel, in);
  };
  for (TopicFigures& f : out) {
    const Sums& s = sums[f.key];
    if (shown(s.mentee_members, mentees)) {
      f.mentees = s.mentees;
      if (policy.MayShowAggregate(s.mentees)) f.demand = s.demand;
    }
    if (shown(s.mentor_members, mentors)) {
      f.mentors = s.mentors;
      if (policy.MayShowAggregate(s.mentors)) f.supply = s.supply;
    }
  }
  return out;
}

// ---- Scores and meetings (over the whole programme).

constexpr std::int64_t kScoreBands = 5;

std::vector<ScoreBand> ScoresOf(const DisclosurePolicy& policy,
                                const std::vector<TandemRecord>& tandems) {
  if (tandems.empty()) return {};
  std::int64_t max = 0;
  for (const TandemRecord& t : tandems) max = std::max(max, t.score);
  const std::int64_t width = max / kScoreBands + 1;  // kScoreBands * width > max
  std::vector<std::int64_t> counts(kScoreBands, 0);
  for (const TandemRecord& t : tandems) {
    const std::int64_t band = std::clamp<std::int64_t>(t.score / width, 0, kScoreBands - 1);
    ++counts[static_cast<std::size_t>(band)];
  }
  const Result<DisclosedCounts> shown = DiscloseCounts(policy, counts);
  std::vector<ScoreBand> out;
  for (std::int64_t b = 0; b < kScoreBands; ++b) {
    ScoreBand band;
    band.from = b * width;
    band.to = b * width + width - 1;
    if (shown.ok()) band.count = shown.value().cells[static_cast<std::size_t>(b)];
    out.push_back(band);
  }
  return out;
}

// `active_shown`: whether the funnel shows its "active" stage (the same in every view). The
// number of tandems that ever became active, and the cadence bands that add up to it, are shown
// only then: next to a hidden "active" stage they would tell how many people became active.
MeetingsFigures MeetingsOf(const ProgrammeRecord& p, const DisclosurePolicy& policy,
                           const std::vector<TandemRecord>& tandems, bool active_shown) {
  MeetingsFigures out;
  out.aggregate = AggregateMeetings(p, tandems);
  out.target_min = p.target_meetings_min;
  out.target_max = p.target_meetings_max;
  if (out.aggregate.too_few || !active_shown) return out;
  out.tandems = out.aggregate.tandems;
  const auto bands = static_cast<std::size_t>(std::max(p.target_meetings_min, 0)) + 2;
  std::vector<std::int64_t> counts(bands, 0);
  for (const TandemRecord& t : tandems) {
    if (!t.activated_at) continue;
    const auto held = static_cast<std::size_t>(std::max<std::int64_t>(t.meetings_held, 0));
    ++counts[std::min(held, bands - 1)];
  }
  const Result<DisclosedCounts> shown = DiscloseCounts(policy, counts);
  // All or nothing: the total held is shown beside the bands (docs/reports.md, rule 3).
  const bool all = shown.ok() && std::all_of(shown.value().cells.begin(), shown.value().cells.end(),
                                             [](const DisclosedCount& c) { return c.has_value(); });
  for (std::size_t b = 0; b < bands; ++b) {
    out.cadence.push_back({b + 1 == bands ? std::string("more") : std::to_string(b),
                           all ? DisclosedCount(counts[b]) : std::nullopt});
  }
  return out;
}

// ---- Surveys, asks, earlier cohorts.

std::vector<AskCount> AsksOf(StoreTx& tx, const ProgrammeRecord& p) {
  std::map<std::string, std::int64_t> counts;
  for (const LeadershipAskRecord& a : tx.ListLeadershipAsks(p.id)) {
    for (const std::string& t : std::set<std::string>(a.topics.begin(), a.topics.end())) {
      ++counts[t];
    }
  }
  std::vector<AskCount> out;
  for (const ProgrammeTopic& t : p.topics) out.push_back({t.key, counts[t.key]});
  return out;
}

std::vector<DashboardSurvey> SurveysOf(StoreTx& tx, const ProgrammeRecord& p,
                                       const DisclosurePolicy& policy) {
  std::vector<DashboardSurvey> out;
  for (const SurveyRecord& r : tx.ListSurveys(p.id)) {
    DashboardSurvey s;
    s.id = r.id;
    s.kind = r.kind;
    s.audience = r.audience;
    s.state = r.state;
    const auto invited = static_cast<std::int64_t>(tx.ListSurveyInvitees(r.id).size());
    if (policy.MayShowCount(invited)) s.invited = invited;
    s.survey = SurveyOf(r);
    s.result = ReleasedResultOf(tx, p, r);
    out.push_back(std::move(s));
  }
  return out;
}

bool Administers(const Caller& caller, RowId programme) {
  return caller.system_admin || AdministersProgramme(caller, programme);
}

std::vector<EarlierCohort> EarlierOf(StoreTx& tx, const Caller& caller,
                                     const ProgrammeRecord& current) {
  std::vector<ProgrammeRecord> earlier;
  for (ProgrammeRecord& q :
       ReadAll([&](RowId after, int limit) { return tx.ListProgrammes(after, limit); })) {
    const bool before = q.created_at < current.created_at ||
                        (q.created_at == current.created_at && q.id < current.id);
    if (q.id != current.id && before && Administers(caller, q.id)) earlier.push_back(std::move(q));
  }
  std::sort(earlier.begin(), earlier.end(), [](const ProgrammeRecord& a, const ProgrammeRecord& b) {
    return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
  });
  if (earlier.size() > kEarlierCohorts) earlier.resize(kEarlierCohorts);
  std::vector<EarlierCohort> out;
  for (const ProgrammeRecord& q : earlier) {
    const DisclosurePolicy policy = PolicyOf(q);
    const std::vector<TandemRecord> tandems =
        ReadAll([&](RowId after, int limit) { return tx.ListTandems(q.id, after, limit); });
    const Population pop = PopulationOf(tx, q, policy, tandems);
    EarlierCohort c;
    c.id = q.id;
    c.name = q.name;
    c.created_at = q.created_at;
    c.funnel = FunnelOf(pop, policy, {}).funnel;
    for (const SurveyRecord& r : tx.ListSurveys(q.id)) {
      if (r.kind != SurveyKind::kFinal || r.audience != SurveyAudience::kMentees) continue;
      const std::optional<SurveyResult> result = ReleasedResultOf(tx, q, r);
      if (!result) continue;
      for (const QuestionResult& question : result->questions) {
        if (question.type == QuestionType::kRecommendation && !c.nps) c.nps = question.nps;
        if (question.type == QuestionType::kScale && question.key == "overall") {
          c.satisfaction = question.mean;
        }
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

// Checks the filter against the offered values; InvalidArgument naming the field otherwise.
Status CheckFilter(const Population& pop, DashboardFilter& filter) {
  if (filter.department && filter.department->empty()) filter.department.reset();
  if (filter.location && filter.location->empty()) filter.location.reset();
  auto offered = [](const std::vector<std::string>& values, const std::vector<bool>& shown,
                    const std::string& v) {
    const std::size_t i = IndexOf(values, v);
    return i < values.size() && values[i] == v && shown[i] && v != kNoValue;
  };
  if (filter.department && !offered(pop.departments, pop.department_shown, *filter.department)) {
    return Status::InvalidArgument("department: this filter is not available");
  }
  if (filter.location && !offered(pop.locations, pop.location_shown, *filter.location)) {
    return Status::InvalidArgument("location: this filter is not available");
  }
  return Status::Ok();
}

std::vector<FilterOption> OptionsOf(const std::vector<std::string>& values,
                                    const std::vector<bool>& shown) {
  std::vector<FilterOption> out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i] == kNoValue) continue;
    out.push_back({values[i], shown[i]});
  }
  return out;
}

// ---- Exports.

// One row of the dashboard export: section, item, measure, value.
struct ExportRow {
  std::string section;
  std::string item;
  std::string measure;
  XlsxCell value;
};

XlsxCell Number(double v) { return {"", v}; }
XlsxCell Text(std::string v) { return {std::move(v), std::nullopt}; }
XlsxCell Count(const DisclosedCount& c) {
  return c ? Number(static_cast<double>(*c)) : Text(kTooFewToShow);
}
XlsxCell Figure(const std::optional<double>& v) { return v ? Number(*v) : Text(kTooFewToShow); }

std::string CellText(const XlsxCell& cell) {
  if (!cell.number) return cell.text;
  const double v = *cell.number;
  char buffer[32];
  if (v == static_cast<double>(static_cast<std::int64_t>(v))) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.1f", v);
  }
  return buffer;
}

// A text cell of a CSV file that a spreadsheet would read as a formula gets a leading
// apostrophe (names and free texts are written by people).
std::string CsvText(const XlsxCell& cell) {
  std::string text = CellText(cell);
  if (!cell.number && !text.empty() &&
      std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    text.insert(text.begin(), '\'');
  }
  return text;
}

std::string SurveyName(SurveyKind kind, SurveyAudience audience) {
  return std::string(ToString(kind)) + "/" + std::string(ToString(audience));
}

void AddTopicResult(std::vector<ExportRow>& rows, const std::string& section,
                    const std::string& item, const TopicResult& t, bool learning) {
  rows.push_back({section, item, "respondents", Count(t.respondents)});
  if (learning) rows.push_back({section, item, "mean_before", Figure(t.mean_before)});
  rows.push_back({section, item, learning ? "mean_after" : "mean", Figure(t.mean)});
  if (!learning) return;
  rows.push_back({section, item, "mean_change", Figure(t.mean_change)});
  const char* const names[] = {"rose", "stayed", "fell"};
  for (std::size_t i = 0; i < 3; ++i) {
    rows.push_back({section, item, names[i],
                    t.change_counts && t.change_counts->size() == 3
                        ? Number(static_cast<double>((*t.change_counts)[i]))
                        : Text(kTooFewToShow)});
  }
}

void AddDistribution(std::vector<ExportRow>& rows, const std::string& item,
                     const std::optional<std::vector<std::int64_t>>& distribution, int first,
                     int values) {
  for (int v = 0; v < values; ++v) {
    rows.push_back({"survey_question", item, "answered_" + std::to_string(first + v),
                    distribution && static_cast<int>(distribution->size()) == values
                        ? Number(static_cast<double>((*distribution)[static_cast<std::size_t>(v)]))
                        : Text(kTooFewToShow)});
  }
}

std::vector<ExportRow> DashboardRows(const DashboardView& d) {
  std::vector<ExportRow> rows;
  const std::string programme = Id(d.programme);
  rows.push_back({"programme", programme, "name", Text(d.name)});
  rows.push_back({"programme", programme, "state", Text(d.state)});
  rows.push_back({"programme", programme, "min_group_size", Number(d.min_group_size)});
  rows.push_back({"filter", "department", "applied", Text(d.applied.department.value_or(""))});
  rows.push_back({"filter", "location", "applied", Text(d.applied.location.value_or(""))});
  for (const FunnelStage& s : d.funnel)
    rows.push_back({"funnel", s.stage, "people", Count(s.count)});
  rows.push_back({"funnel", "withdrawn", "people", Count(d.withdrawn)});
  for (const TopicFigures& t : d.topics) {
    rows.push_back({"topics", t.key, "mentees", Count(t.mentees)});
    rows.push_back({"topics", t.key, "demand", Count(t.demand)});
    rows.push_back({"topics", t.key, "mentors", Count(t.mentors)});
    rows.push_back({"topics", t.key, "supply", Count(t.supply)});
  }
  for (const ScoreBand& b : d.scores) {
    rows.push_back(
        {"scores", std::to_string(b.from) + "-" + std::to_string(b.to), "tandems", Count(b.count)});
  }
  const MeetingsAggregate& m = d.meetings.aggregate;
  rows.push_back({"meetings", "all", "tandems", Count(d.meetings.tandems)});
  rows.push_back({"meetings", "all", "held", Count(m.held)});
  rows.push_back({"meetings", "all", "reached_target", Count(m.reached_target)});
  rows.push_back({"meetings", "all", "target_min", Number(d.meetings.target_min)});
  rows.push_back({"meetings", "all", "target_max", Number(d.meetings.target_max)});
  for (const CadenceBand& b : d.meetings.cadence) {
    rows.push_back({"meetings_cadence", b.meetings, "tandems", Count(b.count)});
  }
  for (const DashboardSurvey& s : d.surveys) {
    const std::string name = SurveyName(s.kind, s.audience);
    rows.push_back({"survey", name, "state", Text(std::string(ToString(s.state)))});
    rows.push_back({"survey", name, "invited", Count(s.invited)});
    rows.push_back({"survey", name, "released", Text(s.result ? "true" : "false")});
    if (!s.result) continue;
    rows.push_back({"survey", name, "respondents", Count(s.result->respondents)});
    for (const QuestionResult& q : s.result->questions) {
      const std::string item = name + "/" + q.key;
      rows.push_back({"survey_question", item, "respondents", Count(q.respondents)});
      switch (q.type) {
        case QuestionType::kScale:
          rows.push_back({"survey_question", item, "mean", Figure(q.mean)});
          AddDistribution(rows, item, q.distribution, kScaleMin, kScaleMax - kScaleMin + 1);
          break;
        case QuestionType::kRecommendation: {
          rows.push_back({"survey_question", item, "nps", Figure(q.nps)});
          const char* const groups[] = {"detractors", "passives", "promoters"};
          for (std::size_t g = 0; g < 3; ++g) {
            rows.push_back({"survey_question", item, groups[g],
                            q.nps_groups && q.nps_groups->size() == 3
                                ? Number(static_cast<double>((*q.nps_groups)[g]))
                                : Text(kTooFewToShow)});
          }
          AddDistribution(rows, item, q.distribution, kRecommendationMin,
                          kRecommendationMax - kRecommendationMin + 1);
          break;
        }
        case QuestionType::kSingleChoice: {
          // The choices' keys come from the survey's definition; the result keeps their order.
          const std::vector<Choice>* choices = nullptr;
          for (const Question& question : s.survey.questions) {
            if (question.key == q.key) choices = &question.choices;
          }
          for (std::size_t c = 0; c < q.choice_counts.size(); ++c) {
            const std::string key = choices != nullptr && c < choices->size()
                                        ? (*choices)[c].key
                                        : std::to_string(c + 1);
            rows.push_back({"survey_question", item, "choice_" + key, Count(q.choice_counts[c])});
          }
          break;
        }
        case QuestionType::kFreeText:
          if (!q.texts) {
            rows.push_back({"survey_question", item, "text", Text(kTooFewToShow)});
            break;
          }
          for (const std::string& text : *q.texts) {
            rows.push_back({"survey_question", item, "text", Text(text)});
          }
          break;
        case QuestionType::kTopicRating:
          for (const TopicResult& t : q.topics)
            AddTopicResult(rows, "survey_topic", item + "/" + t.topic, t, false);
          break;
      }
    }
  }
  for (const TopicResult& t : d.learning_mentees)
    AddTopicResult(rows, "learning", "mentees/" + t.topic, t, true);
  for (const TopicResult& t : d.learning_mentors)
    AddTopicResult(rows, "learning", "mentors/" + t.topic, t, true);
  for (const AskCount& a : d.asks)
    rows.push_back({"asks", a.topic, "asks", Number(static_cast<double>(a.count))});
  for (const EarlierCohort& c : d.earlier) {
    const std::string item = Id(c.id);
    rows.push_back({"earlier", item, "name", Text(c.name)});
    for (const FunnelStage& s : c.funnel)
      rows.push_back({"earlier", item, s.stage, Count(s.count)});
    rows.push_back({"earlier", item, "nps", Figure(c.nps)});
    rows.push_back({"earlier", item, "satisfaction", Figure(c.satisfaction)});
  }
  return rows;
}

// "2027-01-05T10:00:00Z"; empty for no time.
std::string UtcTime(const std::optional<Millis>& at) {
  if (!at) return "";
  using std::chrono::milliseconds;
  const std::chrono::sys_time<milliseconds> t{milliseconds(*at)};
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss<milliseconds> time{t - day};
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long long>(time.hours().count()),
                static_cast<long long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return buffer;
}

struct TandemsSheet {
  std::vector<std::string> header;
  std::vector<std::vector<XlsxCell>> rows;
};

TandemsSheet TandemRows(StoreTx& tx, const ProgrammeRecord& p) {
  TandemsSheet out;
  out.header = {"mentor", "mentee", "state", "topics", "proposed_at", "activated_at", "ended_at"};
  if (p.show_meeting_counts) out.header.emplace_back("meetings_held");
  std::map<RowId, std::string> names;
  auto name = [&](RowId person) -> const std::string& {
    auto it = names.find(person);
    if (it != names.end()) return it->second;
    const std::optional<PersonRecord> r = tx.FindPerson(person);
    return names[person] = r ? r->name : std::string();
  };
  for (const TandemRecord& t :
       ReadAll([&](RowId after, int limit) { return tx.ListTandems(p.id, after, limit); })) {
    std::string topics;
    for (const std::string& k : t.topics) topics += (topics.empty() ? "" : " ") + k;
    std::vector<XlsxCell> row = {Text(name(t.mentor)),
                                 Text(name(t.mentee)),
                                 Text(std::string(ToString(t.state))),
                                 Text(topics),
                                 Text(UtcTime(t.created_at)),
                                 Text(UtcTime(t.activated_at)),
                                 Text(UtcTime(t.ended_at))};
    if (p.show_meeting_counts) row.push_back(Number(static_cast<double>(t.meetings_held)));
    out.rows.push_back(std::move(row));
  }
  return out;
}

std::string Csv(const std::vector<std::string>& header,
                const std::vector<std::vector<XlsxCell>>& rows) {
  std::string out;
  auto line = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out.push_back(',');
      AppendCsvField(&out, fields[i]);
    }
    out += "\r\n";
  };
  line(header);
  for (const std::vector<XlsxCell>& row : rows) {
    std::vector<std::string> fields;
    fields.reserve(row.size());
    for (const XlsxCell& cell : row) fields.push_back(CsvText(cell));
    line(fields);
  }
  return out;
}

const std::vector<std::string> kDashboardHeader = {"section", "item", "measure", "value"};

std::vector<std::vector<XlsxCell>> DashboardCells(const DashboardView& d) {
  std::vector<std::vector<XlsxCell>> cells;
  for (ExportRow& r : DashboardRows(d)) {
    cells.push_back({Text(r.section), Text(r.item), Text(r.measure), std::move(r.value)});
  }
  return cells;
}

}  // namespace

Status Reports::CheckTeam(const Caller& caller, RowId programme, std::string_view what) {
  if (caller.anonymous()) return Status::Unauthenticated("sign in first");
  bool exists = false;
  bool enrolled = false;
  Status read = store_.Read([&](StoreTx& tx) {
    exists = tx.FindProgramme(programme).has_value();
    enrolled = exists && caller.person && tx.FindEnrolment(programme, *caller.person).has_value();
    return Status::Ok();
  });
  if (!read.ok()) return read;
  const bool team = Administers(caller, programme);
  const bool sees = exists && (team || enrolled) && caller.HasScope(kScopeProgrammesRead);
  if (!sees) return Status::NotFound("programme " + Id(programme) + " not found");
  if (!team) {
    return AuditDenial(store_, clock_, caller, what, "programme", programme,
                       Status::PermissionDenied("only the programme team may do this"));
  }
  return Status::Ok();
}

Result<DashboardView> Reports::Dashboard(const Caller& caller, RowId programme,
                                         const DashboardFilter& filter) {
  if (Status s = CheckTeam(caller, programme, "report.dashboard"); !s.ok()) return s;
  return Build(caller, programme, filter);
}

Result<DashboardView> Reports::Build(const Caller& caller, RowId programme,
                                     const DashboardFilter& filter) {
  // The four surveys exist from the first time the team looks at them (app/surveys.h).
  if (Status s = Surveys(store_, clock_, "").EnsureSurveys(programme); !s.ok()) return s;
  DashboardView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(programme);
    if (!p) return Status::NotFound("programme " + Id(programme) + " not found");
    const DisclosurePolicy policy = PolicyOf(*p);
    const std::vector<TandemRecord> tandems =
        ReadAll([&](RowId after, int limit) { return tx.ListTandems(p->id, after, limit); });
    const Population pop = PopulationOf(tx, *p, policy, tandems);
    view.applied = filter;
    if (Status s = CheckFilter(pop, view.applied); !s.ok()) return s;
    view.programme = p->id;
    view.name = p->name;
    view.state = p->state;
    view.min_group_size = policy.min_group_size();
    view.departments = OptionsOf(pop.departments, pop.department_shown);
    view.locations = OptionsOf(pop.locations, pop.location_shown);
    const FunnelFigures funnel = FunnelOf(pop, policy, view.applied);
    view.funnel = funnel.funnel;
    view.withdrawn = funnel.withdrawn;
    view.topics = TopicsOf(tx, *p, policy, pop, funnel, view.applied);
    view.scores = ScoresOf(policy, tandems);
    view.meetings =
        MeetingsOf(*p, policy, tandems, funnel.funnel.at(kActiveStage).count.has_value());
    view.surveys = SurveysOf(tx, *p, policy);
    ProgrammeLearning learning = LearningOf(tx, *p);
    view.learning_mentees = std::move(learning.mentees);
    view.learning_mentors = std::move(learning.mentors);
    view.asks = AsksOf(tx, *p);
    view.earlier = EarlierOf(tx, caller, *p);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<ExportFile> Reports::Export(const Caller& caller, RowId programme, std::string_view name,
                                   std::string_view format, const DashboardFilter& filter) {
  if (name != "dashboard" && name != "tandems") {
    return Status::InvalidArgument("name: must be dashboard or tandems");
  }
  if (format != "csv" && format != "xlsx") {
    return Status::InvalidArgument("format: must be csv or xlsx");
  }
  if (Status s = CheckTeam(caller, programme, "report.export"); !s.ok()) return s;
  Result<DashboardView> dashboard = Build(caller, programme, filter);
  if (!dashboard.ok()) return dashboard.status();
  // Each file holds one thing: the dashboard's aggregates (no names: the file that is forwarded
  // to management or the works council) or the tandem list.
  TandemsSheet tandems;
  const bool with_tandems = name == "tandems";
  const Status read = !with_tandems ? Status::Ok() : store_.Read([&](StoreTx& tx) {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(programme);
    if (!p) return Status::NotFound("programme " + Id(programme) + " not found");
    tandems = TandemRows(tx, *p);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  ExportFile file;
  file.filename =
      "programme-" + Id(programme) + "-" + std::string(name) + "." + std::string(format);
  if (format == "csv") {
    file.content_type = "text/csv; charset=utf-8";
    file.bytes = name == "dashboard" ? Csv(kDashboardHeader, DashboardCells(dashboard.value()))
                                     : Csv(tandems.header, tandems.rows);
  } else {
    file.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    std::vector<XlsxSheet> sheets;
    if (name == "dashboard") {
      sheets.push_back({"Dashboard", kDashboardHeader, DashboardCells(dashboard.value())});
    } else {
      sheets.push_back({"Tandems", tandems.header, std::move(tandems.rows)});
    }
    Result<std::string> bytes = WriteWorkbook(sheets);
    if (!bytes.ok()) return bytes.status();
    file.bytes = std::move(bytes).value();
  }
  // The audit names the export and the filter in force; filter values are departments and
  // locations (organisational units), never a person.
  const Millis now = clock_.Now();
  const DashboardFilter& applied = dashboard.value().applied;
  const Status audited = store_.Write([&](StoreTx& tx) {
    AuditRecord a;
    a.at = now;
    a.actor = caller.Actor();
    a.action = "report.export";
    a.entity = "programme";
    a.entity_id = programme;
    a.detail = std::string(name) + "." + std::string(format) +
               (applied.department ? " department filter" : "") +
               (applied.location ? " location filter" : "");
    tx.AppendAudit(a);
    return Status::Ok();
  });
  if (!audited.ok()) return audited;
  return file;
}

}  // namespace tandem
