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
#include <tuple>

#include "app/crypto.h"
#include "app/directory.h"
#include "app/programmes.h"
#include "app/workspace.h"
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
  // Not the declined mentor when they are on the programme team too.
  Caller partner_admin = Participant(declined.mentor);
  partner_admin.programmes = {programme};
  team = lifecycle_->ListProgrammeTandems(partner_admin, programme, 0, 500);
  ASSERT_TRUE(team.ok()) << team.status().message();
  EXPECT_EQ(team.value().items[0].tandem.id, declined.id);
  EXPECT_EQ(team.value().items[0].tandem.decline_reason, "");

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

// ---- Ending a tandem (issue 7): completion by both partners, dissolution with a reason for the
// team only, completion at the end of the term, and the meetings held for the programme team.

TEST(TermEndsAt, AddsCalendarMonthsInUtcAndKeepsTheTimeOfDay) {
  ProgrammeRecord p;
  p.term_max_months = 6;
  TandemRecord t;
  EXPECT_FALSE(TermEndsAt(t, p).has_value());      // not active yet
  t.activated_at = kStart;                         // 2027-01-15 08:00 UTC
  EXPECT_EQ(TermEndsAt(t, p), 1'815'638'400'000);  // 2027-07-15 08:00 UTC
  t.activated_at = 1'801'396'800'000;              // 2027-01-31 12:00 UTC
  p.term_max_months = 1;
  EXPECT_EQ(TermEndsAt(t, p), 1'803'816'000'000);  // 2027-02-28 12:00: the month's last day
  p.term_max_months = 13;
  EXPECT_EQ(TermEndsAt(t, p), 1'835'438'400'000);  // 2028-02-29 12:00: a leap year
}

// A transaction that lets the partner's completion mark land between Dissolve's read of the
// tandem and its write (as a concurrent transaction committed in between would), once.
class RacingTx final : public StoreTx {
 public:
  RacingTx(StoreTx& inner, RowId* race, RowId partner, Millis now)
      : inner_(&inner), race_(race), partner_(partner), now_(now) {}
  bool UpdateTandem(const TandemRecord& tandem) override {
    if (*race_ == tandem.id) {
      *race_ = 0;
      TandemRecord theirs = *inner_->FindTandem(tandem.id);
      (theirs.mentor == partner_ ? theirs.mentor_completed_at : theirs.mentee_completed_at) = now_;
      EXPECT_TRUE(inner_->UpdateTandem(theirs));
    }
    return inner_->UpdateTandem(tandem);
  }
  RowId InsertPerson(const PersonRecord& person) override { return inner_->InsertPerson(person); }
  bool UpdatePerson(const PersonRecord& person) override { return inner_->UpdatePerson(person); }
  std::optional<PersonRecord> FindPerson(RowId id) override { return inner_->FindPerson(id); }
  std::optional<PersonRecord> FindPersonByExternalId(std::string_view external_id) override {
    return inner_->FindPersonByExternalId(external_id);
  }
  std::vector<PersonRecord> ListPeople(RowId after, int limit) override {
    return inner_->ListPeople(after, limit);
  }
  bool ErasePerson(RowId id, Millis now) override { return inner_->ErasePerson(id, now); }
  RowId InsertProgramme(const ProgrammeRecord& programme) override {
    return inner_->InsertProgramme(programme);
  }
  bool UpdateProgramme(const ProgrammeRecord& programme) override {
    return inner_->UpdateProgramme(programme);
  }
  std::optional<ProgrammeRecord> FindProgramme(RowId id) override {
    return inner_->FindProgramme(id);
  }
  std::vector<ProgrammeRecord> ListProgrammes(RowId after, int limit) override {
    return inner_->ListProgrammes(after, limit);
  }
  RowId InsertEnrolment(const EnrolmentRecord& enrolment) override {
    return inner_->InsertEnrolment(enrolment);
  }
  bool UpdateEnrolment(const EnrolmentRecord& enrolment) override {
    return inner_->UpdateEnrolment(enrolment);
  }
  std::optional<EnrolmentRecord> FindEnrolment(RowId programme, RowId person) override {
    return inner_->FindEnrolment(programme, person);
  }
  std::vector<EnrolmentRecord> ListEnrolments(RowId programme, RowId after, int limit) override {
    return inner_->ListEnrolments(programme, after, limit);
  }
  bool DeleteEnrolment(RowId id) override { return inner_->DeleteEnrolment(id); }
  void ReplaceAnswers(RowId enrolment, const std::vector<AnswerRecord>& answers) override {
    return inner_->ReplaceAnswers(enrolment, answers);
  }
  std::vector<AnswerRecord> ListAnswers(RowId enrolment) override {
    return inner_->ListAnswers(enrolment);
  }
  std::vector<std::pair<RowId, AnswerRecord>> ListProgrammeAnswers(RowId programme) override {
    return inner_->ListProgrammeAnswers(programme);
  }
  RowId InsertMatchingRun(const MatchingRunRecord& run) override {
    return inner_->InsertMatchingRun(run);
  }
  std::optional<MatchingRunRecord> FindMatchingRun(RowId id) override {
    return inner_->FindMatchingRun(id);
  }
  std::vector<MatchingRunRecord> ListMatchingRuns(RowId programme, RowId after,
                                                  int limit) override {
    return inner_->ListMatchingRuns(programme, after, limit);
  }
  bool UpdateMatchingRun(const MatchingRunRecord& run) override {
    return inner_->UpdateMatchingRun(run);
  }
  std::optional<MatchingRunRecord> ClaimMatchingRun(std::string_view worker, Millis now,
                                                    Millis lease_until) override {
    return inner_->ClaimMatchingRun(worker, now, lease_until);
  }
  bool ReportRunProgress(RowId run, std::string_view worker, Millis lease_until, int phase,
                         std::int64_t done, std::int64_t total) override {
    return inner_->ReportRunProgress(run, worker, lease_until, phase, done, total);
  }
  RowId InsertTandem(const TandemRecord& tandem) override { return inner_->InsertTandem(tandem); }
  std::optional<TandemRecord> FindTandem(RowId id) override { return inner_->FindTandem(id); }
  std::vector<TandemRecord> ListTandems(RowId programme, RowId after, int limit) override {
    return inner_->ListTandems(programme, after, limit);
  }
  std::vector<TandemRecord> ListTandemsOfPerson(RowId person) override {
    return inner_->ListTandemsOfPerson(person);
  }
  std::vector<TandemRecord> ListTandemsOfEnrolled(RowId programme) override {
    return inner_->ListTandemsOfEnrolled(programme);
  }
  bool CountMeetingHeld(RowId tandem) override { return inner_->CountMeetingHeld(tandem); }
  void PutPairRule(const PairRuleRecord& rule) override { return inner_->PutPairRule(rule); }
  bool DeletePairRule(RowId programme, RowId mentor, RowId mentee) override {
    return inner_->DeletePairRule(programme, mentor, mentee);
  }
  std::vector<PairRuleRecord> ListPairRules(RowId programme) override {
    return inner_->ListPairRules(programme);
  }
  RowId AppendAudit(const AuditRecord& entry) override { return inner_->AppendAudit(entry); }
  std::vector<AuditRecord> ListAudit(RowId after, int limit) override {
    return inner_->ListAudit(after, limit);
  }
  StoreCounts Counts() override { return inner_->Counts(); }
  RowId InsertAccount(const AccountRecord& account) override {
    return inner_->InsertAccount(account);
  }
  bool UpdateAccount(const AccountRecord& account) override {
    return inner_->UpdateAccount(account);
  }
  std::optional<AccountRecord> FindAccount(RowId id) override { return inner_->FindAccount(id); }
  std::optional<AccountRecord> FindAccountByEmail(std::string_view email) override {
    return inner_->FindAccountByEmail(email);
  }
  std::optional<AccountRecord> FindAccountByPerson(RowId person) override {
    return inner_->FindAccountByPerson(person);
  }
  std::vector<AccountRecord> ListAccounts(RowId after, int limit) override {
    return inner_->ListAccounts(after, limit);
  }
  std::vector<PersonRecord> ListPeopleOfProgrammes(const std::vector<RowId>& programmes,
                                                   RowId after, int limit) override {
    return inner_->ListPeopleOfProgrammes(programmes, after, limit);
  }
  bool AddProgrammeAdmin(RowId programme, RowId account, Millis now) override {
    return inner_->AddProgrammeAdmin(programme, account, now);
  }
  bool RemoveProgrammeAdmin(RowId programme, RowId account) override {
    return inner_->RemoveProgrammeAdmin(programme, account);
  }
  std::vector<RowId> ListAdministeredProgrammes(RowId account) override {
    return inner_->ListAdministeredProgrammes(account);
  }
  std::vector<RowId> ListProgrammeAdmins(RowId programme) override {
    return inner_->ListProgrammeAdmins(programme);
  }
  RowId InsertSession(const SessionRecord& session) override {
    return inner_->InsertSession(session);
  }
  std::optional<SessionRecord> FindSessionByTokenHash(std::string_view token_hash) override {
    return inner_->FindSessionByTokenHash(token_hash);
  }
  void TouchSession(RowId id, Millis now) override { return inner_->TouchSession(id, now); }
  void EndSession(RowId id, Millis now) override { return inner_->EndSession(id, now); }
  std::int64_t EndAllSessions(RowId account, Millis now) override {
    return inner_->EndAllSessions(account, now);
  }
  RowId InsertOneTimeToken(const OneTimeTokenRecord& token) override {
    return inner_->InsertOneTimeToken(token);
  }
  std::optional<OneTimeTokenRecord> FindOneTimeToken(std::string_view token_hash) override {
    return inner_->FindOneTimeToken(token_hash);
  }
  bool UseOneTimeToken(RowId id, Millis now) override { return inner_->UseOneTimeToken(id, now); }
  std::int64_t CountOneTimeTokens(RowId account, TokenPurpose purpose, Millis since) override {
    return inner_->CountOneTimeTokens(account, purpose, since);
  }
  RowId InsertApiToken(const ApiTokenRecord& token) override {
    return inner_->InsertApiToken(token);
  }
  std::optional<ApiTokenRecord> FindApiTokenByHash(std::string_view token_hash) override {
    return inner_->FindApiTokenByHash(token_hash);
  }
  std::vector<ApiTokenRecord> ListApiTokens(RowId account) override {
    return inner_->ListApiTokens(account);
  }
  bool RevokeApiToken(RowId id, Millis now) override { return inner_->RevokeApiToken(id, now); }
  void TouchApiToken(RowId id, Millis now) override { return inner_->TouchApiToken(id, now); }
  void RecordSignInFailure(std::optional<RowId> account, std::string_view client,
                           Millis at) override {
    return inner_->RecordSignInFailure(account, client, at);
  }
  FailureStats AccountFailures(RowId account, Millis since) override {
    return inner_->AccountFailures(account, since);
  }
  FailureStats ClientFailures(std::string_view client, Millis since) override {
    return inner_->ClientFailures(client, since);
  }
  std::int64_t PruneSignInFailures(Millis before) override {
    return inner_->PruneSignInFailures(before);
  }
  RowId EnqueueMail(const MailRecord& mail) override { return inner_->EnqueueMail(mail); }
  std::vector<MailRecord> ClaimMail(std::string_view worker, Millis now, Millis lease_until,
                                    int limit) override {
    return inner_->ClaimMail(worker, now, lease_until, limit);
  }
  bool MarkMailHandedOver(RowId id, std::string_view worker, Millis now) override {
    return inner_->MarkMailHandedOver(id, worker, now);
  }
  std::vector<RowId> GiveUpMailInDoubt(Millis now, std::string_view error) override {
    return inner_->GiveUpMailInDoubt(now, error);
  }
  bool MarkMailSent(RowId id, std::string_view worker, Millis now) override {
    return inner_->MarkMailSent(id, worker, now);
  }
  bool MarkMailFailed(RowId id, std::string_view worker, std::string_view error,
                      Millis next_attempt_at) override {
    return inner_->MarkMailFailed(id, worker, error, next_attempt_at);
  }
  std::int64_t CountPendingMail() override { return inner_->CountPendingMail(); }
  std::optional<MailRecord> FindMail(RowId id) override { return inner_->FindMail(id); }
  void InsertAgreementAcceptance(const AgreementAcceptanceRecord& acceptance) override {
    return inner_->InsertAgreementAcceptance(acceptance);
  }
  std::vector<AgreementAcceptanceRecord> ListAgreementAcceptances(RowId tandem) override {
    return inner_->ListAgreementAcceptances(tandem);
  }
  void InsertWorkspace(const WorkspaceRecord& workspace) override {
    return inner_->InsertWorkspace(workspace);
  }
  bool UpdateWorkspace(const WorkspaceRecord& workspace) override {
    return inner_->UpdateWorkspace(workspace);
  }
  std::optional<WorkspaceRecord> FindWorkspace(RowId tandem) override {
    return inner_->FindWorkspace(tandem);
  }
  std::vector<WorkspaceRecord> ListKeyedWorkspaces() override {
    return inner_->ListKeyedWorkspaces();
  }
  bool EraseWorkspace(RowId tandem, Millis now) override {
    return inner_->EraseWorkspace(tandem, now);
  }
  RowId InsertRoadmapItem(const RoadmapItemRecord& item) override {
    return inner_->InsertRoadmapItem(item);
  }
  bool UpdateRoadmapItem(const RoadmapItemRecord& item) override {
    return inner_->UpdateRoadmapItem(item);
  }
  bool DeleteRoadmapItem(RowId id) override { return inner_->DeleteRoadmapItem(id); }
  std::optional<RoadmapItemRecord> FindRoadmapItem(RowId id) override {
    return inner_->FindRoadmapItem(id);
  }
  std::vector<RoadmapItemRecord> ListRoadmapItems(RowId tandem) override {
    return inner_->ListRoadmapItems(tandem);
  }
  RowId InsertNote(const NoteRecord& note) override { return inner_->InsertNote(note); }
  bool UpdateNote(const NoteRecord& note) override { return inner_->UpdateNote(note); }
  bool DeleteNote(RowId id) override { return inner_->DeleteNote(id); }
  std::optional<NoteRecord> FindNote(RowId id) override { return inner_->FindNote(id); }
  std::vector<NoteRecord> ListNotes(RowId tandem) override { return inner_->ListNotes(tandem); }
  RowId InsertMeeting(const MeetingRecord& meeting) override {
    return inner_->InsertMeeting(meeting);
  }
  bool UpdateMeeting(const MeetingRecord& meeting) override {
    return inner_->UpdateMeeting(meeting);
  }
  std::optional<MeetingRecord> FindMeeting(RowId id) override { return inner_->FindMeeting(id); }
  std::vector<MeetingRecord> ListMeetings(RowId tandem) override {
    return inner_->ListMeetings(tandem);
  }
  void PutCalendarFeed(RowId person, std::string_view token_hash, Millis now) override {
    return inner_->PutCalendarFeed(person, token_hash, now);
  }
  bool DeleteCalendarFeed(RowId person) override { return inner_->DeleteCalendarFeed(person); }
  std::optional<RowId> FindCalendarFeedPerson(std::string_view token_hash) override {
    return inner_->FindCalendarFeedPerson(token_hash);
  }
  RowId InsertLeadershipAsk(const LeadershipAskRecord& ask) override {
    return inner_->InsertLeadershipAsk(ask);
  }
  std::vector<LeadershipAskRecord> ListLeadershipAsks(RowId programme) override {
    return inner_->ListLeadershipAsks(programme);
  }
  bool RecordNotice(RowId tandem, std::string_view kind, RowId subject, Millis due_at,
                    Millis now) override {
    return inner_->RecordNotice(tandem, kind, subject, due_at, now);
  }
  std::optional<RoleOfferRecord> FindRoleOffer(RowId person) override {
    return inner_->FindRoleOffer(person);
  }
  bool PutRoleOffer(const RoleOfferRecord& offer) override { return inner_->PutRoleOffer(offer); }
  std::vector<RowId> ListRoleOfferers(bool mentor) override {
    return inner_->ListRoleOfferers(mentor);
  }
  RowId InsertSurvey(const SurveyRecord& survey) override { return inner_->InsertSurvey(survey); }
  bool UpdateSurvey(const SurveyRecord& survey) override { return inner_->UpdateSurvey(survey); }
  std::optional<SurveyRecord> FindSurvey(RowId id) override { return inner_->FindSurvey(id); }
  std::vector<SurveyRecord> ListSurveys(RowId programme) override {
    return inner_->ListSurveys(programme);
  }
  std::vector<SurveyRecord> ListOpenSurveys() override { return inner_->ListOpenSurveys(); }
  bool RecordSurveyInvitation(RowId survey, RowId person, Millis now) override {
    return inner_->RecordSurveyInvitation(survey, person, now);
  }
  std::vector<RowId> ListSurveyInvitees(RowId survey) override {
    return inner_->ListSurveyInvitees(survey);
  }
  RowId InsertSurveyResponse(const SurveyResponseRecord& response) override {
    return inner_->InsertSurveyResponse(response);
  }
  bool UpdateSurveyResponse(const SurveyResponseRecord& response) override {
    return inner_->UpdateSurveyResponse(response);
  }
  std::optional<SurveyResponseRecord> FindSurveyResponse(RowId survey, RowId person) override {
    return inner_->FindSurveyResponse(survey, person);
  }
  std::vector<SurveyResponseRecord> ListSurveyResponses(RowId survey, RowId through) override {
    return inner_->ListSurveyResponses(survey, through);
  }
  std::int64_t CountSurveyResponses(RowId survey, RowId after) override {
    return inner_->CountSurveyResponses(survey, after);
  }
  bool PutPartnerFeedback(const PartnerFeedbackRecord& feedback) override {
    return inner_->PutPartnerFeedback(feedback);
  }
  std::vector<PartnerFeedbackRecord> ListPartnerFeedback(RowId tandem) override {
    return inner_->ListPartnerFeedback(tandem);
  }

 private:
  StoreTx* inner_;
  RowId* race_;
  RowId partner_;
  Millis now_;
};

class RacingStore final : public Store {
 public:
  explicit RacingStore(Store& inner) : inner_(inner) {}
  using Store::Write;
  Status Write(const TxFunction& fn, WriteLock lock) override {
    return inner_.Write(
        [&](StoreTx& tx) {
          RacingTx racing(tx, &race, partner, now);
          return fn(racing);
        },
        lock);
  }
  Status Read(const TxFunction& fn) override { return inner_.Read(fn); }
  std::string_view backend() const override { return inner_.backend(); }
  Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_.LatestSchemaVersion(); }
  Result<int> Migrate(int up_to) override { return inner_.Migrate(up_to); }

  RowId race = 0;  // the tandem whose next update races with the partner's mark
  RowId partner = 0;
  Millis now = 0;

 private:
  Store& inner_;
};

class Endings : public BackendTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    BackendTest::SetUp();
    if (!store_) return;
    auth_ = std::make_unique<Auth>(*store_, clock_, AuthConfig{});
    lifecycle_ = std::make_unique<Lifecycle>(*store_, clock_, *auth_, "https://tandem.test");
    workspace_ = std::make_unique<Workspace>(*store_, clock_, master_);
    directory_ = std::make_unique<Directory>(*store_, clock_);
    ASSERT_TRUE(
        store_
            ->Write([&](StoreTx& tx) {
              PersonRecord p;
              p.created_at = p.updated_at = kStart;
              p.level = 3;
              for (int i = 0; i < 14; ++i) {
                p.external_id = "P" + std::to_string(i);
                p.name = "Person " + std::to_string(i);
                p.email = "p" + std::to_string(i) + "@example.test";
                people_.push_back(tx.InsertPerson(p));
              }
              // The mentor reads German, the mentee English.
              for (const auto& [person, name, email, language] :
                   {std::tuple{people_[0], "Mara", "mara@example.test", Language::kGerman},
                    std::tuple{people_[1], "Emma", "emma@example.test", Language::kEnglish}}) {
                AccountRecord a;
                a.email = email;
                a.person = person;
                a.display_name = name;
                a.language = language;
                a.created_at = a.updated_at = kStart;
                tx.InsertAccount(a);
              }
              ProgrammeRecord programme;
              programme.name = "Cohort";
              programme.state = "running";
              programme.topics = {{"ai", "KI", "AI", 2}};
              programme.term_max_months = 6;
              programme.target_meetings_min = 2;
              programme.agreement_de = "Vertraulich.";
              programme.agreement_en = "Confidential.";
              programme.created_at = programme.updated_at = kStart;
              programme_ = tx.InsertProgramme(programme);
              for (const RowId person : people_) {
                EnrolmentRecord e;
                e.programme = programme_;
                e.person = person;
                e.state = EnrolmentState::kEnrolled;
                e.mentor_capacity = e.mentee_capacity = 1;
                e.created_at = e.updated_at = kStart;
                tx.InsertEnrolment(e);
              }
              return Status::Ok();
            })
            .ok());
    admin_.account = 1;
    admin_.system_admin = true;
    tandem_ = Proposal(people_[0], people_[1]);
    mentor_ = Participant(people_[0]);
    mentee_ = Participant(people_[1]);
    stranger_ = Participant(people_[2]);
  }
  void TearDown() override {
    directory_.reset();
    workspace_.reset();
    lifecycle_.reset();
    auth_.reset();
    BackendTest::TearDown();
  }

  static Caller Participant(RowId person) {
    Caller c;
    c.account = 100 + person;
    c.person = person;
    c.session = 100 + person;
    return c;
  }

  RowId Proposal(RowId mentor, RowId mentee) {
    RowId id = 0;
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      TandemRecord t;
                      t.programme = programme_;
                      t.mentor = mentor;
                      t.mentee = mentee;
                      t.topics = {"ai"};
                      t.created_at = t.updated_at = clock_.Now();
                      id = tx.InsertTandem(t);
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }

  // A proposal both partners accepted now.
  RowId Active(RowId mentor, RowId mentee) {
    const RowId id = Proposal(mentor, mentee);
    EXPECT_TRUE(lifecycle_->Accept(Participant(mentor), id).ok());
    EXPECT_TRUE(lifecycle_->Accept(Participant(mentee), id).ok());
    return id;
  }

  void Held(RowId tandem, int count, MeetingState state = MeetingState::kHeld) {
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      const TandemRecord t = *tx.FindTandem(tandem);
                      for (int i = 0; i < count; ++i) {
                        MeetingRecord m;
                        m.tandem = tandem;
                        m.state = state;
                        m.starts_at = clock_.Now();
                        m.proposed_by = t.mentor;
                        m.ciphertext = "c";
                        m.nonce = "n";
                        m.created_at = m.updated_at = clock_.Now();
                        tx.InsertMeeting(m);
                        // As Workspace::MarkMeetingHeld does.
                        if (state == MeetingState::kHeld) {
                          EXPECT_TRUE(tx.CountMeetingHeld(tandem));
                        }
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  std::map<RowId, TandemView> TeamView() {
    Result<Page<TandemView>> page = lifecycle_->ListProgrammeTandems(admin_, programme_, 0, 100);
    EXPECT_TRUE(page.ok());
    std::map<RowId, TandemView> out;
    if (page.ok()) {
      for (const TandemView& v : page.value().items) out[v.tandem.id] = v;
    }
    return out;
  }

  std::vector<MailRecord> Mails() {
    std::vector<MailRecord> mails;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      for (RowId id = 1, misses = 0; misses < 5; ++id) {
                        std::optional<MailRecord> m = tx.FindMail(id);
                        if (!m) {
                          ++misses;
                          continue;
                        }
                        misses = 0;
                        mails.push_back(std::move(*m));
                      }
                      return Status::Ok();
                    })
                    .ok());
    return mails;
  }

  std::vector<AuditRecord> Audit() {
    std::vector<AuditRecord> entries;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      entries = tx.ListAudit(0, 1000);
                      return Status::Ok();
                    })
                    .ok());
    return entries;
  }

  template <typename T>
  static StatusCode CodeOf(const Result<T>& result) {
    return result.ok() ? StatusCode::kOk : result.status().code();
  }

  ManualClock clock_{kStart};
  SecretKey master_ = SecretKey::Generate();
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<Workspace> workspace_;
  std::unique_ptr<Directory> directory_;
  std::vector<RowId> people_;
  RowId programme_ = 0;
  RowId tandem_ = 0;
  Caller admin_, mentor_, mentee_, stranger_;
};
TANDEM_BACKENDS(Endings);

TEST_P(Endings, BothPartnersCompleteItAndTheWorkspaceBecomesReadOnly) {
  if (!store_) return;
  // Given a proposal, ending it is refused: it is not active...
  EXPECT_EQ(CodeOf(lifecycle_->Complete(mentor_, tandem_)), StatusCode::kConflict);
  clock_.Advance(kDay);
  ASSERT_TRUE(lifecycle_->Accept(mentor_, tandem_).ok());
  clock_.Advance(kDay);
  Result<TandemView> active = lifecycle_->Accept(mentee_, tandem_);
  ASSERT_TRUE(active.ok());
  // ...the second acceptance starts the term...
  EXPECT_EQ(active.value().tandem.activated_at, kStart + 2 * kDay);
  ProgrammeRecord six_months;
  six_months.term_max_months = 6;
  EXPECT_EQ(active.value().ends_at, TermEndsAt(active.value().tandem, six_months));
  ASSERT_TRUE(workspace_->AcceptAgreement(mentor_, tandem_).ok());
  ASSERT_TRUE(workspace_->AcceptAgreement(mentee_, tandem_).ok());
  ASSERT_TRUE(workspace_->AddNote(mentor_, tandem_, {"Start", "Wir fangen an.", {}, false}).ok());

  // ...one partner's mark records it, and marking twice changes nothing...
  clock_.Advance(kDay);
  Result<TandemView> one = lifecycle_->Complete(mentor_, tandem_);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one.value().tandem.state, TandemState::kActive);
  EXPECT_EQ(one.value().tandem.mentor_completed_at, kStart + 3 * kDay);
  EXPECT_FALSE(one.value().tandem.mentee_completed_at.has_value());
  Result<TandemView> again = lifecycle_->Complete(mentor_, tandem_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().tandem.version, one.value().tandem.version);
  // ...nobody else may, and they learn nothing about the tandem...
  EXPECT_EQ(CodeOf(lifecycle_->Complete(stranger_, tandem_)), StatusCode::kNotFound);
  EXPECT_EQ(CodeOf(lifecycle_->Complete(stranger_, tandem_ + 100)), StatusCode::kNotFound);
  EXPECT_EQ(CodeOf(lifecycle_->Complete(Caller{}, tandem_)), StatusCode::kUnauthenticated);
  Caller token = mentee_;
  token.api_token = 7;
  token.session = 0;
  EXPECT_EQ(CodeOf(lifecycle_->Complete(token, tandem_)), StatusCode::kPermissionDenied);
  // ...and the second partner's mark completes it.
  clock_.Advance(kDay);
  Result<TandemView> both = lifecycle_->Complete(mentee_, tandem_);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both.value().tandem.state, TandemState::kCompleted);
  EXPECT_EQ(both.value().tandem.ended_at, kStart + 4 * kDay);
  EXPECT_EQ(both.value().tandem.mentee_completed_at, kStart + 4 * kDay);
  EXPECT_TRUE(lifecycle_->Complete(mentee_, tandem_).ok());  // marked already: unchanged
  EXPECT_EQ(CodeOf(lifecycle_->Dissolve(mentor_, tandem_, "")), StatusCode::kConflict);

  // The workspace stays readable but no longer changes.
  Result<std::vector<NoteView>> notes = workspace_->ListNotes(mentee_, tandem_);
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ(notes.value().size(), 1u);
  EXPECT_EQ(CodeOf(workspace_->AddNote(mentee_, tandem_, {"Noch", "etwas", {}, false})),
            StatusCode::kConflict);

  int marks = 0;
  for (const AuditRecord& a : Audit()) {
    if (a.action != "tandem.complete") continue;
    ++marks;
    EXPECT_EQ(a.entity_id, tandem_);
    EXPECT_TRUE(a.detail == "marked" || a.detail == "completed") << a.detail;
  }
  EXPECT_EQ(marks, 2);
}

// Given the mentor's completion mark landing between the mentee's read and write of the tandem,
// the dissolve reads again and goes through (the tandem is still active), not 409.
TEST_P(Endings, DissolvingRetriesWhenThePartnersMarkComesInBetween) {
  if (!store_) return;
  ASSERT_TRUE(lifecycle_->Accept(mentor_, tandem_).ok());
  ASSERT_TRUE(lifecycle_->Accept(mentee_, tandem_).ok());
  RacingStore racing(*store_);
  racing.race = tandem_;
  racing.partner = people_[0];
  racing.now = clock_.Now();
  Lifecycle raced(racing, clock_, *auth_, "https://tandem.test");
  const Result<TandemView> dissolved = raced.Dissolve(mentee_, tandem_, "moved on");
  ASSERT_TRUE(dissolved.ok()) << dissolved.status().message();
  EXPECT_EQ(racing.race, 0) << "the race did not happen";
  EXPECT_EQ(dissolved.value().tandem.state, TandemState::kDissolved);
  EXPECT_EQ(dissolved.value().tandem.mentor_completed_at, clock_.Now());
}

TEST_P(Endings, DissolvingKeepsTheReasonForTheTeamAndMailsThePartnerWithoutIt) {
  if (!store_) return;
  EXPECT_EQ(CodeOf(lifecycle_->Dissolve(mentee_, tandem_, "")), StatusCode::kConflict);
  ASSERT_TRUE(lifecycle_->Accept(mentor_, tandem_).ok());
  ASSERT_TRUE(lifecycle_->Accept(mentee_, tandem_).ok());
  const std::string reason = "Neue Stelle im Ausland, Kanarienvogel-4711";
  EXPECT_EQ(CodeOf(lifecycle_->Dissolve(stranger_, tandem_, reason)), StatusCode::kNotFound);
  const Result<TandemView> too_long =
      lifecycle_->Dissolve(mentee_, tandem_, std::string(kMaxDissolveReasonLength + 1, 'x'));
  ASSERT_EQ(CodeOf(too_long), StatusCode::kInvalidArgument);
  EXPECT_EQ(too_long.status().message().rfind("reason:", 0), 0u);
  // 2000 characters of two bytes each are fine; 2001 are not.
  std::string umlauts;
  for (size_t i = 0; i < kMaxDissolveReasonLength; ++i) umlauts += "ä";
  EXPECT_EQ(CharacterCount(umlauts), kMaxDissolveReasonLength);
  const RowId other = Active(people_[2], people_[3]);
  EXPECT_EQ(CodeOf(lifecycle_->Dissolve(Participant(people_[3]), other, umlauts + "ä")),
            StatusCode::kInvalidArgument);
  const Result<TandemView> long_reason =
      lifecycle_->Dissolve(Participant(people_[3]), other, umlauts);
  ASSERT_TRUE(long_reason.ok()) << long_reason.status().message();
  EXPECT_EQ(TeamView().at(other).tandem.dissolve_reason, umlauts);
  const size_t mails_before = Mails().size();

  clock_.Advance(kDay);
  Result<TandemView> dissolved = lifecycle_->Dissolve(mentee_, tandem_, reason);
  ASSERT_TRUE(dissolved.ok()) << dissolved.status().message();
  EXPECT_EQ(dissolved.value().tandem.state, TandemState::kDissolved);
  EXPECT_EQ(dissolved.value().tandem.ended_at, kStart + kDay);
  EXPECT_EQ(dissolved.value().tandem.dissolve_reason, "");  // the partners do not see it
  EXPECT_EQ(lifecycle_->GetTandem(mentor_, tandem_).value().tandem.dissolve_reason, "");
  // The programme team does.
  const TandemView team = TeamView().at(tandem_);
  EXPECT_EQ(team.tandem.dissolve_reason, reason);
  EXPECT_EQ(team.tandem.dissolved_by, people_[1]);
  // Not a team member who is the other partner, and not an integration's API token.
  Caller partner_admin = mentor_;
  partner_admin.programmes = {programme_};
  Caller token;
  token.account = 1;
  token.system_admin = true;
  token.api_token = 7;
  token.scopes = {kScopeProgrammesRead};
  for (const Caller& caller : {partner_admin, token}) {
    Result<Page<TandemView>> page = lifecycle_->ListProgrammeTandems(caller, programme_, 0, 100);
    ASSERT_TRUE(page.ok()) << page.status().message();
    bool seen = false;
    for (const TandemView& v : page.value().items) {
      if (v.tandem.id != tandem_) continue;
      seen = true;
      EXPECT_EQ(v.tandem.dissolve_reason, "") << caller.api_token;
      EXPECT_EQ(v.tandem.dissolved_by, people_[1]);
    }
    EXPECT_TRUE(seen);
  }
  // Once ended, it ends no more.
  EXPECT_EQ(CodeOf(lifecycle_->Dissolve(mentor_, tandem_, "")), StatusCode::kConflict);
  EXPECT_EQ(CodeOf(lifecycle_->Complete(mentor_, tandem_)), StatusCode::kConflict);

  // The mentor (German) gets one mail naming who ended it, without the reason.
  const std::vector<MailRecord> mails = Mails();
  ASSERT_EQ(mails.size(), mails_before + 1);
  const MailRecord& mail = mails.back();
  EXPECT_EQ(mail.to_address, "mara@example.test");
  EXPECT_EQ(mail.subject, "Ihr Tandem wurde beendet");
  EXPECT_NE(mail.text_body.find("Emma hat Ihr gemeinsames Tandem vorzeitig beendet."),
            std::string::npos)
      << mail.text_body;
  EXPECT_NE(mail.text_body.find("https://tandem.test/tandems/" + std::to_string(tandem_)),
            std::string::npos);
  for (const std::string& body : {mail.subject, mail.text_body, mail.html_body}) {
    EXPECT_EQ(body.find("Kanarienvogel"), std::string::npos);
    EXPECT_EQ(body.find("Ausland"), std::string::npos);
  }
  // The audit names ids only.
  bool audited = false;
  for (const AuditRecord& a : Audit()) {
    EXPECT_EQ(a.detail.find("Kanarienvogel"), std::string::npos) << a.action;
    if (a.action == "tandem.dissolve" && a.entity_id == tandem_) {  // (not the umlaut one)
      audited = true;
      EXPECT_EQ(a.actor, mentee_.Actor());
    }
  }
  EXPECT_TRUE(audited);
}

TEST_P(Endings, TheSweeperCompletesTandemsWhoseTermHasEnded) {
  if (!store_) return;
  ASSERT_TRUE(lifecycle_->Accept(mentor_, tandem_).ok());
  ASSERT_TRUE(lifecycle_->Accept(mentee_, tandem_).ok());
  const RowId later = [&] {
    clock_.Advance(kDay);
    return Active(people_[2], people_[3]);
  }();
  clock_.Advance(-kDay);
  const Millis ends = 1'815'638'400'000;  // kStart + 6 calendar months
  EXPECT_EQ(lifecycle_->GetTandem(mentor_, tandem_).value().ends_at, ends);

  clock_.Advance(ends - 1 - clock_.Now());
  Result<std::int64_t> none = lifecycle_->CompleteDueTandems();
  ASSERT_TRUE(none.ok()) << none.status().message();
  EXPECT_EQ(none.value(), 0);
  EXPECT_EQ(lifecycle_->GetTandem(mentor_, tandem_).value().tandem.state, TandemState::kActive);

  clock_.Advance(1);
  Result<std::int64_t> one = lifecycle_->CompleteDueTandems();
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one.value(), 1);
  const TandemView done = lifecycle_->GetTandem(mentor_, tandem_).value();
  EXPECT_EQ(done.tandem.state, TandemState::kCompleted);
  EXPECT_EQ(done.tandem.ended_at, ends);
  EXPECT_EQ(TeamView().at(later).tandem.state, TandemState::kActive);  // a day to go
  EXPECT_EQ(lifecycle_->CompleteDueTandems().value(), 0);              // once
  bool audited = false;
  for (const AuditRecord& a : Audit()) {
    if (a.action == "tandem.complete" && a.entity_id == tandem_) {
      audited = true;
      EXPECT_EQ(a.actor, "system");
    }
  }
  EXPECT_TRUE(audited);
  clock_.Advance(kDay);
  EXPECT_EQ(lifecycle_->CompleteDueTandems().value(), 1);
}

TEST_P(Endings, MeetingsHeldShowOnlyWhenTheProgrammeAllowsIt) {
  if (!store_) return;
  ASSERT_TRUE(lifecycle_->Accept(mentor_, tandem_).ok());
  ASSERT_TRUE(lifecycle_->Accept(mentee_, tandem_).ok());
  const RowId quiet = Active(people_[2], people_[3]);
  Held(tandem_, 3);
  Held(tandem_, 1, MeetingState::kCancelled);
  Held(quiet, 1, MeetingState::kAccepted);
  // By default the team sees no counts per tandem, and neither do the partners.
  for (const auto& [id, view] : TeamView()) EXPECT_FALSE(view.meetings_held.has_value()) << id;
  EXPECT_FALSE(lifecycle_->GetTandem(mentor_, tandem_).value().meetings_held.has_value());

  // The programme's administrators turn it on (the works agreement allows it)...
  Result<ProgrammeRecord> p = directory_->GetProgramme(admin_, programme_);
  ASSERT_TRUE(p.ok());
  ProgrammeRecord changed = p.value();
  changed.show_meeting_counts = true;
  Result<ProgrammeRecord> updated = directory_->UpdateProgramme(admin_, changed, kAnyVersion);
  ASSERT_TRUE(updated.ok()) << updated.status().message();
  EXPECT_TRUE(updated.value().show_meeting_counts);
  // ...then the team sees the meetings held per tandem; the partners' views stay without.
  const std::map<RowId, TandemView> team = TeamView();
  EXPECT_EQ(team.at(tandem_).meetings_held, 3);
  EXPECT_EQ(team.at(quiet).meetings_held, 0);
  EXPECT_FALSE(lifecycle_->GetTandem(mentor_, tandem_).value().meetings_held.has_value());
  const Result<std::vector<TandemView>> own = lifecycle_->ListOwnTandems(mentor_);
  ASSERT_TRUE(own.ok());
  for (const TandemView& v : own.value()) EXPECT_FALSE(v.meetings_held.has_value());
  // A closed programme keeps every setting but this one. Stored with surrounding whitespace
  // (an older API client), it still takes the trimmed values a form sends back.
  ASSERT_TRUE(lifecycle_->Close(admin_, programme_).ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    ProgrammeRecord padded = *tx.FindProgramme(programme_);
                    padded.name = " " + padded.name + "\t";
                    padded.topics.at(0).name_de = padded.topics.at(0).name_de + " ";
                    EXPECT_TRUE(tx.UpdateProgramme(padded));
                    return Status::Ok();
                  })
                  .ok());
  ProgrammeRecord closed = directory_->GetProgramme(admin_, programme_).value();
  const std::string padded_name = closed.name;
  closed.name = p.value().name;
  closed.topics.at(0).name_de = p.value().topics.at(0).name_de;
  closed.show_meeting_counts = false;
  const Result<ProgrammeRecord> off = directory_->UpdateProgramme(admin_, closed, kAnyVersion);
  ASSERT_TRUE(off.ok()) << off.status().message();
  EXPECT_FALSE(off.value().show_meeting_counts);
  EXPECT_EQ(off.value().name, padded_name) << "kept as stored";
  closed = directory_->GetProgramme(admin_, programme_).value();
  closed.name = "Renamed";
  EXPECT_EQ(CodeOf(directory_->UpdateProgramme(admin_, closed, kAnyVersion)),
            StatusCode::kConflict);
  // The audit log tells when the counts became visible and when not (nothing else).
  std::vector<std::string> details;
  for (const AuditRecord& a : Audit()) {
    if (a.action == "programme.update") details.push_back(a.detail);
  }
  EXPECT_EQ(details,
            (std::vector<std::string>{"show_meeting_counts=on", "show_meeting_counts=off"}));
}

TEST_P(Endings, TheSummaryCountsMeetingsFromFiveTandemsOnAndNeverShrinks) {
  if (!store_) return;
  ASSERT_TRUE(lifecycle_->Accept(mentor_, tandem_).ok());
  ASSERT_TRUE(lifecycle_->Accept(mentee_, tandem_).ok());
  Held(tandem_, 3);
  const RowId one = Active(people_[2], people_[3]);
  Held(one, 1);
  const RowId two = Active(people_[4], people_[5]);
  Held(two, 2);
  // A dissolved tandem counts with the meetings it held; a proposal does not.
  const RowId ended = Active(people_[10], people_[11]);
  Held(ended, 4);
  ASSERT_TRUE(lifecycle_->Dissolve(Participant(people_[10]), ended, "").ok());
  Proposal(people_[12], people_[13]);

  // Four counting tandems: too few to say anything.
  Result<ProgrammeSummary> few = lifecycle_->Summary(admin_, programme_);
  ASSERT_TRUE(few.ok());
  EXPECT_EQ(few.value().meetings.tandems, 4);
  EXPECT_TRUE(few.value().meetings.too_few);
  EXPECT_FALSE(few.value().meetings.held.has_value());
  EXPECT_FALSE(few.value().meetings.reached_target.has_value());

  // Five: the total. 3 of them reached the target (target_meetings_min = 2) and 2 did not:
  // both 1..4, so how many reached it stays hidden.
  const RowId fifth = Active(people_[6], people_[7]);
  Held(fifth, 5, MeetingState::kCancelled);
  Result<ProgrammeSummary> enough = lifecycle_->Summary(admin_, programme_);
  ASSERT_TRUE(enough.ok());
  EXPECT_EQ(enough.value().meetings.tandems, kMeetingsAggregateMinTandems);
  EXPECT_FALSE(enough.value().meetings.too_few);
  EXPECT_EQ(enough.value().meetings.held, 3 + 1 + 2 + 4 + 0);
  EXPECT_FALSE(enough.value().meetings.reached_target.has_value());

  // All five reached it: 5 and 0 are shown.
  Held(one, 1);
  Held(fifth, 2);
  enough = lifecycle_->Summary(admin_, programme_);
  ASSERT_TRUE(enough.ok());
  EXPECT_EQ(enough.value().meetings.held, 13);
  EXPECT_EQ(enough.value().meetings.reached_target, 5);

  // Ending, dissolving, erasing a partner and the tandem's meetings take nothing away, so two
  // summaries never differ by one tandem's meetings.
  ASSERT_TRUE(lifecycle_->Complete(Participant(people_[6]), fifth).ok());
  ASSERT_TRUE(lifecycle_->Complete(Participant(people_[7]), fifth).ok());
  ASSERT_TRUE(lifecycle_->Dissolve(Participant(people_[2]), one, "").ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.ErasePerson(people_[11], clock_.Now()));
                    tx.EraseWorkspace(ended, clock_.Now());  // the meetings go with it
                    return Status::Ok();
                  })
                  .ok());
  enough = lifecycle_->Summary(admin_, programme_);
  ASSERT_TRUE(enough.ok());
  EXPECT_EQ(enough.value().meetings.tandems, 5);
  EXPECT_EQ(enough.value().meetings.held, 13);
  EXPECT_EQ(enough.value().meetings.reached_target, 5);
  EXPECT_EQ(enough.value().completed, 1);
}

}  // namespace
}  // namespace tandem
