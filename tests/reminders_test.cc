// Reminders the day before a meeting and cadence nudges (issue 7), on SQLite and PostgreSQL,
// with a hand-set clock: each mail goes out once, at the right time, to both partners, in
// their language, and carries no text of the tandem's workspace.
#include "app/reminders.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/crypto.h"
#include "app/workspace.h"
#include "backend_fixture.h"

namespace tandem {
namespace {

constexpr Millis kStart = 1'800'000'000'000;  // 2027-01-15 08:00 UTC
constexpr Millis kHour = 60LL * 60 * 1000;
constexpr Millis kDay = 24 * kHour;
constexpr Millis kWeek = 7 * kDay;
constexpr char kCanary[] = "Kanarienvogel-4d1e2b-canary";

class ReminderMail : public BackendTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    BackendTest::SetUp();
    if (!store_) return;
    workspace_ = std::make_unique<Workspace>(*store_, clock_, master_);
    reminders_ = std::make_unique<Reminders>(
        *store_, clock_, ReminderOptions{"https://tandem.example", kDefaultNudgeWeeks});
    ASSERT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      PersonRecord p;
                      p.created_at = p.updated_at = kStart;
                      for (const char* id : {"M", "E"}) {
                        p.external_id = id;
                        p.name = std::string("Person ") + id;
                        p.email = std::string(id) + "@example.org";
                        people_.push_back(tx.InsertPerson(p));
                      }
                      // The mentee reads English; the mentor has no account (German).
                      AccountRecord a;
                      a.email = "mentee@example.org";
                      a.person = people_[1];
                      a.display_name = "Emma";
                      a.language = Language::kEnglish;
                      a.created_at = a.updated_at = kStart;
                      tx.InsertAccount(a);
                      ProgrammeRecord programme;
                      programme.name = "Cohort";
                      programme.agreement_de = "Vertraulich.";
                      programme.agreement_en = "Confidential.";
                      programme.created_at = programme.updated_at = kStart;
                      const RowId pid = tx.InsertProgramme(programme);
                      TandemRecord t;
                      t.programme = pid;
                      t.mentor = people_[0];
                      t.mentee = people_[1];
                      t.state = TandemState::kActive;
                      t.mentor_accepted_at = t.mentee_accepted_at = kStart;
                      t.created_at = t.updated_at = kStart;
                      tandem_ = tx.InsertTandem(t);
                      return Status::Ok();
                    })
                    .ok());
    mentor_ = Partner(people_[0], 11);
    mentee_ = Partner(people_[1], 12);
    ASSERT_TRUE(workspace_->AcceptAgreement(mentor_, tandem_).ok());
    ASSERT_TRUE(workspace_->AcceptAgreement(mentee_, tandem_).ok());
  }

  static Caller Partner(RowId person, RowId account) {
    Caller c;
    c.account = account;
    c.person = person;
    c.session = account;
    return c;
  }

  // An accepted meeting at `starts_at` whose place and agenda hold the canary.
  RowId PlanMeeting(Millis starts_at) {
    MeetingInput input;
    input.starts_at = starts_at;
    input.place = std::string("Raum ") + kCanary;
    input.agenda = MeetingTemplate();
    input.agenda->at(0).text = kCanary;
    Result<MeetingView> proposed = workspace_->ProposeMeeting(mentee_, tandem_, input);
    EXPECT_TRUE(proposed.ok());
    if (!proposed.ok()) return 0;
    const RowId id = proposed.value().meeting.id;
    EXPECT_TRUE(workspace_->AcceptMeeting(mentor_, tandem_, id).ok());
    return id;
  }

  ReminderCounts Sweep() {
    Result<ReminderCounts> counts = reminders_->Sweep();
    EXPECT_TRUE(counts.ok()) << (counts.ok() ? "" : counts.status().message());
    return counts.ok() ? counts.value() : ReminderCounts{};
  }

  // Every mail in the outbox, oldest first.
  std::vector<MailRecord> Mails() {
    std::vector<MailRecord> mails;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      mails.clear();
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

  ManualClock clock_{kStart};
  SecretKey master_ = SecretKey::Generate();
  std::unique_ptr<Workspace> workspace_;
  std::unique_ptr<Reminders> reminders_;
  std::vector<RowId> people_;
  RowId tandem_ = 0;
  Caller mentor_, mentee_;
};
TANDEM_BACKENDS(ReminderMail);

TEST_P(ReminderMail, AReminderGoesToBothPartnersOnceTheDayBeforeWithoutWorkspaceText) {
  if (!store_) return;
  // Given an accepted meeting in three days (10:00 in Berlin)...
  const Millis starts = kStart + 3 * kDay + kHour;  // 2027-01-18 09:00 UTC
  PlanMeeting(starts);
  // ...nothing is due two days before...
  clock_.Advance(2 * kDay);
  EXPECT_EQ(Sweep().reminders, 0);
  EXPECT_TRUE(Mails().empty());
  // ...a day before, both partners get one reminder, each in their language...
  clock_.Advance(2 * kHour);
  EXPECT_EQ(Sweep().reminders, 1);
  std::vector<MailRecord> mails = Mails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].to_address, "M@example.org");
  EXPECT_EQ(mails[0].subject, "Erinnerung: Ihr Tandem-Treffen morgen");
  EXPECT_NE(mails[0].text_body.find("Emma"), std::string::npos);
  EXPECT_NE(mails[0].text_body.find("Montag, 18. Januar 2027, 10:00 Uhr (Europe/Berlin)"),
            std::string::npos)
      << mails[0].text_body;
  EXPECT_EQ(mails[1].to_address, "mentee@example.org");
  EXPECT_EQ(mails[1].subject, "Reminder: your tandem meeting tomorrow");
  EXPECT_NE(mails[1].text_body.find("Person M"), std::string::npos);
  EXPECT_NE(mails[1].text_body.find("Monday, 18 January 2027, 10:00 (Europe/Berlin)"),
            std::string::npos)
      << mails[1].text_body;
  for (const MailRecord& m : mails) {
    EXPECT_NE(m.text_body.find("https://tandem.example/tandems/" + std::to_string(tandem_)),
              std::string::npos);
    for (const std::string& part : {m.subject, m.text_body, m.html_body}) {
      EXPECT_EQ(part.find("Kanarienvogel"), std::string::npos);
    }
  }
  // ...and neither a second sweep nor a second server sends it again.
  clock_.Advance(kHour);
  EXPECT_EQ(Sweep().reminders, 0);
  Reminders other_server(*store_, clock_, {"https://tandem.example", kDefaultNudgeWeeks});
  ASSERT_TRUE(other_server.Sweep().ok());
  EXPECT_EQ(Mails().size(), 2u);
}

TEST_P(ReminderMail, CancelledHeldAndProposedMeetingsGetNoReminder) {
  if (!store_) return;
  const RowId cancelled = PlanMeeting(kStart + 2 * kDay);
  ASSERT_TRUE(workspace_->CancelMeeting(mentor_, tandem_, cancelled).ok());
  MeetingInput proposal;
  proposal.starts_at = kStart + 2 * kDay + 2 * kHour;
  ASSERT_TRUE(workspace_->ProposeMeeting(mentor_, tandem_, proposal).ok());
  const RowId held = PlanMeeting(kStart + kHour);
  clock_.Advance(2 * kHour);
  ASSERT_TRUE(workspace_->MarkMeetingHeld(mentor_, tandem_, held).ok());
  clock_.Advance(kDay + kHour);  // the cancelled and proposed ones start within a day
  EXPECT_EQ(Sweep().reminders, 0);
  EXPECT_TRUE(Mails().empty());
}

TEST_P(ReminderMail, ANudgeComesOncePerPeriodWithoutAHeldOrPlannedMeeting) {
  if (!store_) return;
  // Given a meeting held in the first week...
  const RowId held = PlanMeeting(kStart + kDay);
  clock_.Advance(2 * kDay);
  ASSERT_TRUE(workspace_->MarkMeetingHeld(mentee_, tandem_, held).ok());
  // ...no nudge before six weeks have passed since it...
  clock_.Advance(6 * kWeek - 2 * kDay);
  EXPECT_EQ(Sweep().nudges, 0);
  // ...then one to each partner, and not again in the same period...
  clock_.Advance(kDay);
  EXPECT_EQ(Sweep().nudges, 1);
  EXPECT_EQ(Sweep().nudges, 0);
  std::vector<MailRecord> mails = Mails();
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].subject, "Zeit für Ihr nächstes Tandem-Treffen?");
  EXPECT_NE(mails[0].text_body.find("seit 6 Wochen"), std::string::npos);
  EXPECT_EQ(mails[1].subject, "Time for your next tandem meeting?");
  for (const MailRecord& m : mails) {
    EXPECT_EQ(m.text_body.find("Kanarienvogel"), std::string::npos);
    EXPECT_EQ(m.html_body.find("Kanarienvogel"), std::string::npos);
  }
  // ...again after the next period...
  clock_.Advance(6 * kWeek);
  EXPECT_EQ(Sweep().nudges, 1);
  EXPECT_EQ(Mails().size(), 4u);
  // ...and none while a meeting is planned.
  PlanMeeting(clock_.Now() + 10 * kWeek);
  clock_.Advance(6 * kWeek);
  EXPECT_EQ(Sweep().nudges, 0);
  EXPECT_EQ(Mails().size(), 4u);
}

TEST_P(ReminderMail, EndedTandemsGetNeitherRemindersNorNudges) {
  if (!store_) return;
  PlanMeeting(kStart + 20 * kDay);
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    std::optional<TandemRecord> t = tx.FindTandem(tandem_);
                    t->state = TandemState::kCompleted;
                    t->ended_at = kStart + kDay;
                    return tx.UpdateTandem(*t) ? Status::Ok() : Status::Conflict("changed");
                  })
                  .ok());
  clock_.Advance(19 * kDay + kHour);
  EXPECT_EQ(Sweep().reminders, 0);
  clock_.Advance(20 * kWeek);
  EXPECT_EQ(Sweep().nudges, 0);
  EXPECT_TRUE(Mails().empty());
}

}  // namespace
}  // namespace tandem
