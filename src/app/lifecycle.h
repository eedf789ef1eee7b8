// The programme lifecycle (docs/programme.md): open enrolment, invite, enrol with the
// questionnaire, queue matching runs (computed by a RunWorker), pin and forbid pairs, compare
// and publish runs, accept or decline proposals, self-service requests in open programmes, and
// close. Every use case decides its permissions here and audits what it changes.
//
// Programme states: draft -> enrolling -> matching -> running -> closed.
//   draft      settings and topic catalogue editable; nobody invited yet
//   enrolling  invitations go out; invited people enrol until the enrolment deadline
//   matching   the deadline has passed and a first run was queued; runs, pins, publication
//   running    a run was published; tandems accept or decline; rematch runs keep the standing
//              tandems fixed
//   closed     the term is over: active tandems completed, open proposals dissolved
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/auth.h"
#include "app/caller.h"
#include "app/clock.h"
#include "app/directory.h"
#include "app/role_flip.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

// Bounds of the questionnaire and the roles.
inline constexpr int kMaxMentorCapacity = 3;
inline constexpr int kMaxMenteeCapacity = 2;
inline constexpr int kMinExperienceSkill = 2;  // skill from which experience text is required
inline constexpr size_t kMaxExperienceLength = 2000;
inline constexpr size_t kMaxAvailabilityLength = 1000;
inline constexpr size_t kMaxDeclineReasonLength = 1000;
inline constexpr int kSuggestions = 5;
inline constexpr size_t kMaxDissolveReasonLength = 2000;
// The summary's meetings aggregate counts only from the programme's min_group_size tandems on
// (this many by default), so that it never singles out a tandem (docs/privacy.md).
inline constexpr std::int64_t kMeetingsAggregateMinTandems = 5;

// Who to invite: the listed people and/or everyone matching the filter (every given field
// must match). An empty request invites nobody.
struct InviteRequest {
  std::vector<RowId> people;
  bool use_filter = false;
  std::optional<int> level_min;
  std::optional<int> level_max;
  std::optional<std::string> department;
  std::optional<std::string> location;
  std::optional<std::string> offers;  // "mentor" or "mentee": people whose role offer names one
};

struct InviteSummary {
  std::int64_t invited = 0;        // new invitations, each mailed
  std::int64_t already = 0;        // already invited, enrolled or withdrawn: unchanged
  std::int64_t without_email = 0;  // matched by the filter but have no e-mail address: skipped
};

// An enrolment as its person or the programme team sees it.
struct EnrolmentView {
  EnrolmentRecord enrolment;
  std::string name;                   // the person's name
  std::vector<AnswerRecord> answers;  // only for the person themself
  // Only for the person themself while `answers` is empty: where the questionnaire starts.
  std::optional<PreviousEnrolment> previous;
};

// What an invited person submits to enrol (and later to edit their enrolment).
struct EnrolmentInput {
  int mentor_capacity = 0;  // 0: does not offer mentoring; else 1..kMaxMentorCapacity
  int mentee_capacity = 0;  // 0: does not seek mentoring; else 1..kMaxMenteeCapacity
  std::vector<std::string> languages;
  std::string availability;
  std::vector<AnswerRecord> answers;  // one per topic of the catalogue
};

// A matching run as the programme team sees it. `result` and `report` are JSON documents
// (docs/programme.md, "Runs"); `people` names everyone they mention.
struct RunView {
  MatchingRunRecord run;
  std::vector<std::pair<RowId, std::string>> people;  // person id, name
};

// One pair in a run's result or in a comparison.
struct RunPair {
  RowId mentor = 0;
  RowId mentee = 0;
  std::int64_t score = 0;
};

struct RunComparison {
  RowId a = 0;
  RowId b = 0;
  std::int64_t a_total = 0;
  std::int64_t b_total = 0;
  std::int64_t a_pairs = 0;
  std::int64_t b_pairs = 0;
  std::vector<RunPair> only_a;  // pairs of a that b does not propose
  std::vector<RunPair> only_b;
  std::int64_t in_both = 0;
  std::vector<std::pair<RowId, std::string>> people;
};

struct PublishSummary {
  std::int64_t tandems = 0;  // new proposals
  std::int64_t mails = 0;
};

// A tandem as one of its partners (or the programme team) sees it.
struct TandemView {
  TandemRecord tandem;  // decline_reason and dissolve_reason only for the programme team
  std::string programme_name;
  std::string mentor_name;
  std::string mentee_name;
  std::optional<Millis> ends_at;  // the end of the term, once active (TermEndsAt)
  // Meetings held; for the programme team only, and only when the programme's
  // show_meeting_counts is on.
  std::optional<std::int64_t> meetings_held;
};

// When an active tandem's term ends: activated_at plus the programme's term_max_months calendar
// months (UTC; the 31st becomes the month's last day). Empty before the tandem became active.
std::optional<Millis> TermEndsAt(const TandemRecord& tandem, const ProgrammeRecord& programme);

// The characters (Unicode code points) of valid UTF-8 text.
size_t CharacterCount(std::string_view utf8);

// Meetings held over every tandem of a programme that ever became active (active, completed and
// dissolved ones), from each tandem's counter (TandemRecord::meetings_held). `held` and
// `reached_target` (tandems with at least target_meetings_min held) stay empty, and `too_few` is
// true, while fewer than k (the programme's min_group_size) tandems count; `reached_target` is
// also empty unless both it and the tandems that missed the target are 0 or at least k
// (core/disclosure.h).
struct MeetingsAggregate {
  std::int64_t tandems = 0;
  bool too_few = true;
  std::optional<std::int64_t> held;
  std::optional<std::int64_t> reached_target;
};

// The meetings aggregate of `programme` over `tandems` (its tandems, any state); the programme
// summary and the dashboard (app/reports.h) both use it.
MeetingsAggregate AggregateMeetings(const ProgrammeRecord& programme,
                                    const std::vector<TandemRecord>& tandems);

// Where a programme stands: the funnel of enrolments and tandems, for the programme team.
struct ProgrammeSummary {
  ProgrammeRecord programme;
  std::int64_t invited = 0;  // enrolments by state
  std::int64_t enrolled = 0;
  std::int64_t withdrawn = 0;
  std::int64_t mentors = 0;   // enrolled offering mentoring
  std::int64_t mentees = 0;   // enrolled seeking it
  std::int64_t proposed = 0;  // tandems by state (accepted_by_one counts as proposed)
  std::int64_t active = 0;
  std::int64_t completed = 0;
  std::int64_t declined = 0;
  std::int64_t dissolved = 0;
  std::int64_t runs = 0;
  std::int64_t runs_pending = 0;  // queued or running
  MeetingsAggregate meetings;
};

// An ask to leadership as the programme team sees it: the author only when they chose to be
// named.
struct LeadershipAskView {
  LeadershipAskRecord ask;
  std::string author_name;  // "" when anonymous
};

// A possible partner in an open programme.
struct Suggestion {
  RowId person = 0;
  std::string name;
  std::string role;  // the partner's role: "mentor" or "mentee"
  std::int64_t score = 0;
  std::vector<std::string> topics;
  std::string reasons;  // JSON array, as in a run's result
};

class Lifecycle {
 public:
  // `store`, `clock` and `auth` must outlive this object. Thread-safe. `wake_runs` (may be
  // null) is called after a run was queued, to wake the local RunWorker.
  Lifecycle(Store& store, const Clock& clock, Auth& auth, std::string public_url)
      : store_(store),
        clock_(clock),
        auth_(auth),
        public_url_(std::move(public_url)),
        role_flip_(store, clock) {}
  void SetRunQueuedHook(std::function<void()> hook) { run_queued_ = std::move(hook); }

  // ---- Programme team: administrators of the programme and system administrators.
  Result<ProgrammeRecord> OpenEnrolment(const Caller& caller, RowId programme);
  Result<ProgrammeRecord> Close(const Caller& caller, RowId programme);
  Result<InviteSummary> Invite(const Caller& caller, RowId programme, const InviteRequest& request);
  Status ResendInvitation(const Caller& caller, RowId programme, RowId person);
  Status RevokeInvitation(const Caller& caller, RowId programme, RowId person);
  Result<ProgrammeSummary> Summary(const Caller& caller, RowId programme);
  Result<Page<EnrolmentView>> ListEnrolments(const Caller& caller, RowId programme, RowId after,
                                             int limit);

  // Queues a run ("optimal" or "stable"); a RunWorker computes it. Conflict while another run
  // of the programme is queued or running, or before the enrolment deadline.
  Result<MatchingRunRecord> StartRun(const Caller& caller, RowId programme,
                                     std::string_view objective);
  Result<Page<MatchingRunRecord>> ListRuns(const Caller& caller, RowId programme, RowId after,
                                           int limit);  // without result and report
  Result<RunView> GetRun(const Caller& caller, RowId programme, RowId run);
  Result<RunComparison> CompareRuns(const Caller& caller, RowId programme, RowId a, RowId b);
  Result<PublishSummary> Publish(const Caller& caller, RowId programme, RowId run);

  Result<PairRuleRecord> PutPairRule(const Caller& caller, PairRuleRecord rule);
  Status DeletePairRule(const Caller& caller, RowId programme, RowId mentor, RowId mentee);
  Result<std::vector<PairRuleRecord>> ListPairRules(const Caller& caller, RowId programme);

  // The asks to leadership of the programme's tandems, oldest first (the caller groups them by
  // topic).
  Result<std::vector<LeadershipAskView>> ListLeadershipAsks(const Caller& caller, RowId programme);

  Result<Page<TandemView>> ListProgrammeTandems(const Caller& caller, RowId programme, RowId after,
                                                int limit);

  // ---- Participants: their own enrolment and tandems (browser sessions only).
  Result<EnrolmentView> GetOwnEnrolment(const Caller& caller, RowId programme);
  // Enrols (or edits the enrolment) until the deadline. `if_match`: the enrolment version the
  // caller last saw, or kAnyVersion.
  Result<EnrolmentView> Enrol(const Caller& caller, RowId programme, const EnrolmentInput& input,
                              std::int64_t if_match);
  // Withdraws at any state: answers removed, open proposals and active tandems dissolved.
  Status Withdraw(const Caller& caller, RowId programme);

  Result<std::vector<TandemView>> ListOwnTandems(const Caller& caller);
  Result<TandemView> GetTandem(const Caller& caller, RowId tandem);
  Result<TandemView> Accept(const Caller& caller, RowId tandem);
  Result<TandemView> Decline(const Caller& caller, RowId tandem, std::string_view reason);
  // Ending an active tandem. Complete records that the caller considers it complete; the second
  // partner's mark completes it (marking twice changes nothing). Dissolve ends it early; the
  // reason (optional, at most kMaxDissolveReasonLength characters) is for the programme team only,
  // and the other partner gets a mail without it. NotFound for anyone but the partners;
  // Conflict when the tandem is not active.
  Result<TandemView> Complete(const Caller& caller, RowId tandem);
  Result<TandemView> Dissolve(const Caller& caller, RowId tandem, std::string_view reason);

  // ---- The server's sweeper: completes the active tandems whose term has ended (TermEndsAt
  // at or before now), audited as "system". Returns how many it completed.
  Result<std::int64_t> CompleteDueTandems();

  // Open programmes: the best kSuggestions eligible partners, and a request to one of them
  // (`partner_role`: the partner's role). The request is a tandem the caller has accepted.
  Result<std::vector<Suggestion>> Suggest(const Caller& caller, RowId programme);
  Result<TandemView> Request(const Caller& caller, RowId programme, RowId partner,
                             std::string_view partner_role);

  // The role flip: the participant's offer for the next cohort (app/role_flip.h).
  RoleFlip& role_flip() { return role_flip_; }

 private:
  // NotFound unless the caller may see the programme as its team; PermissionDenied (audited)
  // when they may see but not change it (`write`).
  Status CheckTeam(const Caller& caller, RowId programme, bool write, std::string_view what);
  // Changes the caller's own tandem in one transaction: `change` edits the record and says
  // whether to store it (false: nothing to do); `stored` then runs in the same transaction
  // (audit, mails). A version conflict (the partner or the sweeper changed it in between) reads
  // it again and redoes, a few times; then Unavailable.
  Result<TandemView> ChangeOwnTandem(
      const Caller& caller, RowId tandem,
      const std::function<Result<bool>(StoreTx&, TandemRecord&, RowId me)>& change,
      const std::function<void(StoreTx&, const TandemRecord&, RowId me)>& stored);
  Status Deny(const Caller& caller, std::string_view what, std::string_view entity,
              std::optional<RowId> id, const Status& status);

  Store& store_;
  const Clock& clock_;
  Auth& auth_;
  std::string public_url_;
  std::function<void()> run_queued_;
  RoleFlip role_flip_;
};

// Computes queued matching runs: claims one (any server may), reads the enrolled answers, runs
// the engine with the standing tandems and pins fixed and the pair history and forbidden pairs
// excluded, and stores the result and report. Progress is stored as it goes.
class RunWorker {
 public:
  RunWorker(Store& store, const Clock& clock, std::string worker_id);
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;
  ~RunWorker();  // Stop()s

  // Claims and computes one run; returns whether there was one. Store failures are returned.
  Result<bool> RunOnce();
  // RunOnce() on a background thread, every `poll_ms` or after Wake().
  void Start(int poll_ms);
  void Wake();
  void Stop();

  static constexpr Millis kLease = 60'000;  // renewed with each progress report

 private:
  void Loop(int poll_ms);

  Store& store_;
  const Clock& clock_;
  std::string worker_id_;
  struct Thread;
  std::unique_ptr<Thread> thread_;
};

}  // namespace tandem
