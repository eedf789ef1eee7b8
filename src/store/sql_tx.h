// StoreTx in SQL, shared by every backend: records to rows and back.
#pragma once

#include "app/store.h"
#include "store/sql_session.h"

namespace tandem::store {

// REQUIRES: `session` is inside a transaction and outlives this object.
class SqlTx final : public StoreTx {
 public:
  // `dialect` is the backend's name ("sqlite" or "postgresql") for the few statements that
  // differ.
  SqlTx(SqlSession& session, std::string_view dialect)
      : db_(session), postgres_(dialect == "postgresql") {}

  RowId InsertPerson(const PersonRecord& person) override;
  bool UpdatePerson(const PersonRecord& person) override;
  std::optional<PersonRecord> FindPerson(RowId id) override;
  std::optional<PersonRecord> FindPersonByExternalId(std::string_view external_id) override;
  std::vector<PersonRecord> ListPeople(RowId after, int limit) override;
  bool ErasePerson(RowId id, Millis now) override;
  std::optional<std::vector<std::pair<RowId, RowId>>> EraseProgrammePersonalData(
      RowId programme, Millis now) override;

  RowId InsertProgramme(const ProgrammeRecord& programme) override;
  bool UpdateProgramme(const ProgrammeRecord& programme) override;
  std::optional<ProgrammeRecord> FindProgramme(RowId id) override;
  std::vector<ProgrammeRecord> ListProgrammes(RowId after, int limit) override;

  RowId InsertEnrolment(const EnrolmentRecord& enrolment) override;
  bool UpdateEnrolment(const EnrolmentRecord& enrolment) override;
  std::optional<EnrolmentRecord> FindEnrolment(RowId programme, RowId person) override;
  std::vector<EnrolmentRecord> ListEnrolments(RowId programme, RowId after, int limit) override;
  bool DeleteEnrolment(RowId id) override;
  void ReplaceAnswers(RowId enrolment, const std::vector<AnswerRecord>& answers) override;
  std::vector<AnswerRecord> ListAnswers(RowId enrolment) override;
  std::vector<std::pair<RowId, AnswerRecord>> ListProgrammeAnswers(RowId programme) override;

  RowId InsertMatchingRun(const MatchingRunRecord& run) override;
  std::optional<MatchingRunRecord> FindMatchingRun(RowId id) override;
  std::vector<MatchingRunRecord> ListMatchingRuns(RowId programme, RowId after, int limit) override;
  bool UpdateMatchingRun(const MatchingRunRecord& run) override;
  std::optional<MatchingRunRecord> ClaimMatchingRun(std::string_view worker, Millis now,
                                                    Millis lease_until) override;
  bool ReportRunProgress(RowId run, std::string_view worker, Millis lease_until, int phase,
                         std::int64_t done, std::int64_t total) override;
  RowId InsertTandem(const TandemRecord& tandem) override;
  bool UpdateTandem(const TandemRecord& tandem) override;
  std::optional<TandemRecord> FindTandem(RowId id) override;
  std::vector<TandemRecord> ListTandems(RowId programme, RowId after, int limit) override;
  std::vector<TandemRecord> ListTandemsOfPerson(RowId person) override;
  std::vector<TandemRecord> ListTandemsOfEnrolled(RowId programme) override;
  bool CountMeetingHeld(RowId tandem) override;

  void PutPairRule(const PairRuleRecord& rule) override;
  bool DeletePairRule(RowId programme, RowId mentor, RowId mentee) override;
  std::vector<PairRuleRecord> ListPairRules(RowId programme) override;

  RowId AppendAudit(const AuditRecord& entry) override;
  std::vector<AuditRecord> ListAudit(RowId after, int limit) override;

  StoreCounts Counts() override;

  RowId InsertAccount(const AccountRecord& account) override;
  bool UpdateAccount(const AccountRecord& account) override;
  std::optional<AccountRecord> FindAccount(RowId id) override;
  std::optional<AccountRecord> FindAccountByEmail(std::string_view email) override;
  std::optional<AccountRecord> FindAccountByPerson(RowId person) override;
  std::vector<AccountRecord> ListAccounts(RowId after, int limit) override;
  std::vector<PersonRecord> ListPeopleOfProgrammes(const std::vector<RowId>& programmes,
                                                   RowId after, int limit) override;
  bool AddProgrammeAdmin(RowId programme, RowId account, Millis now) override;
  bool RemoveProgrammeAdmin(RowId programme, RowId account) override;
  std::vector<RowId> ListAdministeredProgrammes(RowId account) override;
  std::vector<RowId> ListProgrammeAdmins(RowId programme) override;

  RowId InsertSession(const SessionRecord& session) override;
  std::optional<SessionRecord> FindSessionByTokenHash(std::string_view token_hash) override;
  void TouchSession(RowId id, Millis now) override;
  void EndSession(RowId id, Millis now) override;
  std::int64_t EndAllSessions(RowId account, Millis now) override;

  RowId InsertOneTimeToken(const OneTimeTokenRecord& token) override;
  std::optional<OneTimeTokenRecord> FindOneTimeToken(std::string_view token_hash) override;
  bool UseOneTimeToken(RowId id, Millis now) override;
  std::int64_t CountOneTimeTokens(RowId account, TokenPurpose purpose, Millis since) override;

  RowId InsertApiToken(const ApiTokenRecord& token) override;
  std::optional<ApiTokenRecord> FindApiTokenByHash(std::string_view token_hash) override;
  std::vector<ApiTokenRecord> ListApiTokens(RowId account) override;
  bool RevokeApiToken(RowId id, Millis now) override;
  void TouchApiToken(RowId id, Millis now) override;

  void RecordSignInFailure(std::optional<RowId> account, std::string_view client,
                           Millis at) override;
  FailureStats AccountFailures(RowId account, Millis since) override;
  FailureStats ClientFailures(std::string_view client, Millis since) override;
  std::int64_t PruneSignInFailures(Millis before) override;

  RowId EnqueueMail(const MailRecord& mail) override;
  std::vector<MailRecord> ClaimMail(std::string_view worker, Millis now, Millis lease_until,
                                    int limit) override;
  bool MarkMailHandedOver(RowId id, std::string_view worker, Millis now) override;
  std::vector<RowId> GiveUpMailInDoubt(Millis now, std::string_view error) override;
  bool MarkMailSent(RowId id, std::string_view worker, Millis now) override;
  bool MarkMailFailed(RowId id, std::string_view worker, std::string_view error,
                      Millis next_attempt_at) override;
  std::int64_t CountPendingMail() override;
  std::optional<MailRecord> FindMail(RowId id) override;

  void InsertAgreementAcceptance(const AgreementAcceptanceRecord& acceptance) override;
  std::vector<AgreementAcceptanceRecord> ListAgreementAcceptances(RowId tandem) override;
  void InsertWorkspace(const WorkspaceRecord& workspace) override;
  bool UpdateWorkspace(const WorkspaceRecord& workspace) override;
  std::optional<WorkspaceRecord> FindWorkspace(RowId tandem) override;
  std::vector<WorkspaceRecord> ListKeyedWorkspaces() override;
  bool EraseWorkspace(RowId tandem, Millis now) override;
  RowId InsertRoadmapItem(const RoadmapItemRecord& item) override;
  bool UpdateRoadmapItem(const RoadmapItemRecord& item) override;
  bool DeleteRoadmapItem(RowId id) override;
  std::optional<RoadmapItemRecord> FindRoadmapItem(RowId id) override;
  std::vector<RoadmapItemRecord> ListRoadmapItems(RowId tandem) override;
  RowId InsertNote(const NoteRecord& note) override;
  bool UpdateNote(const NoteRecord& note) override;
  bool DeleteNote(RowId id) override;
  std::optional<NoteRecord> FindNote(RowId id) override;
  std::vector<NoteRecord> ListNotes(RowId tandem) override;
  RowId InsertMeeting(const MeetingRecord& meeting) override;
  bool UpdateMeeting(const MeetingRecord& meeting) override;
  std::optional<MeetingRecord> FindMeeting(RowId id) override;
  std::vector<MeetingRecord> ListMeetings(RowId tandem) override;
  void PutCalendarFeed(RowId person, std::string_view token_hash, Millis now) override;
  bool DeleteCalendarFeed(RowId person) override;
  std::optional<RowId> FindCalendarFeedPerson(std::string_view token_hash) override;
  RowId InsertLeadershipAsk(const LeadershipAskRecord& ask) override;
  std::vector<LeadershipAskRecord> ListLeadershipAsks(RowId programme) override;
  bool RecordNotice(RowId tandem, std::string_view kind, RowId subject, Millis due_at,
                    Millis now) override;
  std::optional<RoleOfferRecord> FindRoleOffer(RowId person) override;
  bool PutRoleOffer(const RoleOfferRecord& offer) override;
  std::vector<RowId> ListRoleOfferers(bool mentor) override;

  RowId InsertSurvey(const SurveyRecord& survey) override;
  bool UpdateSurvey(const SurveyRecord& survey) override;
  std::optional<SurveyRecord> FindSurvey(RowId id) override;
  std::vector<SurveyRecord> ListSurveys(RowId programme) override;
  std::vector<SurveyRecord> ListOpenSurveys() override;
  bool RecordSurveyInvitation(RowId survey, RowId person, Millis now) override;
  std::vector<RowId> ListSurveyInvitees(RowId survey) override;
  RowId InsertSurveyResponse(const SurveyResponseRecord& response) override;
  bool UpdateSurveyResponse(const SurveyResponseRecord& response) override;
  std::optional<SurveyResponseRecord> FindSurveyResponse(RowId survey, RowId person) override;
  std::vector<SurveyResponseRecord> ListSurveyResponses(RowId survey, RowId through) override;
  std::int64_t CountSurveyResponses(RowId survey, RowId after) override;
  bool PutPartnerFeedback(const PartnerFeedbackRecord& feedback) override;
  std::vector<PartnerFeedbackRecord> ListPartnerFeedback(RowId tandem) override;
  std::vector<SessionRecord> ListSessions(RowId account) override;
  std::vector<EnrolmentRecord> ListEnrolmentsOfPerson(RowId person) override;
  std::optional<Millis> FindCalendarFeedCreatedAt(RowId person) override;
  std::vector<MailRecord> ListMailTo(std::string_view address) override;
  std::vector<AuditRecord> ListAuditByActor(std::string_view actor, RowId after,
                                            int limit) override;
  std::vector<std::pair<RowId, Millis>> ListSurveyInvitationsOf(RowId person) override;

 private:
  std::vector<ProgrammeTopic> LoadTopics(RowId programme);
  void StoreTopics(RowId programme, const std::vector<ProgrammeTopic>& topics);
  RowId InsertReturningId(std::string_view sql, const std::vector<SqlValue>& params);

  SqlSession& db_;
  const bool postgres_;
};

// Tables in an order where every row's references come before it, with their columns: what
// CopyStore() copies.
struct TableSpec {
  std::string_view name;
  std::vector<std::string_view> columns;
  bool has_identity;  // an `id` column the backend numbers
};
const std::vector<TableSpec>& AllTables();

}  // namespace tandem::store
