// Data rights (issue 9; docs/personal-data.md, docs/privacy.md): the export of everything
// Tandem holds about the signed-in account and its person (GDPR Art. 15 and 20). This is the
// use case that assembles it; src/http maps it to JSON (http/export_json.h). Erasure is
// StoreTx::ErasePerson (Directory::ErasePerson, `tandem erase`).
//
// What the export never holds: secrets (password hash, token hashes, tandem keys), a partner's
// private notes, the partner feedback the caller is not shown yet, and other people's data
// beyond what the caller sees in the application anyway (a partner's name).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/store.h"
#include "app/surveys.h"
#include "app/workspace.h"
#include "core/status.h"

namespace tandem {

// One enrolment with the programme's name and every questionnaire answer.
struct ExportedEnrolment {
  EnrolmentRecord enrolment;
  std::string programme_name;
  std::vector<AnswerRecord> answers;
};

// The state of a tandem's workspace content in the export.
enum class ExportedContent {
  kIncluded,     // roadmap, notes and meetings below
  kNotOpen,      // the workspace has not opened (both partners accept the agreement first)
  kErased,       // its key was erased (retention, or a partner was erased)
  kUnavailable,  // this server has no (or another) master key: the content cannot be read
};
std::string_view ToString(ExportedContent content);  // "included", "not_open", ...

struct ExportedTandem {
  TandemRecord tandem;  // reasons and topics as stored
  std::string programme_name;
  std::string role;  // the caller's: "mentor" or "mentee"
  RowId partner = 0;
  std::string partner_name;                            // "" once the partner was erased
  std::optional<AgreementAcceptanceRecord> agreement;  // the caller's own acceptance
  ExportedContent content = ExportedContent::kNotOpen;
  std::vector<RoadmapItemView> roadmap;
  std::vector<NoteView> notes;  // shared notes and the caller's own private notes
  std::vector<MeetingView> meetings;
  std::optional<PartnerFeedbackRecord> feedback_given;
  std::optional<std::string> feedback_received;  // only once it is shown to the caller
};

struct ExportedSurvey {
  SurveyRecord survey;  // definition included: the questions the answers refer to
  std::string programme_name;
  std::optional<Millis> invited_at;
  std::optional<SurveyResponseRecord> response;  // the caller's own answers
};

struct ExportedAsk {
  LeadershipAskRecord ask;  // asks sent with the caller's name (anonymous ones name nobody)
  std::string programme_name;
};

// Everything Tandem holds about one account and its person.
struct PersonalDataExport {
  Millis generated_at = 0;
  Language language = Language::kGerman;  // of the summary
  AccountRecord account;                  // password_hash cleared
  bool password_set = false;
  std::optional<Millis> last_sign_in;                       // the newest session's start
  std::vector<std::pair<RowId, std::string>> administered;  // programmes: id, name
  std::vector<SessionRecord> sessions;                      // token and CSRF hashes cleared
  std::vector<ApiTokenRecord> api_tokens;                   // token hashes cleared
  std::optional<PersonRecord> person;
  std::string manager_name;
  std::optional<Millis> calendar_feed_created_at;
  std::vector<ExportedEnrolment> enrolments;
  std::optional<RoleOfferRecord> role_offer;
  std::vector<ExportedTandem> tandems;
  std::vector<ExportedAsk> asks;
  std::vector<ExportedSurvey> surveys;
  std::vector<MailRecord> mails;     // to the caller's addresses; bodies are not exported
  std::vector<AuditRecord> audit;    // entries whose actor is the caller
  std::vector<std::string> summary;  // plain sentences in `language`
};

class DataRights {
 public:
  // Everything passed in must outlive this object. Thread-safe.
  DataRights(Store& store, const Clock& clock, Workspace& workspace, Surveys& surveys)
      : store_(store), clock_(clock), workspace_(workspace), surveys_(surveys) {}

  // The caller's export: a browser session only (API tokens: PermissionDenied). Audited as
  // "data.export" on the account. Workspace content that cannot be read (no master key) is
  // marked kUnavailable; the export does not fail for it.
  Result<PersonalDataExport> Export(const Caller& caller);

 private:
  Store& store_;
  const Clock& clock_;
  Workspace& workspace_;
  Surveys& surveys_;
};

// The readable summary of an export in its language (filled in by Export()).
std::vector<std::string> SummaryOf(const PersonalDataExport& data);

// The UTC date of `at` as YYYY-MM-DD (the export's file name).
std::string ExportDate(Millis at);

}  // namespace tandem
