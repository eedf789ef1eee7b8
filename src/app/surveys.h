// Surveys and partner feedback (issue 8; docs/reports.md): the four surveys of a programme
// (mid-term and final, for mentees and for mentors), their questions, opening, closing and
// reopening with invitations and one reminder, the participants' answers, the released results
// and the partners' feedback to each other. Every use case decides its permissions here and
// audits what the team changes; answers and feedback are never audited (nor logged).
//
// Survey states: draft -> open -> closed -> (reopen) open -> closed.
//   draft   questions editable (while nobody answered); nobody invited
//   open    the audience answers; each member is invited once (also those new at a reopen)
//   closed  no answers; the first close releases every response, a later one only when at least
//           k responses arrived since the last release (else the old release stays)
// Results are computed over the released responses only; those are frozen.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/store.h"
#include "core/disclosure.h"
#include "core/status.h"
#include "core/survey.h"

namespace tandem {

// The one reminder goes this long after the first opening to those who have not answered.
inline constexpr Millis kSurveyReminderDelay = 7LL * 24 * 60 * 60 * 1000;
// Partner feedback: characters (Unicode code points).
inline constexpr size_t kMaxPartnerFeedbackLength = 2000;

// A survey as the programme team sees it.
struct SurveyView {
  SurveyRecord record;  // `definition` is the JSON document (app/survey_json.h)
  Survey survey;        // the parsed questions with the record's kind and audience
  // Responses so far (all, released or not): shown when 0 or >= k, else "too few to show".
  DisclosedCount responses;
  // People invited so far: shown when 0 or >= k.
  DisclosedCount invited;
  bool released = false;  // record.released_through > 0: results exist
  bool editable = false;  // nobody has answered: the questions may change
};

// GET /surveys/{id}/results: the survey and its released result (nullopt while nothing was
// released).
struct SurveyResultView {
  SurveyView survey;
  std::optional<SurveyResult> result;
};

// A participant's own answers to a survey.
struct MyResponseView {
  std::string answers;  // the JSON object (app/survey_json.h)
  std::int64_t version = 1;
  bool frozen = false;  // counted in released results: no longer changeable
};

// A survey as one of its audience sees it (GET /me/surveys).
struct MySurveyView {
  SurveyRecord record;  // `definition` is the questions' JSON document
  Survey survey;
  std::string programme_name;
  std::optional<MyResponseView> response;  // nullopt: not answered
  bool frozen = false;                     // the response is counted in released results
};

// Partner feedback as one partner of a tandem sees it.
struct PartnerFeedbackView {
  bool enabled = false;                       // the programme's partner_feedback
  std::optional<PartnerFeedbackRecord> mine;  // the caller's own text and version
  bool partner_gave = false;
  std::optional<std::string> partner;  // the partner's text: only once both gave theirs
};

// A released response, parsed, with its author (nullopt once erased): for learning.
struct ReleasedResponse {
  std::optional<RowId> person;
  SurveyResponse response;
};

// Learning in both directions over a programme's final surveys (released responses only).
struct ProgrammeLearning {
  std::vector<TopicResult> mentees;
  std::vector<TopicResult> mentors;
};

// ---- Building blocks inside a transaction, shared with the reports (app/reports.h).

// The programme's disclosure policy (its min_group_size; the default when it is invalid).
DisclosurePolicy PolicyOf(const ProgrammeRecord& programme);
// The programme's topic keys in catalogue order.
std::vector<std::string> TopicKeysOf(const ProgrammeRecord& programme);
// The record's questions parsed (kind and audience from the record). A definition that does not
// parse (never stored so) gives no questions.
Survey SurveyOf(const SurveyRecord& record);
// The people in the survey's audience: mentees (resp. mentors) of a tandem of the programme
// that became active (activated_at set), not erased; by person id.
std::vector<RowId> SurveyAudienceOf(StoreTx& tx, RowId programme, SurveyAudience audience);
// The released responses of `record` (id <= released_through), parsed; those that do not parse
// are left out. Empty while nothing was released.
std::vector<ReleasedResponse> ReleasedResponsesOf(StoreTx& tx, const SurveyRecord& record);
// AggregateSurvey over the released responses with the programme's k and topic keys and the
// survey id as text seed; nullopt while nothing was released.
std::optional<SurveyResult> ReleasedResultOf(StoreTx& tx, const ProgrammeRecord& programme,
                                             const SurveyRecord& record);
// LearningPerTopic over the released responses of the programme's final surveys: mentees'
// enrolment skill -> "understanding_now", mentors' "management_view_before" -> "_now";
// `people` = every released respondent. Empty lists when the survey has no release. When the
// enrolment answers of a released mentee respondent are gone (erased, withdrawn), every mentee
// figure is hidden from then on rather than change by that one person.
ProgrammeLearning LearningOf(StoreTx& tx, const ProgrammeRecord& programme);
// LearningPerTopic over `responses` of one final survey of `audience` as LearningOf computes
// it; nullopt (all hidden) when a mentee's enrolment answers are gone.
std::optional<std::vector<TopicResult>> LearningOver(
    StoreTx& tx, const ProgrammeRecord& programme, SurveyAudience audience,
    const std::vector<ReleasedResponse>& responses);
// The programme's surveys by id as stored (possibly fewer than four before EnsureSurveys).
// Inside a write: inserts the missing ones with DefaultSurvey (may throw StoreError(kConflict)
// when another server inserted one at the same time: run the transaction again).
std::vector<SurveyRecord> InsertMissingSurveys(StoreTx& tx, RowId programme, Millis now);

class Surveys {
 public:
  // `store` and `clock` must outlive this object. Thread-safe. Mail links point to
  // public_url + "/surveys/<id>".
  Surveys(Store& store, const Clock& clock, std::string public_url)
      : store_(store), clock_(clock), public_url_(std::move(public_url)) {}

  // ---- Programme team: administrators of the programme and system administrators (API tokens
  // need programmes:read, and programmes:write for changes). Others: NotFound, or
  // PermissionDenied (audited) for participants of the programme.

  // Creates the missing default surveys of the programme (no permission check; any server may
  // call it at the same time).
  Status EnsureSurveys(RowId programme);
  // The programme's four surveys, created with the default questions the first time.
  Result<std::vector<SurveyView>> ListSurveys(const Caller& caller, RowId programme);
  Result<SurveyView> GetSurvey(const Caller& caller, RowId survey);
  // Replaces the questions with `definition` ({"questions": [...]}, app/survey_json.h).
  // InvalidArgument with every problem in `problems` (field: "questions[2].type" from parsing,
  // or ValidateSurvey's field such as "satisfaction.choices"); Conflict once anybody answered;
  // FailedPrecondition when `if_match` (or kAnyVersion) is stale.
  Result<SurveyView> UpdateQuestions(const Caller& caller, RowId survey,
                                     std::string_view definition, std::int64_t if_match,
                                     std::vector<SurveyProblem>* problems);
  Result<SurveyView> UpdateQuestions(const Caller& caller, RowId survey, const Survey& questions,
                                     std::int64_t if_match, std::vector<SurveyProblem>* problems);
  // draft -> open (programme running or closed): invites the audience, reminder in 7 days.
  Result<SurveyView> Open(const Caller& caller, RowId survey, std::int64_t if_match);
  // open -> closed: releases the responses as the rule above says.
  Result<SurveyView> Close(const Caller& caller, RowId survey, std::int64_t if_match);
  // closed -> open: invites audience members not yet invited; the results stay as released.
  Result<SurveyView> Reopen(const Caller& caller, RowId survey, std::int64_t if_match);
  Result<SurveyResultView> Results(const Caller& caller, RowId survey);

  // ---- Participants (a person's browser session; API tokens are refused).

  // Open surveys whose audience the caller is in, and closed ones they answered.
  Result<std::vector<MySurveyView>> MySurveys(const Caller& caller);
  // NotFound when the caller has not answered (or may not see the survey).
  Result<MyResponseView> GetMyResponse(const Caller& caller, RowId survey);
  // Stores the caller's answers (`answers`: the JSON object). Only audience members (else
  // NotFound), only while open (Conflict); Conflict when frozen ("your answers were already
  // counted in released results"); `if_match`: kAnyVersion for the first save (it also stores
  // over an unfrozen earlier save), else the version (stale: FailedPrecondition).
  // InvalidArgument with `problems` named "answers.<key>" / "answers.<key>.<topic>".
  Result<MyResponseView> PutMyResponse(const Caller& caller, RowId survey, std::string_view answers,
                                       std::int64_t if_match, std::vector<SurveyProblem>* problems);

  // Partner feedback: the two partners of a tandem that became active (else NotFound);
  // PutFeedback: Conflict when the programme does not enable it or once the partner gave
  // theirs; InvalidArgument "text" when empty or longer than kMaxPartnerFeedbackLength
  // characters; `if_match`: kAnyVersion for the first save, else the version (stale:
  // FailedPrecondition).
  Result<PartnerFeedbackView> GetFeedback(const Caller& caller, RowId tandem);
  Result<PartnerFeedbackView> PutFeedback(const Caller& caller, RowId tandem, std::string_view text,
                                          std::int64_t if_match);

  // ---- The server's sweeper: for each open survey whose remind_at has come and that has not
  // reminded yet, one server claims it (reminded_at, version-checked) and mails every invitee
  // without a response, in the same transaction. Returns how many mails were enqueued.
  Result<std::int64_t> SendDueReminders();

 private:
  // The survey's programme, if the caller may act as its team (see ListSurveys).
  Result<ProgrammeRecord> CheckTeam(const Caller& caller, RowId survey, bool write,
                                    std::string_view what);
  Result<ProgrammeRecord> CheckTeamOfProgramme(const Caller& caller, RowId programme, bool write,
                                               std::string_view what);
  Result<SurveyView> ViewSurvey(RowId survey);
  // Open, Close and Reopen: one state change in one transaction.
  Result<SurveyView> ChangeState(const Caller& caller, RowId survey, std::int64_t if_match,
                                 std::string_view action);

  Store& store_;
  const Clock& clock_;
  std::string public_url_;
};

}  // namespace tandem
