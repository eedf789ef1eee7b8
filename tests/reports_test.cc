// The programme dashboard and its exports (issue 8) on both backends: every figure of a seeded
// programme, the programme's k in the summary and the dashboard alike, permissions, the CSV and
// the workbook (read back with openpyxl), and an attack that tries every report parameter on a
// programme with a department of four people.
#include "app/reports.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "app/auth.h"
#include "app/csv_reader.h"
#include "app/lifecycle.h"
#include "app/survey_json.h"
#include "backend_fixture.h"
#include "core/survey.h"

namespace tandem {
namespace {

using nlohmann::json;

constexpr Millis kStart = 1'800'000'000'000;
constexpr Millis kDay = 24LL * 60 * 60 * 1000;

// What the test knows about one participant (the ground truth the figures are checked against).
struct Truth {
  RowId person = 0;
  std::string department;
  std::string location;
  int depth = 0;  // 0 invited, 1 enrolled, 2 matched, 3 accepted, 4 active, 5 completed
  bool withdrawn = false;
  bool mentee = false;
  bool mentor = false;
  std::map<std::string, int> interest;
  std::map<std::string, int> skill;
  bool Enrolled() const { return depth >= 1 && !withdrawn; }  // state "enrolled"
};

std::int64_t Count(const DisclosedCount& c) { return c.value_or(-1); }

class Reporting : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (!store_) return;
    auth_ = std::make_unique<Auth>(*store_, clock_, AuthConfig{});
    lifecycle_ = std::make_unique<Lifecycle>(*store_, clock_, *auth_, "https://tandem.test");
    reports_ = std::make_unique<Reports>(*store_, clock_);
    admin_.account = 1;
    admin_.system_admin = true;
    admin_.session = 1;
  }
  void TearDown() override {
    reports_.reset();
    lifecycle_.reset();
    auth_.reset();
    BackendTest::TearDown();
  }

  template <typename F>
  void Write(F f) {
    const Status s = store_->Write([&](StoreTx& tx) {
      f(tx);
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.message();
  }

  RowId AddPerson(const std::string& name, const std::string& department,
                  const std::string& location) {
    RowId id = 0;
    Write([&](StoreTx& tx) {
      PersonRecord r;
      r.external_id = "x-" + name;
      r.name = name;
      r.email = name + "@example.test";
      r.department = department;
      r.location = location;
      r.level = 3;
      r.languages = {"de"};
      r.created_at = r.updated_at = kStart;
      id = tx.InsertPerson(r);
    });
    return id;
  }

  RowId AddProgramme(const std::string& name, Millis created_at, int k = 5,
                     bool show_meeting_counts = false) {
    RowId id = 0;
    Write([&](StoreTx& tx) {
      ProgrammeRecord p;
      p.name = name;
      p.state = "running";
      p.topics = {{"ai", "KI", "AI", 1}, {"cloud", "Cloud", "Cloud", 1}};
      p.target_meetings_min = 6;
      p.target_meetings_max = 8;
      p.min_group_size = k;
      p.show_meeting_counts = show_meeting_counts;
      p.agreement_de = "Vertraulich";
      p.agreement_en = "Confidential";
      p.created_at = p.updated_at = created_at;
      id = tx.InsertProgramme(p);
    });
    return id;
  }

  // Enrols `t` in `programme` as the truth says; tandems with a partner outside the programme
  // (`ghost`) take the person to their depth. Returns the tandem's id (0 when none).
  RowId Seed(RowId programme, const Truth& t, RowId ghost, std::int64_t score = 50,
             std::int64_t meetings = 0) {
    RowId tandem = 0;
    Write([&](StoreTx& tx) {
      EnrolmentRecord e;
      e.programme = programme;
      e.person = t.person;
      e.mentor_capacity = t.mentor ? 2 : 0;
      e.mentee_capacity = t.mentee ? 1 : 0;
      e.languages = {"de"};
      e.invited_at = kStart;
      if (t.depth >= 1) e.enrolled_at = kStart + kDay;
      e.state = t.withdrawn    ? EnrolmentState::kWithdrawn
                : t.depth >= 1 ? EnrolmentState::kEnrolled
                               : EnrolmentState::kInvited;
      if (t.withdrawn) e.withdrawn_at = kStart + 2 * kDay;
      e.created_at = e.updated_at = kStart;
      const RowId enrolment = tx.InsertEnrolment(e);
      if (t.Enrolled()) {
        std::vector<AnswerRecord> answers;
        for (const std::string topic : {"ai", "cloud"}) {
          AnswerRecord a;
          a.topic = topic;
          a.interest = t.interest.count(topic) != 0 ? t.interest.at(topic) : 0;
          a.skill = t.skill.count(topic) != 0 ? t.skill.at(topic) : 0;
          if (a.skill >= 2) a.experience = "Built it";
          answers.push_back(a);
        }
        tx.ReplaceAnswers(enrolment, answers);
      }
      if (t.depth < 2) return;
      TandemRecord r;
      r.programme = programme;
      r.mentor = t.mentor ? t.person : ghost;
      r.mentee = t.mentor ? ghost : t.person;
      r.score = score;
      r.topics = {"ai"};
      r.reasons = "[{\"topic\":\"ai\",\"text\":\"REASON-CANARY\"}]";
      r.origin = "run";
      r.created_at = r.updated_at = kStart + 3 * kDay;
      if (t.depth >= 3) {
        (t.mentor ? r.mentor_accepted_at : r.mentee_accepted_at) = kStart + 4 * kDay;
        r.state = TandemState::kAcceptedByOne;
      }
      if (t.depth >= 4) {
        r.mentor_accepted_at = r.mentee_accepted_at = kStart + 4 * kDay;
        r.activated_at = kStart + 4 * kDay;
        r.state = TandemState::kActive;
      }
      if (t.depth >= 5) {
        r.state = TandemState::kCompleted;
        r.ended_at = kStart + 200 * kDay;
      }
      tandem = tx.InsertTandem(r);
      for (std::int64_t m = 0; m < meetings; ++m) tx.CountMeetingHeld(tandem);
    });
    return tandem;
  }

  // A closed survey whose responses (JSON answer objects, with their authors) are released.
  RowId AddReleasedSurvey(RowId programme, SurveyKind kind, SurveyAudience audience,
                          const std::vector<std::pair<RowId, std::string>>& responses) {
    RowId id = 0;
    Write([&](StoreTx& tx) {
      SurveyRecord s;
      s.programme = programme;
      s.kind = kind;
      s.audience = audience;
      s.definition = SurveyDefinitionJson(DefaultSurvey(kind, audience));
      s.state = SurveyState::kOpen;
      s.opened_at = kStart + 150 * kDay;
      s.created_at = s.updated_at = kStart + 150 * kDay;
      id = tx.InsertSurvey(s);
      RowId last = 0;
      for (const auto& [person, answers] : responses) {
        EXPECT_TRUE(tx.RecordSurveyInvitation(id, person, kStart + 150 * kDay));
        SurveyResponseRecord r;
        r.survey = id;
        r.person = person;
        r.answers = answers;
        r.created_at = r.updated_at = kStart + 151 * kDay;
        last = tx.InsertSurveyResponse(r);
      }
      SurveyRecord closed = *tx.FindSurvey(id);
      closed.state = SurveyState::kClosed;
      closed.closed_at = kStart + 160 * kDay;
      closed.released_through = last;
      EXPECT_TRUE(tx.UpdateSurvey(closed));
    });
    return id;
  }

  static std::string Csv(const ExportFile& f) { return f.bytes; }

  // The rows of a dashboard CSV: (section, item, measure) -> value.
  static std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>>
  ParseDashboardCsv(const std::string& text) {
    std::map<std::tuple<std::string, std::string, std::string>, std::vector<std::string>> rows;
    bool header = true;
    const Status s = ParseCsv("export.csv", text, [&](CsvRecord& r) {
      EXPECT_EQ(r.fields.size(), 4U);
      if (header) {
        EXPECT_EQ(r.fields, (std::vector<std::string>{"section", "item", "measure", "value"}));
        header = false;
        return true;
      }
      rows[{r.fields[0], r.fields[1], r.fields[2]}].push_back(r.fields[3]);
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.message();
    return rows;
  }

  ManualClock clock_{kStart + 300 * kDay};
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<Reports> reports_;
  Caller admin_;
};

// The seeded programme (k = 5), 30 people of one department, topics "ai" and "cloud":
//   persons 0..9 mentors (capacity 2), 10..24 mentees, 25..29 invited and withdrawn;
//   tandems i = 0..9: mentor i with mentee i + 10 (score 100 for i < 5, 5 otherwise);
//   i < 3 completed, i = 3, 4 active, i >= 5 proposed with the mentor's acceptance;
//   persons 20..24 enrolled, not matched.
struct Seeded {
  RowId programme = 0;
  RowId earlier = 0;
  RowId later = 0;
  std::vector<RowId> people;
};

class SeededReports : public Reporting {
 protected:
  Seeded SeedProgramme(bool show_meeting_counts = false) {
    Seeded s;
    s.earlier = AddProgramme("Cohort 2026", kStart - 400 * kDay);
    s.programme = AddProgramme("Cohort 2027", kStart, 5, show_meeting_counts);
    s.later = AddProgramme("Cohort 2028", kStart + 100 * kDay);
    for (int i = 0; i < 30; ++i) {
      s.people.push_back(AddPerson("Person" + std::to_string(i), "Sales", "Berlin"));
    }
    // Tandems between seeded people: insert them directly (both partners are participants).
    const std::int64_t meetings[] = {0, 2, 6, 7, 6};
    Write([&](StoreTx& tx) {
      for (int i = 0; i < 30; ++i) {
        EnrolmentRecord e;
        e.programme = s.programme;
        e.person = s.people[static_cast<std::size_t>(i)];
        e.mentor_capacity = i < 10 ? 2 : 0;
        e.mentee_capacity = i >= 10 && i < 25 ? 1 : 0;
        e.languages = {"de"};
        e.invited_at = kStart;
        e.state = EnrolmentState::kEnrolled;
        e.enrolled_at = kStart + kDay;
        if (i >= 25) {
          e.state = EnrolmentState::kWithdrawn;
          e.enrolled_at.reset();
          e.withdrawn_at = kStart + 2 * kDay;
        }
        e.created_at = e.updated_at = kStart;
        const RowId enrolment = tx.InsertEnrolment(e);
        if (i >= 25) continue;
        AnswerRecord ai{"ai", 0, 0, ""};
        AnswerRecord cloud{"cloud", 0, 0, ""};
        if (i < 10) {
          ai.skill = 3;
          ai.experience = "Built it";
          cloud.skill = i < 7 ? 1 : 0;
        } else {
          ai.interest = i < 20 ? 2 : 0;
          ai.skill = 1;
          cloud.interest = i < 13 ? 1 : 0;
        }
        tx.ReplaceAnswers(enrolment, {ai, cloud});
      }
      for (int i = 0; i < 10; ++i) {
        TandemRecord t;
        t.programme = s.programme;
        t.mentor = s.people[static_cast<std::size_t>(i)];
        t.mentee = s.people[static_cast<std::size_t>(i) + 10];
        t.score = i < 5 ? 100 : 5;
        t.topics = {"ai"};
        t.reasons = "[{\"topic\":\"ai\",\"text\":\"REASON-CANARY\"}]";
        t.decline_reason = "DECLINE-CANARY";
        t.mentor_accepted_at = kStart + 4 * kDay;
        t.state = TandemState::kAcceptedByOne;
        if (i < 5) {
          t.mentee_accepted_at = kStart + 4 * kDay;
          t.activated_at = kStart + 5 * kDay;
          t.state = TandemState::kActive;
        }
        if (i < 3) {
          t.state = TandemState::kCompleted;
          t.ended_at = kStart + 200 * kDay;
        }
        t.created_at = t.updated_at = kStart + 3 * kDay;
        const RowId id = tx.InsertTandem(t);
        for (std::int64_t m = 0; i < 5 && m < meetings[i]; ++m) tx.CountMeetingHeld(id);
      }
      for (const std::vector<std::string>& topics :
           std::vector<std::vector<std::string>>{{"ai"}, {"ai", "cloud"}, {}}) {
        LeadershipAskRecord a;
        a.programme = s.programme;
        a.topics = topics;
        a.text = "ASK-CANARY";
        a.created_at = kStart + 10 * kDay;
        tx.InsertLeadershipAsk(a);
      }
      // The earlier cohort: 6 people invited, nobody enrolled.
      for (int i = 0; i < 6; ++i) {
        EnrolmentRecord e;
        e.programme = s.earlier;
        e.person = s.people[static_cast<std::size_t>(i)];
        e.invited_at = kStart - 400 * kDay;
        e.created_at = e.updated_at = kStart - 400 * kDay;
        tx.InsertEnrolment(e);
      }
    });
    // Final surveys: the five active mentees (10..14) and mentors (0..4).
    std::vector<std::pair<RowId, std::string>> mentees, mentors;
    for (std::size_t i = 0; i < 5; ++i) {
      mentees.emplace_back(s.people[10 + i],
                           R"({"overall": 4, "recommend": 9, "understanding_now": {"ai": 3}})");
      mentors.emplace_back(
          s.people[i],
          R"({"overall": 5, "recommend": 10, "management_view_before": {"ai": 1}, "management_view_now": {"ai": 2}})");
    }
    AddReleasedSurvey(s.programme, SurveyKind::kFinal, SurveyAudience::kMentees, mentees);
    AddReleasedSurvey(s.programme, SurveyKind::kFinal, SurveyAudience::kMentors, mentors);
    return s;
  }
};

const TopicResult* FindTopic(const std::vector<TopicResult>& topics, const std::string& key) {
  for (const TopicResult& t : topics) {
    if (t.topic == key) return &t;
  }
  return nullptr;
}

TEST_P(SeededReports, EveryFigureOfTheDashboard) {
  const Seeded s = SeedProgramme();
  Result<DashboardView> r = reports_->Dashboard(admin_, s.programme, {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const DashboardView& d = r.value();
  EXPECT_EQ(d.programme, s.programme);
  EXPECT_EQ(d.name, "Cohort 2027");
  EXPECT_EQ(d.state, "running");
  EXPECT_EQ(d.min_group_size, 5);
  ASSERT_EQ(d.departments.size(), 1U);
  EXPECT_EQ(d.departments[0].value, "Sales");
  EXPECT_TRUE(d.departments[0].available);
  ASSERT_EQ(d.locations.size(), 1U);
  EXPECT_TRUE(d.locations[0].available);
  EXPECT_FALSE(d.applied.department.has_value());

  // Funnel: invited 30, enrolled 25, matched 20, accepted 15, active 10, completed 6 (4 below
  // active: hidden).
  std::vector<std::pair<std::string, std::int64_t>> funnel;
  for (const FunnelStage& f : d.funnel) funnel.emplace_back(f.stage, Count(f.count));
  EXPECT_EQ(funnel, (std::vector<std::pair<std::string, std::int64_t>>{{"invited", 30},
                                                                       {"enrolled", 25},
                                                                       {"matched", 20},
                                                                       {"accepted", 15},
                                                                       {"active", 10},
                                                                       {"completed", -1}}));
  EXPECT_EQ(Count(d.withdrawn), 5);

  // Topics: ai 10 mentees (demand 20) and 10 mentors (supply 3 x 2 x 10); cloud 3 and 7: hidden.
  ASSERT_EQ(d.topics.size(), 2U);
  EXPECT_EQ(d.topics[0].key, "ai");
  EXPECT_EQ(d.topics[0].name_de, "KI");
  EXPECT_EQ(Count(d.topics[0].mentees), 10);
  EXPECT_EQ(Count(d.topics[0].demand), 20);
  EXPECT_EQ(Count(d.topics[0].mentors), 10);
  EXPECT_EQ(Count(d.topics[0].supply), 60);
  EXPECT_EQ(Count(d.topics[1].mentees), -1);
  EXPECT_EQ(Count(d.topics[1].demand), -1);
  EXPECT_EQ(Count(d.topics[1].mentors), -1);
  EXPECT_EQ(Count(d.topics[1].supply), -1);

  // Scores 100 (5 tandems) and 5 (5 tandems): bands of width 21.
  ASSERT_EQ(d.scores.size(), 5U);
  EXPECT_EQ(d.scores[0].from, 0);
  EXPECT_EQ(d.scores[0].to, 20);
  EXPECT_EQ(d.scores[4].from, 84);
  EXPECT_EQ(d.scores[4].to, 104);
  std::vector<std::int64_t> bands;
  for (const ScoreBand& b : d.scores) bands.push_back(Count(b.count));
  EXPECT_EQ(bands, (std::vector<std::int64_t>{5, 0, 0, 0, 5}));

  // Meetings: 5 activated tandems held 0, 2, 6, 7, 6 = 21; 3 reached 6, 2 did not: hidden.
  EXPECT_EQ(d.meetings.aggregate.tandems, 5);
  EXPECT_EQ(Count(d.meetings.tandems), 5);  // the funnel shows "active"
  EXPECT_FALSE(d.meetings.aggregate.too_few);
  EXPECT_EQ(d.meetings.aggregate.held, std::optional<std::int64_t>(21));
  EXPECT_FALSE(d.meetings.aggregate.reached_target.has_value());
  EXPECT_EQ(d.meetings.target_min, 6);
  EXPECT_EQ(d.meetings.target_max, 8);
  ASSERT_EQ(d.meetings.cadence.size(), 8U);  // 0..6 and "more"
  EXPECT_EQ(d.meetings.cadence.front().meetings, "0");
  EXPECT_EQ(d.meetings.cadence.back().meetings, "more");
  for (const CadenceBand& b : d.meetings.cadence) EXPECT_FALSE(b.count.has_value()) << b.meetings;

  // Surveys: the two final surveys, 5 invited each, released; the mid-term ones were created
  // with the dashboard, as drafts.
  ASSERT_EQ(d.surveys.size(), 4U);
  for (const DashboardSurvey& sv : d.surveys) {
    if (sv.kind == SurveyKind::kMidTerm) {
      EXPECT_EQ(sv.state, SurveyState::kDraft);
      EXPECT_EQ(Count(sv.invited), 0);
      EXPECT_FALSE(sv.result.has_value());
      EXPECT_FALSE(sv.survey.questions.empty());
      continue;
    }
    EXPECT_EQ(sv.state, SurveyState::kClosed);
    EXPECT_EQ(Count(sv.invited), 5);
    ASSERT_TRUE(sv.result.has_value());
    EXPECT_EQ(Count(sv.result->respondents), 5);
    for (const QuestionResult& q : sv.result->questions) {
      if (q.key == "overall") {
        const double expected = sv.audience == SurveyAudience::kMentees ? 4.0 : 5.0;
        EXPECT_EQ(q.mean, std::optional<double>(expected));
      }
      if (q.key == "recommend") {
        EXPECT_EQ(q.nps, std::optional<double>(100.0));
      }
    }
  }
  EXPECT_EQ(d.surveys[0].audience, SurveyAudience::kMentees);

  // Learning: mentees ai 1 -> 3 (skill at enrolment, understanding now); mentors ai 1 -> 2.
  const TopicResult* mentee_ai = FindTopic(d.learning_mentees, "ai");
  ASSERT_NE(mentee_ai, nullptr);
  EXPECT_EQ(Count(mentee_ai->respondents), 5);
  EXPECT_EQ(mentee_ai->mean_before, std::optional<double>(1.0));
  EXPECT_EQ(mentee_ai->mean, std::optional<double>(3.0));
  EXPECT_EQ(mentee_ai->mean_change, std::optional<double>(2.0));
  EXPECT_EQ(mentee_ai->change_counts, (std::optional<std::vector<std::int64_t>>({5, 0, 0})));
  const TopicResult* mentor_ai = FindTopic(d.learning_mentors, "ai");
  ASSERT_NE(mentor_ai, nullptr);
  EXPECT_EQ(Count(mentor_ai->respondents), 5);
  EXPECT_EQ(mentor_ai->mean_before, std::optional<double>(1.0));
  EXPECT_EQ(mentor_ai->mean, std::optional<double>(2.0));
  EXPECT_EQ(mentor_ai->mean_change, std::optional<double>(1.0));

  // Asks per topic: ai 2, cloud 1 (the ask without a topic counts for none).
  ASSERT_EQ(d.asks.size(), 2U);
  EXPECT_EQ(d.asks[0].topic, "ai");
  EXPECT_EQ(d.asks[0].count, 2);
  EXPECT_EQ(d.asks[1].count, 1);

  // Earlier cohorts: only the one created before, with its own funnel.
  ASSERT_EQ(d.earlier.size(), 1U);
  EXPECT_EQ(d.earlier[0].id, s.earlier);
  EXPECT_EQ(d.earlier[0].name, "Cohort 2026");
  std::vector<std::int64_t> earlier;
  for (const FunnelStage& f : d.earlier[0].funnel) earlier.push_back(Count(f.count));
  EXPECT_EQ(earlier, (std::vector<std::int64_t>{6, 0, 0, 0, 0, 0}));
  EXPECT_FALSE(d.earlier[0].nps.has_value());

  // The filter by the one department shows the same figures; values not offered are refused.
  Result<DashboardView> sales = reports_->Dashboard(admin_, s.programme, {"Sales", "Berlin"});
  ASSERT_TRUE(sales.ok()) << sales.status().message();
  EXPECT_EQ(Count(sales.value().funnel[0].count), 30);
  EXPECT_EQ(sales.value().applied.department, std::optional<std::string>("Sales"));
  Result<DashboardView> empty = reports_->Dashboard(admin_, s.programme, {"", ""});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty.value().applied.department.has_value());
  Result<DashboardView> bad = reports_->Dashboard(admin_, s.programme, {"Nope", std::nullopt});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(), "department: this filter is not available");
  bad = reports_->Dashboard(admin_, s.programme, {std::nullopt, "Paris"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "location: this filter is not available");
}

// The summary and the dashboard apply the programme's k to the meetings alike.
TEST_P(SeededReports, SummaryAndDashboardAgreeOnMeetingsUnderTheProgrammesK) {
  const Seeded s = SeedProgramme();
  for (const int k : {5, 3, 6}) {
    Write([&](StoreTx& tx) {
      ProgrammeRecord p = *tx.FindProgramme(s.programme);
      p.min_group_size = k;
      EXPECT_TRUE(tx.UpdateProgramme(p));
    });
    Result<ProgrammeSummary> summary = lifecycle_->Summary(admin_, s.programme);
    Result<DashboardView> d = reports_->Dashboard(admin_, s.programme, {});
    ASSERT_TRUE(summary.ok() && d.ok());
    const MeetingsAggregate& a = summary.value().meetings;
    const MeetingsAggregate& b = d.value().meetings.aggregate;
    EXPECT_EQ(a.tandems, b.tandems);
    EXPECT_EQ(a.too_few, b.too_few) << k;
    EXPECT_EQ(a.held, b.held) << k;
    EXPECT_EQ(a.reached_target, b.reached_target) << k;
    EXPECT_EQ(d.value().min_group_size, k);
    if (k == 6) {  // 5 tandems < 6
      EXPECT_TRUE(b.too_few);
      EXPECT_TRUE(d.value().meetings.cadence.empty());
    }
    if (k == 3) {  // 3 reached and 2 missed: 2 < 3 still hides it
      EXPECT_EQ(b.held, std::optional<std::int64_t>(21));
      EXPECT_FALSE(b.reached_target.has_value());
    }
  }
}

// Topic figures appear only once enrolment is over, and a withdrawal after that never changes
// them: either they stay as they were, or (the store deletes a withdrawn person's answers) every
// topic figure is hidden from then on. A withdrawal during enrolment changes nothing.
TEST_P(SeededReports, TopicFiguresWaitForTheEndOfEnrolmentAndNoLaterWithdrawalChangesThem) {
  const Seeded s = SeedProgramme();
  auto set_state = [&](const std::string& state) {
    Write([&](StoreTx& tx) {
      ProgrammeRecord p = *tx.FindProgramme(s.programme);
      p.state = state;
      EXPECT_TRUE(tx.UpdateProgramme(p));
    });
  };
  auto topics = [&] {
    Result<DashboardView> d = reports_->Dashboard(admin_, s.programme, {});
    EXPECT_TRUE(d.ok()) << d.status().message();
    std::vector<std::int64_t> out;
    for (const TopicFigures& t : d.value().topics) {
      for (const DisclosedCount& c : {t.mentees, t.demand, t.mentors, t.supply}) {
        out.push_back(Count(c));
      }
    }
    return out;
  };
  auto participant = [&](std::size_t i) {
    Caller c;
    c.account = 100 + static_cast<RowId>(i);
    c.person = s.people[i];
    c.session = 100 + static_cast<RowId>(i);
    return c;
  };
  const std::vector<std::int64_t> hidden(8, -1);
  for (const std::string state : {"draft", "enrolling"}) {
    set_state(state);
    EXPECT_EQ(topics(), hidden) << state;
    Result<ExportFile> csv = reports_->Export(admin_, s.programme, "dashboard", "csv", {});
    ASSERT_TRUE(csv.ok());
    const auto rows = ParseDashboardCsv(csv.value().bytes);
    EXPECT_EQ(rows.at({"topics", "ai", "mentees"}), std::vector<std::string>{kTooFewToShow});
  }
  // Person 24 (an enrolled mentee, not matched) withdraws while enrolling: the store deletes
  // their answers, but the figures are not shown yet, and they count among those who enrolled.
  ASSERT_TRUE(lifecycle_->Withdraw(participant(24), s.programme).ok());
  clock_.Advance(kDay);
  Write([&](StoreTx& tx) {
    MatchingRunRecord run;
    run.programme = s.programme;
    run.created_by = "account:1";
    run.created_at = clock_.Now();
    run.state = RunState::kDone;
    tx.InsertMatchingRun(run);
  });
  clock_.Advance(kDay);
  const std::vector<std::int64_t> expected = {10, 20, 10, 60, -1, -1, -1, -1};
  for (const std::string state : {"matching", "running", "closed"}) {
    set_state(state);
    EXPECT_EQ(topics(), expected) << state;
  }
  set_state("running");
  // Person 12 (an active mentee interested in both topics) withdraws after enrolment ended.
  ASSERT_TRUE(lifecycle_->Withdraw(participant(12), s.programme).ok());
  const std::vector<std::int64_t> after = topics();
  ASSERT_EQ(after.size(), expected.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_TRUE(after[i] == expected[i] || after[i] == -1) << i << ": " << after[i];
  }
  // Today the store deletes the answers of whoever withdraws: every topic figure is hidden.
  EXPECT_EQ(after, hidden);
}

// The number of tandems that ever became active is shown only beside a shown "active" stage.
TEST_P(SeededReports, TandemsBesideAHiddenActiveStageAreHidden) {
  const Seeded s = SeedProgramme();
  // Mentor 9 never accepted: matched 20, accepted 14, active 10 (a gap of 4 hides "active"),
  // while 5 tandems became active (enough for the meetings aggregate).
  Write([&](StoreTx& tx) {
    for (TandemRecord t : tx.ListTandems(s.programme, 0, 100)) {
      if (t.mentor != s.people[9]) continue;
      t.mentor_accepted_at.reset();
      t.state = TandemState::kProposed;
      EXPECT_TRUE(tx.UpdateTandem(t));
    }
  });
  Result<DashboardView> r = reports_->Dashboard(admin_, s.programme, {});
  ASSERT_TRUE(r.ok()) << r.status().message();
  const DashboardView& d = r.value();
  EXPECT_EQ(d.funnel.at(3).stage, "accepted");
  EXPECT_EQ(Count(d.funnel.at(3).count), 14);
  EXPECT_EQ(d.funnel.at(4).stage, "active");
  EXPECT_FALSE(d.funnel.at(4).count.has_value());
  EXPECT_EQ(d.meetings.aggregate.tandems, 5);  // the raw number, never shown
  EXPECT_FALSE(d.meetings.aggregate.too_few);
  EXPECT_FALSE(d.meetings.tandems.has_value());
  EXPECT_TRUE(d.meetings.cadence.empty());  // the bands would add up to it
  Result<ExportFile> csv = reports_->Export(admin_, s.programme, "dashboard", "csv", {});
  ASSERT_TRUE(csv.ok());
  const auto rows = ParseDashboardCsv(csv.value().bytes);
  EXPECT_EQ(rows.at({"meetings", "all", "tandems"}), std::vector<std::string>{kTooFewToShow});
  EXPECT_EQ(rows.count({"meetings_cadence", "0", "tandems"}), 0U);
}

TEST_P(SeededReports, OnlyTheProgrammeTeamSeesTheDashboardAndExports) {
  const Seeded s = SeedProgramme();
  Caller programme_admin;
  programme_admin.account = 2;
  programme_admin.programmes = {s.programme};
  programme_admin.session = 2;
  Result<DashboardView> own = reports_->Dashboard(programme_admin, s.programme, {});
  ASSERT_TRUE(own.ok()) << own.status().message();
  EXPECT_TRUE(own.value().earlier.empty());  // does not administer the earlier cohort

  Caller participant;
  participant.account = 3;
  participant.person = s.people[12];
  participant.session = 3;
  EXPECT_EQ(reports_->Dashboard(participant, s.programme, {}).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Export(participant, s.programme, "dashboard", "csv", {}).status().code(),
            StatusCode::kPermissionDenied);
  Caller stranger;
  stranger.account = 4;
  stranger.session = 4;
  EXPECT_EQ(reports_->Dashboard(stranger, s.programme, {}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reports_->Export(stranger, s.programme, "tandems", "xlsx", {}).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(reports_->Dashboard(Caller{}, s.programme, {}).status().code(),
            StatusCode::kUnauthenticated);
  EXPECT_EQ(reports_->Dashboard(admin_, 999999, {}).status().code(), StatusCode::kNotFound);

  Caller token = programme_admin;
  token.session = 0;
  token.api_token = 7;
  token.scopes = {"people:read"};
  EXPECT_EQ(reports_->Dashboard(token, s.programme, {}).status().code(), StatusCode::kNotFound);
  token.scopes = {"programmes:read"};
  EXPECT_TRUE(reports_->Dashboard(token, s.programme, {}).ok());
  EXPECT_TRUE(reports_->Export(token, s.programme, "dashboard", "csv", {}).ok());

  // The participant's refusal is audited.
  bool denied = false;
  Write([&](StoreTx& tx) {
    for (const AuditRecord& a : tx.ListAudit(0, 100000)) {
      if (a.actor == "account:3" && a.action == "permission.denied" &&
          a.detail == "report.dashboard") {
        denied = true;
      }
    }
  });
  EXPECT_TRUE(denied);
}

TEST_P(SeededReports, CsvExportsHoldTheDashboardAndTheTandemListWithoutContent) {
  const Seeded s = SeedProgramme();
  Result<ExportFile> dashboard = reports_->Export(admin_, s.programme, "dashboard", "csv", {});
  ASSERT_TRUE(dashboard.ok()) << dashboard.status().message();
  EXPECT_EQ(dashboard.value().filename,
            "programme-" + std::to_string(s.programme) + "-dashboard.csv");
  EXPECT_EQ(dashboard.value().content_type, "text/csv; charset=utf-8");
  auto rows = ParseDashboardCsv(dashboard.value().bytes);
  using Key = std::tuple<std::string, std::string, std::string>;
  auto value = [&](const std::string& a, const std::string& b, const std::string& c) {
    auto it = rows.find(Key{a, b, c});
    return it == rows.end() || it->second.empty() ? std::string("<missing>") : it->second[0];
  };
  EXPECT_EQ(value("funnel", "invited", "people"), "30");
  EXPECT_EQ(value("funnel", "completed", "people"), "too few to show");
  EXPECT_EQ(value("funnel", "withdrawn", "people"), "5");
  EXPECT_EQ(value("topics", "ai", "supply"), "60");
  EXPECT_EQ(value("topics", "cloud", "mentees"), "too few to show");
  EXPECT_EQ(value("scores", "84-104", "tandems"), "5");
  EXPECT_EQ(value("meetings", "all", "held"), "21");
  EXPECT_EQ(value("meetings", "all", "reached_target"), "too few to show");
  EXPECT_EQ(value("survey", "final/mentees", "invited"), "5");
  EXPECT_EQ(value("survey_question", "final/mentees/recommend", "nps"), "100");
  EXPECT_EQ(value("survey_question", "final/mentees/overall", "mean"), "4");
  EXPECT_EQ(value("learning", "mentees/ai", "mean_change"), "2");
  EXPECT_EQ(value("learning", "mentors/ai", "rose"), "5");
  EXPECT_EQ(value("asks", "ai", "asks"), "2");
  EXPECT_EQ(value("earlier", std::to_string(s.earlier), "invited"), "6");
  // Nothing of a tandem's content, reasons or the asks' texts.
  for (const char* canary : {"REASON-CANARY", "DECLINE-CANARY", "ASK-CANARY", "Person"}) {
    EXPECT_EQ(dashboard.value().bytes.find(canary), std::string::npos) << canary;
  }

  Result<ExportFile> tandems = reports_->Export(admin_, s.programme, "tandems", "csv", {});
  ASSERT_TRUE(tandems.ok());
  std::vector<std::vector<std::string>> lines;
  ASSERT_TRUE(ParseCsv("t.csv", tandems.value().bytes, [&](CsvRecord& r) {
                lines.push_back(r.fields);
                return true;
              }).ok());
  ASSERT_EQ(lines.size(), 11U);
  EXPECT_EQ(lines[0], (std::vector<std::string>{"mentor", "mentee", "state", "topics",
                                                "proposed_at", "activated_at", "ended_at"}));
  EXPECT_EQ(lines[1][0], "Person0");
  EXPECT_EQ(lines[1][1], "Person10");
  EXPECT_EQ(lines[1][2], "completed");
  EXPECT_EQ(lines[1][3], "ai");
  EXPECT_EQ(lines[1][4], "2027-01-18T08:00:00Z");  // kStart + 3 days
  EXPECT_EQ(lines[10][2], "accepted_by_one");
  EXPECT_EQ(lines[10][5], "");
  for (const char* canary : {"REASON-CANARY", "DECLINE-CANARY"}) {
    EXPECT_EQ(tandems.value().bytes.find(canary), std::string::npos) << canary;
  }

  // Meetings held per tandem only where the programme shows meeting counts.
  Write([&](StoreTx& tx) {
    ProgrammeRecord p = *tx.FindProgramme(s.programme);
    p.show_meeting_counts = true;
    EXPECT_TRUE(tx.UpdateProgramme(p));
  });
  tandems = reports_->Export(admin_, s.programme, "tandems", "csv", {});
  ASSERT_TRUE(tandems.ok());
  EXPECT_NE(tandems.value().bytes.find("ended_at,meetings_held\r\n"), std::string::npos);
  EXPECT_NE(tandems.value().bytes.find("2027-01-20T08:00:00Z,,7\r\n"), std::string::npos);

  EXPECT_EQ(reports_->Export(admin_, s.programme, "people", "csv", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reports_->Export(admin_, s.programme, "dashboard", "pdf", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reports_->Export(admin_, s.programme, "dashboard", "csv", {"Nope", std::nullopt})
                .status()
                .code(),
            StatusCode::kInvalidArgument);

  // Each export is audited, without personal data.
  int exports = 0;
  Write([&](StoreTx& tx) {
    for (const AuditRecord& a : tx.ListAudit(0, 100000)) {
      if (a.action != "report.export") continue;
      ++exports;
      EXPECT_EQ(a.entity, "programme");
      EXPECT_EQ(a.entity_id, std::optional<RowId>(s.programme));
      EXPECT_EQ(a.detail.find("Person"), std::string::npos);
      EXPECT_EQ(a.detail.find("Sales"), std::string::npos);
    }
  });
  EXPECT_EQ(exports, 3);
}

// A formula-looking name is not a formula in the CSV.
TEST_P(SeededReports, CsvTextsNeverStartAFormula) {
  const Seeded s = SeedProgramme();
  Write([&](StoreTx& tx) {
    PersonRecord p = *tx.FindPerson(s.people[0]);
    p.name = "=HYPERLINK(\"http://evil\")";
    EXPECT_TRUE(tx.UpdatePerson(p));
  });
  Result<ExportFile> tandems = reports_->Export(admin_, s.programme, "tandems", "csv", {});
  ASSERT_TRUE(tandems.ok());
  EXPECT_NE(tandems.value().bytes.find("\"'=HYPERLINK(\"\"http://evil\"\")\""), std::string::npos)
      << tandems.value().bytes.substr(0, 300);
}

// The workbook, read back by an independent reader (Debian's python3-openpyxl).
// The sheets of a workbook as read by openpyxl: {"sheets": [names], "rows": {name: [[cells]]}}.
json ReadWorkbook(const std::string& bytes) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string stem = "tandem-reports-" + std::to_string(::getpid()) + "-" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::string safe;
  for (const char c : stem) safe.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '-');
  const std::filesystem::path xlsx = dir / (safe + ".xlsx");
  const std::filesystem::path out = dir / (safe + ".json");
  {
    std::ofstream f(xlsx, std::ios::binary);
    f << bytes;
  }
  const std::string script =
      "import json, sys, openpyxl\n"
      "wb = openpyxl.load_workbook(sys.argv[1])\n"
      "json.dump({'sheets': wb.sheetnames, 'rows': {n: [[c for c in r] for r in "
      "wb[n].iter_rows(values_only=True)] for n in wb.sheetnames}}, open(sys.argv[2], 'w'))\n";
  const std::string command =
      "/usr/bin/python3 -c \"" + script + "\" '" + xlsx.string() + "' '" + out.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0);
  std::ifstream in(out);
  json read = json::parse(in, nullptr, false);
  std::filesystem::remove(xlsx);
  std::filesystem::remove(out);
  return read;
}

TEST_P(SeededReports, WorkbookOpensWithOpenpyxlAndHoldsTheFigures) {
  if (std::system("/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 lacks openpyxl";
  }
  const Seeded s = SeedProgramme(true);
  Result<ExportFile> book = reports_->Export(admin_, s.programme, "dashboard", "xlsx", {});
  ASSERT_TRUE(book.ok()) << book.status().message();
  EXPECT_EQ(book.value().filename, "programme-" + std::to_string(s.programme) + "-dashboard.xlsx");
  EXPECT_EQ(book.value().content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  const json read = ReadWorkbook(book.value().bytes);
  ASSERT_TRUE(read.is_object());
  // The dashboard workbook holds the aggregates only: no tandem list, no name.
  EXPECT_EQ(read.at("sheets"), json({"Dashboard"}));
  EXPECT_EQ(read.dump().find("Person"), std::string::npos);
  const json& dashboard = read.at("rows").at("Dashboard");
  EXPECT_EQ(dashboard.at(0), json({"section", "item", "measure", "value"}));
  std::map<std::string, json> values;
  for (const json& row : dashboard) {
    values[row.at(0).get<std::string>() + "|" + row.at(1).get<std::string>() + "|" +
           row.at(2).get<std::string>()] = row.at(3);
  }
  EXPECT_EQ(values.at("funnel|invited|people"), json(30));
  EXPECT_EQ(values.at("funnel|completed|people"), json("too few to show"));
  EXPECT_EQ(values.at("topics|ai|supply"), json(60));
  EXPECT_EQ(values.at("meetings|all|held"), json(21));
  EXPECT_EQ(values.at("survey_question|final/mentees/recommend|nps"), json(100));
  EXPECT_EQ(values.at("learning|mentees/ai|mean_change"), json(2));
  EXPECT_EQ(values.at("programme|" + std::to_string(s.programme) + "|name"), json("Cohort 2027"));

  // The tandem list is its own workbook, with the one sheet "Tandems".
  Result<ExportFile> list = reports_->Export(admin_, s.programme, "tandems", "xlsx", {});
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(list.value().filename, "programme-" + std::to_string(s.programme) + "-tandems.xlsx");
  const json read_list = ReadWorkbook(list.value().bytes);
  ASSERT_TRUE(read_list.is_object());
  EXPECT_EQ(read_list.at("sheets"), json({"Tandems"}));
  const json& tandems = read_list.at("rows").at("Tandems");
  ASSERT_EQ(tandems.size(), 11U);
  EXPECT_EQ(tandems.at(0).back(), json("meetings_held"));
  EXPECT_EQ(tandems.at(1).at(0), json("Person0"));
  EXPECT_EQ(tandems.at(4).back(), json(7));  // tandem 3 held 7
}

// ---- The attack: a programme with a department of four people, k = 5.

struct Figure {
  std::string name;
  std::int64_t shown = 0;
  std::set<RowId> people;  // ground truth
};

// The smallest group of 1..k-1 people that a real combination of figures describes exactly
// (0/1 on every class of people with the same memberships), or 0.
std::int64_t SmallestDerivable(const std::vector<Figure>& figures, int k) {
  std::map<RowId, std::vector<bool>> signature;
  for (std::size_t f = 0; f < figures.size(); ++f) {
    for (const RowId p : figures[f].people) {
      signature[p].resize(figures.size(), false);
      signature[p][f] = true;
    }
  }
  std::map<std::vector<bool>, std::int64_t> classes;
  for (auto& [p, sig] : signature) {
    sig.resize(figures.size(), false);
    ++classes[sig];
  }
  std::vector<std::vector<bool>> keys;
  std::vector<std::int64_t> sizes;
  for (const auto& [sig, n] : classes) {
    keys.push_back(sig);
    sizes.push_back(n);
  }
  // Row space of the figures over the classes, reduced.
  std::vector<std::pair<std::size_t, std::vector<double>>> basis;
  auto reduce = [&](std::vector<double>& row) {
    for (const auto& [pivot, b] : basis) {
      const double f = row[pivot];
      if (std::abs(f) < 1e-12) continue;
      for (std::size_t i = 0; i < row.size(); ++i) row[i] -= f * b[i];
    }
  };
  for (std::size_t f = 0; f < figures.size(); ++f) {
    std::vector<double> row;
    row.reserve(keys.size());
    for (const std::vector<bool>& key : keys) row.push_back(key[f] ? 1.0 : 0.0);
    reduce(row);
    std::size_t pivot = 0;
    while (pivot < row.size() && std::abs(row[pivot]) < 1e-9) ++pivot;
    if (pivot == row.size()) continue;
    const double scale = row[pivot];
    for (double& x : row) x /= scale;
    for (auto& [p, b] : basis) {
      const double factor = b[pivot];
      if (std::abs(factor) < 1e-12) continue;
      for (std::size_t i = 0; i < b.size(); ++i) b[i] -= factor * row[i];
    }
    basis.emplace_back(pivot, std::move(row));
  }
  std::int64_t smallest = 0;
  std::vector<std::size_t> chosen;
  std::function<void(std::size_t, std::int64_t)> search = [&](std::size_t from, std::int64_t n) {
    if (n > 0) {
      std::vector<double> row(keys.size(), 0.0);
      for (const std::size_t i : chosen) row[i] = 1.0;
      reduce(row);
      const bool derivable =
          std::all_of(row.begin(), row.end(), [](double x) { return std::abs(x) < 1e-7; });
      if (derivable && (smallest == 0 || n < smallest)) smallest = n;
    }
    for (std::size_t i = from; i < keys.size(); ++i) {
      if (n + sizes[i] >= k) continue;
      chosen.push_back(i);
      search(i + 1, n + sizes[i]);
      chosen.pop_back();
    }
  };
  search(0, 0);
  return smallest;
}

TEST_P(Reporting, NoReportParameterSinglesOutAPersonOfASmallDepartment) {
  constexpr int kK = 5;
  // 26 people: Sales 12 (Berlin 6, Hamburg 6), IT 10 (Berlin 5, Hamburg 5), Tiny 4 (Berlin).
  struct Place {
    const char* department;
    const char* location;
    int n;
  };
  const Place places[] = {{"Sales", "Berlin", 6},
                          {"Sales", "Hamburg", 6},
                          {"IT", "Berlin", 5},
                          {"IT", "Hamburg", 5},
                          {"Tiny", "Berlin", 4}};
  std::vector<std::pair<std::string, std::string>> where;
  std::vector<std::size_t> block_of;  // index into places
  for (std::size_t b = 0; b < std::size(places); ++b) {
    for (int i = 0; i < places[b].n; ++i) {
      where.emplace_back(places[b].department, places[b].location);
      block_of.push_back(b);
    }
  }
  std::vector<RowId> people;
  for (std::size_t i = 0; i < where.size(); ++i) {
    people.push_back(AddPerson("P" + std::to_string(i), where[i].first, where[i].second));
  }
  const RowId ghost = AddPerson("Ghost", "", "");
  std::mt19937 random(2027);
  int shown_figures = 0;
  int filtered_views = 0;
  for (int round = 0; round < 8; ++round) {
    const RowId programme =
        AddProgramme("Attack " + std::to_string(round), kStart + round * kDay, kK);
    std::vector<Truth> truth;
    for (std::size_t i = 0; i < people.size(); ++i) {
      Truth t;
      t.person = people[i];
      t.department = where[i].first;
      t.location = where[i].second;
      // Rounds 0-3: each place's people move together, so that many figures are shown (rounds
      // 0 and 1: Tiny with IT Berlin, rounds 2 and 3: Tiny on its own, so that its figures must
      // stay hidden); later rounds: each person on their own.
      std::size_t block = block_of[i];
      if (round < 2 && block == 4) block = 2;
      const bool together = round < 4;
      std::mt19937 g(static_cast<std::mt19937::result_type>(
          together ? static_cast<std::size_t>(round) * 1000 + block
                   : 100000 + i * 10 + static_cast<std::size_t>(round)));
      t.depth = static_cast<int>(g() % 6);
      t.withdrawn = together ? g() % 4 == 0 : random() % 6 == 0;
      t.mentor = together ? g() % 3 == 0 : random() % 3 == 0;
      t.mentee = !t.mentor || (together ? g() % 2 == 0 : random() % 2 == 0);
      for (const std::string topic : {"ai", "cloud"}) {
        t.interest[topic] = static_cast<int>(g() % 3);
        t.skill[topic] = static_cast<int>(g() % 4);
      }
      Seed(programme, t, ghost, static_cast<std::int64_t>(random() % 100),
           static_cast<std::int64_t>(random() % 9));
      truth.push_back(t);
    }

    // Every parameter: no filter, each value of each dimension (offered or not, the empty one,
    // an unknown one) and every pair.
    const std::vector<std::optional<std::string>> departments = {std::nullopt, "Sales", "IT",
                                                                 "Tiny",       "",      "Nobody"};
    const std::vector<std::optional<std::string>> locations = {std::nullopt, "Berlin", "Hamburg",
                                                               "", "Nowhere"};
    Result<DashboardView> whole = reports_->Dashboard(admin_, programme, {});
    ASSERT_TRUE(whole.ok()) << whole.status().message();
    std::set<std::string> offered_departments, offered_locations;
    for (const FilterOption& o : whole.value().departments) {
      if (o.available) offered_departments.insert(o.value);
    }
    for (const FilterOption& o : whole.value().locations) {
      if (o.available) offered_locations.insert(o.value);
    }
    EXPECT_EQ(offered_departments.count("Tiny"), 0U);

    std::vector<Figure> figures;     // every count shown by any view
    std::vector<Figure> population;  // funnel and withdrawn only (the guaranteed part)
    for (const auto& department : departments) {
      for (const auto& location : locations) {
        const DashboardFilter filter{department, location};
        const bool department_ok =
            !department || department->empty() || offered_departments.count(*department) != 0;
        const bool location_ok =
            !location || location->empty() || offered_locations.count(*location) != 0;
        Result<DashboardView> view = reports_->Dashboard(admin_, programme, filter);
        Result<ExportFile> csv = reports_->Export(admin_, programme, "dashboard", "csv", filter);
        if (!department_ok || !location_ok) {
          ASSERT_FALSE(view.ok());
          EXPECT_EQ(view.status().code(), StatusCode::kInvalidArgument);
          EXPECT_EQ(view.status().message(),
                    std::string(department_ok ? "location" : "department") +
                        ": this filter is not available");
          EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
          continue;
        }
        ASSERT_TRUE(view.ok()) << view.status().message();
        ASSERT_TRUE(csv.ok());
        const DashboardView& d = view.value();
        const bool filtered = d.applied.department || d.applied.location;
        filtered_views += filtered ? 1 : 0;
        auto in_view = [&](const Truth& t) {
          return (!d.applied.department || t.department == *d.applied.department) &&
                 (!d.applied.location || t.location == *d.applied.location);
        };
        const std::string label = "round " + std::to_string(round) + " [" +
                                  d.applied.department.value_or("*") + "," +
                                  d.applied.location.value_or("*") + "] ";
        auto add = [&](const std::string& name, const DisclosedCount& count,
                       const std::function<bool(const Truth&)>& member, bool funnel) {
          if (!count) return;
          Figure f{label + name, *count, {}};
          for (const Truth& t : truth) {
            if (in_view(t) && member(t)) f.people.insert(t.person);
          }
          EXPECT_EQ(static_cast<std::int64_t>(f.people.size()), *count) << f.name;
          EXPECT_FALSE(*count >= 1 && *count < kK) << f.name;
          ++shown_figures;
          if (funnel) population.push_back(f);
          figures.push_back(std::move(f));
        };
        for (std::size_t s = 0; s < d.funnel.size(); ++s) {
          const int stage = static_cast<int>(s);
          add(
              d.funnel[s].stage, d.funnel[s].count,
              [stage](const Truth& t) { return t.depth >= stage; }, true);
        }
        add(
            "withdrawn", d.withdrawn, [](const Truth& t) { return t.withdrawn; }, true);
        for (const TopicFigures& topic : d.topics) {
          const std::string key = topic.key;
          add(
              "mentees " + key, topic.mentees,
              [key](const Truth& t) { return t.Enrolled() && t.mentee && t.interest.at(key) > 0; },
              false);
          add(
              "mentors " + key, topic.mentors,
              [key](const Truth& t) { return t.Enrolled() && t.mentor && t.skill.at(key) > 0; },
              false);
        }
        // The export shows exactly the dashboard's figures.
        auto rows = ParseDashboardCsv(csv.value().bytes);
        auto text = [](const DisclosedCount& c) {
          return std::vector<std::string>{c ? std::to_string(*c) : std::string(kTooFewToShow)};
        };
        using Key = std::tuple<std::string, std::string, std::string>;
        for (const FunnelStage& f : d.funnel) {
          EXPECT_EQ(rows[Key("funnel", f.stage, "people")], text(f.count));
        }
        EXPECT_EQ(rows[Key("funnel", "withdrawn", "people")], text(d.withdrawn));
        for (const TopicFigures& t : d.topics) {
          EXPECT_EQ(rows[Key("topics", t.key, "mentees")], text(t.mentees));
          EXPECT_EQ(rows[Key("topics", t.key, "mentors")], text(t.mentors));
        }
        // Whole-programme figures: never 1..k-1.
        for (const ScoreBand& b : d.scores) EXPECT_FALSE(b.count && *b.count > 0 && *b.count < kK);
        for (const CadenceBand& b : d.meetings.cadence) {
          EXPECT_FALSE(b.count && *b.count > 0 && *b.count < kK);
        }
      }
    }
    if (std::getenv("TANDEM_TEST_VERBOSE") != nullptr) {
      for (const Figure& f : figures) std::cerr << f.name << " = " << f.shown << "\n";
    }
    // No difference of two shown counts whose groups nest describes 1..k-1 people.
    for (const Figure& a : figures) {
      for (const Figure& b : figures) {
        if (b.people.size() >= a.people.size()) continue;
        if (!std::includes(a.people.begin(), a.people.end(), b.people.begin(), b.people.end())) {
          continue;
        }
        const auto gap = static_cast<std::int64_t>(a.people.size() - b.people.size());
        EXPECT_FALSE(gap < kK) << a.name << " (" << a.shown << ") - " << b.name << " (" << b.shown
                               << ")";
      }
    }
    // No sum or difference of the funnel's and withdrawn figures of all views does either.
    EXPECT_EQ(SmallestDerivable(population, kK), 0) << "round " << round;
  }
  EXPECT_GT(shown_figures, 200);
  EXPECT_GT(filtered_views, 10);
}

TANDEM_BACKENDS(SeededReports);
TANDEM_BACKENDS(Reporting);

}  // namespace
}  // namespace tandem
