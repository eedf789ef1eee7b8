#include "http/export_json.h"

#include <limits>
#include <string>

#include "http/json_mapping.h"

namespace tandem::http {
namespace {

using nlohmann::json;

json Nullable(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

// JSON text that the app stored (a tandem's reasons, a survey's questions, answers): parsed,
// or `fallback` when empty or unreadable.
json Embedded(const std::string& text, json fallback) {
  if (text.empty()) return fallback;
  json value = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? fallback : value;
}

json Programme(RowId id, const std::string& name) { return {{"id", id}, {"name", name}}; }

json Account(const PersonalDataExport& d) {
  const AccountRecord& a = d.account;
  json administered = json::array();
  for (const auto& [id, name] : d.administered) administered.push_back(Programme(id, name));
  return {{"id", a.id},
          {"email", a.email},
          {"display_name", a.display_name},
          {"language", ToString(a.language)},
          {"system_admin", a.system_admin},
          {"password_set", d.password_set},
          {"disabled_at", Nullable(a.disabled_at)},
          {"created_at", a.created_at},
          {"updated_at", a.updated_at},
          {"version", a.version},
          {"last_sign_in", Nullable(d.last_sign_in)},
          {"administered_programmes", std::move(administered)}};
}

json Person(const PersonalDataExport& d) {
  if (!d.person) return nullptr;
  const PersonRecord& p = *d.person;
  return {{"id", p.id},
          {"external_id", p.external_id},
          {"name", p.name},
          {"email", p.email},
          {"department", p.department},
          {"location", p.location},
          {"manager", p.manager ? json{{"id", *p.manager}, {"name", d.manager_name}} : json()},
          {"level", p.level},
          {"languages", p.languages},
          {"created_at", p.created_at},
          {"updated_at", p.updated_at},
          {"version", p.version}};
}

json Enrolment(const ExportedEnrolment& x) {
  const EnrolmentRecord& e = x.enrolment;
  json answers = json::array();
  for (const AnswerRecord& a : x.answers) {
    answers.push_back({{"topic", a.topic},
                       {"interest", a.interest},
                       {"skill", a.skill},
                       {"experience", a.experience}});
  }
  return {{"id", e.id},
          {"programme", Programme(e.programme, x.programme_name)},
          {"state", ToString(e.state)},
          {"mentor_capacity", e.mentor_capacity},
          {"mentee_capacity", e.mentee_capacity},
          {"languages", e.languages},
          {"availability", e.availability},
          {"invited_at", Nullable(e.invited_at)},
          {"enrolled_at", Nullable(e.enrolled_at)},
          {"withdrawn_at", Nullable(e.withdrawn_at)},
          {"created_at", e.created_at},
          {"updated_at", e.updated_at},
          {"version", e.version},
          {"answers", std::move(answers)}};
}

json Tandem(const ExportedTandem& x) {
  const TandemRecord& t = x.tandem;
  const RowId me = x.role == "mentor" ? t.mentor : t.mentee;
  json out = {{"id", t.id},
              {"programme", Programme(t.programme, x.programme_name)},
              {"role", x.role},
              {"partner", {{"id", x.partner}, {"name", x.partner_name}}},
              {"state", ToString(t.state)},
              {"origin", t.origin},
              {"score", t.score},
              {"topics", t.topics},
              {"reasons", Embedded(t.reasons, t.reasons.empty() ? json() : json(t.reasons))},
              {"mentor_accepted_at", Nullable(t.mentor_accepted_at)},
              {"mentee_accepted_at", Nullable(t.mentee_accepted_at)},
              {"activated_at", Nullable(t.activated_at)},
              {"mentor_completed_at", Nullable(t.mentor_completed_at)},
              {"mentee_completed_at", Nullable(t.mentee_completed_at)},
              {"ended_at", Nullable(t.ended_at)},
              {"declined_by_you", t.declined_by == me},
              {"dissolved_by_you", t.dissolved_by == me},
              {"meetings_held", t.meetings_held},
              {"created_at", t.created_at},
              {"updated_at", t.updated_at}};
  // A reason written for the programme team is the caller's only when they wrote it.
  out["decline_reason"] = t.declined_by == me ? json(t.decline_reason) : json();
  out["dissolve_reason"] = t.dissolved_by == me ? json(t.dissolve_reason) : json();
  out["agreement"] =
      x.agreement ? json{{"text", x.agreement->text}, {"accepted_at", x.agreement->accepted_at}}
                  : json();
  out["content"] = ToString(x.content);
  json roadmap = json::array();
  for (const RoadmapItemView& i : x.roadmap) roadmap.push_back(ToJson(i));
  json notes = json::array();
  for (const NoteView& n : x.notes) notes.push_back(ToJson(n));
  json meetings = json::array();
  for (const MeetingView& m : x.meetings) meetings.push_back(ToJson(m));
  out["roadmap"] = std::move(roadmap);
  out["notes"] = std::move(notes);
  out["meetings"] = std::move(meetings);
  out["feedback"] = {{"given", x.feedback_given ? json{{"text", x.feedback_given->text},
                                                       {"created_at", x.feedback_given->created_at},
                                                       {"updated_at", x.feedback_given->updated_at}}
                                                : json()},
                     {"received", x.feedback_received ? json(*x.feedback_received) : json()}};
  return out;
}

json Survey(const ExportedSurvey& x) {
  const SurveyRecord& s = x.survey;
  json response;
  if (x.response) {
    response = {{"answers", Embedded(x.response->answers, json::object())},
                {"created_at", x.response->created_at},
                {"updated_at", x.response->updated_at},
                {"version", x.response->version}};
  }
  return {{"id", s.id},
          {"programme", Programme(s.programme, x.programme_name)},
          {"kind", ToString(s.kind)},
          {"audience", ToString(s.audience)},
          {"questions", Embedded(s.definition, json::object())},
          {"invited_at", Nullable(x.invited_at)},
          {"response", std::move(response)}};
}

json Mail(const MailRecord& m) {
  std::string state = "waiting";
  if (m.sent_at) {
    state = "sent";
  } else if (m.next_attempt_at == std::numeric_limits<Millis>::max()) {
    state = "given_up";
  }
  return {{"id", m.id},
          {"to", m.to_address},
          {"subject", m.subject},
          {"state", state},
          {"created_at", m.created_at},
          {"sent_at", Nullable(m.sent_at)},
          {"attempts", m.attempts}};
}

}  // namespace

json ToJson(const PersonalDataExport& d, RowId current_session) {
  json sessions = json::array();
  for (const SessionRecord& s : d.sessions) {
    sessions.push_back({{"id", s.id},
                        {"created_at", s.created_at},
                        {"last_used_at", s.last_seen_at},
                        {"expires_at", s.expires_at},
                        {"ended_at", Nullable(s.ended_at)},
                        {"current", s.id == current_session}});
  }
  json tokens = json::array();
  for (const ApiTokenRecord& t : d.api_tokens) {
    tokens.push_back({{"id", t.id},
                      {"name", t.name},
                      {"scopes", t.scopes},
                      {"created_at", t.created_at},
                      {"last_used_at", Nullable(t.last_used_at)},
                      {"revoked_at", Nullable(t.revoked_at)}});
  }
  json enrolments = json::array();
  for (const ExportedEnrolment& e : d.enrolments) enrolments.push_back(Enrolment(e));
  json tandems = json::array();
  for (const ExportedTandem& t : d.tandems) tandems.push_back(Tandem(t));
  json asks = json::array();
  for (const ExportedAsk& a : d.asks) {
    asks.push_back({{"id", a.ask.id},
                    {"programme", Programme(a.ask.programme, a.programme_name)},
                    {"topics", a.ask.topics},
                    {"text", a.ask.text},
                    {"created_at", a.ask.created_at}});
  }
  json surveys = json::array();
  for (const ExportedSurvey& s : d.surveys) surveys.push_back(Survey(s));
  json mails = json::array();
  for (const MailRecord& m : d.mails) mails.push_back(Mail(m));
  json audit = json::array();
  for (const AuditRecord& a : d.audit) {
    audit.push_back({{"id", a.id},
                     {"at", a.at},
                     {"action", a.action},
                     {"entity", a.entity},
                     {"entity_id", Nullable(a.entity_id)}});
  }
  json role_offer;
  if (d.role_offer) {
    role_offer = {{"mentor_topics", d.role_offer->mentor_topics},
                  {"mentee_topics", d.role_offer->mentee_topics},
                  {"updated_at", d.role_offer->updated_at},
                  {"version", d.role_offer->version}};
  }
  return {{"format", "tandem-export/1"},
          {"generated_at", d.generated_at},
          {"language", ToString(d.language)},
          {"summary", d.summary},
          {"account", Account(d)},
          {"sessions", std::move(sessions)},
          {"api_tokens", std::move(tokens)},
          {"calendar_feed",
           {{"exists", d.calendar_feed_created_at.has_value()},
            {"created_at", Nullable(d.calendar_feed_created_at)}}},
          {"person", Person(d)},
          {"enrolments", std::move(enrolments)},
          {"role_offer", std::move(role_offer)},
          {"tandems", std::move(tandems)},
          {"asks", std::move(asks)},
          {"surveys", std::move(surveys)},
          {"mails", std::move(mails)},
          {"audit", std::move(audit)}};
}

}  // namespace tandem::http
