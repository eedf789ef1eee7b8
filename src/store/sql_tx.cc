#include "store/sql_tx.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

namespace tandem::store {
namespace {

constexpr char kPersonColumns[] =
    "id, external_id, name, email, department, location, manager_id, level, languages, "
    "erased_at, version, created_at, updated_at";
constexpr char kProgrammeColumns[] =
    "id, name, state, mentee_min_level, term_min_months, term_max_months, target_meetings_min, "
    "target_meetings_max, mode, version, created_at, updated_at, enrolment_deadline, agreement_de, "
    "agreement_en, closed_at, retention_months, show_meeting_counts, min_group_size, "
    "partner_feedback, personal_data_erased_at";
constexpr char kEnrolmentColumns[] =
    "id, programme_id, person_id, mentor_capacity, mentee_capacity, state, invited_at, "
    "enrolled_at, withdrawn_at, version, created_at, updated_at, languages, availability";
constexpr char kRunColumns[] =
    "id, programme_id, created_by, parameters, result, report, created_at, state, phase, "
    "progress_done, progress_total, error, claimed_by, claimed_until, started_at, finished_at, "
    "published_at, published_by, version";
constexpr char kTandemColumns[] =
    "id, programme_id, run_id, mentor_id, mentee_id, score, topics, reasons, state, "
    "mentor_accepted_at, mentee_accepted_at, version, created_at, updated_at, origin, "
    "decline_reason, declined_by, ended_at, activated_at, mentor_completed_at, "
    "mentee_completed_at, dissolve_reason, dissolved_by, meetings_held";
constexpr char kPairRuleColumns[] =
    "programme_id, mentor_id, mentee_id, kind, created_by, created_at";
constexpr char kAuditColumns[] = "id, at, actor, action, entity, entity_id, detail";
constexpr char kAccountColumns[] =
    "id, email, person_id, display_name, password_hash, language, system_admin, disabled_at, "
    "version, created_at, updated_at";
constexpr char kSessionColumns[] =
    "id, token_hash, csrf_hash, account_id, created_at, last_seen_at, expires_at, ended_at";
constexpr char kOneTimeColumns[] =
    "id, token_hash, purpose, account_id, created_at, expires_at, used_at";
constexpr char kApiTokenColumns[] =
    "id, token_hash, account_id, name, scopes, created_at, last_used_at, revoked_at";
constexpr char kWorkspaceColumns[] =
    "tandem_id, wrapped_key, master_key_id, key_erased_at, roadmap_version, version, created_at";
constexpr char kRoadmapColumns[] =
    "id, tandem_id, position, topic, ciphertext, nonce, covered_at, version, created_at, "
    "updated_at";
constexpr char kNoteColumns[] =
    "id, tandem_id, author_id, is_private, ciphertext, nonce, version, created_at, updated_at";
constexpr char kMeetingColumns[] =
    "id, tandem_id, state, starts_at, duration_minutes, time_zone, proposed_by, ciphertext, "
    "nonce, version, created_at, updated_at";
constexpr char kAskColumns[] = "id, programme_id, author_id, topics, text, created_at";
constexpr char kSurveyColumns[] =
    "id, programme_id, kind, audience, definition, state, opened_at, closed_at, remind_at, "
    "reminded_at, released_through, version, created_at, updated_at";
constexpr char kSurveyResponseColumns[] =
    "id, survey_id, person_id, answers, version, created_at, updated_at";
constexpr char kPartnerFeedbackColumns[] =
    "tandem_id, author_id, text, version, created_at, updated_at";
constexpr char kMailColumns[] =
    "id, to_address, subject, text_body, html_body, created_at, next_attempt_at, attempts, "
    "claimed_by, claimed_until, sent_at, last_error, programme_id, handed_over_at";

SqlValue Int(std::int64_t v) { return SqlValue{v}; }
SqlValue Text(std::string_view s) { return SqlValue{std::string(s)}; }
SqlValue Optional(const std::optional<std::int64_t>& v) { return v ? SqlValue{*v} : SqlValue{}; }
// External ids are unique when present; an erased person has none (NULL).
SqlValue ExternalId(const std::string& id) { return id.empty() ? SqlValue{} : SqlValue{id}; }

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ';';
    out += item;
  }
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  size_t start = 0;
  for (size_t end = text.find(';'); end != std::string::npos; end = text.find(';', start)) {
    items.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  items.push_back(text.substr(start));
  return items;
}

PersonRecord ToPerson(const SqlRow& r) {
  PersonRecord p;
  p.id = r.Int(0);
  p.external_id = r.Text(1);
  p.name = r.Text(2);
  p.email = r.Text(3);
  p.department = r.Text(4);
  p.location = r.Text(5);
  p.manager = r.OptionalInt(6);
  p.level = r.SmallInt(7);
  p.languages = SplitList(r.Text(8));
  p.erased_at = r.OptionalInt(9);
  p.version = r.Int(10);
  p.created_at = r.Int(11);
  p.updated_at = r.Int(12);
  return p;
}

ProgrammeRecord ToProgramme(const SqlRow& r) {
  ProgrammeRecord p;
  p.id = r.Int(0);
  p.name = r.Text(1);
  p.state = r.Text(2);
  p.mentee_min_level = r.SmallInt(3);
  p.term_min_months = r.SmallInt(4);
  p.term_max_months = r.SmallInt(5);
  p.target_meetings_min = r.SmallInt(6);
  p.target_meetings_max = r.SmallInt(7);
  const auto mode = ParseMatchModeSetting(r.Text(8));
  if (!mode) throw StoreError(StatusCode::kInternal, "stored programme has an unknown mode");
  p.mode = *mode;
  p.version = r.Int(9);
  p.created_at = r.Int(10);
  p.updated_at = r.Int(11);
  p.enrolment_deadline = r.OptionalInt(12);
  p.agreement_de = r.Text(13);
  p.agreement_en = r.Text(14);
  p.closed_at = r.OptionalInt(15);
  p.retention_months = r.SmallInt(16);
  p.show_meeting_counts = r.Int(17) != 0;
  p.min_group_size = r.SmallInt(18);
  p.partner_feedback = r.Int(19) != 0;
  p.personal_data_erased_at = r.OptionalInt(20);
  return p;
}

EnrolmentRecord ToEnrolment(const SqlRow& r) {
  EnrolmentRecord e;
  e.id = r.Int(0);
  e.programme = r.Int(1);
  e.person = r.Int(2);
  e.mentor_capacity = r.SmallInt(3);
  e.mentee_capacity = r.SmallInt(4);
  const auto state = ParseEnrolmentState(r.Text(5));
  if (!state) throw StoreError(StatusCode::kInternal, "stored enrolment has an unknown state");
  e.state = *state;
  e.invited_at = r.OptionalInt(6);
  e.enrolled_at = r.OptionalInt(7);
  e.withdrawn_at = r.OptionalInt(8);
  e.version = r.Int(9);
  e.created_at = r.Int(10);
  e.updated_at = r.Int(11);
  e.languages = SplitList(r.Text(12));
  e.availability = r.Text(13);
  return e;
}

MatchingRunRecord ToRun(const SqlRow& r) {
  MatchingRunRecord m;
  m.id = r.Int(0);
  m.programme = r.Int(1);
  m.created_by = r.Text(2);
  m.parameters = r.Text(3);
  m.result = r.Text(4);
  m.report = r.Text(5);
  m.created_at = r.Int(6);
  const auto state = ParseRunState(r.Text(7));
  if (!state) throw StoreError(StatusCode::kInternal, "stored matching run has an unknown state");
  m.state = *state;
  m.phase = r.SmallInt(8);
  m.progress_done = r.Int(9);
  m.progress_total = r.Int(10);
  m.error = r.Text(11);
  m.claimed_by = r.Text(12);
  m.claimed_until = r.OptionalInt(13);
  m.started_at = r.OptionalInt(14);
  m.finished_at = r.OptionalInt(15);
  m.published_at = r.OptionalInt(16);
  m.published_by = r.Text(17);
  m.version = r.Int(18);
  return m;
}

TandemRecord ToTandem(const SqlRow& r) {
  TandemRecord t;
  t.id = r.Int(0);
  t.programme = r.Int(1);
  t.run = r.OptionalInt(2);
  t.mentor = r.Int(3);
  t.mentee = r.Int(4);
  t.score = r.Int(5);
  t.topics = SplitList(r.Text(6));
  t.reasons = r.Text(7);
  const auto state = ParseTandemState(r.Text(8));
  if (!state) throw StoreError(StatusCode::kInternal, "stored tandem has an unknown state");
  t.state = *state;
  t.mentor_accepted_at = r.OptionalInt(9);
  t.mentee_accepted_at = r.OptionalInt(10);
  t.version = r.Int(11);
  t.created_at = r.Int(12);
  t.updated_at = r.Int(13);
  t.origin = r.Text(14);
  t.decline_reason = r.Text(15);
  t.declined_by = r.OptionalInt(16);
  t.ended_at = r.OptionalInt(17);
  t.activated_at = r.OptionalInt(18);
  t.mentor_completed_at = r.OptionalInt(19);
  t.mentee_completed_at = r.OptionalInt(20);
  t.dissolve_reason = r.Text(21);
  t.dissolved_by = r.OptionalInt(22);
  t.meetings_held = r.Int(23);
  return t;
}

PairRuleRecord ToPairRule(const SqlRow& r) {
  PairRuleRecord p;
  p.programme = r.Int(0);
  p.mentor = r.Int(1);
  p.mentee = r.Int(2);
  const auto kind = ParsePairRuleKind(r.Text(3));
  if (!kind) throw StoreError(StatusCode::kInternal, "stored pair rule has an unknown kind");
  p.kind = *kind;
  p.created_by = r.Text(4);
  p.created_at = r.Int(5);
  return p;
}

AuditRecord ToAudit(const SqlRow& r) {
  AuditRecord a;
  a.id = r.Int(0);
  a.at = r.Int(1);
  a.actor = r.Text(2);
  a.action = r.Text(3);
  a.entity = r.Text(4);
  a.entity_id = r.OptionalInt(5);
  a.detail = r.Text(6);
  return a;
}

AccountRecord ToAccount(const SqlRow& r) {
  AccountRecord a;
  a.id = r.Int(0);
  a.email = r.Text(1);
  a.person = r.OptionalInt(2);
  a.display_name = r.Text(3);
  a.password_hash = r.Text(4);
  const auto language = ParseLanguage(r.Text(5));
  if (!language) throw StoreError(StatusCode::kInternal, "stored account has an unknown language");
  a.language = *language;
  a.system_admin = r.Int(6) != 0;
  a.disabled_at = r.OptionalInt(7);
  a.version = r.Int(8);
  a.created_at = r.Int(9);
  a.updated_at = r.Int(10);
  return a;
}

SessionRecord ToSession(const SqlRow& r) {
  SessionRecord s;
  s.id = r.Int(0);
  s.token_hash = r.Text(1);
  s.csrf_hash = r.Text(2);
  s.account = r.Int(3);
  s.created_at = r.Int(4);
  s.last_seen_at = r.Int(5);
  s.expires_at = r.Int(6);
  s.ended_at = r.OptionalInt(7);
  return s;
}

OneTimeTokenRecord ToOneTimeToken(const SqlRow& r) {
  OneTimeTokenRecord t;
  t.id = r.Int(0);
  t.token_hash = r.Text(1);
  const auto purpose = ParseTokenPurpose(r.Text(2));
  if (!purpose) throw StoreError(StatusCode::kInternal, "stored token has an unknown purpose");
  t.purpose = *purpose;
  t.account = r.Int(3);
  t.created_at = r.Int(4);
  t.expires_at = r.Int(5);
  t.used_at = r.OptionalInt(6);
  return t;
}

ApiTokenRecord ToApiToken(const SqlRow& r) {
  ApiTokenRecord t;
  t.id = r.Int(0);
  t.token_hash = r.Text(1);
  t.account = r.Int(2);
  t.name = r.Text(3);
  t.scopes = SplitList(r.Text(4));
  t.created_at = r.Int(5);
  t.last_used_at = r.OptionalInt(6);
  t.revoked_at = r.OptionalInt(7);
  return t;
}

MailRecord ToMail(const SqlRow& r) {
  MailRecord m;
  m.id = r.Int(0);
  m.to_address = r.Text(1);
  m.subject = r.Text(2);
  m.text_body = r.Text(3);
  m.html_body = r.Text(4);
  m.created_at = r.Int(5);
  m.next_attempt_at = r.Int(6);
  m.attempts = r.SmallInt(7);
  m.claimed_by = r.Text(8);
  m.claimed_until = r.OptionalInt(9);
  m.sent_at = r.OptionalInt(10);
  m.last_error = r.Text(11);
  m.programme = r.OptionalInt(12);
  m.handed_over_at = r.OptionalInt(13);
  return m;
}

SurveyRecord ToSurvey(const SqlRow& r) {
  SurveyRecord s;
  s.id = r.Int(0);
  s.programme = r.Int(1);
  const auto kind = ParseSurveyKind(r.Text(2));
  const auto audience = ParseSurveyAudience(r.Text(3));
  const auto state = ParseSurveyState(r.Text(5));
  if (!kind || !audience || !state) {
    throw StoreError(StatusCode::kInternal, "stored survey has an unknown kind, audience or state");
  }
  s.kind = *kind;
  s.audience = *audience;
  s.definition = r.Text(4);
  s.state = *state;
  s.opened_at = r.OptionalInt(6);
  s.closed_at = r.OptionalInt(7);
  s.remind_at = r.OptionalInt(8);
  s.reminded_at = r.OptionalInt(9);
  s.released_through = r.Int(10);
  s.version = r.Int(11);
  s.created_at = r.Int(12);
  s.updated_at = r.Int(13);
  return s;
}

SurveyResponseRecord ToSurveyResponse(const SqlRow& r) {
  SurveyResponseRecord s;
  s.id = r.Int(0);
  s.survey = r.Int(1);
  s.person = r.OptionalInt(2);
  s.answers = r.Text(3);
  s.version = r.Int(4);
  s.created_at = r.Int(5);
  s.updated_at = r.Int(6);
  return s;
}

PartnerFeedbackRecord ToPartnerFeedback(const SqlRow& r) {
  PartnerFeedbackRecord f;
  f.tandem = r.Int(0);
  f.author = r.Int(1);
  f.text = r.Text(2);
  f.version = r.Int(3);
  f.created_at = r.Int(4);
  f.updated_at = r.Int(5);
  return f;
}

FailureStats ToFailureStats(const std::vector<SqlRow>& rows) {
  FailureStats stats;
  stats.count = rows.at(0).Int(0);
  stats.last_at = rows.at(0).OptionalInt(1);
  return stats;
}

std::string Select(std::string_view columns, std::string_view table, std::string_view where) {
  std::string sql = "SELECT ";
  sql += columns;
  sql += " FROM ";
  sql += table;
  sql += ' ';
  sql += where;
  return sql;
}

}  // namespace

std::int64_t SqlRow::Int(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* n = std::get_if<std::int64_t>(&v)) return *n;
  if (const auto* s = std::get_if<std::string>(&v)) {
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), n);
    if (ec == std::errc() && end == s->data() + s->size()) return n;
  }
  throw StoreError(StatusCode::kInternal, "the database returned a non-integer where one was due");
}

int SqlRow::SmallInt(size_t i) const {
  const std::int64_t n = Int(i);
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) {
    throw StoreError(StatusCode::kInternal, "the database returned an integer out of range");
  }
  return static_cast<int>(n);
}

std::optional<std::int64_t> SqlRow::OptionalInt(size_t i) const {
  if (IsNull(i)) return std::nullopt;
  return Int(i);
}

std::string SqlRow::Text(size_t i) const {
  const SqlValue& v = values_.at(i);
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return {};
}

RowId SqlTx::InsertReturningId(std::string_view sql, const std::vector<SqlValue>& params) {
  const std::vector<SqlRow> rows = db_.Query(sql, params);
  if (rows.size() != 1) throw StoreError(StatusCode::kInternal, "insert returned no id");
  return rows[0].Int(0);
}

// ---- People

RowId SqlTx::InsertPerson(const PersonRecord& p) {
  return InsertReturningId(
      "INSERT INTO people (external_id, name, email, department, location, manager_id, level, "
      "languages, erased_at, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {ExternalId(p.external_id), Text(p.name), Text(p.email), Text(p.department), Text(p.location),
       Optional(p.manager), Int(p.level), Text(JoinList(p.languages)), Optional(p.erased_at),
       Int(p.created_at), Int(p.updated_at)});
}

bool SqlTx::UpdatePerson(const PersonRecord& p) {
  return db_.Execute(
             "UPDATE people SET external_id = ?, name = ?, email = ?, department = ?, "
             "location = ?, manager_id = ?, level = ?, languages = ?, erased_at = ?, "
             "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
             {ExternalId(p.external_id), Text(p.name), Text(p.email), Text(p.department),
              Text(p.location), Optional(p.manager), Int(p.level), Text(JoinList(p.languages)),
              Optional(p.erased_at), Int(p.updated_at), Int(p.id), Int(p.version)}) == 1;
}

std::optional<PersonRecord> SqlTx::FindPerson(RowId id) {
  const auto rows = db_.Query(Select(kPersonColumns, "people", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToPerson(rows[0]);
}

std::optional<PersonRecord> SqlTx::FindPersonByExternalId(std::string_view external_id) {
  if (external_id.empty()) return std::nullopt;
  const auto rows =
      db_.Query(Select(kPersonColumns, "people", "WHERE external_id = ?"), {Text(external_id)});
  if (rows.empty()) return std::nullopt;
  return ToPerson(rows[0]);
}

std::vector<PersonRecord> SqlTx::ListPeople(RowId after, int limit) {
  std::vector<PersonRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kPersonColumns, "people", "WHERE id > ? ORDER BY id LIMIT ?"),
                 {Int(after), Int(limit)})) {
    out.push_back(ToPerson(r));
  }
  return out;
}

bool SqlTx::ErasePerson(RowId id, Millis now) {
  // What names the person outside their own rows: their addresses and names, read before they
  // are blanked (docs/personal-data.md).
  std::vector<std::string> addresses;
  std::vector<std::string> names;
  for (const SqlRow& r : db_.Query("SELECT email, name FROM people WHERE id = ? UNION ALL "
                                   "SELECT email, display_name FROM accounts WHERE person_id = ?",
                                   {Int(id), Int(id)})) {
    if (!r.Text(0).empty()) addresses.push_back(r.Text(0));
    if (r.Text(1).size() >= 3) names.push_back(r.Text(1));
  }
  const bool found =
      db_.Execute(
          "UPDATE people SET external_id = NULL, name = '', email = '', department = '', "
          "location = '', manager_id = NULL, languages = '', erased_at = ?, updated_at = ?, "
          "version = version + 1 WHERE id = ?",
          {Int(now), Int(now), Int(id)}) == 1;
  if (!found) return false;
  // Answers and stated experience are personal; the enrolment row stays as an anonymous count.
  db_.Execute(
      "DELETE FROM answers WHERE enrolment_id IN (SELECT id FROM enrolments WHERE person_id = ?)",
      {Int(id)});
  // What the person said about when and in which languages they meet is theirs too. An erased
  // person takes part in nothing any more: their enrolments end as withdrawn, their open
  // proposals and active tandems as dissolved (the partners become free for a rematch).
  db_.Execute(
      "UPDATE enrolments SET languages = '', availability = '', "
      "state = 'withdrawn', "
      "withdrawn_at = COALESCE(withdrawn_at, ?), updated_at = ?, "
      "version = version + 1 WHERE person_id = ?",
      {Int(now), Int(now), Int(id)});
  db_.Execute(
      "UPDATE tandems SET state = 'dissolved', ended_at = ? WHERE (mentor_id = ? OR mentee_id = ?) "
      "AND state IN ('proposed', 'accepted_by_one', 'active')",
      {Int(now), Int(id), Int(id)});
  // Reasons quote the mentor's experience and name topics of the mentee's interest; a decline
  // reason, by either partner, may say anything about the other.
  db_.Execute(
      "UPDATE tandems SET reasons = '', topics = '', decline_reason = '', dissolve_reason = '', "
      "updated_at = ?, version = version + 1 WHERE mentor_id = ? OR mentee_id = ?",
      {Int(now), Int(id), Int(id)});
  // Someone outside the pair (the programme team's person) may have declined for it.
  db_.Execute(
      "UPDATE tandems SET decline_reason = '', updated_at = ?, version = version + 1 "
      "WHERE declined_by = ? AND decline_reason <> ''",
      {Int(now), Int(id)});
  db_.Execute(
      "UPDATE tandems SET dissolve_reason = '', updated_at = ?, version = version + 1 "
      "WHERE dissolved_by = ? AND dissolve_reason <> ''",
      {Int(now), Int(id)});
  // The tandems' protected content is the partners' together. The person's private notes go;
  // the rest stays for the partner, and goes (crypto-shredding) with the last of the two to be
  // erased. A named ask to leadership becomes anonymous.
  for (const SqlRow& r :
       db_.Query("SELECT w.tandem_id, o.erased_at FROM workspaces w JOIN tandems t ON "
                 "t.id = w.tandem_id JOIN people o ON o.id = CASE WHEN t.mentor_id = ? THEN "
                 "t.mentee_id ELSE t.mentor_id END WHERE t.mentor_id = ? OR t.mentee_id = ?",
                 {Int(id), Int(id), Int(id)})) {
    if (r.IsNull(1)) {
      db_.Execute("DELETE FROM notes WHERE tandem_id = ? AND author_id = ? AND is_private = 1",
                  {Int(r.Int(0)), Int(id)});
    } else {
      EraseWorkspace(r.Int(0), now);
    }
  }
  db_.Execute("UPDATE leadership_asks SET author_id = NULL WHERE author_id = ?", {Int(id)});
  db_.Execute("DELETE FROM calendar_feeds WHERE person_id = ?", {Int(id)});
  db_.Execute("DELETE FROM role_offers WHERE person_id = ?", {Int(id)});
  // Survey answers stay for the results, without the person; whom a survey was sent to goes.
  // Partner feedback is about the partners of a tandem: it goes with either of them.
  db_.Execute("UPDATE survey_responses SET person_id = NULL WHERE person_id = ?", {Int(id)});
  db_.Execute("DELETE FROM survey_invitations WHERE person_id = ?", {Int(id)});
  db_.Execute(
      "DELETE FROM partner_feedback WHERE tandem_id IN (SELECT id FROM tandems WHERE "
      "mentor_id = ? OR mentee_id = ?)",
      {Int(id), Int(id)});
  // Mail to the person goes, sent or not (a sent mail keeps its address and subject), and so
  // does mail still waiting for one of their partners that contains their name (a reminder, a
  // nudge). Privacy first: a partner's waiting mail that merely contains the same letters (a
  // short name inside a longer word) goes too (docs/personal-data.md).
  for (const std::string& address : addresses) {
    db_.Execute("DELETE FROM outbox WHERE LOWER(to_address) = LOWER(?)", {Text(address)});
  }
  const std::string contains = std::string(postgres_ ? "strpos" : "instr") + "(text_body, ?) > 0";
  const std::string partners_of =
      "(SELECT mentee_id FROM tandems WHERE mentor_id = ? UNION "
      "SELECT mentor_id FROM tandems WHERE mentee_id = ?)";
  for (const SqlRow& partner :
       db_.Query("SELECT email FROM people WHERE id IN " + partners_of +
                     " UNION SELECT email FROM accounts WHERE person_id IN " + partners_of,
                 {Int(id), Int(id), Int(id), Int(id)})) {
    if (partner.Text(0).empty()) continue;
    for (const std::string& name : names) {
      db_.Execute("DELETE FROM outbox WHERE sent_at IS NULL AND LOWER(to_address) = LOWER(?) AND " +
                      contains,
                  {Text(partner.Text(0)), Text(name)});
    }
  }
  // Their account goes, with its sessions, one-time links, API tokens, failed sign-ins and
  // programme administration (ON DELETE CASCADE); the audit log keeps "account:<id>" with
  // nobody behind it.
  db_.Execute("DELETE FROM accounts WHERE person_id = ?", {Int(id)});
  return true;
}

// ---- Retention of a closed programme (app/retention.h)

std::optional<std::vector<std::pair<RowId, RowId>>> SqlTx::EraseProgrammePersonalData(
    RowId programme, Millis now) {
  // The marker first: a second sweep (on this or another server) finds it set and changes
  // nothing; on PostgreSQL a concurrent one waits for this row and then finds it set.
  if (db_.Execute("UPDATE programmes SET personal_data_erased_at = ?, updated_at = ?, "
                  "version = version + 1 WHERE id = ? AND personal_data_erased_at IS NULL",
                  {Int(now), Int(now), Int(programme)}) != 1) {
    return std::nullopt;
  }
  const SqlValue id = Int(programme);
  const std::string tandems = "(SELECT id FROM tandems WHERE programme_id = ?)";
  const std::string surveys = "(SELECT id FROM surveys WHERE programme_id = ?)";
  // The tandems' protected content goes with its key (crypto-shredding), and whatever rows a
  // workspace erased earlier left (none should remain: a partner's feedback, say).
  for (const SqlRow& r : db_.Query("SELECT tandem_id FROM workspaces WHERE key_erased_at IS NULL "
                                   "AND tandem_id IN " +
                                       tandems + " ORDER BY tandem_id",
                                   {id})) {
    EraseWorkspace(r.Int(0), now);
  }
  for (const char* table : {"roadmap_items", "notes", "meetings", "partner_feedback"}) {
    db_.Execute(std::string("DELETE FROM ") + table + " WHERE tandem_id IN " + tandems, {id});
  }
  // What the participants said and chose, and the team's rules about pairs of them.
  db_.Execute(
      "DELETE FROM answers WHERE enrolment_id IN "
      "(SELECT id FROM enrolments WHERE programme_id = ?)",
      {id});
  db_.Execute(
      "UPDATE enrolments SET languages = '', availability = '', updated_at = ?, "
      "version = version + 1 WHERE programme_id = ?",
      {Int(now), id});
  db_.Execute(
      "UPDATE tandems SET topics = '', reasons = '', decline_reason = '', dissolve_reason = '', "
      "updated_at = ?, version = version + 1 WHERE programme_id = ?",
      {Int(now), id});
  // Someone outside the pair (the programme team's person) who declined or dissolved for it is
  // not replaced: the link goes.
  db_.Execute(
      "UPDATE tandems SET declined_by = NULL WHERE programme_id = ? AND declined_by IS NOT NULL "
      "AND declined_by <> mentor_id AND declined_by <> mentee_id",
      {id});
  db_.Execute(
      "UPDATE tandems SET dissolved_by = NULL WHERE programme_id = ? AND dissolved_by IS NOT "
      "NULL AND dissolved_by <> mentor_id AND dissolved_by <> mentee_id",
      {id});
  db_.Execute("DELETE FROM pair_rules WHERE programme_id = ?", {id});
  db_.Execute("UPDATE leadership_asks SET author_id = NULL WHERE programme_id = ?", {id});
  // Mails about the programme go, sent or not (a sent one keeps address, subject and time,
  // which the reminders' records below would tie to a tandem), and so do those records.
  db_.Execute("DELETE FROM outbox WHERE programme_id = ?", {id});
  db_.Execute("DELETE FROM sent_notices WHERE tandem_id IN " + tandems, {id});
  // The team's pins and forbidden pairs name both people in the audit detail.
  db_.Execute(
      "UPDATE audit_log SET detail = '' WHERE entity = 'programme' AND entity_id = ? AND action "
      "IN ('pair_rule.put', 'pair_rule.delete')",
      {id});

  // The audit log names who did what to which row: what the participants did to the
  // programme's rows becomes anonymous, and the team's entries about a participant's
  // invitation to it (entity person, detail "programme=<id>") lose the person.
  const std::string participants =
      "(SELECT person_id FROM enrolments WHERE programme_id = ? UNION SELECT mentor_id FROM "
      "tandems WHERE programme_id = ? UNION SELECT mentee_id FROM tandems WHERE programme_id = ?)";
  db_.Execute(
      "UPDATE audit_log SET actor = 'anonymous' WHERE actor IN (SELECT 'account:' || "
      "CAST(id AS TEXT) FROM accounts WHERE person_id IN " +
          participants +
          ") AND ((entity = 'programme' AND entity_id = ?) OR (entity = 'tandem' AND entity_id "
          "IN " +
          tandems +
          ") OR (entity = 'enrolment' AND entity_id IN (SELECT id FROM enrolments WHERE "
          "programme_id = ?)) OR (entity = 'survey' AND entity_id IN " +
          surveys +
          ") OR (entity = 'matching_run' AND entity_id IN (SELECT id FROM matching_runs WHERE "
          "programme_id = ?)))",
      {id, id, id, id, id, id, id, id});
  const std::string detail = "programme=" + std::to_string(programme);
  db_.Execute(
      "UPDATE audit_log SET entity_id = NULL WHERE entity = 'person' AND (detail = ? OR "
      "detail LIKE ?) AND entity_id IN " +
          participants,
      {Text(detail), Text(detail + " %"), id, id, id});

  // Everyone who took part: a fresh anonymous person each, in their place.
  std::vector<std::pair<RowId, RowId>> replaced;
  // In random order: fresh ids in the order of the real ones would map back to them.
  for (const SqlRow& r :
       db_.Query("SELECT p FROM (SELECT person_id AS p FROM enrolments WHERE programme_id = ? "
                 "UNION SELECT mentor_id FROM tandems WHERE programme_id = ? "
                 "UNION SELECT mentee_id FROM tandems WHERE programme_id = ?) u ORDER BY random()",
                 {id, id, id})) {
    const RowId fresh = InsertReturningId(
        "INSERT INTO people (external_id, name, email, department, location, manager_id, level, "
        "languages, erased_at, version, created_at, updated_at) "
        "VALUES (NULL, '', '', '', '', NULL, 0, '', ?, 1, ?, ?) RETURNING id",
        {Int(now), Int(now), Int(now)});
    replaced.emplace_back(r.Int(0), fresh);
  }
  // Each statement finds its rows through the person's own index, never by scanning the
  // programme's rows once per person (`+programme_id` keeps SQLite off the programme index;
  // PostgreSQL reads it as the plain column): a programme of 100,000 stays linear.
  for (const auto& [before, after] : replaced) {
    const std::vector<SqlValue> params = {Int(after), id, Int(before)};
    db_.Execute("UPDATE enrolments SET person_id = ? WHERE +programme_id = ? AND person_id = ?",
                params);
    for (const char* column : {"mentor_id", "mentee_id"}) {
      db_.Execute(std::string("UPDATE tandems SET ") + column +
                      " = ? WHERE +programme_id = ? AND " + column + " = ?",
                  params);
    }
    // Who declined or dissolved is one of the pair by now (the others lost the link above).
    const std::string theirs = "(SELECT id FROM tandems WHERE mentor_id = ? OR mentee_id = ?)";
    const std::vector<SqlValue> within = {Int(after), Int(before), Int(after), Int(after)};
    for (const char* column : {"declined_by", "dissolved_by"}) {
      db_.Execute(std::string("UPDATE tandems SET ") + column + " = ? WHERE " + column +
                      " = ? AND id IN " + theirs,
                  within);
    }
    db_.Execute(
        "UPDATE agreement_acceptances SET person_id = ? WHERE person_id = ? AND "
        "tandem_id IN " +
            theirs,
        within);
    // Who was invited stays countable (the dashboard's response rate), as nobody.
    for (const char* table : {"survey_invitations", "survey_responses"}) {
      db_.Execute(std::string("UPDATE ") + table + " SET person_id = ? WHERE survey_id IN " +
                      surveys + " AND person_id = ?",
                  params);
    }
  }
  // Whoever else is still linked (an acceptance or a response of someone who is neither
  // enrolled nor a partner): the link goes.
  const std::string others =
      " NOT IN (SELECT person_id FROM enrolments WHERE programme_id = ?) AND person_id NOT IN "
      "(SELECT mentor_id FROM tandems WHERE programme_id = ?) AND person_id NOT IN "
      "(SELECT mentee_id FROM tandems WHERE programme_id = ?)";
  db_.Execute(
      "DELETE FROM agreement_acceptances WHERE tandem_id IN " + tandems + " AND person_id" + others,
      {id, id, id, id});
  db_.Execute(
      "DELETE FROM survey_invitations WHERE survey_id IN " + surveys + " AND person_id" + others,
      {id, id, id, id});
  db_.Execute("UPDATE survey_responses SET person_id = NULL WHERE survey_id IN " + surveys +
                  " AND person_id" + others,
              {id, id, id, id});
  return replaced;
}

// ---- Programmes

std::vector<ProgrammeTopic> SqlTx::LoadTopics(RowId programme) {
  std::vector<ProgrammeTopic> topics;
  for (const SqlRow& r : db_.Query(
           "SELECT key, name_de, name_en, weight FROM programme_topics WHERE programme_id = ? "
           "ORDER BY position",
           {Int(programme)})) {
    topics.push_back({r.Text(0), r.Text(1), r.Text(2), r.SmallInt(3)});
  }
  return topics;
}

void SqlTx::StoreTopics(RowId programme, const std::vector<ProgrammeTopic>& topics) {
  db_.Execute("DELETE FROM programme_topics WHERE programme_id = ?", {Int(programme)});
  std::int64_t position = 0;
  for (const ProgrammeTopic& t : topics) {
    db_.Execute(
        "INSERT INTO programme_topics (programme_id, position, key, name_de, name_en, weight) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {Int(programme), Int(position++), Text(t.key), Text(t.name_de), Text(t.name_en),
         Int(t.weight)});
  }
}

RowId SqlTx::InsertProgramme(const ProgrammeRecord& p) {
  const RowId id = InsertReturningId(
      "INSERT INTO programmes (name, state, mentee_min_level, term_min_months, term_max_months, "
      "target_meetings_min, target_meetings_max, mode, enrolment_deadline, agreement_de, "
      "agreement_en, closed_at, retention_months, show_meeting_counts, min_group_size, "
      "partner_feedback, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Text(p.name), Text(p.state), Int(p.mentee_min_level), Int(p.term_min_months),
       Int(p.term_max_months), Int(p.target_meetings_min), Int(p.target_meetings_max),
       Text(ToString(p.mode)), Optional(p.enrolment_deadline), Text(p.agreement_de),
       Text(p.agreement_en), Optional(p.closed_at), Int(p.retention_months),
       Int(p.show_meeting_counts ? 1 : 0), Int(p.min_group_size), Int(p.partner_feedback ? 1 : 0),
       Int(p.created_at), Int(p.updated_at)});
  StoreTopics(id, p.topics);
  return id;
}

bool SqlTx::UpdateProgramme(const ProgrammeRecord& p) {
  const bool updated =
      db_.Execute(
          "UPDATE programmes SET name = ?, state = ?, mentee_min_level = ?, term_min_months = ?, "
          "term_max_months = ?, target_meetings_min = ?, target_meetings_max = ?, mode = ?, "
          "enrolment_deadline = ?, agreement_de = ?, agreement_en = ?, closed_at = ?, "
          "retention_months = ?, show_meeting_counts = ?, min_group_size = ?, "
          "partner_feedback = ?, updated_at = ?, version = version + 1 WHERE id = ? AND "
          "version = ?",
          {Text(p.name), Text(p.state), Int(p.mentee_min_level), Int(p.term_min_months),
           Int(p.term_max_months), Int(p.target_meetings_min), Int(p.target_meetings_max),
           Text(ToString(p.mode)), Optional(p.enrolment_deadline), Text(p.agreement_de),
           Text(p.agreement_en), Optional(p.closed_at), Int(p.retention_months),
           Int(p.show_meeting_counts ? 1 : 0), Int(p.min_group_size),
           Int(p.partner_feedback ? 1 : 0), Int(p.updated_at), Int(p.id), Int(p.version)}) == 1;
  if (updated) StoreTopics(p.id, p.topics);
  return updated;
}

std::optional<ProgrammeRecord> SqlTx::FindProgramme(RowId id) {
  const auto rows = db_.Query(Select(kProgrammeColumns, "programmes", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  ProgrammeRecord p = ToProgramme(rows[0]);
  p.topics = LoadTopics(p.id);
  return p;
}

std::vector<ProgrammeRecord> SqlTx::ListProgrammes(RowId after, int limit) {
  std::vector<ProgrammeRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kProgrammeColumns, "programmes", "WHERE id > ? ORDER BY id LIMIT ?"),
                 {Int(after), Int(limit)})) {
    out.push_back(ToProgramme(r));
  }
  for (ProgrammeRecord& p : out) p.topics = LoadTopics(p.id);
  return out;
}

// ---- Enrolments and answers

RowId SqlTx::InsertEnrolment(const EnrolmentRecord& e) {
  return InsertReturningId(
      "INSERT INTO enrolments (programme_id, person_id, mentor_capacity, mentee_capacity, state, "
      "languages, availability, invited_at, enrolled_at, withdrawn_at, version, created_at, "
      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Int(e.programme), Int(e.person), Int(e.mentor_capacity), Int(e.mentee_capacity),
       Text(ToString(e.state)), Text(JoinList(e.languages)), Text(e.availability),
       Optional(e.invited_at), Optional(e.enrolled_at), Optional(e.withdrawn_at), Int(e.created_at),
       Int(e.updated_at)});
}

bool SqlTx::UpdateEnrolment(const EnrolmentRecord& e) {
  return db_.Execute(
             "UPDATE enrolments SET mentor_capacity = ?, mentee_capacity = ?, state = ?, "
             "languages = ?, availability = ?, invited_at = ?, enrolled_at = ?, "
             "withdrawn_at = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
             {Int(e.mentor_capacity), Int(e.mentee_capacity), Text(ToString(e.state)),
              Text(JoinList(e.languages)), Text(e.availability), Optional(e.invited_at),
              Optional(e.enrolled_at), Optional(e.withdrawn_at), Int(e.updated_at), Int(e.id),
              Int(e.version)}) == 1;
}

std::optional<EnrolmentRecord> SqlTx::FindEnrolment(RowId programme, RowId person) {
  const auto rows =
      db_.Query(Select(kEnrolmentColumns, "enrolments", "WHERE programme_id = ? AND person_id = ?"),
                {Int(programme), Int(person)});
  if (rows.empty()) return std::nullopt;
  return ToEnrolment(rows[0]);
}

std::vector<EnrolmentRecord> SqlTx::ListEnrolments(RowId programme, RowId after, int limit) {
  std::vector<EnrolmentRecord> out;
  for (const SqlRow& r : db_.Query(Select(kEnrolmentColumns, "enrolments",
                                          "WHERE programme_id = ? AND id > ? ORDER BY id LIMIT ?"),
                                   {Int(programme), Int(after), Int(limit)})) {
    out.push_back(ToEnrolment(r));
  }
  return out;
}

bool SqlTx::DeleteEnrolment(RowId id) {
  // The answers go with it (ON DELETE CASCADE).
  return db_.Execute("DELETE FROM enrolments WHERE id = ? AND state = 'invited'", {Int(id)}) == 1;
}

void SqlTx::ReplaceAnswers(RowId enrolment, const std::vector<AnswerRecord>& answers) {
  db_.Execute("DELETE FROM answers WHERE enrolment_id = ?", {Int(enrolment)});
  // One multi-row INSERT per 64 answers: a questionnaire is saved in two round trips instead
  // of one per topic (the deadline rush, docs/operations.md).
  constexpr std::size_t kRowsPerInsert = 64;
  for (std::size_t first = 0; first < answers.size(); first += kRowsPerInsert) {
    const std::size_t last = std::min(answers.size(), first + kRowsPerInsert);
    std::string sql =
        "INSERT INTO answers (enrolment_id, topic_key, interest, skill, experience) VALUES ";
    std::vector<SqlValue> params;
    params.reserve(5 * (last - first));
    for (std::size_t i = first; i < last; ++i) {
      const AnswerRecord& a = answers[i];
      sql += i == first ? "(?, ?, ?, ?, ?)" : ", (?, ?, ?, ?, ?)";
      params.insert(params.end(), {Int(enrolment), Text(a.topic), Int(a.interest), Int(a.skill),
                                   Text(a.experience)});
    }
    db_.Execute(sql, params);
  }
}

std::vector<AnswerRecord> SqlTx::ListAnswers(RowId enrolment) {
  std::vector<AnswerRecord> out;
  for (const SqlRow& r : db_.Query(
           "SELECT topic_key, interest, skill, experience FROM answers WHERE enrolment_id = ? "
           "ORDER BY topic_key",
           {Int(enrolment)})) {
    out.push_back({r.Text(0), r.SmallInt(1), r.SmallInt(2), r.Text(3)});
  }
  return out;
}

std::vector<std::pair<RowId, AnswerRecord>> SqlTx::ListProgrammeAnswers(RowId programme) {
  std::vector<std::pair<RowId, AnswerRecord>> out;
  for (const SqlRow& r : db_.Query(
           "SELECT a.enrolment_id, a.topic_key, a.interest, a.skill, a.experience FROM answers a "
           "JOIN enrolments e ON e.id = a.enrolment_id WHERE e.programme_id = ? AND "
           "e.state = 'enrolled' ORDER BY a.enrolment_id, a.topic_key",
           {Int(programme)})) {
    out.emplace_back(r.Int(0), AnswerRecord{r.Text(1), r.SmallInt(2), r.SmallInt(3), r.Text(4)});
  }
  return out;
}

// ---- Matching runs and tandems

RowId SqlTx::InsertMatchingRun(const MatchingRunRecord& m) {
  return InsertReturningId(
      "INSERT INTO matching_runs (programme_id, created_by, parameters, result, report, "
      "created_at, state, phase, progress_done, progress_total, error, claimed_by, claimed_until, "
      "started_at, finished_at, published_at, published_by, version) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) RETURNING id",
      {Int(m.programme), Text(m.created_by), Text(m.parameters), Text(m.result), Text(m.report),
       Int(m.created_at), Text(ToString(m.state)), Int(m.phase), Int(m.progress_done),
       Int(m.progress_total), Text(m.error), Text(m.claimed_by), Optional(m.claimed_until),
       Optional(m.started_at), Optional(m.finished_at), Optional(m.published_at),
       Text(m.published_by)});
}

std::optional<MatchingRunRecord> SqlTx::FindMatchingRun(RowId id) {
  const auto rows = db_.Query(Select(kRunColumns, "matching_runs", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToRun(rows[0]);
}

std::vector<MatchingRunRecord> SqlTx::ListMatchingRuns(RowId programme, RowId after, int limit) {
  std::vector<MatchingRunRecord> out;
  for (const SqlRow& r : db_.Query(Select(kRunColumns, "matching_runs",
                                          "WHERE programme_id = ? AND id > ? ORDER BY id LIMIT ?"),
                                   {Int(programme), Int(after), Int(limit)})) {
    out.push_back(ToRun(r));
  }
  return out;
}

bool SqlTx::UpdateMatchingRun(const MatchingRunRecord& m) {
  return db_.Execute(
             "UPDATE matching_runs SET parameters = ?, result = ?, report = ?, state = ?, "
             "phase = ?, progress_done = ?, progress_total = ?, error = ?, claimed_by = ?, "
             "claimed_until = ?, started_at = ?, finished_at = ?, published_at = ?, "
             "published_by = ?, version = version + 1 WHERE id = ? AND version = ?",
             {Text(m.parameters), Text(m.result), Text(m.report), Text(ToString(m.state)),
              Int(m.phase), Int(m.progress_done), Int(m.progress_total), Text(m.error),
              Text(m.claimed_by), Optional(m.claimed_until), Optional(m.started_at),
              Optional(m.finished_at), Optional(m.published_at), Text(m.published_by), Int(m.id),
              Int(m.version)}) == 1;
}

std::optional<MatchingRunRecord> SqlTx::ClaimMatchingRun(std::string_view worker, Millis now,
                                                         Millis lease_until) {
  // As in ClaimMail: on PostgreSQL a run another server is claiming right now is skipped, not
  // waited for (and a claim committed after this snapshot fails serialisation and is retried);
  // SQLite's single writer serialises claims.
  std::string sql =
      "UPDATE matching_runs SET state = 'running', claimed_by = ?, claimed_until = ?, "
      "started_at = COALESCE(started_at, ?), version = version + 1 WHERE id IN (SELECT id FROM "
      "matching_runs WHERE state = 'queued' OR (state = 'running' AND (claimed_until IS NULL OR "
      "claimed_until < ?)) ORDER BY id LIMIT 1";
  sql += postgres_ ? " FOR UPDATE SKIP LOCKED) RETURNING " : ") RETURNING ";
  sql += kRunColumns;
  const auto rows = db_.Query(sql, {Text(worker), Int(lease_until), Int(now), Int(now)});
  if (rows.empty()) return std::nullopt;
  return ToRun(rows[0]);
}

bool SqlTx::ReportRunProgress(RowId run, std::string_view worker, Millis lease_until, int phase,
                              std::int64_t done, std::int64_t total) {
  return db_.Execute(
             "UPDATE matching_runs SET phase = ?, progress_done = ?, progress_total = ?, "
             "claimed_until = ? WHERE id = ? AND state = 'running' AND claimed_by = ?",
             {Int(phase), Int(done), Int(total), Int(lease_until), Int(run), Text(worker)}) == 1;
}

RowId SqlTx::InsertTandem(const TandemRecord& t) {
  return InsertReturningId(
      "INSERT INTO tandems (programme_id, run_id, mentor_id, mentee_id, score, topics, reasons, "
      "state, mentor_accepted_at, mentee_accepted_at, origin, decline_reason, declined_by, "
      "ended_at, activated_at, mentor_completed_at, mentee_completed_at, dissolve_reason, "
      "dissolved_by, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Int(t.programme),
       Optional(t.run),
       Int(t.mentor),
       Int(t.mentee),
       Int(t.score),
       Text(JoinList(t.topics)),
       Text(t.reasons),
       Text(ToString(t.state)),
       Optional(t.mentor_accepted_at),
       Optional(t.mentee_accepted_at),
       Text(t.origin),
       Text(t.decline_reason),
       Optional(t.declined_by),
       Optional(t.ended_at),
       Optional(t.activated_at),
       Optional(t.mentor_completed_at),
       Optional(t.mentee_completed_at),
       Text(t.dissolve_reason),
       Optional(t.dissolved_by),
       Int(t.created_at),
       Int(t.updated_at)});
}

bool SqlTx::UpdateTandem(const TandemRecord& t) {
  return db_.Execute(
             "UPDATE tandems SET score = ?, topics = ?, reasons = ?, state = ?, "
             "mentor_accepted_at = ?, mentee_accepted_at = ?, decline_reason = ?, "
             "declined_by = ?, ended_at = ?, activated_at = ?, mentor_completed_at = ?, "
             "mentee_completed_at = ?, dissolve_reason = ?, dissolved_by = ?, updated_at = ?, "
             "version = version + 1 WHERE id = ? AND version = ?",
             {Int(t.score), Text(JoinList(t.topics)), Text(t.reasons), Text(ToString(t.state)),
              Optional(t.mentor_accepted_at), Optional(t.mentee_accepted_at),
              Text(t.decline_reason), Optional(t.declined_by), Optional(t.ended_at),
              Optional(t.activated_at), Optional(t.mentor_completed_at),
              Optional(t.mentee_completed_at), Text(t.dissolve_reason), Optional(t.dissolved_by),
              Int(t.updated_at), Int(t.id), Int(t.version)}) == 1;
}

std::optional<TandemRecord> SqlTx::FindTandem(RowId id) {
  const auto rows = db_.Query(Select(kTandemColumns, "tandems", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToTandem(rows[0]);
}

std::vector<TandemRecord> SqlTx::ListTandems(RowId programme, RowId after, int limit) {
  std::vector<TandemRecord> out;
  for (const SqlRow& r : db_.Query(Select(kTandemColumns, "tandems",
                                          "WHERE programme_id = ? AND id > ? ORDER BY id LIMIT ?"),
                                   {Int(programme), Int(after), Int(limit)})) {
    out.push_back(ToTandem(r));
  }
  return out;
}

std::vector<TandemRecord> SqlTx::ListTandemsOfPerson(RowId person) {
  std::vector<TandemRecord> out;
  for (const SqlRow& r : db_.Query(
           Select(kTandemColumns, "tandems", "WHERE mentor_id = ? OR mentee_id = ? ORDER BY id"),
           {Int(person), Int(person)})) {
    out.push_back(ToTandem(r));
  }
  return out;
}

std::vector<TandemRecord> SqlTx::ListTandemsOfEnrolled(RowId programme) {
  std::vector<TandemRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kTandemColumns, "tandems",
                        "WHERE mentor_id IN (SELECT person_id FROM enrolments WHERE "
                        "programme_id = ? AND state = 'enrolled') OR mentee_id IN (SELECT "
                        "person_id FROM enrolments WHERE programme_id = ? AND state = 'enrolled') "
                        "ORDER BY id"),
                 {Int(programme), Int(programme)})) {
    out.push_back(ToTandem(r));
  }
  return out;
}

bool SqlTx::CountMeetingHeld(RowId tandem) {
  return db_.Execute("UPDATE tandems SET meetings_held = meetings_held + 1 WHERE id = ?",
                     {Int(tandem)}) == 1;
}

// ---- Pins and forbidden pairs

void SqlTx::PutPairRule(const PairRuleRecord& p) {
  db_.Execute("DELETE FROM pair_rules WHERE programme_id = ? AND mentor_id = ? AND mentee_id = ?",
              {Int(p.programme), Int(p.mentor), Int(p.mentee)});
  db_.Execute(
      "INSERT INTO pair_rules (programme_id, mentor_id, mentee_id, kind, created_by, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {Int(p.programme), Int(p.mentor), Int(p.mentee), Text(ToString(p.kind)), Text(p.created_by),
       Int(p.created_at)});
}

bool SqlTx::DeletePairRule(RowId programme, RowId mentor, RowId mentee) {
  return db_.Execute(
             "DELETE FROM pair_rules WHERE programme_id = ? AND mentor_id = ? AND mentee_id = ?",
             {Int(programme), Int(mentor), Int(mentee)}) == 1;
}

std::vector<PairRuleRecord> SqlTx::ListPairRules(RowId programme) {
  std::vector<PairRuleRecord> out;
  for (const SqlRow& r : db_.Query(Select(kPairRuleColumns, "pair_rules",
                                          "WHERE programme_id = ? ORDER BY mentor_id, mentee_id"),
                                   {Int(programme)})) {
    out.push_back(ToPairRule(r));
  }
  return out;
}

// ---- Audit log

RowId SqlTx::AppendAudit(const AuditRecord& a) {
  return InsertReturningId(
      "INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) "
      "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {Int(a.at), Text(a.actor), Text(a.action), Text(a.entity), Optional(a.entity_id),
       Text(a.detail)});
}

std::vector<AuditRecord> SqlTx::ListAudit(RowId after, int limit) {
  std::vector<AuditRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kAuditColumns, "audit_log", "WHERE id > ? ORDER BY id LIMIT ?"),
                 {Int(after), Int(limit)})) {
    out.push_back(ToAudit(r));
  }
  return out;
}

StoreCounts SqlTx::Counts() {
  const auto rows = db_.Query(
      "SELECT (SELECT COUNT(*) FROM people), "
      "(SELECT COUNT(*) FROM people WHERE erased_at IS NOT NULL), "
      "(SELECT COUNT(*) FROM programmes), (SELECT COUNT(*) FROM enrolments), "
      "(SELECT COUNT(*) FROM answers), (SELECT COUNT(*) FROM matching_runs), "
      "(SELECT COUNT(*) FROM tandems), (SELECT COUNT(*) FROM audit_log)",
      {});
  const SqlRow& r = rows.at(0);
  return {r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Int(5), r.Int(6), r.Int(7)};
}

// ---- Accounts

RowId SqlTx::InsertAccount(const AccountRecord& a) {
  return InsertReturningId(
      "INSERT INTO accounts (email, person_id, display_name, password_hash, language, "
      "system_admin, disabled_at, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Text(a.email), Optional(a.person), Text(a.display_name), Text(a.password_hash),
       Text(ToString(a.language)), Int(a.system_admin ? 1 : 0), Optional(a.disabled_at),
       Int(a.created_at), Int(a.updated_at)});
}

bool SqlTx::UpdateAccount(const AccountRecord& a) {
  return db_.Execute(
             "UPDATE accounts SET email = ?, person_id = ?, display_name = ?, password_hash = ?, "
             "language = ?, system_admin = ?, disabled_at = ?, updated_at = ?, "
             "version = version + 1 WHERE id = ? AND version = ?",
             {Text(a.email), Optional(a.person), Text(a.display_name), Text(a.password_hash),
              Text(ToString(a.language)), Int(a.system_admin ? 1 : 0), Optional(a.disabled_at),
              Int(a.updated_at), Int(a.id), Int(a.version)}) == 1;
}

std::optional<AccountRecord> SqlTx::FindAccount(RowId id) {
  const auto rows = db_.Query(Select(kAccountColumns, "accounts", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToAccount(rows[0]);
}

std::optional<AccountRecord> SqlTx::FindAccountByEmail(std::string_view email) {
  const auto rows =
      db_.Query(Select(kAccountColumns, "accounts", "WHERE email = ?"), {Text(email)});
  if (rows.empty()) return std::nullopt;
  return ToAccount(rows[0]);
}

std::optional<AccountRecord> SqlTx::FindAccountByPerson(RowId person) {
  const auto rows =
      db_.Query(Select(kAccountColumns, "accounts", "WHERE person_id = ?"), {Int(person)});
  if (rows.empty()) return std::nullopt;
  return ToAccount(rows[0]);
}

std::vector<AccountRecord> SqlTx::ListAccounts(RowId after, int limit) {
  std::vector<AccountRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kAccountColumns, "accounts", "WHERE id > ? ORDER BY id LIMIT ?"),
                 {Int(after), Int(limit)})) {
    out.push_back(ToAccount(r));
  }
  return out;
}

std::vector<PersonRecord> SqlTx::ListPeopleOfProgrammes(const std::vector<RowId>& programmes,
                                                        RowId after, int limit) {
  std::vector<PersonRecord> out;
  if (programmes.empty()) return out;
  std::string marks;
  std::vector<SqlValue> params;
  for (const RowId programme : programmes) {
    if (!marks.empty()) marks += ", ";
    marks += "?";
    params.push_back(Int(programme));
  }
  params.push_back(Int(after));
  params.push_back(Int(limit));
  for (const SqlRow& r :
       db_.Query(Select(kPersonColumns, "people",
                        "WHERE id IN (SELECT person_id FROM enrolments WHERE programme_id IN (" +
                            marks + ")) AND id > ? ORDER BY id LIMIT ?"),
                 params)) {
    out.push_back(ToPerson(r));
  }
  return out;
}

bool SqlTx::AddProgrammeAdmin(RowId programme, RowId account, Millis now) {
  const auto existing =
      db_.Query("SELECT 1 FROM programme_admins WHERE programme_id = ? AND account_id = ?",
                {Int(programme), Int(account)});
  if (!existing.empty()) return false;
  db_.Execute(
      "INSERT INTO programme_admins (programme_id, account_id, created_at) VALUES (?, ?, ?)",
      {Int(programme), Int(account), Int(now)});
  return true;
}

bool SqlTx::RemoveProgrammeAdmin(RowId programme, RowId account) {
  return db_.Execute("DELETE FROM programme_admins WHERE programme_id = ? AND account_id = ?",
                     {Int(programme), Int(account)}) == 1;
}

std::vector<RowId> SqlTx::ListAdministeredProgrammes(RowId account) {
  std::vector<RowId> out;
  for (const SqlRow& r : db_.Query(
           "SELECT programme_id FROM programme_admins WHERE account_id = ? ORDER BY programme_id",
           {Int(account)})) {
    out.push_back(r.Int(0));
  }
  return out;
}

std::vector<RowId> SqlTx::ListProgrammeAdmins(RowId programme) {
  std::vector<RowId> out;
  for (const SqlRow& r : db_.Query(
           "SELECT account_id FROM programme_admins WHERE programme_id = ? ORDER BY account_id",
           {Int(programme)})) {
    out.push_back(r.Int(0));
  }
  return out;
}

// ---- Sessions

RowId SqlTx::InsertSession(const SessionRecord& s) {
  return InsertReturningId(
      "INSERT INTO sessions (token_hash, csrf_hash, account_id, created_at, last_seen_at, "
      "expires_at, ended_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {Text(s.token_hash), Text(s.csrf_hash), Int(s.account), Int(s.created_at),
       Int(s.last_seen_at), Int(s.expires_at), Optional(s.ended_at)});
}

std::optional<SessionRecord> SqlTx::FindSessionByTokenHash(std::string_view token_hash) {
  const auto rows =
      db_.Query(Select(kSessionColumns, "sessions", "WHERE token_hash = ?"), {Text(token_hash)});
  if (rows.empty()) return std::nullopt;
  return ToSession(rows[0]);
}

void SqlTx::TouchSession(RowId id, Millis now) {
  db_.Execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {Int(now), Int(id)});
}

void SqlTx::EndSession(RowId id, Millis now) {
  db_.Execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
              {Int(now), Int(id)});
}

std::int64_t SqlTx::EndAllSessions(RowId account, Millis now) {
  return db_.Execute("UPDATE sessions SET ended_at = ? WHERE account_id = ? AND ended_at IS NULL",
                     {Int(now), Int(account)});
}

// ---- One-time links

RowId SqlTx::InsertOneTimeToken(const OneTimeTokenRecord& t) {
  return InsertReturningId(
      "INSERT INTO one_time_tokens (token_hash, purpose, account_id, created_at, expires_at, "
      "used_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
      {Text(t.token_hash), Text(ToString(t.purpose)), Int(t.account), Int(t.created_at),
       Int(t.expires_at), Optional(t.used_at)});
}

std::optional<OneTimeTokenRecord> SqlTx::FindOneTimeToken(std::string_view token_hash) {
  const auto rows = db_.Query(Select(kOneTimeColumns, "one_time_tokens", "WHERE token_hash = ?"),
                              {Text(token_hash)});
  if (rows.empty()) return std::nullopt;
  return ToOneTimeToken(rows[0]);
}

bool SqlTx::UseOneTimeToken(RowId id, Millis now) {
  return db_.Execute("UPDATE one_time_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL",
                     {Int(now), Int(id)}) == 1;
}

std::int64_t SqlTx::CountOneTimeTokens(RowId account, TokenPurpose purpose, Millis since) {
  return db_
      .Query(
          "SELECT COUNT(*) FROM one_time_tokens WHERE account_id = ? AND purpose = ? AND "
          "created_at >= ?",
          {Int(account), Text(ToString(purpose)), Int(since)})
      .at(0)
      .Int(0);
}

// ---- API tokens

RowId SqlTx::InsertApiToken(const ApiTokenRecord& t) {
  return InsertReturningId(
      "INSERT INTO api_tokens (token_hash, account_id, name, scopes, created_at, last_used_at, "
      "revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
      {Text(t.token_hash), Int(t.account), Text(t.name), Text(JoinList(t.scopes)),
       Int(t.created_at), Optional(t.last_used_at), Optional(t.revoked_at)});
}

std::optional<ApiTokenRecord> SqlTx::FindApiTokenByHash(std::string_view token_hash) {
  const auto rows =
      db_.Query(Select(kApiTokenColumns, "api_tokens", "WHERE token_hash = ?"), {Text(token_hash)});
  if (rows.empty()) return std::nullopt;
  return ToApiToken(rows[0]);
}

std::vector<ApiTokenRecord> SqlTx::ListApiTokens(RowId account) {
  std::vector<ApiTokenRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kApiTokenColumns, "api_tokens", "WHERE account_id = ? ORDER BY id"),
                 {Int(account)})) {
    out.push_back(ToApiToken(r));
  }
  return out;
}

bool SqlTx::RevokeApiToken(RowId id, Millis now) {
  return db_.Execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                     {Int(now), Int(id)}) == 1;
}

void SqlTx::TouchApiToken(RowId id, Millis now) {
  db_.Execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", {Int(now), Int(id)});
}

// ---- Failed sign-ins

void SqlTx::RecordSignInFailure(std::optional<RowId> account, std::string_view client, Millis at) {
  db_.Execute("INSERT INTO sign_in_failures (account_id, client, at) VALUES (?, ?, ?)",
              {Optional(account), Text(client), Int(at)});
}

FailureStats SqlTx::AccountFailures(RowId account, Millis since) {
  return ToFailureStats(
      db_.Query("SELECT COUNT(*), MAX(at) FROM sign_in_failures WHERE account_id = ? AND at >= ?",
                {Int(account), Int(since)}));
}

FailureStats SqlTx::ClientFailures(std::string_view client, Millis since) {
  return ToFailureStats(
      db_.Query("SELECT COUNT(*), MAX(at) FROM sign_in_failures WHERE client = ? AND at >= ?",
                {Text(client), Int(since)}));
}

std::int64_t SqlTx::PruneSignInFailures(Millis before) {
  return db_.Execute("DELETE FROM sign_in_failures WHERE at < ?", {Int(before)});
}

// ---- Outbox

RowId SqlTx::EnqueueMail(const MailRecord& m) {
  return InsertReturningId(
      "INSERT INTO outbox (to_address, subject, text_body, html_body, created_at, "
      "next_attempt_at, attempts, last_error, programme_id) "
      "VALUES (?, ?, ?, ?, ?, ?, 0, '', ?) RETURNING id",
      {Text(m.to_address), Text(m.subject), Text(m.text_body), Text(m.html_body), Int(m.created_at),
       Int(m.next_attempt_at), Optional(m.programme)});
}

std::vector<MailRecord> SqlTx::ClaimMail(std::string_view worker, Millis now, Millis lease_until,
                                         int limit) {
  // PostgreSQL: rows another server is claiming right now are skipped, not waited for. SQLite:
  // the single writer already serialises claims.
  std::string sql =
      "UPDATE outbox SET claimed_by = ?, claimed_until = ? WHERE id IN (SELECT id FROM outbox "
      "WHERE sent_at IS NULL AND handed_over_at IS NULL AND next_attempt_at <= ? AND "
      "(claimed_until IS NULL OR claimed_until < ?) ORDER BY id LIMIT ?";
  sql += postgres_ ? " FOR UPDATE SKIP LOCKED) RETURNING " : ") RETURNING ";
  sql += kMailColumns;
  std::vector<MailRecord> out;
  for (const SqlRow& r :
       db_.Query(sql, {Text(worker), Int(lease_until), Int(now), Int(now), Int(limit)})) {
    out.push_back(ToMail(r));
  }
  std::sort(out.begin(), out.end(),
            [](const MailRecord& a, const MailRecord& b) { return a.id < b.id; });
  return out;
}

bool SqlTx::MarkMailHandedOver(RowId id, std::string_view worker, Millis now) {
  return db_.Execute(
             "UPDATE outbox SET handed_over_at = ? WHERE id = ? AND claimed_by = ? AND "
             "claimed_until >= ? AND sent_at IS NULL",
             {Int(now), Int(id), Text(worker), Int(now)}) == 1;
}

std::vector<RowId> SqlTx::GiveUpMailInDoubt(Millis now, std::string_view error) {
  std::vector<RowId> ids;
  for (const SqlRow& r :
       db_.Query("UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1, "
                 "claimed_until = NULL WHERE handed_over_at IS NOT NULL AND sent_at IS NULL AND "
                 "next_attempt_at < ? AND claimed_until < ? RETURNING id",
                 {Int(std::numeric_limits<std::int64_t>::max()), Text(error),
                  Int(std::numeric_limits<std::int64_t>::max()), Int(now)})) {
    ids.push_back(r.Int(0));
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

bool SqlTx::MarkMailSent(RowId id, std::string_view worker, Millis now) {
  return db_.Execute(
             "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, text_body = '', "
             "html_body = '', claimed_until = NULL, last_error = '' "
             "WHERE id = ? AND claimed_by = ? AND sent_at IS NULL",
             {Int(now), Int(id), Text(worker)}) == 1;
}

bool SqlTx::MarkMailFailed(RowId id, std::string_view worker, std::string_view error,
                           Millis next_attempt_at) {
  return db_.Execute(
             "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
             "claimed_until = NULL, handed_over_at = NULL "
             "WHERE id = ? AND claimed_by = ? AND sent_at IS NULL",
             {Text(error), Int(next_attempt_at), Int(id), Text(worker)}) == 1;
}

std::int64_t SqlTx::CountPendingMail() {
  // A mail given up on waits for nobody: the worker parks it at the end of time.
  return db_
      .Query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND next_attempt_at < ?",
             {Int(std::numeric_limits<std::int64_t>::max())})
      .at(0)
      .Int(0);
}

std::optional<MailRecord> SqlTx::FindMail(RowId id) {
  const auto rows = db_.Query(Select(kMailColumns, "outbox", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToMail(rows[0]);
}

// ---- The tandem's protected space

void SqlTx::InsertAgreementAcceptance(const AgreementAcceptanceRecord& a) {
  db_.Execute(
      "INSERT INTO agreement_acceptances (tandem_id, person_id, text, accepted_at) "
      "VALUES (?, ?, ?, ?)",
      {Int(a.tandem), Int(a.person), Text(a.text), Int(a.accepted_at)});
}

std::vector<AgreementAcceptanceRecord> SqlTx::ListAgreementAcceptances(RowId tandem) {
  std::vector<AgreementAcceptanceRecord> out;
  for (const SqlRow& r :
       db_.Query("SELECT tandem_id, person_id, text, accepted_at FROM agreement_acceptances "
                 "WHERE tandem_id = ? ORDER BY accepted_at, person_id",
                 {Int(tandem)})) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Int(3)});
  }
  return out;
}

namespace {

WorkspaceRecord ToWorkspace(const SqlRow& r) {
  WorkspaceRecord w;
  w.tandem = r.Int(0);
  w.wrapped_key = r.Text(1);
  w.master_key_id = r.Text(2);
  w.key_erased_at = r.OptionalInt(3);
  w.roadmap_version = r.Int(4);
  w.version = r.Int(5);
  w.created_at = r.Int(6);
  return w;
}

RoadmapItemRecord ToRoadmapItem(const SqlRow& r) {
  RoadmapItemRecord i;
  i.id = r.Int(0);
  i.tandem = r.Int(1);
  i.position = r.SmallInt(2);
  i.topic = r.Text(3);
  i.ciphertext = r.Text(4);
  i.nonce = r.Text(5);
  i.covered_at = r.OptionalInt(6);
  i.version = r.Int(7);
  i.created_at = r.Int(8);
  i.updated_at = r.Int(9);
  return i;
}

NoteRecord ToNote(const SqlRow& r) {
  NoteRecord n;
  n.id = r.Int(0);
  n.tandem = r.Int(1);
  n.author = r.Int(2);
  n.is_private = r.Int(3) != 0;
  n.ciphertext = r.Text(4);
  n.nonce = r.Text(5);
  n.version = r.Int(6);
  n.created_at = r.Int(7);
  n.updated_at = r.Int(8);
  return n;
}

MeetingRecord ToMeeting(const SqlRow& r) {
  MeetingRecord m;
  m.id = r.Int(0);
  m.tandem = r.Int(1);
  const auto state = ParseMeetingState(r.Text(2));
  if (!state) throw StoreError(StatusCode::kInternal, "stored meeting has an unknown state");
  m.state = *state;
  m.starts_at = r.Int(3);
  m.duration_minutes = r.SmallInt(4);
  m.time_zone = r.Text(5);
  m.proposed_by = r.Int(6);
  m.ciphertext = r.Text(7);
  m.nonce = r.Text(8);
  m.version = r.Int(9);
  m.created_at = r.Int(10);
  m.updated_at = r.Int(11);
  return m;
}

}  // namespace

void SqlTx::InsertWorkspace(const WorkspaceRecord& w) {
  db_.Execute(
      "INSERT INTO workspaces (tandem_id, wrapped_key, master_key_id, key_erased_at, "
      "roadmap_version, version, created_at) VALUES (?, ?, ?, ?, 1, 1, ?)",
      {Int(w.tandem), Text(w.wrapped_key), Text(w.master_key_id), Optional(w.key_erased_at),
       Int(w.created_at)});
}

bool SqlTx::UpdateWorkspace(const WorkspaceRecord& w) {
  return db_.Execute(
             "UPDATE workspaces SET wrapped_key = ?, master_key_id = ?, key_erased_at = ?, "
             "roadmap_version = ?, version = version + 1 WHERE tandem_id = ? AND version = ?",
             {Text(w.wrapped_key), Text(w.master_key_id), Optional(w.key_erased_at),
              Int(w.roadmap_version), Int(w.tandem), Int(w.version)}) == 1;
}

std::optional<WorkspaceRecord> SqlTx::FindWorkspace(RowId tandem) {
  const auto rows =
      db_.Query(Select(kWorkspaceColumns, "workspaces", "WHERE tandem_id = ?"), {Int(tandem)});
  if (rows.empty()) return std::nullopt;
  return ToWorkspace(rows[0]);
}

std::vector<WorkspaceRecord> SqlTx::ListKeyedWorkspaces() {
  std::vector<WorkspaceRecord> out;
  for (const SqlRow& r : db_.Query(Select(kWorkspaceColumns, "workspaces",
                                          "WHERE key_erased_at IS NULL ORDER BY tandem_id"),
                                   {})) {
    out.push_back(ToWorkspace(r));
  }
  return out;
}

bool SqlTx::EraseWorkspace(RowId tandem, Millis now) {
  const bool erased =
      db_.Execute(
          "UPDATE workspaces SET wrapped_key = '', master_key_id = '', key_erased_at = ?, "
          "version = version + 1 WHERE tandem_id = ? AND key_erased_at IS NULL",
          {Int(now), Int(tandem)}) == 1;
  if (!erased) return false;
  // Without the key the rows are noise; they go too, so that nothing pretends to be content.
  // The partners' feedback to each other is kept no longer than the tandem's content.
  for (const char* table : {"roadmap_items", "notes", "meetings", "partner_feedback"}) {
    db_.Execute(std::string("DELETE FROM ") + table + " WHERE tandem_id = ?", {Int(tandem)});
  }
  return true;
}

RowId SqlTx::InsertRoadmapItem(const RoadmapItemRecord& i) {
  return InsertReturningId(
      "INSERT INTO roadmap_items (tandem_id, position, topic, ciphertext, nonce, covered_at, "
      "version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Int(i.tandem), Int(i.position), Text(i.topic), Text(i.ciphertext), Text(i.nonce),
       Optional(i.covered_at), Int(i.created_at), Int(i.updated_at)});
}

bool SqlTx::UpdateRoadmapItem(const RoadmapItemRecord& i) {
  return db_.Execute(
             "UPDATE roadmap_items SET position = ?, ciphertext = ?, nonce = ?, covered_at = ?, "
             "updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
             {Int(i.position), Text(i.ciphertext), Text(i.nonce), Optional(i.covered_at),
              Int(i.updated_at), Int(i.id), Int(i.version)}) == 1;
}

bool SqlTx::DeleteRoadmapItem(RowId id) {
  return db_.Execute("DELETE FROM roadmap_items WHERE id = ?", {Int(id)}) == 1;
}

std::optional<RoadmapItemRecord> SqlTx::FindRoadmapItem(RowId id) {
  const auto rows = db_.Query(Select(kRoadmapColumns, "roadmap_items", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToRoadmapItem(rows[0]);
}

std::vector<RoadmapItemRecord> SqlTx::ListRoadmapItems(RowId tandem) {
  std::vector<RoadmapItemRecord> out;
  for (const SqlRow& r : db_.Query(
           Select(kRoadmapColumns, "roadmap_items", "WHERE tandem_id = ? ORDER BY position, id"),
           {Int(tandem)})) {
    out.push_back(ToRoadmapItem(r));
  }
  return out;
}

RowId SqlTx::InsertNote(const NoteRecord& n) {
  return InsertReturningId(
      "INSERT INTO notes (tandem_id, author_id, is_private, ciphertext, nonce, version, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Int(n.tandem), Int(n.author), Int(n.is_private ? 1 : 0), Text(n.ciphertext), Text(n.nonce),
       Int(n.created_at), Int(n.updated_at)});
}

bool SqlTx::UpdateNote(const NoteRecord& n) {
  return db_.Execute(
             "UPDATE notes SET ciphertext = ?, nonce = ?, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND version = ?",
             {Text(n.ciphertext), Text(n.nonce), Int(n.updated_at), Int(n.id), Int(n.version)}) ==
         1;
}

bool SqlTx::DeleteNote(RowId id) {
  return db_.Execute("DELETE FROM notes WHERE id = ?", {Int(id)}) == 1;
}

std::optional<NoteRecord> SqlTx::FindNote(RowId id) {
  const auto rows = db_.Query(Select(kNoteColumns, "notes", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToNote(rows[0]);
}

std::vector<NoteRecord> SqlTx::ListNotes(RowId tandem) {
  std::vector<NoteRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kNoteColumns, "notes", "WHERE tandem_id = ? ORDER BY id"), {Int(tandem)})) {
    out.push_back(ToNote(r));
  }
  return out;
}

RowId SqlTx::InsertMeeting(const MeetingRecord& m) {
  return InsertReturningId(
      "INSERT INTO meetings (tandem_id, state, starts_at, duration_minutes, time_zone, "
      "proposed_by, ciphertext, nonce, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id",
      {Int(m.tandem), Text(ToString(m.state)), Int(m.starts_at), Int(m.duration_minutes),
       Text(m.time_zone), Int(m.proposed_by), Text(m.ciphertext), Text(m.nonce), Int(m.created_at),
       Int(m.updated_at)});
}

bool SqlTx::UpdateMeeting(const MeetingRecord& m) {
  return db_.Execute(
             "UPDATE meetings SET state = ?, starts_at = ?, duration_minutes = ?, time_zone = ?, "
             "proposed_by = ?, ciphertext = ?, nonce = ?, updated_at = ?, "
             "version = version + 1 WHERE id = ? AND version = ?",
             {Text(ToString(m.state)), Int(m.starts_at), Int(m.duration_minutes), Text(m.time_zone),
              Int(m.proposed_by), Text(m.ciphertext), Text(m.nonce), Int(m.updated_at), Int(m.id),
              Int(m.version)}) == 1;
}

std::optional<MeetingRecord> SqlTx::FindMeeting(RowId id) {
  const auto rows = db_.Query(Select(kMeetingColumns, "meetings", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToMeeting(rows[0]);
}

std::vector<MeetingRecord> SqlTx::ListMeetings(RowId tandem) {
  std::vector<MeetingRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kMeetingColumns, "meetings", "WHERE tandem_id = ? ORDER BY starts_at, id"),
                 {Int(tandem)})) {
    out.push_back(ToMeeting(r));
  }
  return out;
}

void SqlTx::PutCalendarFeed(RowId person, std::string_view token_hash, Millis now) {
  db_.Execute("DELETE FROM calendar_feeds WHERE person_id = ?", {Int(person)});
  db_.Execute("INSERT INTO calendar_feeds (person_id, token_hash, created_at) VALUES (?, ?, ?)",
              {Int(person), Text(token_hash), Int(now)});
}

bool SqlTx::DeleteCalendarFeed(RowId person) {
  return db_.Execute("DELETE FROM calendar_feeds WHERE person_id = ?", {Int(person)}) == 1;
}

bool SqlTx::RecordNotice(RowId tandem, std::string_view kind, RowId subject, Millis due_at,
                         Millis now) {
  // Both dialects: a second insert of the same key changes nothing and reports no row; on
  // PostgreSQL it first waits for a concurrent insert of that key to commit or roll back.
  return db_.Execute(
             "INSERT INTO sent_notices (tandem_id, kind, subject, due_at, sent_at) "
             "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
             {Int(tandem), Text(kind), Int(subject), Int(due_at), Int(now)}) == 1;
}

std::optional<RowId> SqlTx::FindCalendarFeedPerson(std::string_view token_hash) {
  const auto rows =
      db_.Query("SELECT person_id FROM calendar_feeds WHERE token_hash = ?", {Text(token_hash)});
  if (rows.empty()) return std::nullopt;
  return rows[0].Int(0);
}

RowId SqlTx::InsertLeadershipAsk(const LeadershipAskRecord& a) {
  return InsertReturningId(
      "INSERT INTO leadership_asks (programme_id, author_id, topics, text, created_at) "
      "VALUES (?, ?, ?, ?, ?) RETURNING id",
      {Int(a.programme), Optional(a.author), Text(JoinList(a.topics)), Text(a.text),
       Int(a.created_at)});
}

std::vector<LeadershipAskRecord> SqlTx::ListLeadershipAsks(RowId programme) {
  std::vector<LeadershipAskRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kAskColumns, "leadership_asks", "WHERE programme_id = ? ORDER BY id"),
                 {Int(programme)})) {
    out.push_back(
        {r.Int(0), r.Int(1), r.OptionalInt(2), SplitList(r.Text(3)), r.Text(4), r.Int(5)});
  }
  return out;
}

std::optional<RoleOfferRecord> SqlTx::FindRoleOffer(RowId person) {
  const auto rows = db_.Query(
      "SELECT person_id, mentor_topics, mentee_topics, version, updated_at FROM role_offers "
      "WHERE person_id = ?",
      {Int(person)});
  if (rows.empty()) return std::nullopt;
  const SqlRow& r = rows[0];
  return RoleOfferRecord{r.Int(0), SplitList(r.Text(1)), SplitList(r.Text(2)), r.Int(3), r.Int(4)};
}

bool SqlTx::PutRoleOffer(const RoleOfferRecord& o) {
  // Any version: one statement stores it over whatever is there, so two first saves at the
  // same time both succeed (the later one wins).
  if (o.version == kAnyRoleOfferVersion) {
    return db_.Execute(
               "INSERT INTO role_offers (person_id, mentor_topics, mentee_topics, version, "
               "updated_at) VALUES (?, ?, ?, 2, ?) ON CONFLICT (person_id) DO UPDATE SET "
               "mentor_topics = excluded.mentor_topics, mentee_topics = excluded.mentee_topics, "
               "updated_at = excluded.updated_at, version = role_offers.version + 1",
               {Int(o.person), Text(JoinList(o.mentor_topics)), Text(JoinList(o.mentee_topics)),
                Int(o.updated_at)}) == 1;
  }
  // The first offer replaces the implicit empty one of version 1; an existing row of version 1
  // is left to the version-checked update.
  if (o.version == 1 &&
      db_.Execute("INSERT INTO role_offers (person_id, mentor_topics, mentee_topics, version, "
                  "updated_at) VALUES (?, ?, ?, 2, ?) ON CONFLICT DO NOTHING",
                  {Int(o.person), Text(JoinList(o.mentor_topics)), Text(JoinList(o.mentee_topics)),
                   Int(o.updated_at)}) == 1) {
    return true;
  }
  return db_.Execute(
             "UPDATE role_offers SET mentor_topics = ?, mentee_topics = ?, updated_at = ?, "
             "version = version + 1 WHERE person_id = ? AND version = ?",
             {Text(JoinList(o.mentor_topics)), Text(JoinList(o.mentee_topics)), Int(o.updated_at),
              Int(o.person), Int(o.version)}) == 1;
}

std::vector<RowId> SqlTx::ListRoleOfferers(bool mentor) {
  std::vector<RowId> out;
  for (const SqlRow& r : db_.Query(mentor ? "SELECT person_id FROM role_offers WHERE "
                                            "mentor_topics <> '' ORDER BY person_id"
                                          : "SELECT person_id FROM role_offers WHERE "
                                            "mentee_topics <> '' ORDER BY person_id",
                                   {})) {
    out.push_back(r.Int(0));
  }
  return out;
}

// ---- Surveys and partner feedback

RowId SqlTx::InsertSurvey(const SurveyRecord& v) {
  // Both dialects: a second survey of the same programme, kind and audience inserts nothing
  // and returns no row, and the transaction stays usable (a caller may catch the conflict).
  const std::vector<SqlRow> rows = db_.Query(
      "INSERT INTO surveys (programme_id, kind, audience, definition, state, opened_at, "
      "closed_at, remind_at, reminded_at, released_through, version, created_at, updated_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) "
      "ON CONFLICT (programme_id, kind, audience) DO NOTHING RETURNING id",
      {Int(v.programme), Text(ToString(v.kind)), Text(ToString(v.audience)), Text(v.definition),
       Text(ToString(v.state)), Optional(v.opened_at), Optional(v.closed_at), Optional(v.remind_at),
       Optional(v.reminded_at), Int(v.released_through), Int(v.created_at), Int(v.updated_at)});
  if (rows.empty()) {
    throw StoreError(StatusCode::kConflict,
                     "the programme already has a survey of this kind and audience");
  }
  return rows[0].Int(0);
}

bool SqlTx::UpdateSurvey(const SurveyRecord& v) {
  return db_.Execute(
             "UPDATE surveys SET definition = ?, state = ?, opened_at = ?, closed_at = ?, "
             "remind_at = ?, reminded_at = ?, released_through = ?, updated_at = ?, "
             "version = version + 1 WHERE id = ? AND version = ?",
             {Text(v.definition), Text(ToString(v.state)), Optional(v.opened_at),
              Optional(v.closed_at), Optional(v.remind_at), Optional(v.reminded_at),
              Int(v.released_through), Int(v.updated_at), Int(v.id), Int(v.version)}) == 1;
}

std::optional<SurveyRecord> SqlTx::FindSurvey(RowId id) {
  const auto rows = db_.Query(Select(kSurveyColumns, "surveys", "WHERE id = ?"), {Int(id)});
  if (rows.empty()) return std::nullopt;
  return ToSurvey(rows[0]);
}

std::vector<SurveyRecord> SqlTx::ListSurveys(RowId programme) {
  std::vector<SurveyRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kSurveyColumns, "surveys", "WHERE programme_id = ? ORDER BY id"),
                 {Int(programme)})) {
    out.push_back(ToSurvey(r));
  }
  return out;
}

std::vector<SurveyRecord> SqlTx::ListOpenSurveys() {
  std::vector<SurveyRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kSurveyColumns, "surveys", "WHERE state = 'open' ORDER BY id"), {})) {
    out.push_back(ToSurvey(r));
  }
  return out;
}

bool SqlTx::RecordSurveyInvitation(RowId survey, RowId person, Millis now) {
  // As RecordNotice: a second insert of the same key changes nothing and reports no row.
  return db_.Execute(
             "INSERT INTO survey_invitations (survey_id, person_id, invited_at) VALUES (?, ?, ?) "
             "ON CONFLICT DO NOTHING",
             {Int(survey), Int(person), Int(now)}) == 1;
}

std::vector<RowId> SqlTx::ListSurveyInvitees(RowId survey) {
  std::vector<RowId> out;
  for (const SqlRow& r :
       db_.Query("SELECT person_id FROM survey_invitations WHERE survey_id = ? ORDER BY person_id",
                 {Int(survey)})) {
    out.push_back(r.Int(0));
  }
  return out;
}

RowId SqlTx::InsertSurveyResponse(const SurveyResponseRecord& v) {
  const std::vector<SqlRow> rows = db_.Query(
      "INSERT INTO survey_responses (survey_id, person_id, answers, version, created_at, "
      "updated_at) VALUES (?, ?, ?, 1, ?, ?) "
      "ON CONFLICT (survey_id, person_id) DO NOTHING RETURNING id",
      {Int(v.survey), Optional(v.person), Text(v.answers), Int(v.created_at), Int(v.updated_at)});
  if (rows.empty()) {
    throw StoreError(StatusCode::kConflict, "the person already answered the survey");
  }
  return rows[0].Int(0);
}

bool SqlTx::UpdateSurveyResponse(const SurveyResponseRecord& v) {
  return db_.Execute(
             "UPDATE survey_responses SET answers = ?, updated_at = ?, version = version + 1 "
             "WHERE id = ? AND version = ?",
             {Text(v.answers), Int(v.updated_at), Int(v.id), Int(v.version)}) == 1;
}

std::optional<SurveyResponseRecord> SqlTx::FindSurveyResponse(RowId survey, RowId person) {
  const auto rows = db_.Query(
      Select(kSurveyResponseColumns, "survey_responses", "WHERE survey_id = ? AND person_id = ?"),
      {Int(survey), Int(person)});
  if (rows.empty()) return std::nullopt;
  return ToSurveyResponse(rows[0]);
}

std::vector<SurveyResponseRecord> SqlTx::ListSurveyResponses(RowId survey, RowId through) {
  std::vector<SurveyResponseRecord> out;
  for (const SqlRow& r : db_.Query(Select(kSurveyResponseColumns, "survey_responses",
                                          "WHERE survey_id = ? AND id <= ? ORDER BY id"),
                                   {Int(survey), Int(through)})) {
    out.push_back(ToSurveyResponse(r));
  }
  return out;
}

std::int64_t SqlTx::CountSurveyResponses(RowId survey, RowId after) {
  return db_
      .Query("SELECT COUNT(*) FROM survey_responses WHERE survey_id = ? AND id > ?",
             {Int(survey), Int(after)})
      .at(0)
      .Int(0);
}

bool SqlTx::PutPartnerFeedback(const PartnerFeedbackRecord& f) {
  // As PutRoleOffer: no stored feedback is the empty one of version 1; any version stores over
  // whatever is there in one statement.
  if (f.version == kAnyRoleOfferVersion) {
    return db_.Execute(
               "INSERT INTO partner_feedback (tandem_id, author_id, text, version, created_at, "
               "updated_at) VALUES (?, ?, ?, 2, ?, ?) ON CONFLICT (tandem_id, author_id) DO "
               "UPDATE SET text = excluded.text, updated_at = excluded.updated_at, "
               "version = partner_feedback.version + 1",
               {Int(f.tandem), Int(f.author), Text(f.text), Int(f.created_at),
                Int(f.updated_at)}) == 1;
  }
  if (f.version == 1 &&
      db_.Execute("INSERT INTO partner_feedback (tandem_id, author_id, text, version, created_at, "
                  "updated_at) VALUES (?, ?, ?, 2, ?, ?) ON CONFLICT DO NOTHING",
                  {Int(f.tandem), Int(f.author), Text(f.text), Int(f.created_at),
                   Int(f.updated_at)}) == 1) {
    return true;
  }
  return db_.Execute(
             "UPDATE partner_feedback SET text = ?, updated_at = ?, version = version + 1 "
             "WHERE tandem_id = ? AND author_id = ? AND version = ?",
             {Text(f.text), Int(f.updated_at), Int(f.tandem), Int(f.author), Int(f.version)}) == 1;
}

std::vector<PartnerFeedbackRecord> SqlTx::ListPartnerFeedback(RowId tandem) {
  std::vector<PartnerFeedbackRecord> out;
  for (const SqlRow& r : db_.Query(Select(kPartnerFeedbackColumns, "partner_feedback",
                                          "WHERE tandem_id = ? ORDER BY author_id"),
                                   {Int(tandem)})) {
    out.push_back(ToPartnerFeedback(r));
  }
  return out;
}

// ---- Data rights: what the export of one person reads

std::vector<SessionRecord> SqlTx::ListSessions(RowId account) {
  std::vector<SessionRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kSessionColumns, "sessions", "WHERE account_id = ? ORDER BY id"),
                 {Int(account)})) {
    out.push_back(ToSession(r));
  }
  return out;
}

std::vector<EnrolmentRecord> SqlTx::ListEnrolmentsOfPerson(RowId person) {
  std::vector<EnrolmentRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kEnrolmentColumns, "enrolments", "WHERE person_id = ? ORDER BY id"),
                 {Int(person)})) {
    out.push_back(ToEnrolment(r));
  }
  return out;
}

std::optional<Millis> SqlTx::FindCalendarFeedCreatedAt(RowId person) {
  const auto rows =
      db_.Query("SELECT created_at FROM calendar_feeds WHERE person_id = ?", {Int(person)});
  if (rows.empty()) return std::nullopt;
  return rows[0].Int(0);
}

std::vector<MailRecord> SqlTx::ListMailTo(std::string_view address) {
  std::vector<MailRecord> out;
  for (const SqlRow& r :
       db_.Query(Select(kMailColumns, "outbox", "WHERE LOWER(to_address) = LOWER(?) ORDER BY id"),
                 {Text(address)})) {
    out.push_back(ToMail(r));
  }
  return out;
}

std::vector<AuditRecord> SqlTx::ListAuditByActor(std::string_view actor, RowId after, int limit) {
  std::vector<AuditRecord> out;
  for (const SqlRow& r : db_.Query(
           Select(kAuditColumns, "audit_log", "WHERE actor = ? AND id > ? ORDER BY id LIMIT ?"),
           {Text(actor), Int(after), Int(limit)})) {
    out.push_back(ToAudit(r));
  }
  return out;
}

std::vector<std::pair<RowId, Millis>> SqlTx::ListSurveyInvitationsOf(RowId person) {
  std::vector<std::pair<RowId, Millis>> out;
  for (const SqlRow& r :
       db_.Query("SELECT survey_id, invited_at FROM survey_invitations WHERE person_id = ? "
                 "ORDER BY survey_id",
                 {Int(person)})) {
    out.emplace_back(r.Int(0), r.Int(1));
  }
  return out;
}

const std::vector<TableSpec>& AllTables() {
  static const std::vector<TableSpec> kTables = {
      {"people",
       {"id", "external_id", "name", "email", "department", "location", "manager_id", "level",
        "languages", "erased_at", "version", "created_at", "updated_at"},
       true},
      {"programmes",
       {"id",
        "name",
        "state",
        "mentee_min_level",
        "term_min_months",
        "term_max_months",
        "target_meetings_min",
        "target_meetings_max",
        "mode",
        "version",
        "created_at",
        "updated_at",
        "enrolment_deadline",
        "agreement_de",
        "agreement_en",
        "closed_at",
        "retention_months",
        "show_meeting_counts",
        "min_group_size",
        "partner_feedback",
        "personal_data_erased_at"},
       true},
      {"programme_topics",
       {"programme_id", "position", "key", "name_de", "name_en", "weight"},
       false},
      {"enrolments",
       {"id", "programme_id", "person_id", "mentor_capacity", "mentee_capacity", "state",
        "invited_at", "enrolled_at", "withdrawn_at", "version", "created_at", "updated_at",
        "languages", "availability"},
       true},
      {"answers", {"enrolment_id", "topic_key", "interest", "skill", "experience"}, false},
      {"matching_runs",
       {"id", "programme_id", "created_by", "parameters", "result", "report", "created_at", "state",
        "phase", "progress_done", "progress_total", "error", "claimed_by", "claimed_until",
        "started_at", "finished_at", "published_at", "published_by", "version"},
       true},
      {"tandems",
       {"id",
        "programme_id",
        "run_id",
        "mentor_id",
        "mentee_id",
        "score",
        "topics",
        "reasons",
        "state",
        "mentor_accepted_at",
        "mentee_accepted_at",
        "version",
        "created_at",
        "updated_at",
        "origin",
        "decline_reason",
        "declined_by",
        "ended_at",
        "activated_at",
        "mentor_completed_at",
        "mentee_completed_at",
        "dissolve_reason",
        "dissolved_by",
        "meetings_held"},
       true},
      {"pair_rules",
       {"programme_id", "mentor_id", "mentee_id", "kind", "created_by", "created_at"},
       false},
      {"audit_log", {"id", "at", "actor", "action", "entity", "entity_id", "detail"}, true},
      {"accounts",
       {"id", "email", "person_id", "display_name", "password_hash", "language", "system_admin",
        "disabled_at", "version", "created_at", "updated_at"},
       true},
      {"programme_admins", {"programme_id", "account_id", "created_at"}, false},
      {"sessions",
       {"id", "token_hash", "csrf_hash", "account_id", "created_at", "last_seen_at", "expires_at",
        "ended_at"},
       true},
      {"one_time_tokens",
       {"id", "token_hash", "purpose", "account_id", "created_at", "expires_at", "used_at"},
       true},
      {"api_tokens",
       {"id", "token_hash", "account_id", "name", "scopes", "created_at", "last_used_at",
        "revoked_at"},
       true},
      {"sign_in_failures", {"id", "account_id", "client", "at"}, true},
      {"outbox",
       {"id", "to_address", "subject", "text_body", "html_body", "created_at", "next_attempt_at",
        "attempts", "claimed_by", "claimed_until", "sent_at", "last_error", "programme_id",
        "handed_over_at"},
       true},
      {"agreement_acceptances", {"tandem_id", "person_id", "text", "accepted_at"}, false},
      {"workspaces",
       {"tandem_id", "wrapped_key", "master_key_id", "key_erased_at", "roadmap_version", "version",
        "created_at"},
       false},
      {"roadmap_items",
       {"id", "tandem_id", "position", "topic", "ciphertext", "nonce", "covered_at", "version",
        "created_at", "updated_at"},
       true},
      {"notes",
       {"id", "tandem_id", "author_id", "is_private", "ciphertext", "nonce", "version",
        "created_at", "updated_at"},
       true},
      {"meetings",
       {"id", "tandem_id", "state", "starts_at", "duration_minutes", "time_zone", "proposed_by",
        "ciphertext", "nonce", "version", "created_at", "updated_at"},
       true},
      {"leadership_asks",
       {"id", "programme_id", "author_id", "topics", "text", "created_at"},
       true},
      {"calendar_feeds", {"person_id", "token_hash", "created_at"}, false},
      {"sent_notices", {"tandem_id", "kind", "subject", "due_at", "sent_at"}, false},
      {"role_offers",
       {"person_id", "mentor_topics", "mentee_topics", "version", "updated_at"},
       false},
      {"surveys",
       {"id", "programme_id", "kind", "audience", "definition", "state", "opened_at", "closed_at",
        "remind_at", "reminded_at", "released_through", "version", "created_at", "updated_at"},
       true},
      {"survey_invitations", {"survey_id", "person_id", "invited_at"}, false},
      {"survey_responses",
       {"id", "survey_id", "person_id", "answers", "version", "created_at", "updated_at"},
       true},
      {"partner_feedback",
       {"tandem_id", "author_id", "text", "version", "created_at", "updated_at"},
       false},
  };
  return kTables;
}

}  // namespace tandem::store
