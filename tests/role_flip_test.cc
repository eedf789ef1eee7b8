// The role flip (issue 7) through its use cases, on SQLite and PostgreSQL: suggestions from
// earlier tandems, the versioned offer and its checks, the next programme's questionnaire
// starting from the last answers with the offer applied, invitations by offer, and erasure.
#include "app/role_flip.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/directory.h"
#include "app/lifecycle.h"
#include "app/programmes.h"
#include "backend_fixture.h"

namespace tandem {
namespace {

constexpr Millis kStart = 1'800'000'000'000;
constexpr Millis kDay = 24LL * 60 * 60 * 1000;

using Keys = std::vector<std::string>;

class RoleFlips : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store_) return;
    auth_ = std::make_unique<Auth>(*store_, clock_, AuthConfig{});
    lifecycle_ = std::make_unique<Lifecycle>(*store_, clock_, *auth_, "https://tandem.test");
    admin_.account = 1;
    admin_.system_admin = true;
  }
  void TearDown() override {
    lifecycle_.reset();
    auth_.reset();
    BackendTest::TearDown();
  }

  RowId AddPerson(const std::string& name) {
    RowId id = 0;
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      PersonRecord p;
                      p.external_id = name;
                      p.name = name;
                      p.email = name + "@example.test";
                      p.level = 3;
                      p.languages = {"de", "en"};
                      p.created_at = p.updated_at = clock_.Now();
                      id = tx.InsertPerson(p);
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }

  // A programme open for enrolment with the given topic keys.
  RowId OpenProgramme(const std::string& name, const Keys& keys) {
    ProgrammeRecord p;
    p.name = name;
    for (const std::string& k : keys) p.topics.push_back({k, k + " (de)", k + " (en)", 1});
    p.enrolment_deadline = clock_.Now() + 14 * kDay;
    Result<RowId> id = CreateProgramme(*store_, p, "test", clock_.Now());
    EXPECT_TRUE(id.ok());
    EXPECT_TRUE(lifecycle_->OpenEnrolment(admin_, id.value()).ok());
    return id.value();
  }

  void Invite(RowId programme, const std::vector<RowId>& people) {
    InviteRequest request;
    request.people = people;
    Result<InviteSummary> invited = lifecycle_->Invite(admin_, programme, request);
    EXPECT_TRUE(invited.ok()) << invited.status().message();
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

  static AnswerRecord Answer(const std::string& topic, int interest, int skill) {
    return {topic, interest, skill, skill >= kMinExperienceSkill ? "Did it at work" : ""};
  }

  void Enrol(RowId programme, RowId person, int mentor, int mentee,
             std::vector<AnswerRecord> answers) {
    EnrolmentInput in;
    in.mentor_capacity = mentor;
    in.mentee_capacity = mentee;
    in.languages = {"de"};
    in.availability = "Mondays";
    in.answers = std::move(answers);
    Result<EnrolmentView> e = lifecycle_->Enrol(Participant(person), programme, in, kAnyVersion);
    EXPECT_TRUE(e.ok()) << e.status().message();
  }

  RowId AddTandem(RowId programme, RowId mentor, RowId mentee, const Keys& topics,
                  TandemState state) {
    RowId id = 0;
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      TandemRecord t;
                      t.programme = programme;
                      t.mentor = mentor;
                      t.mentee = mentee;
                      t.topics = topics;
                      t.reasons = "[]";
                      t.state = state;
                      t.created_at = t.updated_at = clock_.Now();
                      id = tx.InsertTandem(t);
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }

  static Keys KeysOf(const std::vector<ProgrammeTopic>& topics) {
    Keys out;
    for (const ProgrammeTopic& t : topics) out.push_back(t.key);
    return out;
  }

  ManualClock clock_{kStart};
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<Lifecycle> lifecycle_;
  Caller admin_;
};

// Given Anna, mentee of Ben on ai and cloud in the first programme (and a declined proposal
// the other way round on data), each is offered to flip roles on those topics.
TEST_P(RoleFlips, SuggestionsComeFromEarlierTandems) {
  const RowId anna = AddPerson("anna");
  const RowId ben = AddPerson("ben");
  const RowId carl = AddPerson("carl");
  const RowId first = OpenProgramme("First", {"ai", "cloud", "data"});
  Invite(first, {anna, ben, carl});
  Enrol(first, anna, 0, 1, {Answer("ai", 3, 0), Answer("cloud", 2, 1), Answer("data", 0, 2)});
  Enrol(first, ben, 1, 0, {Answer("ai", 0, 3), Answer("cloud", 0, 3), Answer("data", 1, 1)});
  AddTandem(first, ben, anna, {"ai", "cloud"}, TandemState::kActive);
  AddTandem(first, anna, ben, {"data"}, TandemState::kDeclined);

  Result<RoleOfferView> a = lifecycle_->role_flip().GetRoleOffer(Participant(anna));
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a.value().suggested_mentor, (Keys{"ai", "cloud"}));
  EXPECT_TRUE(a.value().suggested_mentee.empty()) << "a declined proposal teaches nothing";
  EXPECT_EQ(KeysOf(a.value().topics), (Keys{"ai", "cloud", "data"}));
  EXPECT_EQ(a.value().topics.at(0).name_en, "ai (en)");
  EXPECT_FALSE(a.value().stored);
  EXPECT_EQ(a.value().offer.version, 1);
  EXPECT_TRUE(a.value().offer.mentor_topics.empty());

  Result<RoleOfferView> b = lifecycle_->role_flip().GetRoleOffer(Participant(ben));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b.value().suggested_mentee, (Keys{"ai", "cloud"}));
  EXPECT_TRUE(b.value().suggested_mentor.empty());

  // Carl was only invited: he met the topics but has no tandem to learn from.
  Result<RoleOfferView> c = lifecycle_->role_flip().GetRoleOffer(Participant(carl));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(KeysOf(c.value().topics), (Keys{"ai", "cloud", "data"}));
  EXPECT_TRUE(c.value().suggested_mentor.empty());

  // A later programme's names win, its catalogue leads.
  const RowId second = OpenProgramme("Second", {"ml", "ai"});
  Invite(second, {anna});
  a = lifecycle_->role_flip().GetRoleOffer(Participant(anna));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(KeysOf(a.value().topics), (Keys{"ml", "ai", "cloud", "data"}));
}

// Given a participant of one programme, their offer is checked, versioned and theirs alone.
TEST_P(RoleFlips, OfferIsValidatedAndVersioned) {
  const RowId anna = AddPerson("anna");
  const RowId first = OpenProgramme("First", {"ai", "cloud", "data"});
  Invite(first, {anna});
  RoleFlip& flip = lifecycle_->role_flip();

  Result<RoleOfferView> saved =
      flip.PutRoleOffer(Participant(anna), {{"ai", "cloud", "ai"}, {"data"}}, 1);
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved.value().offer.mentor_topics, (Keys{"ai", "cloud"})) << "duplicates dropped";
  EXPECT_EQ(saved.value().offer.mentee_topics, (Keys{"data"}));
  EXPECT_EQ(saved.value().offer.version, 2);
  EXPECT_TRUE(saved.value().stored);
  EXPECT_EQ(saved.value().offer.updated_at, kStart);

  Result<RoleOfferView> read = flip.GetRoleOffer(Participant(anna));
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value().offer.version, 2);
  EXPECT_EQ(read.value().offer.mentor_topics, (Keys{"ai", "cloud"}));

  Result<RoleOfferView> stale = flip.PutRoleOffer(Participant(anna), {{"ai"}, {}}, 1);
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  Result<RoleOfferView> any = flip.PutRoleOffer(Participant(anna), {{"ai"}, {}}, kAnyVersion);
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any.value().offer.version, 3);

  Result<RoleOfferView> unknown =
      flip.PutRoleOffer(Participant(anna), {{"ai", "cloud", "knitting"}, {}}, kAnyVersion);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message().rfind("mentor_topics[2]: ", 0), 0u)
      << unknown.status().message();
  unknown = flip.PutRoleOffer(Participant(anna), {{}, {"knitting"}}, kAnyVersion);
  EXPECT_EQ(unknown.status().message().rfind("mentee_topics[0]: ", 0), 0u);
  EXPECT_EQ(flip.GetRoleOffer(Participant(anna)).value().offer.version, 3) << "unchanged";

  // Only a person's own browser session.
  Caller token = Participant(anna);
  token.session = 0;
  token.api_token = 7;
  EXPECT_EQ(flip.GetRoleOffer(token).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(flip.PutRoleOffer(token, {}, kAnyVersion).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(flip.GetRoleOffer(admin_).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(flip.GetRoleOffer(Caller{}).status().code(), StatusCode::kUnauthenticated);
}

// Given Anna (mentee on ai in the first programme) offering to mentor ai and to learn data, the
// second programme's questionnaire starts from her first answers with the offer applied; the
// team invites by offer; erasure removes the offer.
TEST_P(RoleFlips, NextProgrammeStartsFromTheLastAnswersWithTheOffer) {
  const RowId anna = AddPerson("anna");
  const RowId ben = AddPerson("ben");
  const RowId carl = AddPerson("carl");
  const RowId first = OpenProgramme("First", {"ai", "cloud", "data"});
  Invite(first, {anna, ben, carl});
  Enrol(first, anna, 0, 1, {Answer("ai", 3, 0), Answer("cloud", 2, 1), Answer("data", 0, 2)});
  Enrol(first, ben, 2, 0, {Answer("ai", 0, 3), Answer("cloud", 0, 3), Answer("data", 1, 1)});
  AddTandem(first, ben, anna, {"ai"}, TandemState::kCompleted);
  RoleFlip& flip = lifecycle_->role_flip();
  ASSERT_TRUE(flip.PutRoleOffer(Participant(anna), {{"ai"}, {"data"}}, kAnyVersion).ok());
  ASSERT_TRUE(flip.PutRoleOffer(Participant(ben), {{}, {"cloud"}}, kAnyVersion).ok());

  clock_.Advance(30 * kDay);
  const RowId second = OpenProgramme("Second", {"ai", "data", "ml"});

  // Invitations by offer: offers=mentor is exactly Anna (ai is a topic here).
  InviteRequest by_offer;
  by_offer.use_filter = true;
  by_offer.offers = "mentor";
  Result<InviteSummary> mentors = lifecycle_->Invite(admin_, second, by_offer);
  ASSERT_TRUE(mentors.ok()) << mentors.status().message();
  EXPECT_EQ(mentors.value().invited, 1);
  EXPECT_EQ(mentors.value().already, 0);
  // Asked again, she is left out before anything is counted: the team learns offers only
  // through whom it invites.
  mentors = lifecycle_->Invite(admin_, second, by_offer);
  ASSERT_TRUE(mentors.ok());
  EXPECT_EQ(mentors.value().invited, 0);
  EXPECT_EQ(mentors.value().already, 0);
  EXPECT_EQ(mentors.value().without_email, 0);
  // offers=mentee: Anna is invited already, and Ben's offer names cloud, no topic of this
  // programme: only Carl, who offers to learn data.
  ASSERT_TRUE(flip.PutRoleOffer(Participant(carl), {{}, {"data"}}, kAnyVersion).ok());
  by_offer.offers = "mentee";
  Result<InviteSummary> mentees = lifecycle_->Invite(admin_, second, by_offer);
  ASSERT_TRUE(mentees.ok());
  EXPECT_EQ(mentees.value().invited, 1);
  EXPECT_EQ(mentees.value().already, 0);
  EXPECT_TRUE(lifecycle_->GetOwnEnrolment(Participant(carl), second).ok());
  EXPECT_EQ(lifecycle_->GetOwnEnrolment(Participant(ben), second).status().code(),
            StatusCode::kNotFound);
  Invite(second, {ben});
  by_offer.offers = "both";
  Result<InviteSummary> bad = lifecycle_->Invite(admin_, second, by_offer);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().rfind("filter.offers: ", 0), 0u);

  // Anna's start: ai (interest 3, skill raised to 2) and data (interest raised to 2); cloud is
  // not a topic of this programme and ml was never answered. She may now mentor.
  Result<EnrolmentView> own = lifecycle_->GetOwnEnrolment(Participant(anna), second);
  ASSERT_TRUE(own.ok()) << own.status().message();
  ASSERT_TRUE(own.value().previous.has_value());
  const PreviousEnrolment& previous = *own.value().previous;
  EXPECT_EQ(previous.programme, first);
  EXPECT_EQ(previous.programme_name, "First");
  EXPECT_EQ(previous.mentor_capacity, 1);
  EXPECT_EQ(previous.mentee_capacity, 1);
  EXPECT_EQ(previous.languages, (Keys{"de"}));
  EXPECT_EQ(previous.availability, "Mondays");
  ASSERT_EQ(previous.answers.size(), 2u);
  EXPECT_EQ(previous.answers[0].topic, "ai");
  EXPECT_EQ(previous.answers[0].interest, 3);
  EXPECT_EQ(previous.answers[0].skill, 2);
  EXPECT_EQ(previous.answers[1].topic, "data");
  EXPECT_EQ(previous.answers[1].interest, 2);
  EXPECT_EQ(previous.answers[1].skill, 2);
  EXPECT_EQ(previous.answers[1].experience, "Did it at work");

  // Ben sees his own answers only; his offer's topic is not in this programme.
  Result<EnrolmentView> bens = lifecycle_->GetOwnEnrolment(Participant(ben), second);
  ASSERT_TRUE(bens.ok());
  ASSERT_TRUE(bens.value().previous.has_value());
  EXPECT_EQ(bens.value().previous->mentor_capacity, 2);
  EXPECT_EQ(bens.value().previous->mentee_capacity, 0);
  ASSERT_EQ(bens.value().previous->answers.size(), 2u);
  EXPECT_EQ(bens.value().previous->answers[0].skill, 3);
  EXPECT_EQ(bens.value().previous->answers[1].interest, 1);

  // The first programme's own enrolment has answers: no start offered there.
  EXPECT_FALSE(lifecycle_->GetOwnEnrolment(Participant(anna), first).value().previous);

  // Once she saved her answers, the start is gone.
  Enrol(second, anna, 1, 1, {Answer("ai", 3, 2), Answer("data", 2, 0), Answer("ml", 1, 0)});
  own = lifecycle_->GetOwnEnrolment(Participant(anna), second);
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(own.value().previous.has_value());

  // Erasure removes the offer.
  Directory directory(*store_, clock_);
  ASSERT_TRUE(directory.ErasePerson(admin_, anna).ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_FALSE(tx.FindRoleOffer(anna).has_value());
                    EXPECT_TRUE(tx.ListRoleOfferers(true).empty());
                    EXPECT_EQ(tx.ListRoleOfferers(false), (std::vector<RowId>{ben, carl}));
                    return Status::Ok();
                  })
                  .ok());
}

TANDEM_BACKENDS(RoleFlips);

}  // namespace
}  // namespace tandem
