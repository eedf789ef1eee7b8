#include "app/retention.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

using nlohmann::json;

constexpr char kClosed[] = "closed";
constexpr int kPage = 200;

bool Due(const ProgrammeRecord& p, Millis now) {
  const std::optional<Millis> due = PersonalDataDueAt(p);
  return due && *due <= now && !p.personal_data_erased_at;
}

// The anonymous person in the place of `id`; 0 (nobody) for one the store did not replace.
json Replace(const json& id, const std::map<RowId, RowId>& by) {
  if (!id.is_number_integer()) return id;
  const auto it = by.find(id.get<RowId>());
  return it == by.end() ? RowId{0} : it->second;
}

// A run's result: the pairs name the anonymous people, without reasons, topics or language
// (reasons quote what the mentor wrote about their experience).
std::string AnonymousResult(const std::string& text, const std::map<RowId, RowId>& by) {
  json result = json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (!result.is_object()) return "{}";
  if (result.contains("pairs") && result["pairs"].is_array()) {
    for (json& pair : result["pairs"]) {
      if (!pair.is_object()) continue;
      for (const char* key : {"mentor", "mentee"}) {
        if (pair.contains(key)) pair[key] = Replace(pair[key], by);
      }
      if (pair.contains("reasons")) pair["reasons"] = json::array();
      if (pair.contains("topics")) pair["topics"] = json::array();
      if (pair.contains("language")) pair["language"] = nullptr;
    }
  }
  return result.dump();
}

// A run's report: the people it lists (unmatched, pins ignored) are the anonymous ones.
std::string AnonymousReport(const std::string& text, const std::map<RowId, RowId>& by) {
  json report = json::parse(text.empty() ? "{}" : text, nullptr, false);
  if (!report.is_object()) return "{}";
  for (const char* list : {"unmatched", "pins_ignored"}) {
    if (!report.contains(list) || !report[list].is_array()) continue;
    for (json& entry : report[list]) {
      if (!entry.is_object()) continue;
      for (const char* key : {"person", "mentor", "mentee"}) {
        if (entry.contains(key)) entry[key] = Replace(entry[key], by);
      }
      // Why someone stayed unmatched names their topics and languages; why a pin was ignored,
      // their reporting line.
      if (entry.contains("reason")) entry["reason"] = "";
    }
  }
  return report.dump();
}

// One programme, in one transaction; false when it turned out not to be due (any more).
Status EraseProgramme(Store& store, RowId id, Millis now, bool* erased, std::int64_t* people) {
  return store.Write([&](StoreTx& tx) {
    *erased = false;
    *people = 0;
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
    if (!p || !Due(*p, now)) return Status::Ok();  // erased meanwhile, by another server
    std::vector<MatchingRunRecord> runs;
    for (RowId after = 0;;) {
      std::vector<MatchingRunRecord> page = tx.ListMatchingRuns(id, after, kPage);
      if (page.empty()) break;
      after = page.back().id;
      for (MatchingRunRecord& r : page) {
        // A run still computing would store real people after this: wait for it.
        if (r.state == RunState::kQueued || r.state == RunState::kRunning) return Status::Ok();
        runs.push_back(std::move(r));
      }
    }
    const auto replaced = tx.EraseProgrammePersonalData(id, now);
    if (!replaced) return Status::Ok();
    const std::map<RowId, RowId> by(replaced->begin(), replaced->end());
    for (MatchingRunRecord& r : runs) {
      r.result = AnonymousResult(r.result, by);
      r.report = AnonymousReport(r.report, by);
      if (!tx.UpdateMatchingRun(r)) {
        return Status::Conflict("matching run " + std::to_string(r.id) + " changed; run it again");
      }
    }
    *erased = true;
    *people = static_cast<std::int64_t>(replaced->size());
    tx.AppendAudit({0, now, "system", "programme.retention", "programme", id,
                    "people " + std::to_string(*people) + ", runs " + std::to_string(runs.size())});
    return Status::Ok();
  });
}

}  // namespace

Status ScrubRunsOfErasedPerson(StoreTx& tx, RowId person) {
  std::set<RowId> programmes;
  for (const EnrolmentRecord& e : tx.ListEnrolmentsOfPerson(person)) programmes.insert(e.programme);
  const auto is_person = [&](const json& entry, const char* key) {
    return entry.contains(key) && entry[key].is_number_integer() &&
           entry[key].get<RowId>() == person;
  };
  for (const RowId programme : programmes) {
    for (RowId after = 0;;) {
      std::vector<MatchingRunRecord> page = tx.ListMatchingRuns(programme, after, kPage);
      if (page.empty()) break;
      after = page.back().id;
      for (MatchingRunRecord& r : page) {
        bool changed = false;
        json result = json::parse(r.result.empty() ? "{}" : r.result, nullptr, false);
        if (result.is_object() && result.contains("pairs") && result["pairs"].is_array()) {
          for (json& pair : result["pairs"]) {
            if (!pair.is_object() || !(is_person(pair, "mentor") || is_person(pair, "mentee"))) {
              continue;
            }
            if (pair.contains("reasons")) pair["reasons"] = json::array();
            if (pair.contains("topics")) pair["topics"] = json::array();
            if (pair.contains("language")) pair["language"] = nullptr;
            changed = true;
          }
        }
        json report = json::parse(r.report.empty() ? "{}" : r.report, nullptr, false);
        if (report.is_object() && report.contains("unmatched") && report["unmatched"].is_array()) {
          for (json& entry : report["unmatched"]) {
            if (!entry.is_object() || !is_person(entry, "person")) continue;
            if (entry.contains("reason")) entry["reason"] = "";
            changed = true;
          }
        }
        if (!changed) continue;
        r.result = result.dump();
        r.report = report.dump();
        if (!tx.UpdateMatchingRun(r)) {
          return Status::Conflict("matching run " + std::to_string(r.id) + " changed; erase again");
        }
      }
    }
  }
  return Status::Ok();
}

std::optional<Millis> PersonalDataDueAt(const ProgrammeRecord& programme) {
  if (programme.state != kClosed || !programme.closed_at) return std::nullopt;
  return *programme.closed_at + programme.retention_months * kRetentionMonth;
}

Result<RetentionCounts> EraseExpiredProgrammes(Store& store, const Clock& clock) {
  const Millis now = clock.Now();
  std::vector<RowId> due;
  const Status listed = store.Read([&](StoreTx& tx) {
    due.clear();
    for (RowId after = 0;;) {
      const std::vector<ProgrammeRecord> page = tx.ListProgrammes(after, kPage);
      if (page.empty()) break;
      after = page.back().id;
      for (const ProgrammeRecord& p : page) {
        if (Due(p, now)) due.push_back(p.id);
      }
    }
    return Status::Ok();
  });
  if (!listed.ok()) return listed;
  RetentionCounts counts;
  Status first_failure = Status::Ok();
  for (const RowId id : due) {
    bool erased = false;
    std::int64_t people = 0;
    // One programme that fails (a conflict, say) does not hold up the others; it is tried
    // again in the next sweep.
    if (Status s = EraseProgramme(store, id, now, &erased, &people); !s.ok()) {
      if (first_failure.ok()) {
        first_failure = Status(s.code(), "programme " + std::to_string(id) + ": " + s.message());
      }
      continue;
    }
    if (erased) {
      ++counts.programmes;
      counts.people += people;
    }
  }
  if (!first_failure.ok()) return first_failure;
  return counts;
}

}  // namespace tandem
