// The programme lifecycle through its use cases, on SQLite and PostgreSQL: a generated cohort
// of 200 people enrols, the run equals the engine's optimum on the same answers, publication,
// acceptance, declines and rematch, pins and forbidden pairs, withdrawal at every state,
// invalid transitions, races, permissions and the open programme's know-how market.
#include "app/lifecycle.h"

#include <gtest/gtest.h>

#include <barrier>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "app/programmes.h"
#include "backend_fixture.h"
#include "core/management_tree.h"
#include "core/rules.h"
#include "core/synthetic_cohort.h"
#include "match/engine.h"

namespace tandem {
namespace {

using nlohmann::json;

constexpr Millis kStart = 1'800'000'000'000;
constexpr Millis kDay = 24LL * 60 * 60 * 1000;

ManagementTree BuildTree(const std::vector<Person>& people) {
  std::vector<ManagementTree::Problem> problems;
  return ManagementTree::Build(people, &problems);
}

class Lifecycles : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store_) return;
    auth_ = std::make_unique<Auth>(*store_, clock_, AuthConfig{});
    lifecycle_ = std::make_unique<Lifecycle>(*store_, clock_, *auth_, "https://tandem.test");
    worker_ = std::make_unique<RunWorker>(*store_, clock_, "test-worker");
    admin_.account = 1;
    admin_.system_admin = true;
  }
  void TearDown() override {
    worker_.reset();
    lifecycle_.reset();
    auth_.reset();
    BackendTest::TearDown();
  }

  // Stores the generated cohort's people; returns person row ids in cohort order.
  std::vector<RowId> StorePeople(const Cohort& cohort) {
    std::vector<RowId> ids(cohort.people.size());
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      std::map<std::string, RowId> by_external;
                      for (size_t i = 0; i < cohort.people.size(); ++i) {
                        const Person& p = cohort.people[i];
                        PersonRecord r;
                        r.external_id = p.id;
                        r.name = "Person " + p.id;
                        r.email = p.id + "@example.test";
                        r.level = p.level;
                        r.languages = p.languages;
                        r.created_at = r.updated_at = kStart;
                        ids[i] = tx.InsertPerson(r);
                        by_external[p.id] = ids[i];
                      }
                      for (size_t i = 0; i < cohort.people.size(); ++i) {
                        if (cohort.people[i].manager_id.empty()) continue;
                        PersonRecord r = *tx.FindPerson(ids[i]);
                        r.manager = by_external.at(cohort.people[i].manager_id);
                        EXPECT_TRUE(tx.UpdatePerson(r));
                      }
                      return Status::Ok();
                    })
                    .ok());
    return ids;
  }

  RowId CreateProgramme(const Cohort& cohort, MatchModeSetting mode) {
    ProgrammeRecord p;
    p.name = "Cohort 2027";
    p.mode = mode;
    for (const Topic& t : cohort.topics) p.topics.push_back({t.key, t.name, t.name, t.weight});
    p.enrolment_deadline = kStart + 14 * kDay;
    Result<RowId> id = tandem::CreateProgramme(*store_, p, "test", clock_.Now());
    EXPECT_TRUE(id.ok());
    return id.value();
  }

  // A participant's session caller.
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

  static EnrolmentInput InputFor(const Cohort& cohort, const Person& p) {
    EnrolmentInput in;
    in.mentor_capacity = std::min(p.mentor_capacity, kMaxMentorCapacity);
    in.mentee_capacity = std::min(p.mentee_capacity, kMaxMenteeCapacity);
    in.languages = p.languages;
    for (size_t t = 0; t < cohort.topics.size(); ++t) {
      AnswerRecord a;
      a.topic = cohort.topics[t].key;
      a.interest = p.interest[t];
      a.skill = p.skill[t];
      if (a.skill >= kMinExperienceSkill) {
        a.experience = p.ExperienceFor(static_cast<int>(t));
        if (a.experience.empty()) a.experience = "Built it at work";
      }
      in.answers.push_back(a);
    }
    return in;
  }

  // Invites everyone, enrols everyone with a role; returns how many enrolled.
  int EnrolAll(RowId programme, const Cohort& cohort, const std::vector<RowId>& ids) {
    EXPECT_TRUE(lifecycle_->OpenEnrolment(admin_, programme).ok());
    InviteRequest everyone;
    everyone.use_filter = true;
    Result<InviteSummary> invited = lifecycle_->Invite(admin_, programme, everyone);
    EXPECT_TRUE(invited.ok()) << invited.status().message();
    EXPECT_EQ(invited.value().invited, static_cast<std::int64_t>(ids.size()));
    int enrolled = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      const Person& p = cohort.people[i];
      if (p.mentor_capacity == 0 && p.mentee_capacity == 0) continue;
      Result<EnrolmentView> e =
          lifecycle_->Enrol(Participant(ids[i]), programme, InputFor(cohort, p), kAnyVersion);
      EXPECT_TRUE(e.ok()) << e.status().message();
      ++enrolled;
    }
    return enrolled;
  }

  MatchingRunRecord RunToEnd(RowId programme, std::string_view objective = "optimal") {
    Result<MatchingRunRecord> queued = lifecycle_->StartRun(admin_, programme, objective);
    EXPECT_TRUE(queued.ok()) << queued.status().message();
    if (!queued.ok()) return {};
    Result<bool> ran = worker_->RunOnce();
    EXPECT_TRUE(ran.ok() && ran.value());
    Result<RunView> view = lifecycle_->GetRun(admin_, programme, queued.value().id);
    EXPECT_TRUE(view.ok());
    EXPECT_EQ(view.value().run.state, RunState::kDone) << view.value().run.error;
    if (std::getenv("TANDEM_TEST_VERBOSE")) std::cerr << view.value().run.result << "\n";
    return view.value().run;
  }

  static std::set<std::pair<RowId, RowId>> Pairs(const MatchingRunRecord& run) {
    std::set<std::pair<RowId, RowId>> out;
    const json result = json::parse(run.result);
    for (const json& p : result.at("pairs")) {
      out.insert({p.at("mentor").get<RowId>(), p.at("mentee").get<RowId>()});
    }
    return out;
  }

  std::vector<TandemRecord> Tandems(RowId programme) {
    std::vector<TandemRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      out = tx.ListTandems(programme, 0, 100000);
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  ManualClock clock_{kStart};
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<RunWorker> worker_;
  Caller admin_;
};

TEST_P(Lifecycles, TwoHundredPeopleRunEqualsTheEngineOptimumAndGoLive) {
  Cohort cohort = GenerateCohort(200, 7);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  const int enrolled = EnrolAll(programme, cohort, ids);
  ASSERT_GT(enrolled, 50);

  // Runs wait for the deadline.
  Result<MatchingRunRecord> early = lifecycle_->StartRun(admin_, programme, "optimal");
  ASSERT_EQ(early.status().code(), StatusCode::kConflict);
  EXPECT_NE(early.status().message().find("enrolling"), std::string::npos);
  clock_.Advance(15 * kDay);
  const MatchingRunRecord run = RunToEnd(programme);

  // The engine on the same answers, straight from the generated cohort: the enrolled and
  // their managers up the line (with no capacity), as the run sees them.
  std::set<std::string> members;
  std::map<std::string, size_t> index_of;
  for (size_t i = 0; i < cohort.people.size(); ++i) index_of[cohort.people[i].id] = i;
  for (const Person& p : cohort.people) {
    if (p.mentor_capacity == 0 && p.mentee_capacity == 0) continue;
    for (std::string at = p.id; !at.empty() && members.insert(at).second;) {
      at = cohort.people[index_of[at]].manager_id;
    }
  }
  Cohort same;
  same.topics = cohort.topics;
  std::vector<RowId> same_ids;
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    Person p = cohort.people[i];
    if (members.count(p.id) == 0) continue;
    p.mentor_capacity = std::min(p.mentor_capacity, kMaxMentorCapacity);
    p.mentee_capacity = std::min(p.mentee_capacity, kMaxMenteeCapacity);
    if (p.mentor_capacity == 0 && p.mentee_capacity == 0) {
      std::fill(p.interest.begin(), p.interest.end(), 0);
      std::fill(p.skill.begin(), p.skill.end(), 0);
    }
    same.people.push_back(std::move(p));
    same_ids.push_back(ids[i]);
  }
  const ManagementTree tree = BuildTree(same.people);
  const MatchResult expected = RunMatching(same, tree, {}, MatchOptions{});
  const json result = json::parse(run.result);
  EXPECT_EQ(result.at("total_score").get<std::int64_t>(), expected.report.total_score);
  std::set<std::pair<RowId, RowId>> expected_pairs;
  for (const Tandem& t : expected.tandems) {
    expected_pairs.insert(
        {same_ids[static_cast<size_t>(t.mentor)], same_ids[static_cast<size_t>(t.mentee)]});
  }
  EXPECT_EQ(Pairs(run), expected_pairs);
  const Rules rules(same, tree, MatchMode::kReverse, {});
  std::map<RowId, int> index;
  for (size_t i = 0; i < same_ids.size(); ++i) index[same_ids[i]] = static_cast<int>(i);
  for (const auto& [mentor, mentee] : Pairs(run)) {
    EXPECT_TRUE(rules.Eligible(index[mentor], index[mentee]));
  }

  // Publication: one proposal per pair, each partner mailed; publishing twice is refused.
  std::int64_t mails_before = 0;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    mails_before = tx.CountPendingMail();
                    return Status::Ok();
                  })
                  .ok());
  Result<PublishSummary> published = lifecycle_->Publish(admin_, programme, run.id);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ(published.value().tandems, static_cast<std::int64_t>(expected_pairs.size()));
  EXPECT_EQ(published.value().mails, 2 * published.value().tandems);
  std::int64_t mails_after = 0;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    mails_after = tx.CountPendingMail();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(mails_after - mails_before, published.value().mails);
  Result<PublishSummary> again = lifecycle_->Publish(admin_, programme, run.id);
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_NE(again.status().message().find("published already"), std::string::npos);

  // Both partners accept: active. Every tandem's reasons name the topics.
  const std::vector<TandemRecord> tandems = Tandems(programme);
  ASSERT_EQ(tandems.size(), expected_pairs.size());
  for (const TandemRecord& t : tandems) {
    EXPECT_FALSE(json::parse(t.reasons).empty());
    ASSERT_TRUE(lifecycle_->Accept(Participant(t.mentor), t.id).ok());
    Result<TandemView> both = lifecycle_->Accept(Participant(t.mentee), t.id);
    ASSERT_TRUE(both.ok());
    EXPECT_EQ(both.value().tandem.state, TandemState::kActive);
  }
  Result<ProgrammeSummary> summary = lifecycle_->Summary(admin_, programme);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary.value().active, static_cast<std::int64_t>(tandems.size()));
  EXPECT_EQ(summary.value().enrolled, enrolled);
  EXPECT_EQ(summary.value().invited, 200 - enrolled);
  EXPECT_EQ(summary.value().runs, 1);
  // Closing completes them.
  Result<ProgrammeRecord> closed = lifecycle_->Close(admin_, programme);
  ASSERT_TRUE(closed.ok()) << closed.status().message();
  EXPECT_EQ(closed.value().state, "closed");
  for (const TandemRecord& t : Tandems(programme)) EXPECT_EQ(t.state, TandemState::kCompleted);
}

TEST_P(Lifecycles, InvalidTransitionsNameTheState) {
  Cohort cohort = GenerateCohort(40, 3);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  InviteRequest everyone;
  everyone.use_filter = true;
  Result<InviteSummary> draft_invite = lifecycle_->Invite(admin_, programme, everyone);
  EXPECT_EQ(draft_invite.status().code(), StatusCode::kConflict);
  EXPECT_NE(draft_invite.status().message().find("draft"), std::string::npos);
  EnrolAll(programme, cohort, ids);
  EXPECT_EQ(lifecycle_->OpenEnrolment(admin_, programme).status().code(), StatusCode::kConflict);

  // The questionnaire's rules.
  size_t mentor = 0;
  while (cohort.people[mentor].mentor_capacity == 0) ++mentor;
  EnrolmentInput in = InputFor(cohort, cohort.people[mentor]);
  in.answers.pop_back();
  Result<EnrolmentView> missing =
      lifecycle_->Enrol(Participant(ids[mentor]), programme, in, kAnyVersion);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find("is not answered"), std::string::npos);
  in = InputFor(cohort, cohort.people[mentor]);
  for (AnswerRecord& a : in.answers) {
    if (a.skill >= 2) a.experience.clear();
  }
  in.answers[0].skill = 3;
  in.answers[0].experience = "";
  Result<EnrolmentView> no_experience =
      lifecycle_->Enrol(Participant(ids[mentor]), programme, in, kAnyVersion);
  EXPECT_EQ(no_experience.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_experience.status().message().find(".experience"), std::string::npos);
  in = InputFor(cohort, cohort.people[mentor]);
  in.mentor_capacity = 4;
  EXPECT_EQ(lifecycle_->Enrol(Participant(ids[mentor]), programme, in, kAnyVersion).status().code(),
            StatusCode::kInvalidArgument);
  // A stale version is refused.
  in = InputFor(cohort, cohort.people[mentor]);
  EXPECT_EQ(lifecycle_->Enrol(Participant(ids[mentor]), programme, in, 1).status().code(),
            StatusCode::kFailedPrecondition);

  clock_.Advance(15 * kDay);
  Result<EnrolmentView> late =
      lifecycle_->Enrol(Participant(ids[mentor]), programme, in, kAnyVersion);
  EXPECT_EQ(late.status().code(), StatusCode::kConflict);
  EXPECT_NE(late.status().message().find("deadline"), std::string::npos);

  // One run at a time; closing waits for it.
  ASSERT_TRUE(lifecycle_->StartRun(admin_, programme, "optimal").ok());
  EXPECT_EQ(lifecycle_->StartRun(admin_, programme, "optimal").status().code(),
            StatusCode::kConflict);
  Result<ProgrammeRecord> close = lifecycle_->Close(admin_, programme);
  EXPECT_EQ(close.status().code(), StatusCode::kConflict);
  EXPECT_NE(close.status().message().find("queued"), std::string::npos);
  ASSERT_TRUE(worker_->RunOnce().ok());
  EXPECT_EQ(lifecycle_->StartRun(admin_, programme, "sideways").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_P(Lifecycles, DeclineFreesBothAndRematchKeepsActiveTandems) {
  Cohort cohort = GenerateCohort(120, 11);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  EnrolAll(programme, cohort, ids);
  clock_.Advance(15 * kDay);
  const MatchingRunRecord first = RunToEnd(programme);
  ASSERT_TRUE(lifecycle_->Publish(admin_, programme, first.id).ok());
  std::vector<TandemRecord> tandems = Tandems(programme);
  ASSERT_GE(tandems.size(), 3u);
  // The first tandem is declined with a reason; the others go active.
  const TandemRecord declined = tandems[0];
  Result<TandemView> d = lifecycle_->Decline(Participant(declined.mentee), declined.id, "No time");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().tandem.state, TandemState::kDeclined);
  EXPECT_TRUE(d.value().tandem.decline_reason.empty());  // the partner view never shows it
  Result<TandemView> late_accept = lifecycle_->Accept(Participant(declined.mentor), declined.id);
  EXPECT_EQ(late_accept.status().code(), StatusCode::kConflict);
  EXPECT_NE(late_accept.status().message().find("declined"), std::string::npos);
  for (size_t i = 1; i < tandems.size(); ++i) {
    ASSERT_TRUE(lifecycle_->Accept(Participant(tandems[i].mentor), tandems[i].id).ok());
    ASSERT_TRUE(lifecycle_->Accept(Participant(tandems[i].mentee), tandems[i].id).ok());
  }
  // The team sees the reason.
  Result<Page<TandemView>> team = lifecycle_->ListProgrammeTandems(admin_, programme, 0, 500);
  ASSERT_TRUE(team.ok());
  EXPECT_EQ(team.value().items[0].tandem.decline_reason, "No time");

  // The rematch keeps every active tandem, never proposes the declined pair again, and only
  // uses capacity that is left.
  const MatchingRunRecord rematch = RunToEnd(programme);
  const std::set<std::pair<RowId, RowId>> pairs = Pairs(rematch);
  EXPECT_EQ(pairs.count({declined.mentor, declined.mentee}), 0u);
  std::set<RowId> busy_mentees;
  for (size_t i = 1; i < tandems.size(); ++i) {
    EXPECT_EQ(pairs.count({tandems[i].mentor, tandems[i].mentee}), 0u);
    busy_mentees.insert(tandems[i].mentee);
  }
  // Generated mentees want one tandem each: those in active tandems are full.
  for (const auto& pair : pairs) EXPECT_EQ(busy_mentees.count(pair.second), 0u);
  EXPECT_EQ(json::parse(rematch.report).at("fixed_tandems").get<int>(),
            static_cast<int>(tandems.size()) - 1);
  Result<PublishSummary> more = lifecycle_->Publish(admin_, programme, rematch.id);
  ASSERT_TRUE(more.ok()) << more.status().message();
  EXPECT_EQ(Tandems(programme).size(), tandems.size() + pairs.size());
  // The first run is now out of date.
  EXPECT_EQ(lifecycle_->Publish(admin_, programme, first.id).status().code(),
            StatusCode::kConflict);
}

TEST_P(Lifecycles, PinsAreKeptAndForbiddenPairsExcluded) {
  Cohort cohort = GenerateCohort(120, 5);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  EnrolAll(programme, cohort, ids);
  clock_.Advance(15 * kDay);
  const MatchingRunRecord first = RunToEnd(programme);
  const std::set<std::pair<RowId, RowId>> pairs = Pairs(first);
  ASSERT_FALSE(pairs.empty());
  const auto forbidden = *pairs.begin();
  ASSERT_TRUE(lifecycle_
                  ->PutPairRule(admin_, {programme, forbidden.first, forbidden.second,
                                         PairRuleKind::kForbid, "", 0})
                  .ok());
  // Pin an eligible pair the optimum did not choose.
  const ManagementTree tree = BuildTree(cohort.people);
  const Rules rules(cohort, tree, MatchMode::kReverse, {});
  std::optional<std::pair<RowId, RowId>> pin;
  for (size_t m = 0; m < ids.size() && !pin; ++m) {
    for (size_t e = 0; e < ids.size() && !pin; ++e) {
      if (cohort.people[m].mentor_capacity > kMaxMentorCapacity) continue;
      if (rules.Eligible(static_cast<int>(m), static_cast<int>(e)) &&
          pairs.count({ids[m], ids[e]}) == 0 && std::make_pair(ids[m], ids[e]) != forbidden) {
        pin = std::make_pair(ids[m], ids[e]);
      }
    }
  }
  ASSERT_TRUE(pin);
  ASSERT_TRUE(
      lifecycle_
          ->PutPairRule(admin_, {programme, pin->first, pin->second, PairRuleKind::kPin, "", 0})
          .ok());
  Result<std::vector<PairRuleRecord>> listed = lifecycle_->ListPairRules(admin_, programme);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed.value().size(), 2u);

  const MatchingRunRecord second = RunToEnd(programme);
  const std::set<std::pair<RowId, RowId>> rerun = Pairs(second);
  EXPECT_EQ(rerun.count(forbidden), 0u);
  EXPECT_EQ(rerun.count(*pin), 1u);
  bool pinned_flag = false;
  const json second_result = json::parse(second.result);
  for (const json& p : second_result.at("pairs")) {
    if (p.at("mentor").get<RowId>() == pin->first && p.at("mentee").get<RowId>() == pin->second) {
      pinned_flag = p.at("pinned").get<bool>();
    }
  }
  EXPECT_TRUE(pinned_flag);
  // The comparison shows what changed.
  Result<RunComparison> c = lifecycle_->CompareRuns(admin_, programme, first.id, second.id);
  ASSERT_TRUE(c.ok());
  EXPECT_GE(c.value().only_a.size(), 1u);
  EXPECT_GE(c.value().only_b.size(), 1u);
  EXPECT_GE(c.value().a_total, c.value().b_total);  // the first run was the free optimum
  EXPECT_EQ(c.value().in_both + static_cast<std::int64_t>(c.value().only_a.size()),
            c.value().a_pairs);
  // A rule for someone not enrolled is refused, naming the field.
  Result<PairRuleRecord> bad =
      lifecycle_->PutPairRule(admin_, {programme, pin->first, 999999, PairRuleKind::kPin, "", 0});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("mentee_id"), std::string::npos);
  ASSERT_TRUE(lifecycle_->DeletePairRule(admin_, programme, pin->first, pin->second).ok());
  EXPECT_EQ(lifecycle_->DeletePairRule(admin_, programme, pin->first, pin->second).code(),
            StatusCode::kNotFound);
}

TEST_P(Lifecycles, WithdrawalAtEveryState) {
  Cohort cohort = GenerateCohort(120, 13);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  EnrolAll(programme, cohort, ids);
  // Invited but never enrolled: withdrawing declines the invitation.
  size_t idle = 0;
  while (cohort.people[idle].mentor_capacity != 0 || cohort.people[idle].mentee_capacity != 0) {
    ++idle;
  }
  ASSERT_TRUE(lifecycle_->Withdraw(Participant(ids[idle]), programme).ok());
  EXPECT_EQ(lifecycle_->GetOwnEnrolment(Participant(ids[idle]), programme).value().enrolment.state,
            EnrolmentState::kWithdrawn);
  // Enrolled: the answers go.
  size_t enrolled = 0;
  while (cohort.people[enrolled].mentee_capacity == 0) ++enrolled;
  ASSERT_TRUE(lifecycle_->Withdraw(Participant(ids[enrolled]), programme).ok());
  Result<EnrolmentView> gone = lifecycle_->GetOwnEnrolment(Participant(ids[enrolled]), programme);
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone.value().answers.empty());

  clock_.Advance(15 * kDay);
  const MatchingRunRecord run = RunToEnd(programme);
  for (const auto& [mentor, mentee] : Pairs(run)) {
    EXPECT_NE(mentee, ids[enrolled]);
    EXPECT_NE(mentor, ids[enrolled]);
  }
  ASSERT_TRUE(lifecycle_->Publish(admin_, programme, run.id).ok());
  std::vector<TandemRecord> tandems = Tandems(programme);
  ASSERT_GE(tandems.size(), 2u);
  // Proposed: withdrawing dissolves the proposal. Active: dissolves the tandem.
  ASSERT_TRUE(lifecycle_->Withdraw(Participant(tandems[0].mentee), programme).ok());
  ASSERT_TRUE(lifecycle_->Accept(Participant(tandems[1].mentor), tandems[1].id).ok());
  ASSERT_TRUE(lifecycle_->Accept(Participant(tandems[1].mentee), tandems[1].id).ok());
  ASSERT_TRUE(lifecycle_->Withdraw(Participant(tandems[1].mentor), programme).ok());
  tandems = Tandems(programme);
  EXPECT_EQ(tandems[0].state, TandemState::kDissolved);
  EXPECT_EQ(tandems[1].state, TandemState::kDissolved);
  Result<TandemView> accept = lifecycle_->Accept(Participant(tandems[0].mentor), tandems[0].id);
  EXPECT_EQ(accept.status().code(), StatusCode::kConflict);
  EXPECT_NE(accept.status().message().find("dissolved"), std::string::npos);
}

TEST_P(Lifecycles, TwoAdministratorsPublishingAtOnceMakeOneOutcome) {
  Cohort cohort = GenerateCohort(80, 17);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  EnrolAll(programme, cohort, ids);
  clock_.Advance(15 * kDay);
  const MatchingRunRecord run = RunToEnd(programme);
  Caller second = admin_;
  second.account = 2;
  std::barrier start(2);
  Status outcomes[2];
  std::thread a([&] {
    start.arrive_and_wait();
    Result<PublishSummary> r = lifecycle_->Publish(admin_, programme, run.id);
    outcomes[0] = r.ok() ? Status::Ok() : r.status();
  });
  std::thread b([&] {
    start.arrive_and_wait();
    Result<PublishSummary> r = lifecycle_->Publish(second, programme, run.id);
    outcomes[1] = r.ok() ? Status::Ok() : r.status();
  });
  a.join();
  b.join();
  const int ok = (outcomes[0].ok() ? 1 : 0) + (outcomes[1].ok() ? 1 : 0);
  EXPECT_EQ(ok, 1);
  for (const Status& s : outcomes) {
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kConflict) << s.message();
    }
  }
  EXPECT_EQ(Tandems(programme).size(), Pairs(run).size());
}

TEST_P(Lifecycles, PermissionsAreDecidedPerRole) {
  Cohort cohort = GenerateCohort(40, 19);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kReverse);
  EnrolAll(programme, cohort, ids);
  const Caller participant = Participant(ids[0]);
  // A participant sees the programme but may not run it: 403, audited.
  EXPECT_EQ(lifecycle_->StartRun(participant, programme, "optimal").status().code(),
            StatusCode::kPermissionDenied);
  // Someone else's programme admin does not see it at all.
  Caller other;
  other.account = 77;
  other.programmes = {programme + 1};
  EXPECT_EQ(lifecycle_->ListEnrolments(other, programme, 0, 10).status().code(),
            StatusCode::kNotFound);
  // API tokens do not enrol.
  Caller token = participant;
  token.session = 0;
  token.api_token = 5;
  token.scopes = {kScopeProgrammesRead, kScopeProgrammesWrite};
  EXPECT_EQ(lifecycle_->GetOwnEnrolment(token, programme).status().code(),
            StatusCode::kPermissionDenied);
  // A read-only token may read but not queue runs.
  Caller reader = admin_;
  reader.api_token = 6;
  reader.scopes = {kScopeProgrammesRead};
  EXPECT_TRUE(lifecycle_->ListRuns(reader, programme, 0, 10).ok());
  EXPECT_EQ(lifecycle_->StartRun(reader, programme, "optimal").status().code(),
            StatusCode::kPermissionDenied);
  // A person sees only their own tandems and nobody's answers but their own.
  EXPECT_EQ(lifecycle_->GetTandem(participant, 12345).status().code(), StatusCode::kNotFound);
  Caller anonymous;
  EXPECT_EQ(lifecycle_->ListOwnTandems(anonymous).status().code(), StatusCode::kUnauthenticated);
}

TEST_P(Lifecycles, OpenProgrammeSuggestsFiveAndRequestsBecomeTandems) {
  Cohort cohort = GenerateCohort(80, 23);
  SortPeopleById(cohort);
  const std::vector<RowId> ids = StorePeople(cohort);
  const RowId programme = CreateProgramme(cohort, MatchModeSetting::kOpen);
  EnrolAll(programme, cohort, ids);
  // The first mentees may be top managers with everyone in their line: take the first with
  // suggestions.
  std::optional<Caller> found;
  std::vector<Suggestion> suggestions;
  for (size_t i = 0; i < ids.size() && !found; ++i) {
    if (cohort.people[i].mentee_capacity == 0) continue;
    Result<std::vector<Suggestion>> s = lifecycle_->Suggest(Participant(ids[i]), programme);
    ASSERT_TRUE(s.ok()) << s.status().message();
    if (s.value().empty()) continue;
    found = Participant(ids[i]);
    suggestions = s.value();
  }
  ASSERT_TRUE(found);
  const Caller me = *found;
  EXPECT_LE(suggestions.size(), 5u);
  for (size_t i = 1; i < suggestions.size(); ++i) {
    EXPECT_GE(suggestions[i - 1].score, suggestions[i].score);
  }
  const Suggestion& best = suggestions[0];
  Result<TandemView> requested = lifecycle_->Request(me, programme, best.person, best.role);
  ASSERT_TRUE(requested.ok()) << requested.status().message();
  EXPECT_EQ(requested.value().tandem.state, TandemState::kAcceptedByOne);
  EXPECT_EQ(requested.value().tandem.origin, "request");
  Result<TandemView> accepted =
      lifecycle_->Accept(Participant(best.person), requested.value().tandem.id);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted.value().tandem.state, TandemState::kActive);
  // The same pair cannot be requested twice.
  EXPECT_EQ(lifecycle_->Request(me, programme, best.person, best.role).status().code(),
            StatusCode::kConflict);
}

TANDEM_BACKENDS(Lifecycles);

}  // namespace
}  // namespace tandem
