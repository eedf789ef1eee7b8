// Rendering a matching run: the tandems (CSV or JSON) and the report (JSON).
#pragma once

#include <string>

#include "core/cohort.h"
#include "match/engine.h"

namespace tandem {

// CSV `mentor_id,mentee_id,score,topics,reasons`; topics are `;`-separated keys, largest
// contribution first.
std::string TandemsCsv(const Cohort& cohort, const MatchResult& result);
// The same as a JSON array of objects with the same keys (topics as an array).
std::string TandemsJson(const Cohort& cohort, const MatchResult& result);
// Wall times of a run, in seconds: reading and checking the input, the engine, everything up
// to writing.
struct RunTimes {
  double reading = 0;
  double matching = 0;
  double total = 0;
};

// The report as a JSON object; `options` is what ran.
std::string ReportJson(const Cohort& cohort, const MatchResult& result, const MatchOptions& options,
                       const RunTimes& times);
// A few human lines for the terminal: tandems, people matched, capacity, scores, exactness.
std::string SummaryText(const Cohort& cohort, const MatchResult& result);

}  // namespace tandem
