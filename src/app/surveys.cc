#include "app/surveys.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "app/directory.h"
#include "app/mail_templates.h"
#include "app/survey_json.h"

namespace tandem {
namespace {

// Whether learning figures (LearningOver) show everything that has people behind it; nullopt
// (hidden as a whole) shows nothing.
bool ShowsEveryLearningFigure(const std::optional<std::vector<TopicResult>>& learning) {
  if (!learning) return false;
  for (const TopicResult& t : *learning) {
    if (!t.respondents) return false;
    if (*t.respondents > 0 && (!t.mean || !t.mean_before || !t.mean_change || !t.change_counts)) {
      return false;
    }
  }
  return true;
}

constexpr char kSignIn[] = "sign in first";
constexpr int kBatch = 5000;
constexpr RowId kAllResponses = std::numeric_limits<RowId>::max();

std::string Id(RowId id) { return std::to_string(id); }

Status NotFound(std::string_view what, RowId id) {
  return Status::NotFound(std::string(what) + " " + Id(id) + " not found");
}

std::vector<TandemRecord> AllTandems(StoreTx& tx, RowId programme) {
  std::vector<TandemRecord> out;
  RowId after = 0;
  for (;;) {
    std::vector<TandemRecord> rows = tx.ListTandems(programme, after, kBatch);
    if (rows.empty()) return out;
    after = rows.back().id;
    out.insert(out.end(), std::make_move_iterator(rows.begin()),
               std::make_move_iterator(rows.end()));
  }
}

// Whether the participant routes may be used: a person's own browser session (as in
// app/lifecycle.cc).
Status CheckParticipant(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (caller.api_token != 0) {
    return Status::PermissionDenied("participants act in a browser session, not with API tokens");
  }
  if (!caller.person) {
    return Status::PermissionDenied("this account belongs to no person, so it cannot take part");
  }
  return Status::Ok();
}

// Whether `person` is in the audience: mentee (resp. mentor) of a tandem of the programme that
// became active.
bool InAudience(StoreTx& tx, RowId programme, SurveyAudience audience, RowId person) {
  for (const TandemRecord& t : tx.ListTandemsOfPerson(person)) {
    if (t.programme != programme || !t.activated_at) continue;
    const RowId member = audience == SurveyAudience::kMentees ? t.mentee : t.mentor;
    if (member == person) return true;
  }
  return false;
}

std::string SurveyLink(const std::string& public_url, RowId survey) {
  return public_url + "/surveys/" + Id(survey);
}

// Mails `person` when they have an account that is not disabled; returns whether it did.
bool MailPerson(StoreTx& tx, RowId person, RowId programme, Millis now,
                const std::function<MailContent(Language, const std::string&)>& render) {
  const std::optional<AccountRecord> account = tx.FindAccountByPerson(person);
  if (!account || account->disabled_at) return false;
  std::string name = account->display_name;
  if (name.empty()) {
    if (const std::optional<PersonRecord> p = tx.FindPerson(person)) name = p->name;
  }
  tx.EnqueueMail(OutboxMail(account->email, render(account->language, name), now, programme));
  return true;
}

// Invites every audience member not invited yet; returns how many were newly invited.
std::int64_t InviteAudience(StoreTx& tx, const SurveyRecord& survey,
                            const ProgrammeRecord& programme, const std::string& link, Millis now) {
  std::int64_t invited = 0;
  for (const RowId person : SurveyAudienceOf(tx, programme.id, survey.audience)) {
    if (!tx.RecordSurveyInvitation(survey.id, person, now)) continue;
    ++invited;
    MailPerson(tx, person, programme.id, now, [&](Language language, const std::string& name) {
      return RenderSurveyInvitation(language, name, programme.name, survey.kind, link);
    });
  }
  return invited;
}

SurveyView ViewOf(StoreTx& tx, const SurveyRecord& record, const ProgrammeRecord& programme) {
  const DisclosurePolicy policy = PolicyOf(programme);
  SurveyView view;
  view.record = record;
  view.survey = SurveyOf(record);
  const std::int64_t responses = tx.CountSurveyResponses(record.id, 0);
  const auto invited = static_cast<std::int64_t>(tx.ListSurveyInvitees(record.id).size());
  if (policy.MayShowCount(responses)) view.responses = responses;
  if (policy.MayShowCount(invited)) view.invited = invited;
  view.released = record.released_through > 0;
  view.editable = responses == 0;
  return view;
}

// Problems of a response as the API names them: "answers.<key>" ("answers" for the document).
std::vector<SurveyProblem> AnswerFields(std::vector<SurveyProblem> problems) {
  for (SurveyProblem& p : problems) p.field = p.field.empty() ? "answers" : "answers." + p.field;
  return problems;
}

Status Invalid(const std::vector<SurveyProblem>& problems) {
  std::string message = problems.front().field + ": " + problems.front().message;
  if (problems.size() > 1) message += " (and " + std::to_string(problems.size() - 1) + " more)";
  return Status::InvalidArgument(std::move(message));
}

size_t CodePoints(std::string_view utf8) {
  return static_cast<size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
  }));
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

Status StaleSurvey(const SurveyRecord& s) {
  return Status::FailedPrecondition("survey " + Id(s.id) + " changed since it was read (version " +
                                    std::to_string(s.version) + ")");
}

}  // namespace

// ---- Building blocks

DisclosurePolicy PolicyOf(const ProgrammeRecord& programme) {
  Result<DisclosurePolicy> policy = DisclosurePolicy::WithMinGroupSize(programme.min_group_size);
  return policy.ok() ? policy.value() : DisclosurePolicy();
}

std::vector<std::string> TopicKeysOf(const ProgrammeRecord& programme) {
  std::vector<std::string> keys;
  keys.reserve(programme.topics.size());
  for (const ProgrammeTopic& t : programme.topics) keys.push_back(t.key);
  return keys;
}

Survey SurveyOf(const SurveyRecord& record) {
  Survey survey;
  if (!ParseSurveyDefinition(record.definition, survey).empty()) survey.questions.clear();
  survey.kind = record.kind;
  survey.audience = record.audience;
  return survey;
}

std::vector<RowId> SurveyAudienceOf(StoreTx& tx, RowId programme, SurveyAudience audience) {
  std::set<RowId> members;
  for (const TandemRecord& t : AllTandems(tx, programme)) {
    if (!t.activated_at) continue;
    members.insert(audience == SurveyAudience::kMentees ? t.mentee : t.mentor);
  }
  std::vector<RowId> out;
  for (const RowId person : members) {
    const std::optional<PersonRecord> p = tx.FindPerson(person);
    if (p && !p->erased_at) out.push_back(person);
  }
  return out;
}

std::vector<ReleasedResponse> ReleasedResponsesOf(StoreTx& tx, const SurveyRecord& record) {
  std::vector<ReleasedResponse> out;
  if (record.released_through <= 0) return out;
  const Survey survey = SurveyOf(record);
  for (const SurveyResponseRecord& r : tx.ListSurveyResponses(record.id, record.released_through)) {
    ReleasedResponse released;
    released.person = r.person;
    if (!ParseSurveyResponse(r.answers, survey, released.response).empty()) continue;
    out.push_back(std::move(released));
  }
  return out;
}

std::optional<SurveyResult> ReleasedResultOf(StoreTx& tx, const ProgrammeRecord& programme,
                                             const SurveyRecord& record) {
  if (record.released_through <= 0) return std::nullopt;
  std::vector<SurveyResponse> responses;
  for (ReleasedResponse& r : ReleasedResponsesOf(tx, record)) {
    responses.push_back(std::move(r.response));
  }
  return AggregateSurvey(PolicyOf(programme), SurveyOf(record), TopicKeysOf(programme), responses,
                         static_cast<std::uint64_t>(record.id));
}

std::optional<std::vector<TopicResult>> LearningOver(
    StoreTx& tx, const ProgrammeRecord& programme, SurveyAudience audience,
    const std::vector<ReleasedResponse>& responses) {
  std::vector<LearningRatings> people;
  for (const ReleasedResponse& r : responses) {
    LearningRatings ratings;
    if (audience == SurveyAudience::kMentees) {
      ratings.after = TopicRatingsOf(r.response, kMenteeUnderstandingNow);
      // Before: the enrolment's skill per topic. Gone once the person was erased or withdrew:
      // then the figures would change by this one person, so they are hidden instead.
      const std::optional<EnrolmentRecord> e =
          r.person ? tx.FindEnrolment(programme.id, *r.person) : std::nullopt;
      if (!e) return std::nullopt;
      for (const AnswerRecord& a : tx.ListAnswers(e->id)) {
        ratings.before.push_back({a.topic, a.skill});
      }
      if (ratings.before.empty()) return std::nullopt;
    } else {
      ratings.before = TopicRatingsOf(r.response, kMentorViewBefore);
      ratings.after = TopicRatingsOf(r.response, kMentorViewNow);
    }
    people.push_back(std::move(ratings));
  }
  return LearningPerTopic(PolicyOf(programme), TopicKeysOf(programme), people);
}

ProgrammeLearning LearningOf(StoreTx& tx, const ProgrammeRecord& programme) {
  ProgrammeLearning out;
  for (const SurveyRecord& s : tx.ListSurveys(programme.id)) {
    if (s.kind != SurveyKind::kFinal || s.released_through <= 0) continue;
    std::optional<std::vector<TopicResult>> learning =
        LearningOver(tx, programme, s.audience, ReleasedResponsesOf(tx, s));
    if (!learning) {  // every figure hidden
      learning.emplace();
      for (const std::string& key : TopicKeysOf(programme)) {
        TopicResult hidden;
        hidden.topic = key;
        learning->push_back(std::move(hidden));
      }
    }
    (s.audience == SurveyAudience::kMentees ? out.mentees : out.mentors) = std::move(*learning);
  }
  return out;
}

std::vector<SurveyRecord> InsertMissingSurveys(StoreTx& tx, RowId programme, Millis now) {
  std::vector<SurveyRecord> surveys = tx.ListSurveys(programme);
  bool inserted = false;
  for (const SurveyKind kind : {SurveyKind::kMidTerm, SurveyKind::kFinal}) {
    for (const SurveyAudience audience : {SurveyAudience::kMentees, SurveyAudience::kMentors}) {
      const bool exists = std::any_of(surveys.begin(), surveys.end(), [&](const SurveyRecord& s) {
        return s.kind == kind && s.audience == audience;
      });
      if (exists) continue;
      SurveyRecord s;
      s.programme = programme;
      s.kind = kind;
      s.audience = audience;
      s.definition = SurveyDefinitionJson(DefaultSurvey(kind, audience));
      s.state = SurveyState::kDraft;
      s.created_at = now;
      s.updated_at = now;
      tx.InsertSurvey(s);
      inserted = true;
    }
  }
  return inserted ? tx.ListSurveys(programme) : surveys;
}

// ---- Programme team

Status Surveys::EnsureSurveys(RowId programme) {
  constexpr size_t kFour = 4;
  bool complete = false;
  Status status = store_.Read([&](StoreTx& tx) {
    complete = tx.ListSurveys(programme).size() >= kFour;
    return Status::Ok();
  });
  if (!status.ok() || complete) return status;
  // Another server may insert the same survey at the same time: its insert wins, ours
  // conflicts, and the next attempt finds it.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    status = store_.Write([&](StoreTx& tx) {
      if (!tx.FindProgramme(programme)) return NotFound("programme", programme);
      InsertMissingSurveys(tx, programme, clock_.Now());
      return Status::Ok();
    });
    if (status.code() != StatusCode::kConflict) return status;
  }
  return status;
}

Result<ProgrammeRecord> Surveys::CheckTeamOfProgramme(const Caller& caller, RowId programme,
                                                      bool write, std::string_view what) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  std::optional<ProgrammeRecord> found;
  bool enrolled = false;
  const Status read = store_.Read([&](StoreTx& tx) {
    found = tx.FindProgramme(programme);
    enrolled = found && caller.person && tx.FindEnrolment(programme, *caller.person).has_value();
    return Status::Ok();
  });
  if (!read.ok()) return read;
  const bool team = caller.system_admin || AdministersProgramme(caller, programme);
  const bool sees = found && (team || enrolled) && caller.HasScope(kScopeProgrammesRead);
  if (!sees) return NotFound("programme", programme);
  if (!team) {
    return AuditDenial(store_, clock_, caller, what, "programme", programme,
                       Status::PermissionDenied("only the programme team may do this"));
  }
  if (write && !caller.HasScope(kScopeProgrammesWrite)) {
    return AuditDenial(store_, clock_, caller, what, "programme", programme,
                       Status::PermissionDenied("the API token lacks the scope programmes:write"));
  }
  return *found;
}

Result<ProgrammeRecord> Surveys::CheckTeam(const Caller& caller, RowId survey, bool write,
                                           std::string_view what) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  std::optional<SurveyRecord> found;
  const Status read = store_.Read([&](StoreTx& tx) {
    found = tx.FindSurvey(survey);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (!found) return NotFound("survey", survey);
  Result<ProgrammeRecord> programme = CheckTeamOfProgramme(caller, found->programme, write, what);
  // Who may not see the programme learns nothing about its surveys either.
  if (!programme.ok() && programme.status().code() == StatusCode::kNotFound) {
    return NotFound("survey", survey);
  }
  return programme;
}

Result<SurveyView> Surveys::ViewSurvey(RowId survey) {
  SurveyView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<SurveyRecord> s = tx.FindSurvey(survey);
    if (!s) return NotFound("survey", survey);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(s->programme);
    if (!p) return NotFound("survey", survey);
    view = ViewOf(tx, *s, *p);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<std::vector<SurveyView>> Surveys::ListSurveys(const Caller& caller, RowId programme) {
  Result<ProgrammeRecord> p = CheckTeamOfProgramme(caller, programme, false, "survey.list");
  if (!p.ok()) return p.status();
  if (Status s = EnsureSurveys(programme); !s.ok()) return s;
  std::vector<SurveyView> views;
  const Status status = store_.Read([&](StoreTx& tx) {
    views.clear();
    const std::optional<ProgrammeRecord> found = tx.FindProgramme(programme);
    if (!found) return NotFound("programme", programme);
    for (const SurveyRecord& s : tx.ListSurveys(programme)) views.push_back(ViewOf(tx, s, *found));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return views;
}

Result<SurveyView> Surveys::GetSurvey(const Caller& caller, RowId survey) {
  if (Result<ProgrammeRecord> p = CheckTeam(caller, survey, false, "survey.read"); !p.ok()) {
    return p.status();
  }
  return ViewSurvey(survey);
}

Result<SurveyView> Surveys::UpdateQuestions(const Caller& caller, RowId survey,
                                            std::string_view definition, std::int64_t if_match,
                                            std::vector<SurveyProblem>* problems) {
  if (problems) problems->clear();
  if (Result<ProgrammeRecord> p = CheckTeam(caller, survey, true, "survey.questions"); !p.ok()) {
    return p.status();
  }
  Survey parsed;
  std::vector<SurveyProblem> found = ParseSurveyDefinition(definition, parsed);
  if (!found.empty()) {
    const Status invalid = Invalid(found);
    if (problems) *problems = std::move(found);
    return invalid;
  }
  return UpdateQuestions(caller, survey, parsed, if_match, problems);
}

Result<SurveyView> Surveys::UpdateQuestions(const Caller& caller, RowId survey,
                                            const Survey& questions, std::int64_t if_match,
                                            std::vector<SurveyProblem>* problems) {
  if (problems) problems->clear();
  if (Result<ProgrammeRecord> p = CheckTeam(caller, survey, true, "survey.questions"); !p.ok()) {
    return p.status();
  }
  const Millis now = clock_.Now();
  std::vector<SurveyProblem> found;
  const Status status = store_.Write([&](StoreTx& tx) {
    found.clear();
    std::optional<SurveyRecord> s = tx.FindSurvey(survey);
    if (!s) return NotFound("survey", survey);
    Survey edited = questions;
    edited.kind = s->kind;
    edited.audience = s->audience;
    found = ValidateSurvey(edited);
    if (!found.empty()) return Invalid(found);
    if (if_match != kAnyVersion && s->version != if_match) return StaleSurvey(*s);
    if (tx.CountSurveyResponses(survey, 0) > 0) {
      return Status::Conflict("survey " + Id(survey) +
                              " has answers: its questions can no longer change");
    }
    s->definition = SurveyDefinitionJson(edited);
    s->updated_at = now;
    if (!tx.UpdateSurvey(*s)) return StaleSurvey(*s);
    tx.AppendAudit({0, now, caller.Actor(), "survey.questions", "survey", survey,
                    "questions=" + std::to_string(edited.questions.size())});
    return Status::Ok();
  });
  if (!status.ok()) {
    if (problems) *problems = std::move(found);
    return status;
  }
  return ViewSurvey(survey);
}

Result<SurveyView> Surveys::ChangeState(const Caller& caller, RowId survey, std::int64_t if_match,
                                        std::string_view action) {
  const std::string what = "survey." + std::string(action);
  if (Result<ProgrammeRecord> p = CheckTeam(caller, survey, true, what); !p.ok()) {
    return p.status();
  }
  const Millis now = clock_.Now();
  const std::string link = SurveyLink(public_url_, survey);
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<SurveyRecord> s = tx.FindSurvey(survey);
    if (!s) return NotFound("survey", survey);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(s->programme);
    if (!p) return NotFound("survey", survey);
    if (if_match != kAnyVersion && s->version != if_match) return StaleSurvey(*s);
    const std::string state(ToString(s->state));
    std::string detail;
    if (action == "open" || action == "reopen") {
      const bool first = action == "open";
      const SurveyState from = first ? SurveyState::kDraft : SurveyState::kClosed;
      if (s->state != from) {
        return Status::Conflict("survey " + Id(survey) + " is " + state + ": only a" +
                                (first ? " draft opens" : " closed survey reopens"));
      }
      if (p->state != "running" && p->state != "closed") {
        return Status::Conflict("programme " + Id(p->id) + " is " + p->state +
                                ": surveys open once its tandems run");
      }
      s->state = SurveyState::kOpen;
      if (first) {
        s->opened_at = now;
        s->remind_at = now + kSurveyReminderDelay;
      } else if (!s->reminded_at && (!s->remind_at || *s->remind_at < now + kSurveyReminderDelay)) {
        // Reopened before the reminder went out: it goes a full delay after the reopening, not
        // minutes after the new invitations.
        s->remind_at = now + kSurveyReminderDelay;
      }
      detail = "invited=" + std::to_string(InviteAudience(tx, *s, *p, link, now));
    } else {
      if (s->state != SurveyState::kOpen) {
        return Status::Conflict("survey " + Id(survey) + " is " + state +
                                ": only an open survey closes");
      }
      s->state = SurveyState::kClosed;
      s->closed_at = now;
      // The release rule (docs/reports.md): the first release takes every response. A later
      // one differs from the earlier release by exactly the result of the new responses, so it
      // happens only when that result on its own shows every figure (which needs at least k
      // new responses), or when the earlier release showed nothing.
      // A final survey's learning figures differ between two releases by the learning of
      // the new respondents alike, so theirs must show every figure, too.
      RowId latest = 0;
      std::vector<ReleasedResponse> fresh;
      const Survey questions = SurveyOf(*s);
      for (const SurveyResponseRecord& r : tx.ListSurveyResponses(survey, kAllResponses)) {
        latest = std::max(latest, r.id);
        ReleasedResponse parsed{r.person, {}};
        if (r.id > s->released_through &&
            ParseSurveyResponse(r.answers, questions, parsed.response).empty()) {
          fresh.push_back(std::move(parsed));
        }
      }
      bool release = latest > s->released_through;
      if (release && s->released_through > 0) {
        const std::optional<SurveyResult> earlier = ReleasedResultOf(tx, *p, *s);
        const bool earlier_showed_nothing =
            !earlier || !earlier->respondents || *earlier->respondents == 0;
        std::vector<SurveyResponse> answers;
        answers.reserve(fresh.size());
        for (const ReleasedResponse& r : fresh) answers.push_back(r.response);
        release = earlier_showed_nothing ||
                  (ShowsEveryFigure(AggregateSurvey(PolicyOf(*p), questions, TopicKeysOf(*p),
                                                    answers, static_cast<std::uint64_t>(s->id))) &&
                   (s->kind != SurveyKind::kFinal ||
                    ShowsEveryLearningFigure(LearningOver(tx, *p, s->audience, fresh))));
      }
      if (release) s->released_through = latest;
      detail = release ? "released" : "kept";
    }
    s->updated_at = now;
    if (!tx.UpdateSurvey(*s)) return StaleSurvey(*s);
    tx.AppendAudit({0, now, caller.Actor(), what, "survey", survey, detail});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ViewSurvey(survey);
}

Result<SurveyView> Surveys::Open(const Caller& caller, RowId survey, std::int64_t if_match) {
  return ChangeState(caller, survey, if_match, "open");
}

Result<SurveyView> Surveys::Close(const Caller& caller, RowId survey, std::int64_t if_match) {
  return ChangeState(caller, survey, if_match, "close");
}

Result<SurveyView> Surveys::Reopen(const Caller& caller, RowId survey, std::int64_t if_match) {
  return ChangeState(caller, survey, if_match, "reopen");
}

Result<SurveyResultView> Surveys::Results(const Caller& caller, RowId survey) {
  if (Result<ProgrammeRecord> p = CheckTeam(caller, survey, false, "survey.results"); !p.ok()) {
    return p.status();
  }
  SurveyResultView out;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<SurveyRecord> s = tx.FindSurvey(survey);
    if (!s) return NotFound("survey", survey);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(s->programme);
    if (!p) return NotFound("survey", survey);
    out.survey = ViewOf(tx, *s, *p);
    out.result = ReleasedResultOf(tx, *p, *s);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

// ---- Participants

Result<std::vector<MySurveyView>> Surveys::MySurveys(const Caller& caller) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const RowId me = *caller.person;
  std::vector<MySurveyView> out;
  const Status status = store_.Read([&](StoreTx& tx) {
    out.clear();
    std::map<RowId, std::set<SurveyAudience>> audiences;  // programme -> my audiences
    for (const TandemRecord& t : tx.ListTandemsOfPerson(me)) {
      if (!t.activated_at) continue;
      audiences[t.programme].insert(t.mentee == me ? SurveyAudience::kMentees
                                                   : SurveyAudience::kMentors);
    }
    for (const auto& [programme, mine] : audiences) {
      const std::optional<ProgrammeRecord> p = tx.FindProgramme(programme);
      if (!p) continue;
      for (const SurveyRecord& s : tx.ListSurveys(programme)) {
        if (mine.count(s.audience) == 0 || s.state == SurveyState::kDraft) continue;
        std::optional<SurveyResponseRecord> r = tx.FindSurveyResponse(s.id, me);
        if (s.state != SurveyState::kOpen && !r) continue;
        MySurveyView view;
        view.record = s;
        view.survey = SurveyOf(s);
        view.programme_name = p->name;
        if (r) {
          view.frozen = r->id <= s.released_through;
          view.response = MyResponseView{r->answers, r->version, view.frozen};
        }
        out.push_back(std::move(view));
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<MyResponseView> Surveys::GetMyResponse(const Caller& caller, RowId survey) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  MyResponseView out;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<SurveyRecord> s = tx.FindSurvey(survey);
    if (!s) return NotFound("survey", survey);
    const std::optional<SurveyResponseRecord> r = tx.FindSurveyResponse(survey, *caller.person);
    if (!r) return Status::NotFound("you have not answered survey " + Id(survey));
    out = {r->answers, r->version, r->id <= s->released_through};
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return out;
}

Result<MyResponseView> Surveys::PutMyResponse(const Caller& caller, RowId survey,
                                              std::string_view answers, std::int64_t if_match,
                                              std::vector<SurveyProblem>* problems) {
  if (problems) problems->clear();
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const RowId me = *caller.person;
  const Millis now = clock_.Now();
  std::vector<SurveyProblem> found;
  MyResponseView out;
  const Status status = store_.Write([&](StoreTx& tx) {
    found.clear();
    const std::optional<SurveyRecord> s = tx.FindSurvey(survey);
    if (!s || !InAudience(tx, s->programme, s->audience, me)) return NotFound("survey", survey);
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(s->programme);
    if (!p) return NotFound("survey", survey);
    if (s->state != SurveyState::kOpen) {
      return Status::Conflict("survey " + Id(survey) + " is " + std::string(ToString(s->state)) +
                              ": answers are taken while it is open");
    }
    std::optional<SurveyResponseRecord> existing = tx.FindSurveyResponse(survey, me);
    if (existing && existing->id <= s->released_through) {
      return Status::Conflict("your answers were already counted in released results");
    }
    if (if_match != kAnyVersion && (!existing || existing->version != if_match)) {
      return Status::FailedPrecondition(
          existing ? "your answers changed since they were read (version " +
                         std::to_string(existing->version) + ")"
                   : "you have not answered yet: save the first answers with If-Match: *");
    }
    const Survey questions = SurveyOf(*s);
    SurveyResponse response;
    found = ParseSurveyResponse(answers, questions, response);
    if (found.empty()) found = ValidateResponse(questions, TopicKeysOf(*p), response);
    if (!found.empty()) {
      found = AnswerFields(std::move(found));
      return Invalid(found);
    }
    // Answers are not audited: they belong to their author alone (docs/reports.md).
    const std::string stored = SurveyResponseJson(response);
    if (existing) {
      existing->answers = stored;
      existing->updated_at = now;
      if (!tx.UpdateSurveyResponse(*existing)) {
        return Status::FailedPrecondition("your answers changed since they were read");
      }
      out = {stored, existing->version + 1, false};
    } else {
      SurveyResponseRecord r;
      r.survey = survey;
      r.person = me;
      r.answers = stored;
      r.created_at = now;
      r.updated_at = now;
      tx.InsertSurveyResponse(r);
      out = {stored, 1, false};
    }
    return Status::Ok();
  });
  if (!status.ok()) {
    if (problems) *problems = std::move(found);
    return status;
  }
  return out;
}

// ---- Partner feedback

namespace {

// The caller's tandem that became active, with its programme; NotFound for anyone else.
Status FindFeedbackTandem(StoreTx& tx, RowId id, RowId me, TandemRecord& tandem,
                          ProgrammeRecord& programme) {
  std::optional<TandemRecord> t = tx.FindTandem(id);
  if (!t || (t->mentor != me && t->mentee != me) || !t->activated_at) {
    return NotFound("tandem", id);
  }
  std::optional<ProgrammeRecord> p = tx.FindProgramme(t->programme);
  if (!p) return NotFound("tandem", id);
  tandem = std::move(*t);
  programme = std::move(*p);
  return Status::Ok();
}

PartnerFeedbackView FeedbackViewOf(StoreTx& tx, const TandemRecord& t, const ProgrammeRecord& p,
                                   RowId me) {
  PartnerFeedbackView view;
  view.enabled = p.partner_feedback;
  std::optional<std::string> partner;
  for (PartnerFeedbackRecord& f : tx.ListPartnerFeedback(t.id)) {
    if (f.author == me) {
      view.mine = std::move(f);
    } else {
      view.partner_gave = true;
      partner = std::move(f.text);
    }
  }
  // The partner's text only once both gave theirs.
  if (view.mine && view.partner_gave) view.partner = std::move(partner);
  return view;
}

}  // namespace

Result<PartnerFeedbackView> Surveys::GetFeedback(const Caller& caller, RowId tandem) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  PartnerFeedbackView view;
  const Status status = store_.Read([&](StoreTx& tx) {
    TandemRecord t;
    ProgrammeRecord p;
    if (Status s = FindFeedbackTandem(tx, tandem, *caller.person, t, p); !s.ok()) return s;
    view = FeedbackViewOf(tx, t, p, *caller.person);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

Result<PartnerFeedbackView> Surveys::PutFeedback(const Caller& caller, RowId tandem,
                                                 std::string_view text, std::int64_t if_match) {
  if (Status s = CheckParticipant(caller); !s.ok()) return s;
  const RowId me = *caller.person;
  const Millis now = clock_.Now();
  PartnerFeedbackView view;
  const Status status = store_.Write([&](StoreTx& tx) {
    TandemRecord t;
    ProgrammeRecord p;
    if (Status s = FindFeedbackTandem(tx, tandem, me, t, p); !s.ok()) return s;
    if (!p.partner_feedback) {
      return Status::Conflict("programme " + Id(p.id) + " does not ask for partner feedback");
    }
    // Feedback goes with the tandem's content at the end of retention; none is taken after.
    if (const std::optional<WorkspaceRecord> w = tx.FindWorkspace(tandem); w && w->key_erased_at) {
      return Status::Conflict("tandem " + Id(tandem) +
                              ": its content was erased at the end of its retention period");
    }
    if (IsBlank(text)) return Status::InvalidArgument("text: write your feedback first");
    if (CodePoints(text) > kMaxPartnerFeedbackLength) {
      return Status::InvalidArgument("text: at most " + std::to_string(kMaxPartnerFeedbackLength) +
                                     " characters");
    }
    const PartnerFeedbackView before = FeedbackViewOf(tx, t, p, me);
    if (before.mine && before.partner_gave) {
      return Status::Conflict(
          "your partner has given their feedback too: yours can no longer change");
    }
    if (if_match != kAnyVersion && (!before.mine || before.mine->version != if_match)) {
      return Status::FailedPrecondition(
          before.mine ? "your feedback changed since it was read (version " +
                            std::to_string(before.mine->version) + ")"
                      : "you have not given feedback yet: save it first with If-Match: *");
    }
    PartnerFeedbackRecord f;
    f.tandem = tandem;
    f.author = me;
    f.text = std::string(text);
    f.version = if_match == kAnyVersion ? kAnyRoleOfferVersion : if_match;
    f.created_at = before.mine ? before.mine->created_at : now;
    f.updated_at = now;
    // Feedback is not audited: it is for the partner alone (docs/reports.md).
    if (!tx.PutPartnerFeedback(f)) {
      return Status::FailedPrecondition("your feedback changed since it was read");
    }
    view = FeedbackViewOf(tx, t, p, me);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return view;
}

// ---- The sweeper

Result<std::int64_t> Surveys::SendDueReminders() {
  const Millis now = clock_.Now();
  std::vector<RowId> due;
  Status status = store_.Read([&](StoreTx& tx) {
    due.clear();
    for (const SurveyRecord& s : tx.ListOpenSurveys()) {
      if (s.remind_at && *s.remind_at <= now && !s.reminded_at) due.push_back(s.id);
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  std::int64_t mails = 0;
  for (const RowId id : due) {
    std::int64_t here = 0;
    status = store_.Write([&](StoreTx& tx) {
      here = 0;
      std::optional<SurveyRecord> s = tx.FindSurvey(id);
      if (!s || s->state != SurveyState::kOpen || !s->remind_at || *s->remind_at > now ||
          s->reminded_at) {
        return Status::Ok();  // another server reminded, or it closed since
      }
      const std::optional<ProgrammeRecord> p = tx.FindProgramme(s->programme);
      if (!p) return Status::Ok();
      s->reminded_at = now;
      s->updated_at = now;
      // The claim: of two servers only one stores it; the other does nothing.
      if (!tx.UpdateSurvey(*s)) return Status::Ok();
      const std::string link = SurveyLink(public_url_, id);
      for (const RowId person : tx.ListSurveyInvitees(id)) {
        if (tx.FindSurveyResponse(id, person)) continue;
        if (MailPerson(tx, person, p->id, now, [&](Language language, const std::string& name) {
              return RenderSurveyReminder(language, name, p->name, s->kind, link);
            })) {
          ++here;
        }
      }
      tx.AppendAudit({0, now, "system", "survey.remind", "survey", id, ""});
      return Status::Ok();
    });
    if (!status.ok()) return status;
    mails += here;
  }
  return mails;
}

}  // namespace tandem
