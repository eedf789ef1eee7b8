// The store: what the application needs from persistence. src/store implements it for SQLite
// and PostgreSQL (see src/store/open_store.h); nothing above src/store knows which one runs.
//
// All access happens inside a transaction: Store::Write() and Store::Read() run a function
// with a StoreTx and commit or roll back as a whole. The schema is described in
// docs/architecture.md ("The store"); its SQL lives in src/store/migrations/.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/survey.h"

namespace tandem {

using RowId = std::int64_t;   // a database row id, > 0 once stored
using Millis = std::int64_t;  // a point in time: milliseconds since 1970-01-01 UTC

// ---- Records. Fields mirror the tables; `version` starts at 1 and grows with each update.

struct PersonRecord {
  RowId id = 0;
  std::string external_id;  // the HR system's id; empty once the person is erased
  std::string name;
  std::string email;
  std::string department;
  std::string location;
  std::optional<RowId> manager;        // row id of the manager
  int level = 0;                       // larger is more senior
  std::vector<std::string> languages;  // e.g. {"de", "en"}
  std::optional<Millis> erased_at;     // set when the personal fields were erased
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct ProgrammeTopic {
  std::string key;  // stable identifier, e.g. "ai"
  std::string name_de;
  std::string name_en;
  int weight = 1;  // > 0
};

enum class MatchModeSetting { kReverse, kOpen };

struct ProgrammeRecord {
  RowId id = 0;
  std::string name;
  std::string state = "draft";  // the lifecycle state; see docs/architecture.md
  std::vector<ProgrammeTopic> topics;
  int mentee_min_level = 0;
  int term_min_months = 6;
  int term_max_months = 9;
  int target_meetings_min = 6;
  int target_meetings_max = 8;
  MatchModeSetting mode = MatchModeSetting::kReverse;
  // Enrolment is open until this moment (state "enrolling"); matching runs start after it.
  std::optional<Millis> enrolment_deadline;
  // The confidentiality agreement tandems accept, in German and English.
  std::string agreement_de;
  std::string agreement_en;
  std::optional<Millis> closed_at;
  // How long a tandem's protected content (notes, roadmap, meetings) is kept after the tandem
  // ends; then its key is erased (docs/privacy.md).
  int retention_months = 12;
  // Whether the programme team sees the number of meetings held per tandem (docs/privacy.md).
  bool show_meeting_counts = false;
  // Reports (migration 9; docs/reports.md): the minimum group size k of every figure about
  // people (>= kLowestMinGroupSize), and whether partners give each other feedback at the end.
  int min_group_size = 5;
  bool partner_feedback = false;
  // When the programme's personal data were erased at the end of its retention period
  // (StoreTx::EraseProgrammePersonalData; migration 10). Only that method writes it.
  std::optional<Millis> personal_data_erased_at;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

enum class EnrolmentState { kInvited, kEnrolled, kWithdrawn };

struct EnrolmentRecord {
  RowId id = 0;
  RowId programme = 0;
  RowId person = 0;
  int mentor_capacity = 0;  // > 0: offers mentoring
  int mentee_capacity = 0;  // > 0: seeks mentoring
  EnrolmentState state = EnrolmentState::kInvited;
  std::vector<std::string> languages;  // the languages the person mentors or learns in
  std::string availability;            // free text: when and how the person can meet
  std::optional<Millis> invited_at;
  std::optional<Millis> enrolled_at;
  std::optional<Millis> withdrawn_at;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct AnswerRecord {
  std::string topic;  // a key of the programme's topic catalogue
  int interest = 0;   // 0..3
  int skill = 0;      // 0..3
  std::string experience;
};

// A matching run is queued by an administrator, claimed and computed by a run worker (any
// server), then possibly published.
enum class RunState { kQueued, kRunning, kDone, kFailed };

struct MatchingRunRecord {
  RowId id = 0;
  RowId programme = 0;
  std::string created_by;  // an actor as in AuditRecord
  std::string parameters;  // JSON: mode, objective, candidates, ...
  std::string result;      // JSON: the proposed pairs (see app/lifecycle.h)
  std::string report;      // JSON: the report
  Millis created_at = 0;
  RunState state = RunState::kDone;
  int phase = 0;  // progress: 0 reading, 1 candidate graph, 2 solving, 3 storing
  std::int64_t progress_done = 0;
  std::int64_t progress_total = 0;
  std::string error;       // why it failed; never personal data
  std::string claimed_by;  // the worker computing it
  std::optional<Millis> claimed_until;
  std::optional<Millis> started_at;
  std::optional<Millis> finished_at;
  std::optional<Millis> published_at;
  std::string published_by;
  std::int64_t version = 1;
};

enum class TandemState { kProposed, kAcceptedByOne, kActive, kCompleted, kDeclined, kDissolved };

struct TandemRecord {
  RowId id = 0;
  RowId programme = 0;
  std::optional<RowId> run;  // the matching run that proposed it
  RowId mentor = 0;          // person row ids
  RowId mentee = 0;
  std::int64_t score = 0;
  std::vector<std::string> topics;  // contributing topic keys, largest contribution first
  std::string reasons;
  TandemState state = TandemState::kProposed;
  std::optional<Millis> mentor_accepted_at;
  std::optional<Millis> mentee_accepted_at;
  std::string origin = "run";          // "run" (published by the team) or "request" (self-service)
  std::string decline_reason;          // optional; for the programme team only
  std::optional<RowId> declined_by;    // the person who declined
  std::optional<Millis> ended_at;      // declined, dissolved or completed
  std::optional<Millis> activated_at;  // the second acceptance; the term runs from here
  std::optional<Millis> mentor_completed_at;  // each partner's mark that it is complete
  std::optional<Millis> mentee_completed_at;
  std::string dissolve_reason;        // optional; for the programme team only
  std::optional<RowId> dissolved_by;  // the person who dissolved it
  // Meetings marked held, counted up by CountMeetingHeld and never down (erasing the content or
  // a partner leaves it); InsertTandem and UpdateTandem do not write it.
  std::int64_t meetings_held = 0;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// An administrator's rule for one pair in one programme: always form it (pin) or never (forbid).
enum class PairRuleKind { kPin, kForbid };

struct PairRuleRecord {
  RowId programme = 0;
  RowId mentor = 0;  // person row ids
  RowId mentee = 0;
  PairRuleKind kind = PairRuleKind::kForbid;
  std::string created_by;
  Millis created_at = 0;
};

// Who did what to which record, when. Never secrets, answers or note text in `detail`.
struct AuditRecord {
  RowId id = 0;
  Millis at = 0;
  std::string actor;   // "cli", later "account:<id>"
  std::string action;  // e.g. "person.import", "person.erase"
  std::string entity;  // e.g. "person", "programme"
  std::optional<RowId> entity_id;
  std::string detail;  // counts and ids only
};

// ---- Accounts and sign-in (migration 3). Tokens are stored only as SHA-256 hex hashes.

enum class Language { kGerman, kEnglish };

struct AccountRecord {
  RowId id = 0;
  std::string email;            // lower case, unique
  std::optional<RowId> person;  // the person this account belongs to, if any
  std::string display_name;     // how they want to be addressed; may be empty
  std::string password_hash;    // Argon2id string; empty: no password set
  Language language = Language::kGerman;
  bool system_admin = false;
  std::optional<Millis> disabled_at;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct SessionRecord {
  RowId id = 0;
  std::string token_hash;
  std::string csrf_hash;
  RowId account = 0;
  Millis created_at = 0;
  Millis last_seen_at = 0;
  Millis expires_at = 0;  // absolute expiry
  std::optional<Millis> ended_at;
};

enum class TokenPurpose { kInvitation, kSignIn, kPasswordReset };

struct OneTimeTokenRecord {
  RowId id = 0;
  std::string token_hash;
  TokenPurpose purpose = TokenPurpose::kSignIn;
  RowId account = 0;
  Millis created_at = 0;
  Millis expires_at = 0;
  std::optional<Millis> used_at;
};

struct ApiTokenRecord {
  RowId id = 0;
  std::string token_hash;
  RowId account = 0;
  std::string name;
  std::vector<std::string> scopes;  // e.g. {"people:write", "reports:read"}
  Millis created_at = 0;
  std::optional<Millis> last_used_at;
  std::optional<Millis> revoked_at;
};

// Failed sign-ins in a window: how many, and the latest.
struct FailureStats {
  std::int64_t count = 0;
  std::optional<Millis> last_at;
};

// One e-mail waiting in (or delivered from) the outbox.
struct MailRecord {
  RowId id = 0;
  std::string to_address;
  std::string subject;
  std::string text_body;
  std::string html_body;
  Millis created_at = 0;
  Millis next_attempt_at = 0;
  int attempts = 0;
  std::string claimed_by;
  std::optional<Millis> claimed_until;
  std::optional<Millis> sent_at;
  std::string last_error;
  // The programme the mail is about, if any (migration 10): its mails still waiting go with the
  // programme's personal data at the end of its retention period.
  std::optional<RowId> programme;
  // When the worker finished handing the content to the SMTP server, before the end of the data
  // (migration 11); cleared by a failed attempt. Set on a mail neither sent nor failed: the
  // process died while the server may have been accepting it (MarkMailHandedOver).
  std::optional<Millis> handed_over_at;
};

// ---- The tandem's protected space (migration 5; docs/privacy.md). Text the partners write is
// stored only sealed: `ciphertext` and `nonce` are base64 of XChaCha20-Poly1305 under the
// tandem's key (app/sealing.h); the store never sees the plain text.

// One partner's acceptance of the confidentiality agreement: the text they were shown.
struct AgreementAcceptanceRecord {
  RowId tandem = 0;
  RowId person = 0;
  std::string text;
  Millis accepted_at = 0;
};

// A tandem's workspace: its data key wrapped by the master key (empty once erased), and the
// version of the roadmap's membership and order.
struct WorkspaceRecord {
  RowId tandem = 0;
  std::string wrapped_key;    // base64 of nonce || crypto_secretbox(key); "" once erased
  std::string master_key_id;  // which master key wraps it (its fingerprint)
  std::optional<Millis> key_erased_at;
  std::int64_t roadmap_version = 1;  // grows when items are added, removed or reordered
  std::int64_t version = 1;
  Millis created_at = 0;
};

struct RoadmapItemRecord {
  RowId id = 0;
  RowId tandem = 0;
  int position = 0;   // ascending: the order of the roadmap
  std::string topic;  // the topic key it was prefilled from, or ""
  std::string ciphertext;
  std::string nonce;
  std::optional<Millis> covered_at;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct NoteRecord {
  RowId id = 0;
  RowId tandem = 0;
  RowId author = 0;         // a person row id
  bool is_private = false;  // readable by the author alone
  std::string ciphertext;   // the note (text and action items) sealed
  std::string nonce;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

enum class MeetingState { kProposed, kAccepted, kCancelled, kHeld };

struct MeetingRecord {
  RowId id = 0;
  RowId tandem = 0;
  MeetingState state = MeetingState::kProposed;
  Millis starts_at = 0;
  int duration_minutes = 60;
  std::string time_zone = "Europe/Berlin";  // an IANA zone name
  RowId proposed_by = 0;                    // a person row id
  std::string ciphertext;                   // place, video link and agenda sealed
  std::string nonce;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// What experts need from top management, for the programme team; anonymous unless the author
// chose to be named (then `author` is set).
struct LeadershipAskRecord {
  RowId id = 0;
  RowId programme = 0;
  std::optional<RowId> author;
  std::vector<std::string> topics;  // topic keys
  std::string text;
  Millis created_at = 0;
};

// The role flip (migration 8; docs/programme.md): the topic keys a person offers to mentor in,
// or to be mentored in, in the next cohort. At most one per person; erased with the person.
// RoleOfferRecord::version for StoreTx::PutRoleOffer: store over whatever version is there.
inline constexpr std::int64_t kAnyRoleOfferVersion = 0;

struct RoleOfferRecord {
  RowId person = 0;
  std::vector<std::string> mentor_topics;
  std::vector<std::string> mentee_topics;
  std::int64_t version = 1;
  Millis updated_at = 0;
};

// Surveys (migration 9; docs/reports.md). A programme has one survey per kind and audience
// (mid-term and final, for mentees and for mentors), created with the default questions.
enum class SurveyState { kDraft, kOpen, kClosed };

struct SurveyRecord {
  RowId id = 0;
  RowId programme = 0;
  SurveyKind kind = SurveyKind::kMidTerm;
  SurveyAudience audience = SurveyAudience::kMentees;
  // The questions as a JSON document (app/survey_json.h); the store does not look inside.
  std::string definition;
  SurveyState state = SurveyState::kDraft;
  std::optional<Millis> opened_at;    // the first opening
  std::optional<Millis> closed_at;    // the last closing
  std::optional<Millis> remind_at;    // when the one reminder goes to who has not answered
  std::optional<Millis> reminded_at;  // set when the reminder was sent (by one server)
  // Results are computed over the responses with id <= released_through (0: none released).
  // Those responses are frozen: their authors can no longer change them.
  RowId released_through = 0;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One person's answers to one survey, readable by its author only; reports use it without
// the person. `person` is empty once the person was erased (the answers stay, anonymous).
struct SurveyResponseRecord {
  RowId id = 0;
  RowId survey = 0;
  std::optional<RowId> person;
  std::string answers;  // a JSON document (app/survey_json.h)
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// A partner's feedback to the other partner of a tandem (programme setting partner_feedback),
// shown to the other only once both gave theirs. One per tandem and author; erased with
// either partner. PutPartnerFeedback is version-checked like PutRoleOffer
// (kAnyRoleOfferVersion upserts).
struct PartnerFeedbackRecord {
  RowId tandem = 0;
  RowId author = 0;  // a person
  std::string text;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// Counts that survive erasure (the anonymous remainder of a person's data).
struct StoreCounts {
  std::int64_t people = 0;
  std::int64_t erased_people = 0;
  std::int64_t programmes = 0;
  std::int64_t enrolments = 0;
  std::int64_t answers = 0;
  std::int64_t matching_runs = 0;
  std::int64_t tandems = 0;
  std::int64_t audit_entries = 0;
};

std::string_view ToString(MatchModeSetting mode);
std::string_view ToString(EnrolmentState state);
std::string_view ToString(TandemState state);
std::string_view ToString(Language language);  // "de", "en"
std::string_view ToString(RunState state);
std::string_view ToString(PairRuleKind kind);
std::string_view ToString(TokenPurpose purpose);
std::string_view ToString(MeetingState state);
std::string_view ToString(SurveyState state);        // "draft", "open", "closed"
std::string_view ToString(SurveyKind kind);          // "mid_term", "final"
std::string_view ToString(SurveyAudience audience);  // "mentees", "mentors"
std::optional<MatchModeSetting> ParseMatchModeSetting(std::string_view text);
std::optional<EnrolmentState> ParseEnrolmentState(std::string_view text);
std::optional<TandemState> ParseTandemState(std::string_view text);
std::optional<Language> ParseLanguage(std::string_view text);
std::optional<TokenPurpose> ParseTokenPurpose(std::string_view text);
std::optional<RunState> ParseRunState(std::string_view text);
std::optional<PairRuleKind> ParsePairRuleKind(std::string_view text);
std::optional<MeetingState> ParseMeetingState(std::string_view text);
std::optional<SurveyState> ParseSurveyState(std::string_view text);
std::optional<SurveyKind> ParseSurveyKind(std::string_view text);
std::optional<SurveyAudience> ParseSurveyAudience(std::string_view text);

// A failure of the database inside a transaction. StoreTx methods throw it (or a library
// exception the store recognises); Store::Write()/Read() catch it and return it as a Status.
// Application code never catches it: it only passes through on the way out of the transaction.
class StoreError : public std::runtime_error {
 public:
  StoreError(StatusCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  StatusCode code() const { return code_; }

 private:
  StatusCode code_;
};

// One open transaction. Valid only inside the function given to Store::Write()/Read().
// Updates check the record's `version`: they return false and change nothing when the stored
// version differs (someone else changed it first); on success they store version + 1.
// Lists are ordered by id; `after` and `limit` page through them (keyset pagination).
class StoreTx {
 public:
  virtual ~StoreTx() = default;

  // People.
  virtual RowId InsertPerson(const PersonRecord& person) = 0;
  virtual bool UpdatePerson(const PersonRecord& person) = 0;
  virtual std::optional<PersonRecord> FindPerson(RowId id) = 0;
  virtual std::optional<PersonRecord> FindPersonByExternalId(std::string_view external_id) = 0;
  virtual std::vector<PersonRecord> ListPeople(RowId after, int limit) = 0;
  // Deletes the person's personal fields, answers, experience and tandem reasons everywhere;
  // ends their enrolments (withdrawn) and standing tandems (dissolved); keeps the anonymous
  // rows (enrolment states, tandem states and scores) for the counts. Their survey responses
  // stay without the person; partner feedback of their tandems and survey invitations go.
  // Returns false when there is no such person.
  virtual bool ErasePerson(RowId id, Millis now) = 0;
  // The end of a closed programme's retention period (app/retention.h; docs/privacy.md): marks
  // the programme (personal_data_erased_at = now) and erases its personal data. Each person
  // enrolled in it or partner in one of its tandems is replaced, in the programme's enrolments,
  // tandems, agreement acceptances, survey invitations and responses, by a fresh anonymous
  // person (erased, every personal field blank; one per person), so that every count stays and
  // nobody can be told (others' acceptances and invitations go, their responses lose the
  // person). Deletes the enrolments' answers, the tandems' workspace content and partner
  // feedback, the pair rules and the programme's mails still in the outbox; blanks
  // the enrolments' languages and availability, the tandems' topics, reasons and decline and
  // dissolve reasons; drops the author of its asks, who declined or dissolved a tandem when it
  // was not a partner, and the programme of its sent mails; in the audit log, participants'
  // entries about the programme's rows become "anonymous" and the team's entries about
  // inviting one of them ("programme=<id>") lose the person. People's own rows stay. Returns the
  // replacements (old person id, new person id) by old id; nullopt, and nothing changed, when
  // there is no such programme or it was erased already. Matching runs are the caller's: their
  // JSON names people (app/retention.cc rewrites it in the same transaction).
  virtual std::optional<std::vector<std::pair<RowId, RowId>>> EraseProgrammePersonalData(
      RowId /*programme*/, Millis /*now*/) {
    throw StoreError(StatusCode::kInternal, "this store does not implement retention");
  }

  // Programmes with their topic catalogue.
  virtual RowId InsertProgramme(const ProgrammeRecord& programme) = 0;
  virtual bool UpdateProgramme(const ProgrammeRecord& programme) = 0;
  virtual std::optional<ProgrammeRecord> FindProgramme(RowId id) = 0;
  virtual std::vector<ProgrammeRecord> ListProgrammes(RowId after, int limit) = 0;

  // Enrolments and their questionnaire answers.
  virtual RowId InsertEnrolment(const EnrolmentRecord& enrolment) = 0;
  virtual bool UpdateEnrolment(const EnrolmentRecord& enrolment) = 0;
  virtual std::optional<EnrolmentRecord> FindEnrolment(RowId programme, RowId person) = 0;
  virtual std::vector<EnrolmentRecord> ListEnrolments(RowId programme, RowId after, int limit) = 0;
  // Deletes an enrolment still in state "invited" (a revoked invitation); false otherwise.
  virtual bool DeleteEnrolment(RowId id) = 0;
  // Replaces all answers of the enrolment.
  virtual void ReplaceAnswers(RowId enrolment, const std::vector<AnswerRecord>& answers) = 0;
  // Answers ordered by topic key.
  virtual std::vector<AnswerRecord> ListAnswers(RowId enrolment) = 0;
  // The answers of every enrolment of the programme in state "enrolled", ordered by enrolment
  // id, then topic key: (enrolment id, answer).
  virtual std::vector<std::pair<RowId, AnswerRecord>> ListProgrammeAnswers(RowId programme) = 0;

  // Matching runs and tandems.
  virtual RowId InsertMatchingRun(const MatchingRunRecord& run) = 0;
  virtual std::optional<MatchingRunRecord> FindMatchingRun(RowId id) = 0;
  virtual std::vector<MatchingRunRecord> ListMatchingRuns(RowId programme, RowId after,
                                                          int limit) = 0;
  // Version-checked like the other updates.
  virtual bool UpdateMatchingRun(const MatchingRunRecord& run) = 0;
  // Hands the oldest run that is queued, or running under an expired claim, to `worker`: sets
  // state "running", claimed_by, claimed_until = lease_until, started_at (when unset), version
  // + 1, and returns it as stored. Two workers never get the same run while a lease holds.
  virtual std::optional<MatchingRunRecord> ClaimMatchingRun(std::string_view worker, Millis now,
                                                            Millis lease_until) = 0;
  // Records progress and extends the lease; false (and no change) when `worker` no longer holds
  // the run (state not "running" or claimed_by differs). Does not change `version`.
  virtual bool ReportRunProgress(RowId run, std::string_view worker, Millis lease_until, int phase,
                                 std::int64_t done, std::int64_t total) = 0;
  virtual RowId InsertTandem(const TandemRecord& tandem) = 0;
  virtual bool UpdateTandem(const TandemRecord& tandem) = 0;
  virtual std::optional<TandemRecord> FindTandem(RowId id) = 0;
  virtual std::vector<TandemRecord> ListTandems(RowId programme, RowId after, int limit) = 0;
  // Every tandem (any programme, any state) where `person` is mentor or mentee, by id.
  virtual std::vector<TandemRecord> ListTandemsOfPerson(RowId person) = 0;
  // Every tandem (any programme, any state) whose mentor or mentee has an enrolment in state
  // "enrolled" in `programme`, by id: the pair history a matching run excludes.
  virtual std::vector<TandemRecord> ListTandemsOfEnrolled(RowId programme) = 0;
  // Counts one more meeting held for the tandem (TandemRecord::meetings_held); the tandem's
  // version stays. False if there is no such tandem.
  virtual bool CountMeetingHeld(RowId tandem) = 0;

  // Pins and forbidden pairs. PutPairRule replaces the rule of the same pair, if any.
  virtual void PutPairRule(const PairRuleRecord& rule) = 0;
  virtual bool DeletePairRule(RowId programme, RowId mentor, RowId mentee) = 0;
  // Ordered by mentor, then mentee.
  virtual std::vector<PairRuleRecord> ListPairRules(RowId programme) = 0;

  // The audit log: append-only.
  virtual RowId AppendAudit(const AuditRecord& entry) = 0;
  virtual std::vector<AuditRecord> ListAudit(RowId after, int limit) = 0;

  virtual StoreCounts Counts() = 0;

  // Accounts and programme administrators.
  virtual RowId InsertAccount(const AccountRecord& account) = 0;
  virtual bool UpdateAccount(const AccountRecord& account) = 0;
  virtual std::optional<AccountRecord> FindAccount(RowId id) = 0;
  virtual std::optional<AccountRecord> FindAccountByEmail(std::string_view email) = 0;
  virtual std::optional<AccountRecord> FindAccountByPerson(RowId person) = 0;
  virtual std::vector<AccountRecord> ListAccounts(RowId after, int limit) = 0;
  // People enrolled (in any state) in one of `programmes`, by id.
  virtual std::vector<PersonRecord> ListPeopleOfProgrammes(const std::vector<RowId>& programmes,
                                                           RowId after, int limit) = 0;
  // Returns false when the account already administers the programme.
  virtual bool AddProgrammeAdmin(RowId programme, RowId account, Millis now) = 0;
  virtual bool RemoveProgrammeAdmin(RowId programme, RowId account) = 0;
  virtual std::vector<RowId> ListAdministeredProgrammes(RowId account) = 0;
  virtual std::vector<RowId> ListProgrammeAdmins(RowId programme) = 0;

  // Sessions.
  virtual RowId InsertSession(const SessionRecord& session) = 0;
  virtual std::optional<SessionRecord> FindSessionByTokenHash(std::string_view token_hash) = 0;
  virtual void TouchSession(RowId id, Millis now) = 0;
  virtual void EndSession(RowId id, Millis now) = 0;
  // Ends every open session of the account; returns how many.
  virtual std::int64_t EndAllSessions(RowId account, Millis now) = 0;

  // One-time links (invitations, sign-in links, password resets).
  virtual RowId InsertOneTimeToken(const OneTimeTokenRecord& token) = 0;
  virtual std::optional<OneTimeTokenRecord> FindOneTimeToken(std::string_view token_hash) = 0;
  // Marks the token used; false when it was used already (exactly one caller wins).
  virtual bool UseOneTimeToken(RowId id, Millis now) = 0;
  // How many tokens of `purpose` were issued to the account since `since`.
  virtual std::int64_t CountOneTimeTokens(RowId account, TokenPurpose purpose, Millis since) = 0;

  // API tokens.
  virtual RowId InsertApiToken(const ApiTokenRecord& token) = 0;
  virtual std::optional<ApiTokenRecord> FindApiTokenByHash(std::string_view token_hash) = 0;
  virtual std::vector<ApiTokenRecord> ListApiTokens(RowId account) = 0;
  virtual bool RevokeApiToken(RowId id, Millis now) = 0;
  virtual void TouchApiToken(RowId id, Millis now) = 0;

  // Failed sign-ins, for throttling.
  virtual void RecordSignInFailure(std::optional<RowId> account, std::string_view client,
                                   Millis at) = 0;
  virtual FailureStats AccountFailures(RowId account, Millis since) = 0;
  virtual FailureStats ClientFailures(std::string_view client, Millis since) = 0;
  virtual std::int64_t PruneSignInFailures(Millis before) = 0;

  // The e-mail outbox. Mail is enqueued in the transaction of the change that causes it.
  virtual RowId EnqueueMail(const MailRecord& mail) = 0;
  // Claims up to `limit` due mails for `worker` until `lease_until`; a mail claimed by one
  // worker is not handed to another before its lease ends (PostgreSQL: FOR UPDATE SKIP LOCKED).
  // A mail handed over (below) whose claim ran out is never claimed again.
  virtual std::vector<MailRecord> ClaimMail(std::string_view worker, Millis now, Millis lease_until,
                                            int limit) = 0;
  // Records that `worker` is about to end the mail's data (handed_over_at = now); false when it
  // no longer holds the claim (then it must not end the data).
  virtual bool MarkMailHandedOver(RowId id, std::string_view worker, Millis now) = 0;
  // Gives up every mail that was handed over but neither sent nor failed and whose claim ended
  // before `now` (its process died mid-delivery): next_attempt_at = INT64_MAX, last_error =
  // `error`. Returns their ids.
  virtual std::vector<RowId> GiveUpMailInDoubt(Millis now, std::string_view error) = 0;
  // Records delivery (and empties the bodies); false when `worker` no longer holds the claim.
  virtual bool MarkMailSent(RowId id, std::string_view worker, Millis now) = 0;
  // Records a failed attempt and clears handed_over_at.
  virtual bool MarkMailFailed(RowId id, std::string_view worker, std::string_view error,
                              Millis next_attempt_at) = 0;
  // Mails still to be delivered (not sent, not given up: next_attempt_at < INT64_MAX).
  virtual std::int64_t CountPendingMail() = 0;
  virtual std::optional<MailRecord> FindMail(RowId id) = 0;

  // The tandem's protected space. Inserting a second acceptance of the same person, or a
  // second workspace of the same tandem, throws (a Conflict).
  virtual void InsertAgreementAcceptance(const AgreementAcceptanceRecord& acceptance) = 0;
  // Ordered by accepted_at, then person.
  virtual std::vector<AgreementAcceptanceRecord> ListAgreementAcceptances(RowId tandem) = 0;
  virtual void InsertWorkspace(const WorkspaceRecord& workspace) = 0;
  virtual bool UpdateWorkspace(const WorkspaceRecord& workspace) = 0;  // version-checked
  virtual std::optional<WorkspaceRecord> FindWorkspace(RowId tandem) = 0;
  // Every workspace whose key is not erased, by tandem id.
  virtual std::vector<WorkspaceRecord> ListKeyedWorkspaces() = 0;
  // Deletes the tandem's roadmap, notes, meetings and partner feedback and blanks its key
  // (crypto-shredding).
  // Returns false when the tandem has no workspace or its key is erased already.
  virtual bool EraseWorkspace(RowId tandem, Millis now) = 0;

  virtual RowId InsertRoadmapItem(const RoadmapItemRecord& item) = 0;
  virtual bool UpdateRoadmapItem(const RoadmapItemRecord& item) = 0;  // version-checked
  virtual bool DeleteRoadmapItem(RowId id) = 0;
  virtual std::optional<RoadmapItemRecord> FindRoadmapItem(RowId id) = 0;
  // Ordered by position, then id.
  virtual std::vector<RoadmapItemRecord> ListRoadmapItems(RowId tandem) = 0;

  virtual RowId InsertNote(const NoteRecord& note) = 0;
  virtual bool UpdateNote(const NoteRecord& note) = 0;  // version-checked
  virtual bool DeleteNote(RowId id) = 0;
  virtual std::optional<NoteRecord> FindNote(RowId id) = 0;
  virtual std::vector<NoteRecord> ListNotes(RowId tandem) = 0;  // by id

  virtual RowId InsertMeeting(const MeetingRecord& meeting) = 0;
  virtual bool UpdateMeeting(const MeetingRecord& meeting) = 0;  // version-checked
  virtual std::optional<MeetingRecord> FindMeeting(RowId id) = 0;
  virtual std::vector<MeetingRecord> ListMeetings(RowId tandem) = 0;  // by starts_at, then id

  // A person's calendar feed: at most one, found by its token's hash.
  virtual void PutCalendarFeed(RowId person, std::string_view token_hash, Millis now) = 0;
  virtual bool DeleteCalendarFeed(RowId person) = 0;
  virtual std::optional<RowId> FindCalendarFeedPerson(std::string_view token_hash) = 0;

  virtual RowId InsertLeadershipAsk(const LeadershipAskRecord& ask) = 0;
  virtual std::vector<LeadershipAskRecord> ListLeadershipAsks(RowId programme) = 0;  // by id

  // Reminders and cadence nudges (migration 6; app/reminders.h). Records that the notice
  // (`tandem`, `kind`, `subject`, `due_at`) is sent at `now`; false, and nothing changes, when
  // it was recorded before (by this or another server). Enqueue its mail in the same
  // transaction, and only when this returns true: then each notice is mailed once.
  virtual bool RecordNotice(RowId tandem, std::string_view kind, RowId subject, Millis due_at,
                            Millis now) = 0;

  // The role flip (migration 8). A person without a stored offer has the empty offer of
  // version 1 (FindRoleOffer: nullopt). PutRoleOffer is version-checked like the updates: it
  // stores `offer` as version + 1 when the person's offer is of `offer.version`; with
  // `offer.version` == kAnyRoleOfferVersion it stores it over any version (an upsert).
  virtual std::optional<RoleOfferRecord> FindRoleOffer(RowId person) = 0;
  virtual bool PutRoleOffer(const RoleOfferRecord& offer) = 0;
  // The people whose offer names at least one mentor topic (`mentor`) or mentee topic, by id.
  virtual std::vector<RowId> ListRoleOfferers(bool mentor) = 0;

  // Surveys (migration 9). InsertSurvey throws StoreError(kConflict) when the programme already
  // has a survey of that kind and audience. ListSurveys: the programme's surveys by id;
  // ListOpenSurveys: every open survey of the installation, by id (for the reminder sweep).
  virtual RowId InsertSurvey(const SurveyRecord& survey) = 0;
  virtual bool UpdateSurvey(const SurveyRecord& survey) = 0;  // version-checked
  virtual std::optional<SurveyRecord> FindSurvey(RowId id) = 0;
  virtual std::vector<SurveyRecord> ListSurveys(RowId programme) = 0;
  virtual std::vector<SurveyRecord> ListOpenSurveys() = 0;
  // Records that `person` was invited to `survey`; false (and nothing changed) when they were
  // already. ListSurveyInvitees: the invited people, by person id.
  virtual bool RecordSurveyInvitation(RowId survey, RowId person, Millis now) = 0;
  virtual std::vector<RowId> ListSurveyInvitees(RowId survey) = 0;
  // Responses. InsertSurveyResponse throws StoreError(kConflict) when the person already
  // answered the survey. ListSurveyResponses: the responses with id <= `through`, by id.
  // CountSurveyResponses: all responses of the survey, and those with id > `after`.
  virtual RowId InsertSurveyResponse(const SurveyResponseRecord& response) = 0;
  virtual bool UpdateSurveyResponse(const SurveyResponseRecord& response) = 0;  // version-checked
  virtual std::optional<SurveyResponseRecord> FindSurveyResponse(RowId survey, RowId person) = 0;
  virtual std::vector<SurveyResponseRecord> ListSurveyResponses(RowId survey, RowId through) = 0;
  virtual std::int64_t CountSurveyResponses(RowId survey, RowId after) = 0;
  // Partner feedback, by author.
  virtual bool PutPartnerFeedback(const PartnerFeedbackRecord& feedback) = 0;
  virtual std::vector<PartnerFeedbackRecord> ListPartnerFeedback(RowId tandem) = 0;

  // ---- Data rights (issue 9; app/data_rights.h, docs/personal-data.md): what the export of
  // one person reads. The SQL store implements them; a test double that does not inherits
  // these defaults, which fail the transaction.
  // Every session of the account (open or ended), by id.
  virtual std::vector<SessionRecord> ListSessions(RowId /*account*/) {
    return Unsupported<SessionRecord>();
  }
  // Every enrolment of the person (any programme, any state), by id.
  virtual std::vector<EnrolmentRecord> ListEnrolmentsOfPerson(RowId /*person*/) {
    return Unsupported<EnrolmentRecord>();
  }
  // When the person's calendar feed was created; nullopt when they have none.
  virtual std::optional<Millis> FindCalendarFeedCreatedAt(RowId /*person*/) {
    Unsupported<Millis>();
    return std::nullopt;
  }
  // The outbox mails to `address` (compared without case), by id.
  virtual std::vector<MailRecord> ListMailTo(std::string_view /*address*/) {
    return Unsupported<MailRecord>();
  }
  // Audit entries whose actor is `actor`, by id, paged like ListAudit.
  virtual std::vector<AuditRecord> ListAuditByActor(std::string_view /*actor*/, RowId /*after*/,
                                                    int /*limit*/) {
    return Unsupported<AuditRecord>();
  }
  // The person's survey invitations: (survey id, invited_at), by survey id.
  virtual std::vector<std::pair<RowId, Millis>> ListSurveyInvitationsOf(RowId /*person*/) {
    return Unsupported<std::pair<RowId, Millis>>();
  }

 private:
  template <typename T>
  static std::vector<T> Unsupported() {
    throw StoreError(StatusCode::kInternal, "this store does not implement the data export");
  }
};

using TxFunction = std::function<Status(StoreTx&)>;

// What a write transaction holds against other writers from its start, before it reads
// anything. kPeople: no other transaction writes people until this one ends (they wait). For a
// long transaction that reads every person and writes many (the people import): under
// PostgreSQL's SERIALIZABLE, short concurrent writes of people (a person created, a display
// name changed) would otherwise abort it again and again, and it could starve. SQLite runs one
// writer at a time anyway.
enum class WriteLock { kNone, kPeople };

// A database. Thread-safe: any number of threads may call Read() and Write() at once.
class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` in one read-write transaction and commits when it returns ok; otherwise, or when
  // it throws, rolls everything back. When the database reports a conflict between concurrent
  // transactions, the store may run `fn` again (so `fn` must not have effects outside the
  // transaction). Returns fn's status, or the database failure.
  Status Write(const TxFunction& fn) { return Write(fn, WriteLock::kNone); }
  // The same, holding `lock` (above) for the whole transaction.
  virtual Status Write(const TxFunction& fn, WriteLock lock) = 0;

  // Runs `fn` in a read-only transaction that sees one consistent snapshot.
  virtual Status Read(const TxFunction& fn) = 0;

  // "sqlite" or "postgresql".
  virtual std::string_view backend() const = 0;

  // The migration the database is at, and the latest this binary knows.
  virtual Result<int> SchemaVersion() = 0;
  virtual int LatestSchemaVersion() const = 0;
  // Applies every migration above the current one, each in its own transaction.
  // Returns the number applied.
  virtual Result<int> Migrate(int up_to = -1) = 0;
};

}  // namespace tandem
