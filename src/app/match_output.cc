#include "app/match_output.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "app/csv_reader.h"

namespace tandem {
namespace {

using nlohmann::ordered_json;

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

std::string TopicKeys(const Cohort& cohort, const Tandem& t) {
  std::string out;
  for (const TopicContribution& c : t.contributions) {
    if (!out.empty()) out += ';';
    out += cohort.topics[Idx(c.topic)].key;
  }
  return out;
}

const char* ModeName(MatchMode mode) { return mode == MatchMode::kReverse ? "reverse" : "open"; }
const char* ObjectiveName(Objective o) { return o == Objective::kOptimal ? "optimal" : "stable"; }

}  // namespace

std::string TandemsCsv(const Cohort& cohort, const MatchResult& result) {
  std::string out = "mentor_id,mentee_id,score,topics,reasons\n";
  for (const Tandem& t : result.tandems) {
    AppendCsvField(&out, cohort.people[Idx(t.mentor)].id);
    out += ',';
    AppendCsvField(&out, cohort.people[Idx(t.mentee)].id);
    out += ',' + std::to_string(t.score) + ',';
    AppendCsvField(&out, TopicKeys(cohort, t));
    out += ',';
    AppendCsvField(&out, t.reasons);
    out += '\n';
  }
  return out;
}

std::string TandemsJson(const Cohort& cohort, const MatchResult& result) {
  ordered_json tandems = ordered_json::array();
  for (const Tandem& t : result.tandems) {
    ordered_json topics = ordered_json::array();
    for (const TopicContribution& c : t.contributions)
      topics.push_back(cohort.topics[Idx(c.topic)].key);
    tandems.push_back({{"mentor_id", cohort.people[Idx(t.mentor)].id},
                       {"mentee_id", cohort.people[Idx(t.mentee)].id},
                       {"score", t.score},
                       {"topics", topics},
                       {"reasons", t.reasons}});
  }
  return tandems.dump(2) + "\n";
}

std::string ReportJson(const Cohort& cohort, const MatchResult& result, const MatchOptions& options,
                       const RunTimes& times) {
  const MatchReport& r = result.report;
  ordered_json topics = ordered_json::array();
  for (const TopicBalance& b : r.topics) {
    topics.push_back({{"topic", cohort.topics[Idx(b.topic)].key},
                      {"name", cohort.topics[Idx(b.topic)].name},
                      {"demand", b.demand},
                      {"supply", b.supply}});
  }
  ordered_json unmatched = ordered_json::array();
  for (const UnmatchedPerson& u : r.unmatched) {
    unmatched.push_back(
        {{"id", cohort.people[Idx(u.person)].id}, {"role", u.role}, {"reason", u.reason}});
  }
  ordered_json blocking = ordered_json::array();
  for (const auto& [m, e] : r.blocking_pairs) {
    blocking.push_back(
        {{"mentor_id", cohort.people[Idx(m)].id}, {"mentee_id", cohort.people[Idx(e)].id}});
  }
  ordered_json report = {
      {"mode", ModeName(options.mode)},
      {"objective", ObjectiveName(options.objective)},
      {"people", cohort.people.size()},
      {"mentees",
       {{"wanting", r.mentees_wanting},
        {"matched", r.mentees_matched},
        {"places_wanted", r.mentee_places_wanted}}},
      {"mentors",
       {{"offering", r.mentors_offering},
        {"capacity_offered", r.mentor_capacity_offered},
        {"capacity_used", r.mentor_capacity_used}}},
      {"tandems", r.tandems},
      {"score", {{"total", r.total_score}, {"mean", r.mean_score}, {"lowest", r.lowest_score}}},
      {"topics", topics},
      {"unmatched", unmatched},
      {"blocking_pairs", {{"count", r.blocking_pair_count}, {"listed", blocking}}},
      {"candidates",
       {{"per_mentee", r.candidates == 0 ? ordered_json("all") : ordered_json(r.candidates)},
        {"initial_per_mentee",
         r.initial_candidates == 0 ? ordered_json("all") : ordered_json(r.initial_candidates)},
        {"pricing_rounds", r.pricing_rounds},
        {"arcs", r.candidate_arcs},
        {"exact", r.exact},
        {"note", r.exact
                     ? (r.pricing_rounds > 1 ? "optimal over every eligible pair, proved by the "
                                               "solver's duals after adding improving pairs"
                                             : "optimal over every eligible pair")
                     : "exact within the candidate graph only: each mentee "
                       "kept their best candidates"}}},
      {"seconds", times.total},
      {"seconds_by_step", {{"reading", times.reading}, {"matching", times.matching}}},
  };
  return report.dump(2) + "\n";
}

std::string SummaryText(const Cohort& cohort, const MatchResult& result) {
  const MatchReport& r = result.report;
  std::string out;
  out += fmt::format("{} people, {} topics\n", cohort.people.size(), cohort.topics.size());
  out += fmt::format("{} tandems; {} of {} people wanting a mentor matched\n", r.tandems,
                     r.mentees_matched, r.mentees_wanting);
  out += fmt::format("mentor capacity: {} used of {} offered by {} mentors\n",
                     r.mentor_capacity_used, r.mentor_capacity_offered, r.mentors_offering);
  out += fmt::format("score: total {}, mean {:.2f}, lowest {}\n", r.total_score, r.mean_score,
                     r.lowest_score);
  out += fmt::format("blocking pairs: {}; {}\n", r.blocking_pair_count,
                     r.exact ? "exact over all eligible pairs"
                             : fmt::format("exact within {} candidates per mentee", r.candidates));
  return out;
}

}  // namespace tandem
