#include "app/data_rights.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace tandem {
namespace {

constexpr int kAuditPage = 1000;

// "1 note" / "3 notes": the count and the noun in its number.
std::string Count(std::int64_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// The workspace content of one tandem through the Workspace use cases, so that the export
// reads exactly what the caller may read there (their partner's private notes never).
Status ReadContent(Workspace& workspace, const Caller& caller, ExportedTandem& t) {
  const RowId id = t.tandem.id;
  Result<RoadmapView> roadmap = workspace.GetRoadmap(caller, id);
  if (!roadmap.ok()) {
    if (roadmap.status().code() == StatusCode::kUnavailable) {
      t.content = ExportedContent::kUnavailable;
      return Status::Ok();
    }
    if (roadmap.status().code() == StatusCode::kConflict) {
      t.content = ExportedContent::kNotOpen;
      return Status::Ok();
    }
    return roadmap.status();
  }
  Result<std::vector<NoteView>> notes = workspace.ListNotes(caller, id);
  if (!notes.ok()) return notes.status();
  Result<std::vector<MeetingView>> meetings = workspace.ListMeetings(caller, id);
  if (!meetings.ok()) return meetings.status();
  t.roadmap = std::move(roadmap).value().items;
  t.notes = std::move(notes).value();
  t.meetings = std::move(meetings).value();
  t.content = ExportedContent::kIncluded;
  return Status::Ok();
}

}  // namespace

std::string_view ToString(ExportedContent content) {
  switch (content) {
    case ExportedContent::kIncluded:
      return "included";
    case ExportedContent::kNotOpen:
      return "not_open";
    case ExportedContent::kErased:
      return "erased";
    case ExportedContent::kUnavailable:
      return "unavailable";
  }
  return "unavailable";
}

std::string ExportDate(Millis at) {
  // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
  std::int64_t days = at / 86'400'000;
  if (at % 86'400'000 < 0) --days;
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day));
  return text;
}

Result<PersonalDataExport> DataRights::Export(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated("sign in first");
  if (caller.api_token != 0) {
    return Status::PermissionDenied(
        "the data export is downloaded in a browser session, not with an API token");
  }
  PersonalDataExport data;
  data.generated_at = clock_.Now();
  data.language = caller.language;
  Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<AccountRecord> account = tx.FindAccount(caller.account);
    if (!account) return Status::NotFound("your account no longer exists");
    data.account = *account;
    data.password_set = !account->password_hash.empty();
    data.account.password_hash.clear();
    data.language = account->language;
    for (const RowId p : tx.ListAdministeredProgrammes(caller.account)) {
      const std::optional<ProgrammeRecord> programme = tx.FindProgramme(p);
      data.administered.emplace_back(p, programme ? programme->name : std::string());
    }
    for (SessionRecord s : tx.ListSessions(caller.account)) {
      s.token_hash.clear();
      s.csrf_hash.clear();
      if (!data.last_sign_in || s.created_at > *data.last_sign_in) data.last_sign_in = s.created_at;
      data.sessions.push_back(std::move(s));
    }
    for (ApiTokenRecord t : tx.ListApiTokens(caller.account)) {
      t.token_hash.clear();
      data.api_tokens.push_back(std::move(t));
    }
    std::set<std::string> addresses = {account->email};
    for (RowId after = 0;;) {
      const std::vector<AuditRecord> page = tx.ListAuditByActor(caller.Actor(), after, kAuditPage);
      // On SQLite an erased account's id can be given again to the next account: entries older
      // than this account are someone else's.
      for (const AuditRecord& entry : page) {
        if (entry.at >= account->created_at) data.audit.push_back(entry);
      }
      if (static_cast<int>(page.size()) < kAuditPage) break;
      after = page.back().id;
    }

    if (account->person) {
      const RowId me = *account->person;
      data.person = tx.FindPerson(me);
      if (data.person) {
        if (!data.person->email.empty()) addresses.insert(data.person->email);
        if (data.person->manager) {
          if (const auto manager = tx.FindPerson(*data.person->manager)) {
            data.manager_name = manager->name;
          }
        }
      }
      data.calendar_feed_created_at = tx.FindCalendarFeedCreatedAt(me);
      data.role_offer = tx.FindRoleOffer(me);

      std::map<RowId, std::string> programme_names;
      const auto programme_name = [&](RowId id) -> const std::string& {
        auto it = programme_names.find(id);
        if (it == programme_names.end()) {
          const std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
          it = programme_names.emplace(id, p ? p->name : std::string()).first;
        }
        return it->second;
      };
      std::set<RowId> programmes;
      for (const EnrolmentRecord& e : tx.ListEnrolmentsOfPerson(me)) {
        programmes.insert(e.programme);
        data.enrolments.push_back({e, programme_name(e.programme), tx.ListAnswers(e.id)});
      }
      for (const TandemRecord& t : tx.ListTandemsOfPerson(me)) {
        programmes.insert(t.programme);
        ExportedTandem out;
        out.tandem = t;
        out.programme_name = programme_name(t.programme);
        out.role = t.mentor == me ? "mentor" : "mentee";
        out.partner = t.mentor == me ? t.mentee : t.mentor;
        if (const auto partner = tx.FindPerson(out.partner)) out.partner_name = partner->name;
        for (const AgreementAcceptanceRecord& a : tx.ListAgreementAcceptances(t.id)) {
          if (a.person == me) out.agreement = a;
        }
        const std::optional<WorkspaceRecord> w = tx.FindWorkspace(t.id);
        if (!w) {
          out.content = ExportedContent::kNotOpen;
        } else if (w->key_erased_at) {
          out.content = ExportedContent::kErased;
        } else {
          out.content = ExportedContent::kIncluded;  // read below, outside this transaction
        }
        for (const PartnerFeedbackRecord& f : tx.ListPartnerFeedback(t.id)) {
          if (f.author == me) out.feedback_given = f;
        }
        data.tandems.push_back(std::move(out));
      }
      std::map<RowId, Millis> invited;
      for (const auto& [survey, at] : tx.ListSurveyInvitationsOf(me)) invited[survey] = at;
      for (const RowId p : programmes) {
        for (const LeadershipAskRecord& ask : tx.ListLeadershipAsks(p)) {
          if (ask.author == me) data.asks.push_back({ask, programme_name(p)});
        }
        for (const SurveyRecord& s : tx.ListSurveys(p)) {
          ExportedSurvey out;
          out.survey = s;
          out.programme_name = programme_name(p);
          if (const auto it = invited.find(s.id); it != invited.end()) out.invited_at = it->second;
          out.response = tx.FindSurveyResponse(s.id, me);
          if (out.invited_at || out.response) data.surveys.push_back(std::move(out));
        }
      }
    }
    for (const std::string& address : addresses) {
      for (MailRecord m : tx.ListMailTo(address)) {
        m.text_body.clear();
        m.html_body.clear();
        data.mails.push_back(std::move(m));
      }
    }
    std::sort(data.mails.begin(), data.mails.end(),
              [](const MailRecord& a, const MailRecord& b) { return a.id < b.id; });
    data.mails.erase(
        std::unique(data.mails.begin(), data.mails.end(),
                    [](const MailRecord& a, const MailRecord& b) { return a.id == b.id; }),
        data.mails.end());
    return Status::Ok();
  });
  if (!status.ok()) return status;

  // The workspace content and the feedback shown to the caller, through their use cases.
  for (ExportedTandem& t : data.tandems) {
    if (t.content == ExportedContent::kIncluded) {
      // One tandem that cannot be read (a damaged row, a key erased meanwhile) does not cost the
      // person the rest of their export: it says the content is unavailable.
      if (Status s = ReadContent(workspace_, caller, t); !s.ok()) {
        t.roadmap.clear();
        t.notes.clear();
        t.meetings.clear();
        t.content = ExportedContent::kUnavailable;
      }
    }
    if (t.feedback_given) {
      Result<PartnerFeedbackView> feedback = surveys_.GetFeedback(caller, t.tandem.id);
      if (feedback.ok() && feedback.value().partner) t.feedback_received = feedback.value().partner;
    }
  }
  data.summary = SummaryOf(data);

  const Millis now = data.generated_at;
  status = store_.Write([&](StoreTx& tx) {
    tx.AppendAudit({0, now, caller.Actor(), "data.export", "account", caller.account, ""});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return data;
}

std::vector<std::string> SummaryOf(const PersonalDataExport& data) {
  const bool de = data.language == Language::kGerman;
  std::vector<std::string> out;
  const std::string date = ExportDate(data.generated_at);
  out.push_back(de ? "Diese Datei enthält alles, was Tandem am " + date +
                         " über Ihr Konto und Ihre Person gespeichert hat."
                   : "This file holds everything Tandem stored about your account and you on " +
                         date + ".");
  if (!data.person) {
    out.emplace_back(de ? "Ihr Konto gehört zu keiner Person im Verzeichnis: Es gibt keine "
                          "Teilnahmedaten."
                        : "Your account belongs to no person in the directory: there is no "
                          "participation data.");
  }
  std::set<RowId> programmes;
  for (const ExportedEnrolment& e : data.enrolments) programmes.insert(e.enrolment.programme);
  if (data.person) {
    const auto n = static_cast<std::int64_t>(programmes.size());
    out.push_back(de ? "Sie wurden zu " + Count(n, "Programm", "Programmen") +
                           " eingeladen oder haben daran teilgenommen."
                     : "You have been invited to or taken part in " +
                           Count(n, "programme", "programmes") + ".");
    std::int64_t answers = 0;
    for (const ExportedEnrolment& e : data.enrolments) {
      answers += static_cast<std::int64_t>(e.answers.size());
    }
    out.push_back(
        de ? "Ihre Fragebögen enthalten " + Count(answers, "Antwort", "Antworten") + " zu Themen."
           : "Your questionnaires hold " + Count(answers, "answer", "answers") + " about topics.");
    const auto tandems = static_cast<std::int64_t>(data.tandems.size());
    out.push_back(de ? "Sie waren oder sind in " + Count(tandems, "Tandem", "Tandems") + "."
                     : "You were or are in " + Count(tandems, "tandem", "tandems") + ".");
    std::int64_t shared = 0, own = 0, items = 0, meetings = 0, unavailable = 0;
    for (const ExportedTandem& t : data.tandems) {
      for (const NoteView& note : t.notes) ++(note.note.is_private ? own : shared);
      items += static_cast<std::int64_t>(t.roadmap.size());
      meetings += static_cast<std::int64_t>(t.meetings.size());
      if (t.content == ExportedContent::kUnavailable) ++unavailable;
    }
    if (tandems > 0) {
      out.push_back(
          de ? "In den Arbeitsbereichen Ihrer Tandems: " +
                   Count(shared, "gemeinsame Notiz", "gemeinsame Notizen") + ", " +
                   Count(own, "eigene private Notiz", "eigene private Notizen") + ", " +
                   Count(items, "Punkt", "Punkte") + " auf der Roadmap und " +
                   Count(meetings, "Treffen", "Treffen") +
                   ". Die privaten Notizen Ihrer Partnerinnen und Partner gehören ihnen und "
                   "sind nicht enthalten."
             : "In your tandems' workspaces: " + Count(shared, "shared note", "shared notes") +
                   ", " + Count(own, "private note", "private notes") + " of your own, " +
                   Count(items, "roadmap item", "roadmap items") + " and " +
                   Count(meetings, "meeting", "meetings") +
                   ". Your partners' private notes are theirs and are not included.");
    }
    if (unavailable > 0) {
      out.push_back(de ? "Der Inhalt von " + Count(unavailable, "Tandem", "Tandems") +
                             " konnte nicht gelesen werden, weil diesem Server der "
                             "Verschlüsselungsschlüssel fehlt. Bitte wenden Sie sich an die "
                             "Systemadministration."
                       : "The content of " + Count(unavailable, "tandem", "tandems") +
                             " could not be read because this server has no encryption key. "
                             "Please ask your system administrator.");
    }
    std::int64_t responses = 0;
    for (const ExportedSurvey& s : data.surveys) responses += s.response ? 1 : 0;
    out.push_back(de ? "Sie haben " + Count(responses, "Umfrage", "Umfragen") + " beantwortet."
                     : "You answered " + Count(responses, "survey", "surveys") + ".");
  }
  const auto mails = static_cast<std::int64_t>(data.mails.size());
  out.push_back(de ? Count(mails, "E-Mail an Sie ist", "E-Mails an Sie sind") +
                         " gespeichert (Betreff und Zeit; der Text wird nach dem Versand gelöscht)."
                   : Count(mails, "mail to you is", "mails to you are") +
                         " stored (subject and time; the text is deleted once sent).");
  const auto sessions = static_cast<std::int64_t>(data.sessions.size());
  const auto audit = static_cast<std::int64_t>(data.audit.size());
  out.push_back(de ? "Das Protokoll enthält " + Count(sessions, "Anmeldung", "Anmeldungen") +
                         " und " + Count(audit, "Eintrag", "Einträge") + " über Ihre Aktionen."
                   : "The log holds " + Count(sessions, "sign-in", "sign-ins") + " and " +
                         Count(audit, "entry", "entries") + " about your actions.");
  return out;
}

}  // namespace tandem
