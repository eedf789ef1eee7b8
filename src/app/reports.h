// The programme dashboard and its exports (issue 8; docs/reports.md "Every figure of the
// programme dashboard"): the funnel, demand and supply per topic, match scores, meetings held
// against target, survey results, learning per topic, asks to leadership by topic and earlier
// cohorts, for the programme team only. Every figure about people goes through the rules of
// core/disclosure.h with the programme's minimum group size k; a hidden figure is std::nullopt
// ("too few to show"). The exports (CSV and an Excel workbook) are built from the same
// DashboardView, so they show exactly what the dashboard shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/lifecycle.h"
#include "app/store.h"
#include "core/disclosure.h"
#include "core/status.h"
#include "core/survey.h"

namespace tandem {

// The dashboard's filters: the department and location of the person (funnel and topics only).
// An unset or empty value means "no filter". A value that is not offered (FilterOption with
// available == true) is refused with InvalidArgument naming the field ("department: this filter
// is not available"), never saying why.
struct DashboardFilter {
  std::optional<std::string> department;
  std::optional<std::string> location;
};

// One value of a filter dimension. Only values of people invited to the programme are listed,
// except the empty value; `available` says whether it may be chosen.
struct FilterOption {
  std::string value;
  bool available = false;
};

// Funnel stage names, in order; each stage's people are a subset of the previous stage's.
inline constexpr const char* kFunnelStages[] = {"invited",  "enrolled", "matched",
                                                "accepted", "active",   "completed"};

struct FunnelStage {
  std::string stage;  // one of kFunnelStages
  DisclosedCount count;
};

// Demand and supply per catalogue topic (over the people who enrolled, filtered).
// All null until enrolment is over (programme state "matching", "running" or "closed"); then
// over everyone who enrolled, withdrawn later or not (docs/reports.md).
struct TopicFigures {
  std::string key;
  std::string name_de;
  std::string name_en;
  DisclosedCount mentees;  // enrolled seeking mentoring with interest > 0
  DisclosedCount demand;   // their summed interest; only beside a shown mentees count >= k
  DisclosedCount mentors;  // enrolled offering mentoring with skill > 0
  DisclosedCount supply;   // sum of skill x mentor_capacity; only beside mentors >= k
};

// Match scores of every tandem of the programme, in 5 equal-width bands from 0 to the largest
// score (`from` and `to` inclusive).
struct ScoreBand {
  std::int64_t from = 0;
  std::int64_t to = 0;
  DisclosedCount count;
};

// Tandems that ever became active by meetings held: "0", "1", ..., target_meetings_min, "more".
struct CadenceBand {
  std::string meetings;
  DisclosedCount count;
};

struct MeetingsFigures {
  MeetingsAggregate aggregate;  // as in the programme summary (the programme's k)
  // The tandems that ever became active: shown only when the aggregate is (>= k tandems) and the
  // funnel shows its "active" stage (else the two together could tell a hidden group's size).
  // Use this, not aggregate.tandems (the raw number).
  DisclosedCount tandems;
  int target_min = 0;
  int target_max = 0;
  // Empty while `tandems` is hidden (the bands add up to it); all bands shown or all hidden (the
  // total held is shown beside them, so a partly hidden distribution could be solved).
  std::vector<CadenceBand> cadence;
};

struct DashboardSurvey {
  RowId id = 0;
  SurveyKind kind = SurveyKind::kMidTerm;
  SurveyAudience audience = SurveyAudience::kMentees;
  SurveyState state = SurveyState::kDraft;
  DisclosedCount invited;              // shown when 0 or >= k
  Survey survey;                       // the questions (choice keys and labels, texts)
  std::optional<SurveyResult> result;  // nullopt while nothing was released
};

struct AskCount {
  std::string topic;       // a catalogue topic key
  std::int64_t count = 0;  // asks naming the topic (asks, not people; shown as counted)
};

// An earlier programme, for comparison: its unfiltered funnel under its own k and the mentees'
// final survey's NPS and mean overall satisfaction, when released and shown.
struct EarlierCohort {
  RowId id = 0;
  std::string name;
  Millis created_at = 0;
  std::vector<FunnelStage> funnel;
  std::optional<double> nps;
  std::optional<double> satisfaction;
};

struct DashboardView {
  RowId programme = 0;
  std::string name;
  std::string state;
  int min_group_size = kDefaultMinGroupSize;
  std::vector<FilterOption> departments;
  std::vector<FilterOption> locations;
  DashboardFilter applied;          // the filter in force (unset: none)
  std::vector<FunnelStage> funnel;  // kFunnelStages, in order
  DisclosedCount withdrawn;
  std::vector<TopicFigures> topics;  // catalogue order
  std::vector<ScoreBand> scores;     // empty when the programme has no tandem
  MeetingsFigures meetings;
  std::vector<DashboardSurvey> surveys;  // the programme's surveys by id
  std::vector<TopicResult> learning_mentees;
  std::vector<TopicResult> learning_mentors;
  std::vector<AskCount> asks;          // catalogue order
  std::vector<EarlierCohort> earlier;  // newest first, at most kEarlierCohorts
};

inline constexpr std::size_t kEarlierCohorts = 10;

// A file to download.
struct ExportFile {
  std::string filename;      // "programme-<id>-dashboard.csv", ...
  std::string content_type;  // "text/csv; charset=utf-8" or the xlsx media type
  std::string bytes;
};

// The value an export writes for a hidden figure.
inline constexpr char kTooFewToShow[] = "too few to show";

class Reports {
 public:
  // `store` and `clock` must outlive this object. Thread-safe.
  Reports(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The programme team (system administrators and the programme's administrators; API tokens
  // need programmes:read). Others: NotFound, or PermissionDenied (audited) for participants of
  // the programme. InvalidArgument naming "department" or "location" for a value not offered.
  Result<DashboardView> Dashboard(const Caller& caller, RowId programme,
                                  const DashboardFilter& filter);

  // `name`: "dashboard" (the dashboard's figures as rows section,item,measure,value; hidden
  // values "too few to show") or "tandems" (mentor, mentee, state, topics, proposed_at,
  // activated_at, ended_at, and meetings_held only where the programme shows meeting counts);
  // `format`: "csv" or "xlsx" (a workbook with the one sheet "Dashboard" resp. "Tandems": the
  // dashboard workbook never holds names).
  // InvalidArgument naming "name" or "format" otherwise. Permissions as Dashboard; each export
  // is audited ("report.export", no personal data).
  Result<ExportFile> Export(const Caller& caller, RowId programme, std::string_view name,
                            std::string_view format, const DashboardFilter& filter);

 private:
  Status CheckTeam(const Caller& caller, RowId programme, std::string_view what);
  // The dashboard without the permission check.
  Result<DashboardView> Build(const Caller& caller, RowId programme, const DashboardFilter& filter);

  Store& store_;
  const Clock& clock_;
};

}  // namespace tandem
