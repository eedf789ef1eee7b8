// Retention of closed programmes (issue 9; app/retention.h, docs/privacy.md) on both backends,
// with a hand-set clock: a closed programme with a canary in every kind of its personal data,
// and a second programme (still running) of the same people. A minute before the end of the
// retention period nothing changes; after it every canary of the first programme is gone from
// every column of every table of the live schema, the second programme is untouched, the first's
// summary and dashboard counts are the same, no enrolment of it points at a real person, and a
// second sweep changes nothing. A programme that is not closed is never swept, however old.
#include "app/retention.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/auth.h"
#include "app/lifecycle.h"
#include "app/reports.h"
#include "app/survey_json.h"
#include "backend_fixture.h"
#include "core/survey.h"
#include "store/sql_store.h"

namespace tandem {
namespace {

using nlohmann::json;

constexpr Millis kStart = 1'800'000'000'000;
constexpr Millis kDay = 24LL * 60 * 60 * 1000;
constexpr Millis kMinute = 60'000;
constexpr int kRetentionMonths = 3;
constexpr int kPeople = 8;  // four mentors, four mentees

// Every row of every table of the live schema, each as "table|v1|v2|...", sorted: what a
// sweep must change (after the period) or must not (before it, and the second time).
using Dump = std::map<std::string, std::vector<std::string>>;

Dump DumpAll(Store& s) {
  Dump dump;
  auto& sql = dynamic_cast<store::SqlStore&>(s).sql();
  const bool postgres = s.backend() == "postgresql";
  const Status status = sql.InReadTransaction([&](store::SqlSession& db) {
    std::vector<std::string> tables;
    for (const store::SqlRow& r :
         db.Query(postgres ? "SELECT table_name FROM information_schema.tables WHERE "
                             "table_schema = current_schema() AND table_type = 'BASE TABLE'"
                           : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                             "LIKE 'sqlite_%'",
                  {})) {
      tables.push_back(r.Text(0));
    }
    for (const std::string& t : tables) {
      std::vector<std::string>& rows = dump[t];
      for (const store::SqlRow& r : db.Query("SELECT * FROM " + t, {})) {
        std::string line;
        for (size_t i = 0; i < r.size(); ++i) {
          line += '|';
          line += r.IsNull(i) ? std::string("NULL") : r.Text(i);
        }
        rows.push_back(std::move(line));
      }
      std::sort(rows.begin(), rows.end());
    }
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
  return dump;
}

// Where `needle` occurs: "table: row" for each row holding it.
std::vector<std::string> Find(const Dump& dump, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& [table, rows] : dump) {
    for (const std::string& row : rows) {
      if (row.find(needle) != std::string::npos) out.push_back(table + ": " + row);
    }
  }
  return out;
}

// The rows of `dump` that hold `needle`, by table: the second programme's must stay exactly.
std::vector<std::string> RowsWith(const Dump& dump, const std::string& needle) {
  return Find(dump, needle);
}

class Retention : public BackendTest {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      // The fixture's scratch store hides its SqlStore; this test reads every table through it.
      const char* url = std::getenv("TANDEM_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') GTEST_SKIP() << "TANDEM_TEST_POSTGRES_URL is not set";
      auto database = store::ScratchPostgresDatabase::Create(url);
      ASSERT_TRUE(database.ok()) << database.status().message();
      scratch_ = std::move(database).value();
      auto opened = store::OpenStore(scratch_->url());
      ASSERT_TRUE(opened.ok()) << opened.status().message();
      store_ = std::move(opened).value();
    } else {
      BackendTest::SetUp();
    }
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
    scratch_.reset();  // after the store closed its connections
  }

  template <typename F>
  void Write(F f) {
    const Status s = store_->Write([&](StoreTx& tx) {
      f(tx);
      return Status::Ok();
    });
    ASSERT_TRUE(s.ok()) << s.message();
  }

  RetentionCounts Sweep() {
    const Result<RetentionCounts> r = EraseExpiredProgrammes(*store_, clock_);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? r.value() : RetentionCounts{};
  }

  // A programme with `tag` in every kind of its personal data: enrolments (availability,
  // answers' experience), a matching run, tandems (reasons, decline and dissolve reasons), a
  // workspace (key, roadmap, note, meeting), partner feedback, a pin, an ask, a survey with an
  // invitation and a response, and mails in the outbox (waiting, given up, sent).
  RowId SeedProgramme(const std::string& tag, const std::string& state,
                      std::optional<Millis> closed_at) {
    RowId id = 0;
    Write([&](StoreTx& tx) {
      ProgrammeRecord p;
      p.name = "Programme " + tag.substr(tag.find('-') + 1);
      p.state = state;
      p.topics = {{"ai", "KI", "AI", 1}, {"cloud", "Cloud", "Cloud", 1}};
      p.min_group_size = 3;
      p.partner_feedback = true;
      p.retention_months = kRetentionMonths;
      p.closed_at = closed_at;
      p.agreement_de = "Vertraulich";
      p.agreement_en = "Confidential";
      p.created_at = p.updated_at = kStart - 400 * kDay;
      id = tx.InsertProgramme(p);
      for (int i = 0; i < kPeople; ++i) {
        EnrolmentRecord e;
        e.programme = id;
        e.person = people_[static_cast<size_t>(i)];
        (i % 2 == 0 ? e.mentor_capacity : e.mentee_capacity) = 1;
        e.state = EnrolmentState::kEnrolled;
        e.languages = {"de", "en"};
        e.availability = tag + "-availability-" + std::to_string(i);
        e.invited_at = kStart - 300 * kDay;
        e.enrolled_at = kStart - 299 * kDay;
        e.created_at = e.updated_at = kStart - 300 * kDay;
        const RowId enrolment = tx.InsertEnrolment(e);
        tx.ReplaceAnswers(enrolment, {{"ai", 3, 1, tag + "-experience-ai-" + std::to_string(i)},
                                      {"cloud", 1, 3, tag + "-experience-cloud"}});
      }
      const auto person = [&](int i) { return people_[static_cast<size_t>(i)]; };
      MatchingRunRecord run;
      run.programme = id;
      run.created_by = "account:1";
      run.parameters = R"({"objective":"balanced","mode":"reverse"})";
      run.result = json({{"pairs",
                          {{{"mentor", person(0)},
                            {"mentee", person(1)},
                            {"score", 40},
                            {"topics", {"ai"}},
                            {"reasons", {tag + "-run-reason"}},
                            {"pinned", false},
                            {"language", "de"}}}},
                         {"total_score", 40}})
                       .dump();
      run.report = json({{"unmatched",
                          {{{"person", person(7)},
                            {"role", "mentee"},
                            {"reason", tag + "-unmatched-reason"}}}},
                         {"pins_ignored", json::array()},
                         {"tandems", 1}})
                       .dump();
      run.created_at = kStart - 290 * kDay;
      run.state = RunState::kDone;
      run.published_at = kStart - 289 * kDay;
      const RowId run_id = tx.InsertMatchingRun(run);
      // Tandems: completed (0-1), declined by the mentee (2-3), dissolved by the team's person
      // (4-5, the dissolver outside the pair), completed (6-7).
      for (int i = 0; i < kPeople; i += 2) {
        TandemRecord t;
        t.programme = id;
        t.run = run_id;
        t.mentor = person(i);
        t.mentee = person(i + 1);
        t.score = 40 + i;
        t.topics = {"ai", "cloud"};
        t.reasons = R"([")" + tag + "-tandem-reason-" + std::to_string(i) + R"("])";
        t.state = TandemState::kCompleted;
        t.mentor_accepted_at = t.mentee_accepted_at = kStart - 280 * kDay;
        t.activated_at = kStart - 280 * kDay;
        t.ended_at = kStart - 100 * kDay;
        if (i == 2) {
          t.state = TandemState::kDeclined;
          t.activated_at.reset();
          t.decline_reason = tag + "-decline-reason";
          t.declined_by = person(i + 1);
        }
        if (i == 4) {
          t.state = TandemState::kDissolved;
          t.dissolve_reason = tag + "-dissolve-reason";
          t.dissolved_by = team_person_;
        }
        t.created_at = t.updated_at = kStart - 289 * kDay;
        const RowId tandem = tx.InsertTandem(t);
        tandems_[tag].push_back(tandem);
        if (t.state == TandemState::kDeclined) continue;
        for (const RowId who : {t.mentor, t.mentee}) {
          tx.InsertAgreementAcceptance({tandem, who, "Vertraulich", kStart - 280 * kDay});
        }
        tx.InsertWorkspace({tandem, tag + "-wrapped-key-" + std::to_string(i), "master",
                            std::nullopt, 1, 1, kStart - 280 * kDay});
        RoadmapItemRecord item;
        item.tandem = tandem;
        item.topic = "ai";
        item.ciphertext = tag + "-roadmap";
        item.nonce = "n";
        item.created_at = item.updated_at = kStart - 270 * kDay;
        tx.InsertRoadmapItem(item);
        NoteRecord note;
        note.tandem = tandem;
        note.author = t.mentee;
        note.is_private = true;
        note.ciphertext = tag + "-note";
        note.nonce = "n";
        note.created_at = note.updated_at = kStart - 270 * kDay;
        tx.InsertNote(note);
        MeetingRecord m;
        m.tandem = tandem;
        m.state = MeetingState::kHeld;
        m.starts_at = kStart - 260 * kDay;
        m.proposed_by = t.mentor;
        m.ciphertext = tag + "-meeting";
        m.nonce = "n";
        m.created_at = m.updated_at = kStart - 265 * kDay;
        tx.InsertMeeting(m);
        tx.CountMeetingHeld(tandem);
        tx.RecordNotice(tandem, "meeting_reminder", 1, kStart - 260 * kDay, kStart - 261 * kDay);
        PartnerFeedbackRecord f;
        f.tandem = tandem;
        f.author = t.mentor;
        f.text = tag + "-feedback";
        f.version = kAnyRoleOfferVersion;
        f.created_at = f.updated_at = kStart - 101 * kDay;
        tx.PutPartnerFeedback(f);
      }
      tx.PutPairRule({id, person(0), person(3), PairRuleKind::kForbid, tag + "-pair-rule",
                      kStart - 295 * kDay});
      LeadershipAskRecord ask;
      ask.programme = id;
      ask.author = person(1);
      ask.topics = {"ai"};
      ask.text = "More time for learning";  // kept: the programme's result, without its author
      ask.created_at = kStart - 200 * kDay;
      tx.InsertLeadershipAsk(ask);
      SurveyRecord s;
      s.programme = id;
      s.kind = SurveyKind::kFinal;
      s.audience = SurveyAudience::kMentees;
      s.definition = SurveyDefinitionJson(DefaultSurvey(s.kind, s.audience));
      s.state = SurveyState::kClosed;
      s.opened_at = kStart - 120 * kDay;
      s.closed_at = kStart - 100 * kDay;
      s.created_at = s.updated_at = kStart - 130 * kDay;
      const RowId survey = tx.InsertSurvey(s);
      RowId last = 0;
      for (int i = 1; i < kPeople; i += 2) {
        tx.RecordSurveyInvitation(survey, person(i), kStart - 120 * kDay);
        SurveyResponseRecord r;
        r.survey = survey;
        r.person = person(i);
        r.answers = SurveyResponseJson(SurveyResponse{});
        r.created_at = r.updated_at = kStart - 110 * kDay;
        last = tx.InsertSurveyResponse(r);
      }
      std::optional<SurveyRecord> stored = tx.FindSurvey(survey);
      stored->released_through = last;
      tx.UpdateSurvey(*stored);
      // Mails about the programme: one waiting, one given up (both with their bodies), one
      // sent (bodies emptied); and a sign-in link, about no programme.
      for (const char* name : {"waiting", "given-up", "sent"}) {
        const std::string kind = name;
        MailRecord mail;
        mail.to_address = "p1@example.test";
        mail.subject = kind == "sent" ? "Ihr Tandem wurde beendet" : tag + "-mail-subject-" + kind;
        mail.text_body = tag + "-mail-body-" + kind;
        mail.html_body = "<p>" + tag + "-mail-body-" + kind + "</p>";
        mail.created_at = mail.next_attempt_at = kStart - 100 * kDay;
        mail.programme = id;
        const RowId m = tx.EnqueueMail(mail);
        if (kind == "waiting") continue;
        const auto claimed = tx.ClaimMail("w", kStart - 100 * kDay, kStart - 99 * kDay, 10);
        for (const MailRecord& c : claimed) {
          if (c.id != m) continue;
          if (kind == "sent") {
            tx.MarkMailSent(m, "w", kStart - 100 * kDay);
          } else {
            tx.MarkMailFailed(m, "w", "refused", std::numeric_limits<Millis>::max());
          }
        }
      }
      // The audit log: a partner's acceptance of a tandem, the team's re-sent invitation of a
      // participant, and the team's own entry about the programme.
      std::optional<AccountRecord> account = tx.FindAccountByPerson(person(0));
      if (!account) {
        AccountRecord a;
        a.email = "p0@example.test";
        a.person = person(0);
        a.created_at = a.updated_at = kStart - 400 * kDay;
        a.id = tx.InsertAccount(a);
        account = a;
      }
      const std::string actor = "account:" + std::to_string(account->id);
      tx.AppendAudit(
          {0, kStart - 280 * kDay, actor, "tandem.accept", "tandem", tandems_[tag].front(), ""});
      tx.AppendAudit({0, kStart - 280 * kDay, "account:999", "programme.invite_resend", "person",
                      person(1), "programme=" + std::to_string(id)});
      tx.AppendAudit(
          {0, kStart - 280 * kDay, "account:999", "programme.open", "programme", id, ""});
      MailRecord sign_in;
      sign_in.to_address = "p1@example.test";
      sign_in.subject = "Ihr Anmeldelink für Tandem";
      sign_in.text_body = "keep-sign-in-body";
      sign_in.html_body = "<p>keep-sign-in-body</p>";
      sign_in.created_at = sign_in.next_attempt_at = kStart + 400 * kDay;  // not due: waits
      tx.EnqueueMail(sign_in);
    });
    return id;
  }

  void SeedPeople() {
    Write([&](StoreTx& tx) {
      for (int i = 0; i <= kPeople; ++i) {
        PersonRecord r;
        r.external_id = "hr-" + std::to_string(i);
        r.name = "Person " + std::to_string(i);
        r.email = "p" + std::to_string(i) + "@example.test";
        r.department = i % 2 == 0 ? "IT" : "Sales";
        r.location = "Berlin";
        r.level = i % 2 == 0 ? 2 : 6;
        r.languages = {"de"};
        r.created_at = r.updated_at = kStart - 500 * kDay;
        const RowId id = tx.InsertPerson(r);
        if (i < kPeople) {
          people_.push_back(id);
        } else {
          team_person_ = id;
        }
      }
    });
  }

  std::unique_ptr<store::ScratchPostgresDatabase> scratch_;
  ManualClock clock_{kStart};
  std::unique_ptr<Auth> auth_;
  std::unique_ptr<Lifecycle> lifecycle_;
  std::unique_ptr<Reports> reports_;
  Caller admin_;
  std::vector<RowId> people_;
  RowId team_person_ = 0;
  std::map<std::string, std::vector<RowId>> tandems_;
};

// Every count of the summary and the dashboard, by name; nullopt where the dashboard hides it.
using Figures = std::map<std::string, std::optional<std::int64_t>>;

Figures CountsOf(const ProgrammeSummary& s, const DashboardView& d) {
  Figures out = {{"summary.invited", s.invited},
                 {"summary.enrolled", s.enrolled},
                 {"summary.withdrawn", s.withdrawn},
                 {"summary.mentors", s.mentors},
                 {"summary.mentees", s.mentees},
                 {"summary.proposed", s.proposed},
                 {"summary.active", s.active},
                 {"summary.completed", s.completed},
                 {"summary.declined", s.declined},
                 {"summary.dissolved", s.dissolved},
                 {"summary.runs", s.runs},
                 {"summary.meetings.held", s.meetings.held},
                 {"summary.meetings.tandems", s.meetings.tandems}};
  for (const FunnelStage& f : d.funnel) out["funnel." + f.stage] = f.count;
  out["withdrawn"] = d.withdrawn;
  for (const ScoreBand& b : d.scores) {
    out["scores." + std::to_string(b.from) + "-" + std::to_string(b.to)] = b.count;
  }
  out["meetings.tandems"] = d.meetings.tandems;
  out["meetings.held"] = d.meetings.aggregate.held;
  for (const CadenceBand& b : d.meetings.cadence) out["cadence." + b.meetings] = b.count;
  for (const DashboardSurvey& v : d.surveys) {
    const std::string key = "survey." + std::to_string(v.id);
    out[key + ".invited"] = v.invited;
    if (v.result) out[key + ".respondents"] = v.result->respondents;
  }
  for (const AskCount& a : d.asks) out["asks." + a.topic] = a.count;
  return out;
}

// Every figure shown before is shown after, the same. (Figures the dashboard hid because of
// small departments may show afterwards: the anonymous people have no department to filter.)
void ExpectSameFigures(const Figures& before, const Figures& after) {
  for (const auto& [name, value] : before) {
    const auto it = after.find(name);
    ASSERT_NE(it, after.end()) << name;
    if (value || name.rfind("summary.", 0) == 0) {
      EXPECT_EQ(it->second, value) << name;
    }
  }
}

TEST_P(Retention, ErasesAClosedProgrammesPersonalDataOnceAfterItsPeriodAndNothingElse) {
  SeedPeople();
  const Millis closed_at = kStart - 10 * kDay;
  const RowId closed = SeedProgramme("CANARY-A", "closed", closed_at);
  const RowId running = SeedProgramme("KEEP-B", "running", std::nullopt);
  // Not closed, however old (even with a closing time of long ago): never swept.
  const RowId open = SeedProgramme("KEEP-C", "matching", kStart - 3000 * kDay);

  const auto counts = [&](RowId id) {
    const Result<ProgrammeSummary> s = lifecycle_->Summary(admin_, id);
    const Result<DashboardView> d = reports_->Dashboard(admin_, id, {});
    EXPECT_TRUE(s.ok()) << s.status().message();
    EXPECT_TRUE(d.ok()) << d.status().message();
    return s.ok() && d.ok() ? CountsOf(s.value(), d.value()) : Figures();
  };
  const Figures closed_counts = counts(closed);
  const Figures running_counts = counts(running);
  ASSERT_EQ(closed_counts.at("funnel.invited"), kPeople);
  ASSERT_EQ(closed_counts.at("summary.completed"), 2);

  const Dump before = DumpAll(*store_);
  ASSERT_FALSE(Find(before, "CANARY-A").empty());
  const std::vector<std::string> keep_b = RowsWith(before, "KEEP-B");
  const std::vector<std::string> keep_c = RowsWith(before, "KEEP-C");

  // A minute before the end of the period: nothing changes.
  const Millis due = closed_at + kRetentionMonths * kRetentionMonth;
  clock_.Advance(due - kMinute - clock_.Now());
  EXPECT_EQ(Sweep().programmes, 0);
  EXPECT_EQ(DumpAll(*store_), before);

  // A minute after: the closed programme's personal data are gone, in one sweep.
  clock_.Advance(2 * kMinute);
  const RetentionCounts swept = Sweep();
  EXPECT_EQ(swept.programmes, 1);
  EXPECT_EQ(swept.people, kPeople);
  const Dump after = DumpAll(*store_);
  EXPECT_EQ(Find(after, "CANARY-A"), std::vector<std::string>{});
  // The other programmes' rows are exactly as they were (their tandems' workspaces included).
  EXPECT_EQ(RowsWith(after, "KEEP-B"), keep_b);
  EXPECT_EQ(RowsWith(after, "KEEP-C"), keep_c);
  EXPECT_EQ(counts(running), running_counts);
  // Every count of the summary and the dashboard stays.
  ExpectSameFigures(closed_counts, counts(closed));

  // The link between the people and the programme is gone; the people themselves stay.
  std::map<RowId, RowId> by;  // real person -> anonymous one
  const Status read = store_->Read([&](StoreTx& tx) -> Status {
    const std::optional<ProgrammeRecord> p = tx.FindProgramme(closed);
    EXPECT_EQ(p->personal_data_erased_at, clock_.Now());
    EXPECT_FALSE(tx.FindProgramme(running)->personal_data_erased_at.has_value());
    EXPECT_FALSE(tx.FindProgramme(open)->personal_data_erased_at.has_value());
    for (const RowId person : people_) {
      const std::optional<PersonRecord> real = tx.FindPerson(person);
      EXPECT_FALSE(real->erased_at.has_value());
      EXPECT_FALSE(real->name.empty());
      EXPECT_FALSE(tx.FindEnrolment(closed, person).has_value()) << person;
      EXPECT_TRUE(tx.FindEnrolment(running, person).has_value()) << person;
    }
    std::set<RowId> anonymous;
    for (const EnrolmentRecord& e : tx.ListEnrolments(closed, 0, 100)) {
      const std::optional<PersonRecord> who = tx.FindPerson(e.person);
      EXPECT_TRUE(who->erased_at.has_value());
      EXPECT_TRUE(who->external_id.empty() && who->name.empty() && who->email.empty() &&
                  who->department.empty() && who->location.empty() && who->languages.empty() &&
                  !who->manager.has_value() && who->level == 0);
      EXPECT_TRUE(e.languages.empty() && e.availability.empty());
      EXPECT_TRUE(tx.ListAnswers(e.id).empty());
      EXPECT_TRUE(tx.ListTandemsOfPerson(e.person).size() == 1);  // only in this programme
      EXPECT_TRUE(anonymous.insert(e.person).second) << "one anonymous person per enrolment";
    }
    EXPECT_EQ(anonymous.size(), static_cast<size_t>(kPeople));
    for (const TandemRecord& t : tx.ListTandems(closed, 0, 100)) {
      EXPECT_EQ(anonymous.count(t.mentor), 1U);
      EXPECT_EQ(anonymous.count(t.mentee), 1U);
      EXPECT_TRUE(t.topics.empty() && t.reasons.empty() && t.decline_reason.empty() &&
                  t.dissolve_reason.empty());
      if (t.declined_by) {
        EXPECT_EQ(*t.declined_by, t.mentee);  // a partner: replaced
      }
      EXPECT_FALSE(t.dissolved_by.has_value());  // the team's person: the link goes
      EXPECT_TRUE(tx.ListNotes(t.id).empty() && tx.ListMeetings(t.id).empty() &&
                  tx.ListRoadmapItems(t.id).empty() && tx.ListPartnerFeedback(t.id).empty());
      if (const std::optional<WorkspaceRecord> w = tx.FindWorkspace(t.id)) {
        EXPECT_TRUE(w->key_erased_at.has_value());
      }
      for (const AgreementAcceptanceRecord& a : tx.ListAgreementAcceptances(t.id)) {
        EXPECT_TRUE(a.person == t.mentor || a.person == t.mentee);
      }
    }
    EXPECT_TRUE(tx.ListPairRules(closed).empty());
    EXPECT_EQ(tx.ListPairRules(running).size(), 1U);
    for (const LeadershipAskRecord& a : tx.ListLeadershipAsks(closed)) {
      EXPECT_FALSE(a.author.has_value());
      EXPECT_EQ(a.text, "More time for learning");
    }
    for (const SurveyRecord& s : tx.ListSurveys(closed)) {
      for (const RowId invitee : tx.ListSurveyInvitees(s.id))
        EXPECT_EQ(anonymous.count(invitee), 1U);
      for (const SurveyResponseRecord& r : tx.ListSurveyResponses(s.id, s.released_through)) {
        EXPECT_EQ(anonymous.count(r.person.value_or(0)), 1U);
      }
    }
    // The runs name the anonymous people, without reasons.
    for (const MatchingRunRecord& r : tx.ListMatchingRuns(closed, 0, 10)) {
      const json result = json::parse(r.result);
      EXPECT_EQ(anonymous.count(result["pairs"][0]["mentor"].get<RowId>()), 1U);
      EXPECT_EQ(anonymous.count(result["pairs"][0]["mentee"].get<RowId>()), 1U);
      EXPECT_TRUE(result["pairs"][0]["reasons"].empty());
      EXPECT_EQ(result["pairs"][0]["score"], 40);
      const json report = json::parse(r.report);
      EXPECT_EQ(anonymous.count(report["unmatched"][0]["person"].get<RowId>()), 1U);
    }
    // The audit log no longer tells who took part: the partner's entry about the closed
    // programme's tandem is anonymous, the invitation's entry names nobody; the running
    // programme's entries and the team's are as they were.
    const std::optional<AccountRecord> account = tx.FindAccountByPerson(people_[0]);
    const std::string actor = "account:" + std::to_string(account->id);
    std::map<std::string, int> entries;  // "action actor entity_id"
    for (const AuditRecord& a : tx.ListAudit(0, 1000)) {
      if (a.action == "tandem.accept" || a.action == "programme.invite_resend") {
        ++entries[a.action + " " + a.actor + " " +
                  (a.entity_id ? std::to_string(*a.entity_id) : std::string("none"))];
      }
    }
    const std::string closed_tandem = std::to_string(tandems_["CANARY-A"].front());
    const std::string running_tandem = std::to_string(tandems_["KEEP-B"].front());
    EXPECT_EQ(entries["tandem.accept anonymous " + closed_tandem], 1);
    EXPECT_EQ(entries["tandem.accept " + actor + " " + running_tandem], 1);
    EXPECT_EQ(entries["programme.invite_resend account:999 none"], 1);
    EXPECT_EQ(entries["programme.invite_resend account:999 " + std::to_string(people_[1])], 2);
    // One audit entry, by programme id, with counts only.
    int audited = 0;
    for (const AuditRecord& a : tx.ListAudit(0, 1000)) {
      if (a.action != "programme.retention") continue;
      ++audited;
      EXPECT_EQ(a.entity_id, closed);
      EXPECT_EQ(a.actor, "system");
    }
    EXPECT_EQ(audited, 1);
    return Status::Ok();
  });
  ASSERT_TRUE(read.ok()) << read.message();
  // Mails: the closed programme's waiting and given-up ones are gone, its sent one stays
  // without the link; the sign-in links and the running programme's mails stay.
  EXPECT_EQ(Find(after, "keep-sign-in-body").size(), 3U);  // one per programme seeded
  EXPECT_EQ(Find(after, "KEEP-B-mail-body-waiting").size(), 1U);

  // A second sweep, and one a hundred years later, change nothing.
  EXPECT_EQ(Sweep().programmes, 0);
  EXPECT_EQ(DumpAll(*store_), after);
  clock_.Advance(kDay * 365 * 100);
  EXPECT_EQ(Sweep().programmes, 0);
  EXPECT_EQ(DumpAll(*store_), after);
  ExpectSameFigures(closed_counts, counts(closed));
}

// Several servers sweep at once (PostgreSQL: concurrent transactions on one database): the
// programme is erased once, with one audit entry and one anonymous person per participant.
TEST_P(Retention, SweepsRunningAtOnceEraseAProgrammeOnce) {
  SeedPeople();
  const Millis closed_at = kStart - 10 * kDay;
  const RowId closed = SeedProgramme("CANARY-A", "closed", closed_at);
  clock_.Advance(closed_at + kRetentionMonths * kRetentionMonth - clock_.Now());
  std::atomic<std::int64_t> erased{0};
  std::vector<std::thread> servers;
  servers.reserve(4);
  for (int i = 0; i < 4; ++i) {
    servers.emplace_back([&] { erased += Sweep().programmes; });
  }
  for (std::thread& t : servers) t.join();
  EXPECT_EQ(erased.load(), 1);
  const Dump after = DumpAll(*store_);
  EXPECT_EQ(Find(after, "CANARY-A"), std::vector<std::string>{});
  EXPECT_EQ(Find(after, "programme.retention").size(), 1U);
  const Status read = store_->Read([&](StoreTx& tx) -> Status {
    EXPECT_EQ(tx.ListEnrolments(closed, 0, 100).size(), static_cast<size_t>(kPeople));
    EXPECT_EQ(tx.Counts().erased_people, kPeople);
    return Status::Ok();
  });
  EXPECT_TRUE(read.ok()) << read.message();
}

// Erasing one person (not retention): their pairs in the runs lose reasons, topics and language,
// their unmatched reason goes; everyone else's pairs keep theirs.
TEST_P(Retention, ErasingAPersonScrubsTheirPairsInTheRuns) {
  SeedPeople();
  const RowId running = SeedProgramme("KEEP-B", "running", std::nullopt);
  const auto scrub = [&](RowId person) {
    return store_->Write([&](StoreTx& tx) { return ScrubRunsOfErasedPerson(tx, person); });
  };
  ASSERT_TRUE(scrub(people_[7]).ok());  // unmatched in the run
  ASSERT_TRUE(scrub(people_[3]).ok());  // in no pair of the run: nothing changes there
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto runs = tx.ListMatchingRuns(running, 0, 10);
                    EXPECT_EQ(runs.size(), 1U);
                    const json result = json::parse(runs.at(0).result);
                    EXPECT_EQ(result["pairs"][0]["reasons"].size(), 1U) << "not theirs";
                    EXPECT_EQ(result["pairs"][0]["language"], "de");
                    const json report = json::parse(runs.at(0).report);
                    EXPECT_EQ(report["unmatched"][0].value("reason", ""), "");
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(scrub(people_[1]).ok());  // the mentee of the run's pair
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const json result =
                        json::parse(tx.ListMatchingRuns(running, 0, 10).at(0).result);
                    const json& pair = result["pairs"][0];
                    EXPECT_EQ(pair["mentee"], people_[1]) << "the pair stays, anonymous";
                    EXPECT_TRUE(pair["reasons"].empty());
                    EXPECT_TRUE(pair["topics"].empty());
                    EXPECT_TRUE(pair["language"].is_null());
                    EXPECT_EQ(pair["score"], 40);
                    return Status::Ok();
                  })
                  .ok());
}

TEST(RetentionDue, IsClosedAtPlusTheRetentionMonthsAndOnlyForClosedProgrammes) {
  ProgrammeRecord p;
  p.state = "closed";
  p.retention_months = 12;
  p.closed_at = kStart;
  EXPECT_EQ(PersonalDataDueAt(p), kStart + 12 * kRetentionMonth);
  p.state = "running";
  EXPECT_FALSE(PersonalDataDueAt(p).has_value());
  p.state = "closed";
  p.closed_at.reset();
  EXPECT_FALSE(PersonalDataDueAt(p).has_value());
}

TANDEM_BACKENDS(Retention);

}  // namespace
}  // namespace tandem
