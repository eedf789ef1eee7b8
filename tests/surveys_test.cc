// Surveys and partner feedback (issue 8) through their use cases, on SQLite and PostgreSQL:
// permissions per role, editing only while unanswered, the state machine with invitations once
// (also at a reopen), the one reminder across two concurrent sweeps, the release rule, frozen
// responses, response problems named by field, the both-gave rule of partner feedback, and
// learning deltas over a generated cohort with known answers.
#include "app/surveys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <barrier>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/directory.h"
#include "app/programmes.h"
#include "app/survey_json.h"
#include "backend_fixture.h"

namespace tandem {
namespace {

constexpr Millis kStart = 1'800'000'000'000;
constexpr Millis kDay = 24LL * 60 * 60 * 1000;

const std::vector<std::string> kTopics = {"ai", "cloud", "data"};

bool HasField(const std::vector<SurveyProblem>& problems, const std::string& field) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const SurveyProblem& p) { return p.field == field; });
}

std::string Fields(const std::vector<SurveyProblem>& problems) {
  std::string out;
  for (const SurveyProblem& p : problems) out += p.field + ": " + p.message + "\n";
  return out;
}

// A complete valid response: every question answered with a fixed value.
SurveyResponse FullResponse(const Survey& survey) {
  SurveyResponse r;
  for (const Question& q : survey.questions) {
    Answer a;
    a.question = q.key;
    switch (q.type) {
      case QuestionType::kScale:
        a.number = 4;
        break;
      case QuestionType::kRecommendation:
        a.number = 9;
        break;
      case QuestionType::kSingleChoice:
        a.choice = q.choices.front().key;
        break;
      case QuestionType::kFreeText:
        a.text = "Sehr hilfreich";
        break;
      case QuestionType::kTopicRating:
        a.topics = {{"ai", 2}};
        break;
    }
    r.answers.push_back(std::move(a));
  }
  return r;
}

// Sets the topic ratings of question `key` in `response`.
void SetTopics(SurveyResponse& response, const std::string& key,
               const std::vector<TopicRating>& r) {
  for (Answer& a : response.answers) {
    if (a.question == key) a.topics = r;
  }
}

class SurveysTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store_) return;
    surveys_ = std::make_unique<Surveys>(*store_, clock_, "https://tandem.test");
    admin_.account = 1;
    admin_.system_admin = true;
    admin_.session = 1;
  }
  void TearDown() override {
    surveys_.reset();
    BackendTest::TearDown();
  }

  Status Write(const TxFunction& fn) { return store_->Write(fn); }

  // A person with an account (for mails).
  RowId AddPerson(const std::string& name, Language language = Language::kGerman) {
    RowId id = 0;
    EXPECT_TRUE(Write([&](StoreTx& tx) {
                  PersonRecord p;
                  p.external_id = name;
                  p.name = name;
                  p.email = name + "@example.test";
                  p.level = 3;
                  p.created_at = p.updated_at = clock_.Now();
                  id = tx.InsertPerson(p);
                  AccountRecord a;
                  a.email = p.email;
                  a.person = id;
                  a.language = language;
                  a.created_at = a.updated_at = clock_.Now();
                  tx.InsertAccount(a);
                  return Status::Ok();
                }).ok());
    return id;
  }

  RowId CreateRunningProgramme(const std::string& name, int k = kDefaultMinGroupSize,
                               std::string state = "running") {
    ProgrammeRecord p;
    p.name = name;
    for (const std::string& key : kTopics) p.topics.push_back({key, key + " de", key + " en", 1});
    p.min_group_size = k;
    Result<RowId> id = CreateProgramme(*store_, p, "test", clock_.Now());
    EXPECT_TRUE(id.ok()) << id.status().message();
    SetProgramme(id.value(), [&](ProgrammeRecord& r) { r.state = state; });
    return id.value();
  }

  void SetProgramme(RowId id, const std::function<void(ProgrammeRecord&)>& change) {
    ASSERT_TRUE(Write([&](StoreTx& tx) {
                  std::optional<ProgrammeRecord> p = tx.FindProgramme(id);
                  if (!p) return Status::NotFound("programme");
                  change(*p);
                  return tx.UpdateProgramme(*p) ? Status::Ok() : Status::Conflict("changed");
                }).ok());
  }

  void Enrol(RowId programme, RowId person, int mentor, int mentee,
             const std::vector<AnswerRecord>& answers = {}) {
    ASSERT_TRUE(Write([&](StoreTx& tx) {
                  EnrolmentRecord e;
                  e.programme = programme;
                  e.person = person;
                  e.mentor_capacity = mentor;
                  e.mentee_capacity = mentee;
                  e.state = EnrolmentState::kEnrolled;
                  e.invited_at = e.enrolled_at = clock_.Now();
                  e.created_at = e.updated_at = clock_.Now();
                  const RowId id = tx.InsertEnrolment(e);
                  tx.ReplaceAnswers(id, answers);
                  return Status::Ok();
                }).ok());
  }

  RowId AddTandem(RowId programme, RowId mentor, RowId mentee, bool activated = true) {
    RowId id = 0;
    EXPECT_TRUE(Write([&](StoreTx& tx) {
                  TandemRecord t;
                  t.programme = programme;
                  t.mentor = mentor;
                  t.mentee = mentee;
                  t.topics = {"ai"};
                  t.reasons = "[]";
                  t.state = activated ? TandemState::kActive : TandemState::kProposed;
                  if (activated) t.activated_at = clock_.Now();
                  t.created_at = t.updated_at = clock_.Now();
                  id = tx.InsertTandem(t);
                  return Status::Ok();
                }).ok());
    return id;
  }

  struct Pairs {
    std::vector<RowId> mentors;
    std::vector<RowId> mentees;
    std::vector<RowId> tandems;
  };

  // `n` active tandems, everyone enrolled; mentee i's enrolment skill on every topic is
  // `skill(i)`.
  Pairs AddPairs(
      RowId programme, int n, const std::string& prefix,
      const std::function<int(int)>& skill = [](int) { return 1; }) {
    Pairs out;
    for (int i = 0; i < n; ++i) {
      const RowId mentor = AddPerson(prefix + "mentor" + std::to_string(i));
      const RowId mentee = AddPerson(prefix + "mentee" + std::to_string(i), Language::kEnglish);
      std::vector<AnswerRecord> answers;
      answers.reserve(kTopics.size());
      for (const std::string& t : kTopics) answers.push_back({t, 2, skill(i), ""});
      Enrol(programme, mentor, 1, 0);
      Enrol(programme, mentee, 0, 1, answers);
      out.mentors.push_back(mentor);
      out.mentees.push_back(mentee);
      out.tandems.push_back(AddTandem(programme, mentor, mentee));
    }
    return out;
  }

  Caller Participant(RowId person) {
    Caller c;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      const std::optional<AccountRecord> a = tx.FindAccountByPerson(person);
                      c.account = a ? a->id : 1000 + person;
                      return Status::Ok();
                    })
                    .ok());
    c.person = person;
    c.session = 1;
    return c;
  }

  // The survey of `programme` with `kind` and `audience` (as the team lists them).
  SurveyView Find(RowId programme, SurveyKind kind, SurveyAudience audience) {
    Result<std::vector<SurveyView>> list = surveys_->ListSurveys(admin_, programme);
    EXPECT_TRUE(list.ok()) << list.status().message();
    for (const SurveyView& v : list.value()) {
      if (v.record.kind == kind && v.record.audience == audience) return v;
    }
    ADD_FAILURE() << "no such survey";
    return {};
  }

  // Every mail enqueued since the last call (marked sent).
  std::vector<MailRecord> TakeMails() {
    std::vector<MailRecord> mails;
    EXPECT_TRUE(Write([&](StoreTx& tx) {
                  mails = tx.ClaimMail("test", clock_.Now(), clock_.Now() + 60'000, 100000);
                  for (const MailRecord& m : mails) tx.MarkMailSent(m.id, "test", clock_.Now());
                  return Status::Ok();
                }).ok());
    return mails;
  }

  static std::set<std::string> Recipients(const std::vector<MailRecord>& mails) {
    std::set<std::string> out;
    for (const MailRecord& m : mails) out.insert(m.to_address);
    return out;
  }

  std::string Email(RowId person) {
    std::string email;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      email = tx.FindPerson(person)->email;
                      return Status::Ok();
                    })
                    .ok());
    return email;
  }

  Result<MyResponseView> Answer(RowId person, const SurveyView& survey,
                                const SurveyResponse& response, std::int64_t if_match = kAnyVersion,
                                std::vector<SurveyProblem>* problems = nullptr) {
    return surveys_->PutMyResponse(Participant(person), survey.record.id,
                                   SurveyResponseJson(response), if_match, problems);
  }

  std::vector<AuditRecord> Audit() {
    std::vector<AuditRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      out = tx.ListAudit(0, 10000);
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  ManualClock clock_{kStart};
  std::unique_ptr<Surveys> surveys_;
  Caller admin_;
};

TEST_P(SurveysTest, FourDefaultSurveysAndPermissionsPerRole) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 2, "p");
  const RowId outsider = AddPerson("outsider");

  Result<std::vector<SurveyView>> list = surveys_->ListSurveys(admin_, programme);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list.value().size(), 4U);
  std::set<std::pair<SurveyKind, SurveyAudience>> kinds;
  for (const SurveyView& v : list.value()) {
    kinds.insert({v.record.kind, v.record.audience});
    EXPECT_EQ(v.record.state, SurveyState::kDraft);
    EXPECT_TRUE(v.editable);
    EXPECT_FALSE(v.released);
    EXPECT_EQ(v.responses, 0);
    EXPECT_EQ(v.invited, 0);
    EXPECT_FALSE(v.survey.questions.empty());
  }
  EXPECT_EQ(kinds.size(), 4U);
  // Listing again creates nothing new.
  Result<std::vector<SurveyView>> again = surveys_->ListSurveys(admin_, programme);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().front().record.id, list.value().front().record.id);
  const RowId survey = list.value().front().record.id;

  // The programme's administrator (not a system admin) is team.
  Caller programme_admin;
  programme_admin.account = 77;
  programme_admin.programmes = {programme};
  programme_admin.session = 1;
  EXPECT_TRUE(surveys_->GetSurvey(programme_admin, survey).ok());

  // A participant of the programme is refused (audited); an outsider learns nothing.
  const Caller mentee = Participant(pairs.mentees[0]);
  EXPECT_EQ(surveys_->ListSurveys(mentee, programme).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(surveys_->GetSurvey(mentee, survey).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(surveys_->Results(mentee, survey).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(surveys_->Open(mentee, survey, kAnyVersion).status().code(),
            StatusCode::kPermissionDenied);
  const Caller stranger = Participant(outsider);
  EXPECT_EQ(surveys_->ListSurveys(stranger, programme).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(surveys_->GetSurvey(stranger, survey).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(surveys_->GetSurvey(admin_, 999999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(surveys_->GetSurvey(Caller{}, survey).status().code(), StatusCode::kUnauthenticated);

  // API tokens: programmes:read reads, programmes:write changes; never the participant routes.
  Caller token;
  token.account = 1;
  token.system_admin = true;
  token.api_token = 9;
  token.scopes = {kScopeProgrammesRead};
  EXPECT_TRUE(surveys_->ListSurveys(token, programme).ok());
  EXPECT_TRUE(surveys_->Results(token, survey).ok());
  EXPECT_EQ(surveys_->Open(token, survey, kAnyVersion).status().code(),
            StatusCode::kPermissionDenied);
  std::vector<SurveyProblem> problems;
  EXPECT_EQ(surveys_
                ->UpdateQuestions(token, survey, list.value().front().record.definition,
                                  kAnyVersion, &problems)
                .status()
                .code(),
            StatusCode::kPermissionDenied);
  token.scopes = {kScopeProgrammesRead, kScopeProgrammesWrite};
  EXPECT_TRUE(surveys_->Open(token, survey, kAnyVersion).ok());
  Caller participant_token = mentee;
  participant_token.api_token = 3;
  EXPECT_EQ(surveys_->MySurveys(participant_token).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(surveys_->GetFeedback(participant_token, pairs.tandems[0]).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(surveys_->MySurveys(Caller{}).status().code(), StatusCode::kUnauthenticated);

  // Denials are audited; nothing mentions answers.
  const std::vector<AuditRecord> audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const AuditRecord& a) {
    return a.actor == mentee.Actor() && a.action == "permission.denied" &&
           a.detail == "survey.list";
  }));
}

TEST_P(SurveysTest, TwoServersListingAtOnceCreateFourSurveys) {
  const RowId programme = CreateRunningProgramme("Pilot");
  Surveys other(*store_, clock_, "https://tandem.test");
  std::barrier start(2);
  Result<std::vector<SurveyView>> lists[2] = {Status::Internal("not run"),
                                              Status::Internal("not run")};
  std::thread a([&] {
    start.arrive_and_wait();
    lists[0] = surveys_->ListSurveys(admin_, programme);
  });
  std::thread b([&] {
    start.arrive_and_wait();
    lists[1] = other.ListSurveys(admin_, programme);
  });
  a.join();
  b.join();
  for (const auto& list : lists) {
    ASSERT_TRUE(list.ok()) << list.status().message();
    EXPECT_EQ(list.value().size(), 4U);
  }
  EXPECT_EQ(lists[0].value().front().record.id, lists[1].value().front().record.id);
}

TEST_P(SurveysTest, QuestionsChangeOnlyWhileNobodyAnswered) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 1, "q");
  const SurveyView mid = Find(programme, SurveyKind::kMidTerm, SurveyAudience::kMentees);

  // Parse problems name the JSON path.
  std::vector<SurveyProblem> problems;
  Result<SurveyView> bad = surveys_->UpdateQuestions(
      admin_, mid.record.id,
      R"({"questions": [{"key": "x", "type": "stars", "text": {"de": "X", "en": "X"}}]})",
      kAnyVersion, &problems);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasField(problems, "questions[0].type")) << Fields(problems);

  // The survey's rules: named by question key.
  Survey edited = mid.survey;
  edited.questions.push_back(edited.questions.front());  // a duplicate key
  edited.questions.back().text.en = "";
  bad = surveys_->UpdateQuestions(admin_, mid.record.id, SurveyDefinitionJson(edited), kAnyVersion,
                                  &problems);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasField(problems, edited.questions.front().key)) << Fields(problems);

  // A valid edit; a stale version is refused.
  edited = mid.survey;
  edited.questions.erase(edited.questions.begin());
  Question extra;
  extra.key = "coffee";
  extra.type = QuestionType::kFreeText;
  extra.text = {"Kaffee?", "Coffee?"};
  edited.questions.push_back(extra);
  Result<SurveyView> ok = surveys_->UpdateQuestions(
      admin_, mid.record.id, SurveyDefinitionJson(edited), mid.record.version, &problems);
  ASSERT_TRUE(ok.ok()) << ok.status().message() << Fields(problems);
  EXPECT_EQ(ok.value().survey.questions.size(), mid.survey.questions.size());
  EXPECT_EQ(ok.value().survey.questions.back().key, "coffee");
  EXPECT_EQ(ok.value().record.version, mid.record.version + 1);
  EXPECT_EQ(surveys_
                ->UpdateQuestions(admin_, mid.record.id, SurveyDefinitionJson(edited),
                                  mid.record.version, &problems)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);

  // Open, one answer: the questions are fixed.
  ASSERT_TRUE(surveys_->Open(admin_, mid.record.id, kAnyVersion).ok());
  ASSERT_TRUE(Answer(pairs.mentees[0], ok.value(), FullResponse(ok.value().survey)).ok());
  const Result<SurveyView> answered = surveys_->GetSurvey(admin_, mid.record.id);
  ASSERT_TRUE(answered.ok());
  EXPECT_FALSE(answered.value().editable);
  EXPECT_EQ(answered.value().responses, std::nullopt);  // 1 < k: too few to show
  EXPECT_EQ(surveys_
                ->UpdateQuestions(admin_, mid.record.id, SurveyDefinitionJson(mid.survey),
                                  kAnyVersion, &problems)
                .status()
                .code(),
            StatusCode::kConflict);

  const std::vector<AuditRecord> audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const AuditRecord& a) {
    return a.action == "survey.questions" && a.entity_id == mid.record.id;
  }));
}

TEST_P(SurveysTest, StatesInviteTheAudienceOnceAlsoAtReopen) {
  const RowId programme = CreateRunningProgramme("Pilot", kDefaultMinGroupSize, "matching");
  const Pairs pairs = AddPairs(programme, 3, "s");
  // A proposal that never became active is not in the audience.
  const RowId late_mentor = AddPerson("latementor");
  const RowId late_mentee = AddPerson("latementee");
  Enrol(programme, late_mentor, 1, 0);
  Enrol(programme, late_mentee, 0, 1);
  const RowId late = AddTandem(programme, late_mentor, late_mentee, false);
  TakeMails();

  const SurveyView mentors = Find(programme, SurveyKind::kMidTerm, SurveyAudience::kMentors);
  // Not before tandems run.
  Result<SurveyView> opened = surveys_->Open(admin_, mentors.record.id, kAnyVersion);
  EXPECT_EQ(opened.status().code(), StatusCode::kConflict);
  EXPECT_NE(opened.status().message().find("matching"), std::string::npos);
  SetProgramme(programme, [](ProgrammeRecord& p) { p.state = "running"; });

  // A stale If-Match.
  EXPECT_EQ(surveys_->Open(admin_, mentors.record.id, mentors.record.version + 5).status().code(),
            StatusCode::kFailedPrecondition);
  opened = surveys_->Open(admin_, mentors.record.id, mentors.record.version);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened.value().record.state, SurveyState::kOpen);
  EXPECT_EQ(opened.value().record.opened_at, kStart);
  EXPECT_EQ(opened.value().record.remind_at, kStart + 7 * kDay);
  EXPECT_EQ(opened.value().invited, std::nullopt);  // 3 < k
  std::vector<MailRecord> mails = TakeMails();
  EXPECT_EQ(Recipients(mails),
            (std::set<std::string>{Email(pairs.mentors[0]), Email(pairs.mentors[1]),
                                   Email(pairs.mentors[2])}));
  EXPECT_EQ(mails.size(), 3U);
  EXPECT_NE(mails[0].subject.find("Zwischenbefragung"), std::string::npos);
  EXPECT_NE(
      mails[0].text_body.find("https://tandem.test/surveys/" + std::to_string(mentors.record.id)),
      std::string::npos);

  // Wrong transitions name the state.
  Result<SurveyView> wrong = surveys_->Open(admin_, mentors.record.id, kAnyVersion);
  EXPECT_EQ(wrong.status().code(), StatusCode::kConflict);
  EXPECT_NE(wrong.status().message().find("open"), std::string::npos);
  EXPECT_EQ(surveys_->Reopen(admin_, mentors.record.id, kAnyVersion).status().code(),
            StatusCode::kConflict);

  clock_.Advance(kDay);
  Result<SurveyView> closed = surveys_->Close(admin_, mentors.record.id, kAnyVersion);
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(closed.value().record.state, SurveyState::kClosed);
  EXPECT_EQ(closed.value().record.closed_at, kStart + kDay);
  EXPECT_EQ(surveys_->Close(admin_, mentors.record.id, kAnyVersion).status().code(),
            StatusCode::kConflict);

  // Reopening invites only who joined the audience since.
  ASSERT_TRUE(Write([&](StoreTx& tx) {
                std::optional<TandemRecord> t = tx.FindTandem(late);
                t->state = TandemState::kActive;
                t->activated_at = clock_.Now();
                return tx.UpdateTandem(*t) ? Status::Ok() : Status::Conflict("x");
              }).ok());
  Result<SurveyView> reopened = surveys_->Reopen(admin_, mentors.record.id, kAnyVersion);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  EXPECT_EQ(reopened.value().record.state, SurveyState::kOpen);
  EXPECT_EQ(reopened.value().record.opened_at, kStart);
  // Reopened before the reminder went out: it goes a full delay after the reopening.
  EXPECT_EQ(reopened.value().record.remind_at, clock_.Now() + 7 * kDay);
  mails = TakeMails();
  EXPECT_EQ(Recipients(mails), (std::set<std::string>{Email(late_mentor)}));
  ASSERT_TRUE(surveys_->Close(admin_, mentors.record.id, kAnyVersion).ok());
  ASSERT_TRUE(surveys_->Reopen(admin_, mentors.record.id, kAnyVersion).ok());
  EXPECT_TRUE(TakeMails().empty());

  // Each change is audited; the mentees' survey saw nothing.
  std::vector<std::string> actions;
  for (const AuditRecord& a : Audit()) {
    if (a.entity == "survey" && a.entity_id == mentors.record.id) actions.push_back(a.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"survey.open", "survey.close", "survey.reopen",
                                               "survey.close", "survey.reopen"}));
  EXPECT_EQ(Find(programme, SurveyKind::kMidTerm, SurveyAudience::kMentees).record.state,
            SurveyState::kDraft);
}

TEST_P(SurveysTest, OneReminderAcrossTwoSweepsOnlyToThoseWhoHaveNotAnswered) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 6, "r");
  const SurveyView mentees = Find(programme, SurveyKind::kMidTerm, SurveyAudience::kMentees);
  ASSERT_TRUE(surveys_->Open(admin_, mentees.record.id, kAnyVersion).ok());
  EXPECT_EQ(TakeMails().size(), 6U);
  ASSERT_TRUE(Answer(pairs.mentees[0], mentees, FullResponse(mentees.survey)).ok());
  ASSERT_TRUE(Answer(pairs.mentees[1], mentees, FullResponse(mentees.survey)).ok());

  // Not before a week has passed.
  clock_.Advance(7 * kDay - 1);
  Result<std::int64_t> early = surveys_->SendDueReminders();
  ASSERT_TRUE(early.ok()) << early.status().message();
  EXPECT_EQ(early.value(), 0);
  clock_.Advance(1);

  // Two servers sweep at once: one sends.
  Surveys other(*store_, clock_, "https://tandem.test");
  std::barrier start(2);
  Result<std::int64_t> sent[2] = {Status::Internal("not run"), Status::Internal("not run")};
  std::thread a([&] {
    start.arrive_and_wait();
    sent[0] = surveys_->SendDueReminders();
  });
  std::thread b([&] {
    start.arrive_and_wait();
    sent[1] = other.SendDueReminders();
  });
  a.join();
  b.join();
  ASSERT_TRUE(sent[0].ok()) << sent[0].status().message();
  ASSERT_TRUE(sent[1].ok()) << sent[1].status().message();
  EXPECT_EQ(sent[0].value() + sent[1].value(), 4);
  const std::vector<MailRecord> mails = TakeMails();
  EXPECT_EQ(Recipients(mails),
            (std::set<std::string>{Email(pairs.mentees[2]), Email(pairs.mentees[3]),
                                   Email(pairs.mentees[4]), Email(pairs.mentees[5])}));
  EXPECT_EQ(mails.size(), 4U);
  EXPECT_NE(mails[0].subject.find("mid-term"), std::string::npos);  // English accounts

  clock_.Advance(kDay);
  Result<std::int64_t> later = surveys_->SendDueReminders();
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later.value(), 0);
  EXPECT_TRUE(TakeMails().empty());
  const Result<SurveyView> view = surveys_->GetSurvey(admin_, mentees.record.id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view.value().record.reminded_at, kStart + 7 * kDay);
}

TEST_P(SurveysTest, ReleaseRuleAndFrozenResponses) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 12, "l");
  const SurveyView survey = Find(programme, SurveyKind::kMidTerm, SurveyAudience::kMentees);
  const RowId id = survey.record.id;
  ASSERT_TRUE(surveys_->Open(admin_, id, kAnyVersion).ok());

  // Nothing released while open.
  Result<SurveyResultView> results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  EXPECT_FALSE(results.value().result.has_value());

  // Two answer; the first close releases them.
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(
        Answer(pairs.mentees[static_cast<size_t>(i)], survey, FullResponse(survey.survey)).ok());
  }
  ASSERT_TRUE(surveys_->Close(admin_, id, kAnyVersion).ok());
  results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  ASSERT_TRUE(results.value().result.has_value());
  EXPECT_TRUE(results.value().survey.released);
  EXPECT_EQ(results.value().result->respondents, std::nullopt);  // 2 < 5
  const RowId first_release = results.value().survey.record.released_through;
  EXPECT_GT(first_release, 0);

  // The released answers are frozen; answers are not taken while closed.
  const Caller first = Participant(pairs.mentees[0]);
  Result<MyResponseView> mine = surveys_->GetMyResponse(first, id);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine.value().frozen);
  EXPECT_EQ(Answer(pairs.mentees[2], survey, FullResponse(survey.survey)).status().code(),
            StatusCode::kConflict);

  // Reopened: the old release stays visible; frozen answers stay frozen.
  ASSERT_TRUE(surveys_->Reopen(admin_, id, kAnyVersion).ok());
  results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results.value().result.has_value());
  Result<MyResponseView> refused =
      Answer(pairs.mentees[0], survey, FullResponse(survey.survey), mine.value().version);
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_NE(refused.status().message().find("already counted in released results"),
            std::string::npos);

  // Four new answers (< k): the close keeps the old release.
  for (int i = 2; i < 6; ++i) {
    ASSERT_TRUE(
        Answer(pairs.mentees[static_cast<size_t>(i)], survey, FullResponse(survey.survey)).ok());
  }
  // An unreleased answer can still change (with its version).
  Result<MyResponseView> third = surveys_->GetMyResponse(Participant(pairs.mentees[2]), id);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE(third.value().frozen);
  EXPECT_EQ(Answer(pairs.mentees[2], survey, FullResponse(survey.survey), third.value().version + 1)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
  Result<MyResponseView> changed =
      Answer(pairs.mentees[2], survey, FullResponse(survey.survey), third.value().version);
  ASSERT_TRUE(changed.ok()) << changed.status().message();
  EXPECT_EQ(changed.value().version, third.value().version + 1);

  // The first release showed nothing (2 < k): the next close releases all six.
  ASSERT_TRUE(surveys_->Close(admin_, id, kAnyVersion).ok());
  results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  const RowId second_release = results.value().survey.record.released_through;
  EXPECT_GT(second_release, first_release);
  EXPECT_EQ(results.value().result->respondents, 6);
  EXPECT_TRUE(surveys_->GetMyResponse(Participant(pairs.mentees[3]), id).value().frozen);

  // One more answer (< k new): the close keeps the release of six, which showed figures.
  ASSERT_TRUE(surveys_->Reopen(admin_, id, kAnyVersion).ok());
  ASSERT_TRUE(Answer(pairs.mentees[6], survey, FullResponse(survey.survey)).ok());
  ASSERT_TRUE(surveys_->Close(admin_, id, kAnyVersion).ok());
  results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results.value().survey.record.released_through, second_release);
  EXPECT_EQ(results.value().result->respondents, 6);
  EXPECT_EQ(results.value().survey.responses, 7);
  EXPECT_FALSE(surveys_->GetMyResponse(Participant(pairs.mentees[6]), id).value().frozen);

  // Four more (five new, all alike: their result on its own shows every figure): released.
  ASSERT_TRUE(surveys_->Reopen(admin_, id, kAnyVersion).ok());
  for (int i = 7; i < 11; ++i) {
    ASSERT_TRUE(
        Answer(pairs.mentees[static_cast<size_t>(i)], survey, FullResponse(survey.survey)).ok());
  }
  ASSERT_TRUE(surveys_->Close(admin_, id, kAnyVersion).ok());
  results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  EXPECT_GT(results.value().survey.record.released_through, second_release);
  EXPECT_EQ(results.value().result->respondents, 11);
  EXPECT_TRUE(surveys_->GetMyResponse(Participant(pairs.mentees[6]), id).value().frozen);

  // The participant's own view: closed surveys they answered, with the frozen flag.
  Result<std::vector<MySurveyView>> my = surveys_->MySurveys(Participant(pairs.mentees[6]));
  ASSERT_TRUE(my.ok());
  ASSERT_EQ(my.value().size(), 1U);
  EXPECT_EQ(my.value()[0].record.id, id);
  EXPECT_EQ(my.value()[0].programme_name, "Pilot");
  EXPECT_TRUE(my.value()[0].frozen);
  ASSERT_TRUE(my.value()[0].response.has_value());
  my = surveys_->MySurveys(Participant(pairs.mentees[11]));  // did not answer, closed
  ASSERT_TRUE(my.ok());
  EXPECT_TRUE(my.value().empty());

  // Answers and responses are never audited.
  for (const AuditRecord& a : Audit()) EXPECT_EQ(a.action.find("response"), std::string::npos);
}

// A reopened final survey: the new answers alike in every survey figure, but their learning
// (enrolment skill before) differs among them: two releases would differ by the learning of
// the five new mentees, which hides a group of two, so the close keeps the earlier release.
TEST_P(SurveysTest, ReleaseOfAFinalSurveyNeedsTheNewLearningShownToo) {
  const RowId programme = CreateRunningProgramme("Final");
  const Pairs pairs = AddPairs(programme, 10, "f", [](int i) { return i == 5 || i == 6 ? 0 : 1; });
  const SurveyView survey = Find(programme, SurveyKind::kFinal, SurveyAudience::kMentees);
  const RowId id = survey.record.id;
  ASSERT_TRUE(surveys_->Open(admin_, id, kAnyVersion).ok());
  for (size_t i = 0; i < 5; ++i) {
    ASSERT_TRUE(Answer(pairs.mentees[i], survey, FullResponse(survey.survey)).ok());
  }
  ASSERT_TRUE(surveys_->Close(admin_, id, kAnyVersion).ok());
  Result<SurveyResultView> results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  const RowId first_release = results.value().survey.record.released_through;
  EXPECT_EQ(results.value().result->respondents, 5);

  ASSERT_TRUE(surveys_->Reopen(admin_, id, kAnyVersion).ok());
  for (size_t i = 5; i < 10; ++i) {
    ASSERT_TRUE(Answer(pairs.mentees[i], survey, FullResponse(survey.survey)).ok());
  }
  ASSERT_TRUE(surveys_->Close(admin_, id, kAnyVersion).ok());
  results = surveys_->Results(admin_, id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results.value().survey.record.released_through, first_release);
  EXPECT_EQ(results.value().result->respondents, 5);
}

TEST_P(SurveysTest, ResponsesOnlyByTheAudienceWithProblemsNamedByField) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 1, "v");
  const RowId outsider = AddPerson("outsider");
  const SurveyView survey = Find(programme, SurveyKind::kFinal, SurveyAudience::kMentees);
  const RowId id = survey.record.id;

  // A draft takes no answers and is not listed.
  EXPECT_EQ(Answer(pairs.mentees[0], survey, FullResponse(survey.survey)).status().code(),
            StatusCode::kConflict);
  Result<std::vector<MySurveyView>> my = surveys_->MySurveys(Participant(pairs.mentees[0]));
  ASSERT_TRUE(my.ok());
  EXPECT_TRUE(my.value().empty());
  ASSERT_TRUE(surveys_->Open(admin_, id, kAnyVersion).ok());

  my = surveys_->MySurveys(Participant(pairs.mentees[0]));
  ASSERT_TRUE(my.ok());
  ASSERT_EQ(my.value().size(), 1U);
  EXPECT_FALSE(my.value()[0].response.has_value());
  EXPECT_EQ(my.value()[0].survey.questions.size(), survey.survey.questions.size());
  EXPECT_TRUE(surveys_->MySurveys(Participant(pairs.mentors[0])).value().empty());

  // Mentors and outsiders are not in the mentees' audience.
  EXPECT_EQ(Answer(pairs.mentors[0], survey, FullResponse(survey.survey)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Answer(outsider, survey, FullResponse(survey.survey)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(surveys_->GetMyResponse(Participant(pairs.mentees[0]), id).status().code(),
            StatusCode::kNotFound);

  // Problems carry "answers.<key>" (and the topic).
  std::vector<SurveyProblem> problems;
  Result<MyResponseView> bad =
      surveys_->PutMyResponse(Participant(pairs.mentees[0]), id,
                              R"({"recommend": 11, "understanding_now": {"ai": 7, "knitting": 1}})",
                              kAnyVersion, &problems);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasField(problems, "answers.recommend")) << Fields(problems);
  EXPECT_TRUE(HasField(problems, "answers.understanding_now.ai")) << Fields(problems);
  EXPECT_TRUE(HasField(problems, "answers.understanding_now.knitting")) << Fields(problems);
  for (const Question& q : survey.survey.questions) {
    if (q.required && q.key != "recommend") {
      EXPECT_TRUE(HasField(problems, "answers." + q.key)) << q.key << "\n" << Fields(problems);
    }
  }
  bad = surveys_->PutMyResponse(Participant(pairs.mentees[0]), id,
                                R"({"recommend": "ten", "colour": 1})", kAnyVersion, &problems);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(HasField(problems, "answers.recommend")) << Fields(problems);
  EXPECT_TRUE(HasField(problems, "answers.colour")) << Fields(problems);
  bad = surveys_->PutMyResponse(Participant(pairs.mentees[0]), id, "[]", kAnyVersion, &problems);
  EXPECT_TRUE(HasField(problems, "answers")) << Fields(problems);

  // A first save needs "*"; then the version.
  EXPECT_EQ(Answer(pairs.mentees[0], survey, FullResponse(survey.survey), 1).status().code(),
            StatusCode::kFailedPrecondition);
  Result<MyResponseView> saved = Answer(pairs.mentees[0], survey, FullResponse(survey.survey));
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved.value().version, 1);
  EXPECT_FALSE(saved.value().frozen);
  Result<MyResponseView> read = surveys_->GetMyResponse(Participant(pairs.mentees[0]), id);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value().answers, SurveyResponseJson(FullResponse(survey.survey)));
  my = surveys_->MySurveys(Participant(pairs.mentees[0]));
  ASSERT_TRUE(my.ok());
  ASSERT_TRUE(my.value()[0].response.has_value());
  EXPECT_EQ(my.value()[0].response->version, 1);
}

TEST_P(SurveysTest, PartnerFeedbackShowsOnlyOnceBothGaveIt) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 2, "f");
  const RowId tandem = pairs.tandems[0];
  const Caller mentor = Participant(pairs.mentors[0]);
  const Caller mentee = Participant(pairs.mentees[0]);

  // Off by default.
  Result<PartnerFeedbackView> view = surveys_->GetFeedback(mentor, tandem);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_FALSE(view.value().enabled);
  EXPECT_EQ(surveys_->PutFeedback(mentor, tandem, "Danke!", kAnyVersion).status().code(),
            StatusCode::kConflict);
  SetProgramme(programme, [](ProgrammeRecord& p) { p.partner_feedback = true; });

  // Only the two partners of a tandem that became active.
  EXPECT_EQ(surveys_->GetFeedback(Participant(pairs.mentors[1]), tandem).status().code(),
            StatusCode::kNotFound);
  const RowId proposal = AddTandem(programme, pairs.mentors[1], pairs.mentees[0], false);
  EXPECT_EQ(surveys_->GetFeedback(mentee, proposal).status().code(), StatusCode::kNotFound);

  EXPECT_EQ(surveys_->PutFeedback(mentor, tandem, "  ", kAnyVersion).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      surveys_->PutFeedback(mentor, tandem, std::string(2001, 'x'), kAnyVersion).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(surveys_->PutFeedback(mentor, tandem, "first", 1).status().code(),
            StatusCode::kFailedPrecondition);  // a first save takes "*"
  view = surveys_->PutFeedback(mentor, tandem, std::string(2000, 'x'), kAnyVersion);
  ASSERT_TRUE(view.ok()) << view.status().message();
  ASSERT_TRUE(view.value().mine.has_value());
  const std::int64_t first = view.value().mine->version;
  view = surveys_->PutFeedback(mentor, tandem, "Sie haben mir viel gezeigt.", first);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_TRUE(view.value().enabled);
  ASSERT_TRUE(view.value().mine.has_value());
  EXPECT_EQ(view.value().mine->text, "Sie haben mir viel gezeigt.");
  EXPECT_EQ(view.value().mine->version, first + 1);
  EXPECT_FALSE(view.value().partner_gave);
  EXPECT_EQ(surveys_->PutFeedback(mentor, tandem, "stale", first).status().code(),
            StatusCode::kFailedPrecondition);

  // The mentee sees that the mentor gave theirs, not what.
  view = surveys_->GetFeedback(mentee, tandem);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view.value().partner_gave);
  EXPECT_FALSE(view.value().partner.has_value());
  EXPECT_FALSE(view.value().mine.has_value());

  // Once both gave theirs, each sees the other's; neither changes any more.
  view = surveys_->PutFeedback(mentee, tandem, "Danke für die Geduld.", kAnyVersion);
  ASSERT_TRUE(view.ok()) << view.status().message();
  EXPECT_EQ(view.value().partner, "Sie haben mir viel gezeigt.");
  view = surveys_->GetFeedback(mentor, tandem);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view.value().partner, "Danke für die Geduld.");
  EXPECT_EQ(surveys_->PutFeedback(mentor, tandem, "more", kAnyVersion).status().code(),
            StatusCode::kConflict);
  EXPECT_EQ(surveys_->PutFeedback(mentee, tandem, "more", kAnyVersion).status().code(),
            StatusCode::kConflict);

  // The other tandem is untouched; feedback is never audited.
  view = surveys_->GetFeedback(Participant(pairs.mentors[1]), pairs.tandems[1]);
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view.value().partner_gave);
  for (const AuditRecord& a : Audit()) EXPECT_EQ(a.action.find("feedback"), std::string::npos);

  // Once the tandem's content is erased (retention), its feedback is gone and none is taken.
  ASSERT_TRUE(Write([&](StoreTx& tx) {
                tx.InsertWorkspace({pairs.tandems[1], "wrapped", "kid", std::nullopt, 1, 1, 1});
                return tx.EraseWorkspace(pairs.tandems[1], 2) ? Status::Ok()
                                                              : Status::Conflict("not erased");
              }).ok());
  const Result<PartnerFeedbackView> late =
      surveys_->PutFeedback(Participant(pairs.mentors[1]), pairs.tandems[1], "late", kAnyVersion);
  EXPECT_EQ(late.status().code(), StatusCode::kConflict);
  EXPECT_NE(late.status().message().find("retention"), std::string::npos);
}

// Twelve mentees: six rated every topic 1 at enrolment and now understand ai at 3, six rated 2
// and stay at 2. Twelve mentors: six saw management's view at 1 and now at 2, six at 2 and now
// at 1 (the change counts must say so).
TEST_P(SurveysTest, LearningDeltasOverAGeneratedCohort) {
  const RowId programme = CreateRunningProgramme("Pilot");
  const Pairs pairs = AddPairs(programme, 12, "g", [](int i) { return i < 6 ? 1 : 2; });
  const SurveyView mentees = Find(programme, SurveyKind::kFinal, SurveyAudience::kMentees);
  const SurveyView mentors = Find(programme, SurveyKind::kFinal, SurveyAudience::kMentors);
  ASSERT_TRUE(surveys_->Open(admin_, mentees.record.id, kAnyVersion).ok());
  ASSERT_TRUE(surveys_->Open(admin_, mentors.record.id, kAnyVersion).ok());
  for (size_t i = 0; i < 12; ++i) {
    SurveyResponse r = FullResponse(mentees.survey);
    SetTopics(r, kMenteeUnderstandingNow, {{"ai", i < 6 ? 3 : 2}});
    ASSERT_TRUE(Answer(pairs.mentees[i], mentees, r).ok());
    SurveyResponse m = FullResponse(mentors.survey);
    SetTopics(m, kMentorViewBefore, {{"ai", i < 6 ? 1 : 2}, {"cloud", 1}});
    SetTopics(m, kMentorViewNow, {{"ai", i < 6 ? 2 : 1}, {"cloud", 1}});
    ASSERT_TRUE(Answer(pairs.mentors[i], mentors, m).ok());
  }
  // Nothing before the release.
  ProgrammeLearning learning;
  auto read = [&] {
    ASSERT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      learning = LearningOf(tx, *tx.FindProgramme(programme));
                      return Status::Ok();
                    })
                    .ok());
  };
  read();
  EXPECT_TRUE(learning.mentees.empty());
  ASSERT_TRUE(surveys_->Close(admin_, mentees.record.id, kAnyVersion).ok());
  ASSERT_TRUE(surveys_->Close(admin_, mentors.record.id, kAnyVersion).ok());
  read();

  auto topic = [](const std::vector<TopicResult>& list, const std::string& key) {
    for (const TopicResult& t : list) {
      if (t.topic == key) return t;
    }
    ADD_FAILURE() << "no topic " << key;
    return TopicResult{};
  };
  const TopicResult ai = topic(learning.mentees, "ai");
  EXPECT_EQ(ai.respondents, 12);
  ASSERT_TRUE(ai.mean_before.has_value());
  EXPECT_DOUBLE_EQ(*ai.mean_before, 1.5);
  EXPECT_DOUBLE_EQ(*ai.mean, 2.5);
  EXPECT_DOUBLE_EQ(*ai.mean_change, 1.0);
  EXPECT_EQ(ai.change_counts, (std::vector<std::int64_t>{6, 6, 0}));
  // Cloud was rated at enrolment only: nobody rated it both times.
  EXPECT_FALSE(topic(learning.mentees, "cloud").mean_change.has_value());

  const TopicResult view = topic(learning.mentors, "ai");
  EXPECT_EQ(view.respondents, 12);
  ASSERT_TRUE(view.mean_change.has_value());
  EXPECT_DOUBLE_EQ(*view.mean_before, 1.5);
  EXPECT_DOUBLE_EQ(*view.mean, 1.5);
  EXPECT_DOUBLE_EQ(*view.mean_change, 0.0);
  EXPECT_EQ(view.change_counts, (std::vector<std::int64_t>{6, 0, 6}));
  const TopicResult cloud = topic(learning.mentors, "cloud");
  EXPECT_EQ(cloud.change_counts, (std::vector<std::int64_t>{0, 12, 0}));

  // The survey result over the same release.
  SurveyResult result;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const std::optional<SurveyRecord> s = tx.FindSurvey(mentees.record.id);
                    result = *ReleasedResultOf(tx, *tx.FindProgramme(programme), *s);
                    EXPECT_EQ(ReleasedResponsesOf(tx, *s).size(), 12U);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(result.respondents, 12);
}

// The programme's reports settings: k below 3 is refused naming the field; k changes only while
// the programme is a draft (figures under two values of k would reveal small groups), an input
// without k keeps it, partner feedback changes even in a closed programme, and a change is
// audited (without anything personal).
TEST_P(SurveysTest, MinGroupSizeAndPartnerFeedbackSettings) {
  ProgrammeRecord small;
  small.name = "Small";
  small.min_group_size = 2;
  Result<RowId> refused = CreateProgramme(*store_, small, "test", clock_.Now());
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(refused.status().message().rfind("min_group_size", 0), 0U)
      << refused.status().message();

  Directory directory(*store_, clock_);
  const RowId draft = CreateRunningProgramme("Draft", 5, "draft");
  ProgrammeRecord edited = directory.GetProgramme(admin_, draft).value();
  edited.min_group_size = 7;
  Result<ProgrammeRecord> updated = directory.UpdateProgramme(admin_, edited, kAnyVersion);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated.value().min_group_size, 7);
  edited = updated.value();
  edited.min_group_size = kKeepMinGroupSize;
  edited.name = "Draft renamed";
  updated = directory.UpdateProgramme(admin_, edited, kAnyVersion);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_EQ(updated.value().min_group_size, 7);
  // A draft with somebody enrolled (an import can do that) keeps its k, too.
  Enrol(draft, AddPerson("drafted"), 1, 0);
  edited = updated.value();
  edited.min_group_size = 6;
  EXPECT_EQ(directory.UpdateProgramme(admin_, edited, kAnyVersion).status().code(),
            StatusCode::kConflict);

  const RowId programme = CreateRunningProgramme("Pilot", 3, "closed");
  Result<ProgrammeRecord> current = directory.GetProgramme(admin_, programme);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current.value().min_group_size, 3);
  edited = current.value();
  edited.min_group_size = 2;
  EXPECT_EQ(directory.UpdateProgramme(admin_, edited, kAnyVersion).status().code(),
            StatusCode::kInvalidArgument);
  edited.min_group_size = 7;
  Result<ProgrammeRecord> fixed = directory.UpdateProgramme(admin_, edited, kAnyVersion);
  EXPECT_EQ(fixed.status().code(), StatusCode::kConflict);
  EXPECT_EQ(fixed.status().message().rfind("min_group_size", 0), 0U) << fixed.status().message();
  const RowId running = CreateRunningProgramme("Running", 5, "running");
  ProgrammeRecord raised = directory.GetProgramme(admin_, running).value();
  raised.min_group_size = 6;
  EXPECT_EQ(directory.UpdateProgramme(admin_, raised, kAnyVersion).status().code(),
            StatusCode::kConflict);

  edited.min_group_size = kKeepMinGroupSize;
  edited.partner_feedback = true;
  updated = directory.UpdateProgramme(admin_, edited, kAnyVersion);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  current = directory.GetProgramme(admin_, programme);
  ASSERT_TRUE(current.ok());
  EXPECT_EQ(current.value().min_group_size, 3);
  EXPECT_TRUE(current.value().partner_feedback);
  const std::vector<AuditRecord> audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const AuditRecord& a) {
    return a.action == "programme.update" && a.entity_id == draft && a.detail == "min_group_size=7";
  }));
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const AuditRecord& a) {
    return a.action == "programme.update" && a.entity_id == programme &&
           a.detail == "partner_feedback=on";
  }));
}

TANDEM_BACKENDS(SurveysTest);

}  // namespace
}  // namespace tandem
