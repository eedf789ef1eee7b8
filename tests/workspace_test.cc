// The tandem's protected space through its use cases, on SQLite and PostgreSQL: only the two
// partners get in, the agreement opens it, the roadmap is prefilled and versioned, private
// notes stay private, nothing readable reaches the database file or the audit log, erased keys
// make the content unreadable and a rotated master key keeps it readable.
#include "app/workspace.h"

#include <gtest/gtest.h>

#include <barrier>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/crypto.h"
#include "app/directory.h"
#include "app/lifecycle.h"
#include "backend_fixture.h"

namespace tandem {
namespace {

constexpr Millis kStart = 1'800'000'000'000;
constexpr Millis kDay = 24LL * 60 * 60 * 1000;
constexpr char kCanary[] = "Kanarienvogel-7f3a9c-canary";

// The status of a result, ok or not (Result::status() requires !ok()).
template <typename T>
Status StatusOf(const Result<T>& result) {
  return result.ok() ? Status::Ok() : result.status();
}

class Workspaces : public BackendTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    BackendTest::SetUp();
    if (!store_) return;
    workspace_ = std::make_unique<Workspace>(*store_, clock_, master_);
    ASSERT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      PersonRecord p;
                      p.created_at = p.updated_at = kStart;
                      for (const char* id : {"M", "E", "S"}) {
                        p.external_id = id;
                        p.name = std::string("Person ") + id;
                        people_.push_back(tx.InsertPerson(p));
                      }
                      ProgrammeRecord programme;
                      programme.name = "Cohort";
                      programme.topics = {{"ai", "KI", "AI", 2}, {"cloud", "Cloud", "Cloud", 1}};
                      programme.agreement_de = "Was im Tandem gesagt wird, bleibt im Tandem.";
                      programme.agreement_en = "What is said in the tandem stays in the tandem.";
                      programme.created_at = programme.updated_at = kStart;
                      programme_ = tx.InsertProgramme(programme);
                      TandemRecord t;
                      t.programme = programme_;
                      t.mentor = people_[0];
                      t.mentee = people_[1];
                      t.topics = {"cloud", "ai"};
                      t.state = TandemState::kActive;
                      t.created_at = t.updated_at = kStart;
                      tandem_ = tx.InsertTandem(t);
                      return Status::Ok();
                    })
                    .ok());
    mentor_ = Partner(people_[0], 11);
    mentee_ = Partner(people_[1], 12);
    mentee_.language = Language::kEnglish;
    stranger_ = Partner(people_[2], 13);
    admin_.account = 1;
    admin_.system_admin = true;
    admin_.programmes = {programme_};
  }

  static Caller Partner(RowId person, RowId account) {
    Caller c;
    c.account = account;
    c.person = person;
    c.session = account;
    return c;
  }

  void OpenWorkspace() {
    ASSERT_TRUE(workspace_->AcceptAgreement(mentor_, tandem_).ok());
    Result<AgreementView> second = workspace_->AcceptAgreement(mentee_, tandem_);
    ASSERT_TRUE(second.ok()) << StatusOf(second).message();
    ASSERT_TRUE(second.value().open);
  }

  std::vector<AuditRecord> Audit() {
    std::vector<AuditRecord> entries;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      entries = tx.ListAudit(0, 500);
                      return Status::Ok();
                    })
                    .ok());
    return entries;
  }

  ManualClock clock_{kStart};
  SecretKey master_ = SecretKey::Generate();
  std::unique_ptr<Workspace> workspace_;
  std::vector<RowId> people_;
  RowId programme_ = 0;
  RowId tandem_ = 0;
  Caller mentor_, mentee_, stranger_, admin_;
};
TANDEM_BACKENDS(Workspaces);

TEST_P(Workspaces, OnlyThePartnersGetInAndEveryoneElseSeesNoTandem) {
  if (!store_) return;
  OpenWorkspace();
  Caller token = mentor_;
  token.api_token = 5;
  token.session = 0;
  for (const Caller* outsider : {&stranger_, &admin_, &token}) {
    EXPECT_EQ(StatusOf(workspace_->GetAgreement(*outsider, tandem_)).code(), StatusCode::kNotFound);
    EXPECT_EQ(StatusOf(workspace_->AcceptAgreement(*outsider, tandem_)).code(),
              StatusCode::kNotFound);
    EXPECT_EQ(StatusOf(workspace_->GetRoadmap(*outsider, tandem_)).code(), StatusCode::kNotFound);
    EXPECT_EQ(StatusOf(workspace_->ListNotes(*outsider, tandem_)).code(), StatusCode::kNotFound);
    EXPECT_EQ(StatusOf(workspace_->AddNote(*outsider, tandem_, {"t", "x", {}, false})).code(),
              StatusCode::kNotFound);
  }
  EXPECT_EQ(StatusOf(workspace_->GetRoadmap(Caller{}, tandem_)).code(),
            StatusCode::kUnauthenticated);
  // A tandem that does not exist answers exactly the same.
  EXPECT_EQ(StatusOf(workspace_->GetRoadmap(mentor_, tandem_ + 100)).message(),
            "tandem " + std::to_string(tandem_ + 100) + " not found");
  int denials = 0;
  for (const AuditRecord& a : Audit()) denials += a.action == "permission.denied" ? 1 : 0;
  EXPECT_EQ(denials, 3 * 5 + 1);
}

TEST_P(Workspaces, TheAgreementOfBothOpensTheWorkspaceWithTheTopicsAsRoadmap) {
  if (!store_) return;
  // Given an active tandem where nobody accepted the agreement yet, the content is closed and
  // the answer names who is missing...
  Result<RoadmapView> closed = workspace_->GetRoadmap(mentor_, tandem_);
  ASSERT_EQ(StatusOf(closed).code(), StatusCode::kConflict);
  EXPECT_NE(StatusOf(closed).message().find("the mentor's and the mentee's acceptance"),
            std::string::npos);
  Result<AgreementView> first = workspace_->AcceptAgreement(mentor_, tandem_);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().text, "Was im Tandem gesagt wird, bleibt im Tandem.");
  EXPECT_TRUE(first.value().accepted_by_me);
  EXPECT_FALSE(first.value().open);
  clock_.Advance(1000);
  EXPECT_TRUE(workspace_->AcceptAgreement(mentor_, tandem_).ok()) << "twice changes nothing";
  closed = workspace_->GetRoadmap(mentor_, tandem_);
  EXPECT_NE(StatusOf(closed).message().find("the mentee's acceptance is missing"),
            std::string::npos);
  // ...the mentee's acceptance opens it with the contributing topics in order...
  Result<AgreementView> second = workspace_->AcceptAgreement(mentee_, tandem_);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second.value().open);
  ASSERT_EQ(second.value().acceptances.size(), 2u);
  EXPECT_EQ(second.value().acceptances[0].role, "mentor");
  EXPECT_EQ(second.value().acceptances[0].accepted_at, kStart);
  EXPECT_EQ(second.value().acceptances[1].accepted_at, kStart + 1000);
  Result<RoadmapView> roadmap = workspace_->GetRoadmap(mentor_, tandem_);
  ASSERT_TRUE(roadmap.ok()) << StatusOf(roadmap).message();
  ASSERT_EQ(roadmap.value().items.size(), 2u);
  EXPECT_EQ(roadmap.value().items[0].item.topic, "cloud");
  EXPECT_EQ(roadmap.value().items[1].text, "AI") << "named in the opening partner's language";
  // ...and each partner's accepted text is kept.
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto kept = tx.ListAgreementAcceptances(tandem_);
                    EXPECT_EQ(kept.at(1).text, "What is said in the tandem stays in the tandem.");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(Workspaces, AProposedTandemHasNoAgreementToAccept) {
  if (!store_) return;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    TandemRecord t = *tx.FindTandem(tandem_);
                    t.state = TandemState::kAcceptedByOne;
                    EXPECT_TRUE(tx.UpdateTandem(t));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(StatusOf(workspace_->AcceptAgreement(mentor_, tandem_)).code(), StatusCode::kConflict);
  EXPECT_TRUE(workspace_->GetAgreement(mentor_, tandem_).ok());
}

TEST_P(Workspaces, TwoPartnersEditingOneItemAtOnceNeverOverwriteSilently) {
  if (!store_) return;
  OpenWorkspace();
  Result<RoadmapItemView> added = workspace_->AddRoadmapItem(mentee_, tandem_, "Demo: Kubernetes");
  ASSERT_TRUE(added.ok());
  const RowId item = added.value().item.id;
  const std::int64_t version = added.value().item.version;
  // Both read version 1 and write at the same moment: exactly one wins, the other is told.
  std::barrier start(2);
  std::vector<Status> outcomes(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      RoadmapChange change;
      change.text = i == 0 ? "Mentor's words" : "Mentee's words";
      outcomes[static_cast<size_t>(i)] = StatusOf(workspace_->ChangeRoadmapItem(
          i == 0 ? mentor_ : mentee_, tandem_, item, change, version));
    });
  }
  for (std::thread& t : threads) t.join();
  const int won = (outcomes[0].ok() ? 1 : 0) + (outcomes[1].ok() ? 1 : 0);
  EXPECT_EQ(won, 1);
  for (const Status& s : outcomes) {
    if (!s.ok()) {
      EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.message();
    }
  }
  // Marking covered with the current version works; the order carries its own version.
  Result<RoadmapView> roadmap = workspace_->GetRoadmap(mentor_, tandem_);
  ASSERT_TRUE(roadmap.ok());
  ASSERT_EQ(roadmap.value().items.size(), 3u);
  const RoadmapItemView& last = roadmap.value().items.back();
  RoadmapChange covered;
  covered.covered = true;
  Result<RoadmapItemView> marked =
      workspace_->ChangeRoadmapItem(mentor_, tandem_, item, covered, last.item.version);
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(marked.value().item.covered_at, kStart);
  std::vector<RowId> order;
  for (auto it = roadmap.value().items.rbegin(); it != roadmap.value().items.rend(); ++it) {
    order.push_back(it->item.id);
  }
  Result<RoadmapView> reordered =
      workspace_->ReorderRoadmap(mentee_, tandem_, order, roadmap.value().version);
  ASSERT_TRUE(reordered.ok()) << StatusOf(reordered).message();
  EXPECT_EQ(reordered.value().items.front().item.id, item);
  EXPECT_EQ(
      StatusOf(workspace_->ReorderRoadmap(mentor_, tandem_, order, roadmap.value().version)).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(StatusOf(workspace_->ReorderRoadmap(mentor_, tandem_, {item}, kAnyVersion)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(workspace_->DeleteRoadmapItem(mentor_, tandem_, item).ok());
  EXPECT_EQ(workspace_->GetRoadmap(mentee_, tandem_).value().items.size(), 2u);
}

TEST_P(Workspaces, APrivateNoteIsTheAuthorsAlone) {
  if (!store_) return;
  OpenWorkspace();
  NoteInput mine{"Für mich", "Nachfragen: *Helm*", {{"Helm lesen", false}}, true};
  Result<NoteView> own = workspace_->AddNote(mentor_, tandem_, mine);
  ASSERT_TRUE(own.ok());
  Result<NoteView> shared =
      workspace_->AddNote(mentee_, tandem_, {"Session 1", "# Cloud", {{"Cluster", true}}, false});
  ASSERT_TRUE(shared.ok());
  Result<std::vector<NoteView>> mentor_sees = workspace_->ListNotes(mentor_, tandem_);
  Result<std::vector<NoteView>> mentee_sees = workspace_->ListNotes(mentee_, tandem_);
  ASSERT_TRUE(mentor_sees.ok() && mentee_sees.ok());
  EXPECT_EQ(mentor_sees.value().size(), 2u);
  ASSERT_EQ(mentee_sees.value().size(), 1u);
  EXPECT_EQ(mentee_sees.value()[0].text, "# Cloud");
  EXPECT_TRUE(mentee_sees.value()[0].action_items.at(0).done);
  const RowId private_note = own.value().note.id;
  EXPECT_EQ(StatusOf(workspace_->GetNote(mentee_, tandem_, private_note)).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(
      StatusOf(workspace_->ChangeNote(mentee_, tandem_, private_note, mine, kAnyVersion)).code(),
      StatusCode::kNotFound);
  EXPECT_EQ(workspace_->DeleteNote(mentee_, tandem_, private_note).code(), StatusCode::kNotFound);
  // The shared note is both partners' to edit, version-checked.
  const RowId shared_note = shared.value().note.id;
  Result<NoteView> edited = workspace_->ChangeNote(mentor_, tandem_, shared_note,
                                                   {"Session 1", "# Cloud, edited", {}, false}, 1);
  ASSERT_TRUE(edited.ok());
  EXPECT_EQ(edited.value().note.version, 2);
  EXPECT_EQ(
      StatusOf(workspace_->ChangeNote(mentee_, tandem_, shared_note, {"x", "y", {}, false}, 1))
          .code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(workspace_->GetNote(mentee_, tandem_, shared_note).value().text, "# Cloud, edited");
  EXPECT_EQ(StatusOf(workspace_->AddNote(mentor_, tandem_, {"", "", {{"", false}}, false})).code(),
            StatusCode::kInvalidArgument);
}

TEST_P(Workspaces, ARecordOfAnotherTandemIsNotFoundThroughOnesOwnTandem) {
  if (!store_) return;
  OpenWorkspace();
  // Given the mentor in a second tandem, with a stranger...
  RowId second = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    TandemRecord t = *tx.FindTandem(tandem_);
                    t.mentee = people_[2];
                    second = tx.InsertTandem(t);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(workspace_->AcceptAgreement(mentor_, second).ok());
  ASSERT_TRUE(workspace_->AcceptAgreement(stranger_, second).ok());
  const RowId note = workspace_->AddNote(stranger_, second, {"t", "x", {}, false}).value().note.id;
  const RowId item = workspace_->AddRoadmapItem(stranger_, second, "x").value().item.id;
  MeetingInput input;
  input.starts_at = kStart;
  const RowId meeting = workspace_->ProposeMeeting(stranger_, second, input).value().meeting.id;
  // ...the mentee of the first tandem cannot reach them through the first tandem's paths.
  EXPECT_EQ(StatusOf(workspace_->GetNote(mentee_, tandem_, note)).code(), StatusCode::kNotFound);
  EXPECT_EQ(workspace_->DeleteNote(mentee_, tandem_, note).code(), StatusCode::kNotFound);
  EXPECT_EQ(workspace_->DeleteRoadmapItem(mentee_, tandem_, item).code(), StatusCode::kNotFound);
  EXPECT_EQ(StatusOf(workspace_->CancelMeeting(mentee_, tandem_, meeting)).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(StatusOf(workspace_->GetNote(mentor_, second, note)).code(), StatusCode::kOk);
}

TEST_P(Workspaces, CanaryTextNeverReachesTheDatabaseFileOrTheAuditLog) {
  if (!store_) return;
  OpenWorkspace();
  ASSERT_TRUE(workspace_->AddRoadmapItem(mentor_, tandem_, std::string("Roadmap ") + kCanary).ok());
  ASSERT_TRUE(workspace_
                  ->AddNote(mentee_, tandem_,
                            {std::string("Title ") + kCanary,
                             std::string("Note ") + kCanary,
                             {{std::string("Action ") + kCanary, false}},
                             true})
                  .ok());
  // A failed write must not leak it either.
  EXPECT_FALSE(workspace_->AddRoadmapItem(stranger_, tandem_, kCanary).ok());
  const auto notes = workspace_->ListNotes(mentee_, tandem_);
  ASSERT_TRUE(notes.ok());
  EXPECT_EQ(notes.value().at(0).title, std::string("Title ") + kCanary);
  for (const AuditRecord& a : Audit()) {
    EXPECT_EQ(a.detail.find("Kanarienvogel"), std::string::npos) << a.action;
  }
  if (GetParam() != "sqlite") return;
  store_.reset();  // closes the database: the WAL is checkpointed into the file
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::ifstream in((dir_ / "t.db").string() + suffix, std::ios::binary);
    if (!in) continue;
    std::stringstream bytes;
    bytes << in.rdbuf();
    EXPECT_EQ(bytes.str().find("Kanarienvogel"), std::string::npos) << "t.db" << suffix;
  }
}

TEST_P(Workspaces, ErasedKeysMakeTheContentUnreadableAndRetentionErasesThem) {
  if (!store_) return;
  OpenWorkspace();
  ASSERT_TRUE(workspace_->AddNote(mentor_, tandem_, {"t", "x", {}, false}).ok());
  // Given the tandem completed, its content stays readable (not writable) for the retention
  // period of its programme (12 months by default)...
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    TandemRecord t = *tx.FindTandem(tandem_);
                    t.state = TandemState::kCompleted;
                    t.ended_at = clock_.Now();
                    EXPECT_TRUE(tx.UpdateTandem(t));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(workspace_->ListNotes(mentee_, tandem_).ok());
  EXPECT_EQ(StatusOf(workspace_->AddNote(mentor_, tandem_, {"t", "x", {}, false})).code(),
            StatusCode::kConflict);
  clock_.Advance(364 * kDay);
  EXPECT_EQ(workspace_->EraseExpired().value(), 0);
  EXPECT_TRUE(workspace_->ListNotes(mentee_, tandem_).ok());
  // ...then its key is erased, and with it every note.
  clock_.Advance(2 * kDay);
  EXPECT_EQ(workspace_->EraseExpired().value(), 1);
  Result<std::vector<NoteView>> gone = workspace_->ListNotes(mentee_, tandem_);
  EXPECT_EQ(StatusOf(gone).code(), StatusCode::kConflict);
  EXPECT_NE(StatusOf(gone).message().find("erased"), std::string::npos);
  EXPECT_EQ(workspace_->EraseExpired().value(), 0) << "erased once";
  EXPECT_FALSE(EraseTandemContent(*store_, tandem_, "cli", clock_.Now()).value());
}

TEST_P(Workspaces, ANoteSealedUnderAnErasedKeyDoesNotOpenFromABackup) {
  if (!store_) return;
  OpenWorkspace();
  ASSERT_TRUE(workspace_->AddNote(mentor_, tandem_, {"t", kCanary, {}, false}).ok());
  // What a backup taken now holds: the note's ciphertext and the wrapped key.
  NoteRecord backed_up;
  WorkspaceRecord backed_up_workspace;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    backed_up = tx.ListNotes(tandem_).at(0);
                    backed_up_workspace = *tx.FindWorkspace(tandem_);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(EraseTandemContent(*store_, tandem_, "cli", clock_.Now()).value());
  // After erasure and a rotation (the old master key destroyed), the backup's copy of the
  // tandem key no longer opens with any key the server holds.
  const SecretKey next = SecretKey::Generate();
  ASSERT_TRUE(RotateMasterKey(*store_, master_, next, clock_.Now()).ok());
  EXPECT_FALSE(UnwrapKey(next, backed_up_workspace.wrapped_key).ok());
  EXPECT_EQ(StatusOf(workspace_->ListNotes(mentor_, tandem_)).code(), StatusCode::kConflict);
}

TEST_P(Workspaces, RotatingTheMasterKeyKeepsEverythingReadable) {
  if (!store_) return;
  OpenWorkspace();
  ASSERT_TRUE(workspace_->AddNote(mentor_, tandem_, {"t", "before rotation", {}, false}).ok());
  const SecretKey next = SecretKey::Generate();
  Result<std::int64_t> rotated = RotateMasterKey(*store_, master_, next, clock_.Now());
  ASSERT_TRUE(rotated.ok()) << StatusOf(rotated).message();
  EXPECT_EQ(rotated.value(), 1);
  // A server still on the old key is told to restart; one on the new key reads everything.
  EXPECT_EQ(StatusOf(workspace_->ListNotes(mentor_, tandem_)).code(), StatusCode::kUnavailable);
  Workspace rotated_workspace(*store_, clock_, next);
  Result<std::vector<NoteView>> notes = rotated_workspace.ListNotes(mentee_, tandem_);
  ASSERT_TRUE(notes.ok()) << StatusOf(notes).message();
  EXPECT_EQ(notes.value().at(0).text, "before rotation");
  // A wrong "current" key changes nothing.
  EXPECT_EQ(StatusOf(RotateMasterKey(*store_, SecretKey::Generate(), master_, clock_.Now())).code(),
            StatusCode::kInternal);
  EXPECT_TRUE(rotated_workspace.GetRoadmap(mentor_, tandem_).ok());
}

TEST_P(Workspaces, AMeetingIsProposedAcceptedRescheduledAndHeld) {
  if (!store_) return;
  OpenWorkspace();
  // Given a proposal by the mentee with the default template...
  MeetingInput input;
  input.starts_at = kStart + 7 * kDay;
  input.place = std::string("Room ") + kCanary;
  Result<MeetingView> proposed = workspace_->ProposeMeeting(mentee_, tandem_, input);
  ASSERT_TRUE(proposed.ok()) << StatusOf(proposed).message();
  const RowId meeting = proposed.value().meeting.id;
  EXPECT_EQ(proposed.value().meeting.duration_minutes, 60);
  ASSERT_EQ(proposed.value().agenda.size(), 4u);
  EXPECT_EQ(proposed.value().agenda[2].kind, "hands_on");
  // ...the proposer cannot accept it, the partner can...
  EXPECT_EQ(StatusOf(workspace_->AcceptMeeting(mentee_, tandem_, meeting)).code(),
            StatusCode::kConflict);
  Result<MeetingView> accepted = workspace_->AcceptMeeting(mentor_, tandem_, meeting);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(accepted.value().meeting.state, MeetingState::kAccepted);
  // ...a new time is a new proposal (the other partner accepts again); the agenda is kept...
  input.starts_at += kDay;
  input.agenda.reset();
  Result<MeetingView> moved =
      workspace_->ChangeMeeting(mentor_, tandem_, meeting, input, accepted.value().meeting.version);
  ASSERT_TRUE(moved.ok()) << StatusOf(moved).message();
  EXPECT_EQ(moved.value().meeting.state, MeetingState::kProposed);
  EXPECT_EQ(moved.value().meeting.proposed_by, people_[0]);
  EXPECT_EQ(moved.value().agenda.size(), 4u);
  EXPECT_EQ(StatusOf(workspace_->ChangeMeeting(mentee_, tandem_, meeting, input, 1)).code(),
            StatusCode::kFailedPrecondition);
  // ...it is marked held only once it started, and then no longer changes.
  EXPECT_EQ(StatusOf(workspace_->MarkMeetingHeld(mentee_, tandem_, meeting)).code(),
            StatusCode::kConflict);
  clock_.Advance(9 * kDay);
  Result<MeetingView> held = workspace_->MarkMeetingHeld(mentee_, tandem_, meeting);
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(held.value().meeting.state, MeetingState::kHeld);
  // The tandem counts it once (for the team's aggregate), also when marked again.
  ASSERT_TRUE(workspace_->MarkMeetingHeld(mentor_, tandem_, meeting).ok());
  std::int64_t counted = -1;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    counted = tx.FindTandem(tandem_)->meetings_held;
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(counted, 1);
  EXPECT_EQ(StatusOf(workspace_->CancelMeeting(mentor_, tandem_, meeting)).code(),
            StatusCode::kConflict);
  Result<std::string> ics = workspace_->MeetingCalendar(mentor_, tandem_, meeting);
  ASSERT_TRUE(ics.ok()) << StatusOf(ics).message();
  EXPECT_NE(ics.value().find("BEGIN:VEVENT"), std::string::npos);
  EXPECT_NE(ics.value().find("TZID=Europe/Berlin"), std::string::npos);
  EXPECT_EQ(StatusOf(workspace_->MeetingCalendar(admin_, tandem_, meeting)).code(),
            StatusCode::kNotFound);
  // Bad input is named by field; the place never reaches the audit log.
  input.time_zone = "Atlantis/Capital";
  EXPECT_NE(
      StatusOf(workspace_->ProposeMeeting(mentor_, tandem_, input)).message().find("time_zone"),
      std::string::npos);
  input.time_zone = "Europe/Berlin";
  input.video_link = "javascript:alert(1)";
  EXPECT_EQ(StatusOf(workspace_->ProposeMeeting(mentor_, tandem_, input)).code(),
            StatusCode::kInvalidArgument);
  for (const AuditRecord& a : Audit()) {
    EXPECT_EQ(a.detail.find("Kanarienvogel"), std::string::npos) << a.action;
  }
}

TEST_P(Workspaces, ACalendarFeedListsMeetingTimesOnlyUntilRevoked) {
  if (!store_) return;
  OpenWorkspace();
  MeetingInput input;
  input.starts_at = kStart + kDay;
  input.place = std::string("Room ") + kCanary;
  ASSERT_TRUE(workspace_->ProposeMeeting(mentor_, tandem_, input).ok());
  Result<std::string> token = workspace_->CreateCalendarFeed(mentee_);
  ASSERT_TRUE(token.ok());
  Result<std::string> feed = workspace_->CalendarFeed(token.value());
  ASSERT_TRUE(feed.ok()) << StatusOf(feed).message();
  EXPECT_NE(feed.value().find("BEGIN:VEVENT"), std::string::npos);
  EXPECT_NE(feed.value().find("STATUS:TENTATIVE"), std::string::npos);
  EXPECT_EQ(feed.value().find("Kanarienvogel"), std::string::npos) << "no place in a feed";
  // A new feed replaces the old one; revoking ends it.
  Result<std::string> second = workspace_->CreateCalendarFeed(mentee_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(StatusOf(workspace_->CalendarFeed(token.value())).code(), StatusCode::kNotFound);
  EXPECT_TRUE(workspace_->CalendarFeed(second.value()).ok());
  EXPECT_TRUE(workspace_->RevokeCalendarFeed(mentee_).ok());
  EXPECT_EQ(StatusOf(workspace_->CalendarFeed(second.value())).code(), StatusCode::kNotFound);
  EXPECT_EQ(StatusOf(workspace_->CalendarFeed("")).code(), StatusCode::kNotFound);
  EXPECT_EQ(StatusOf(workspace_->CreateCalendarFeed(admin_)).code(), StatusCode::kPermissionDenied);
}

TEST_P(Workspaces, AsksToLeadershipAreAnonymousUnlessNamedAndReachOnlyTheTeam) {
  if (!store_) return;
  Workspace keyless(*store_, clock_, std::nullopt);  // asks are not workspace content
  Result<LeadershipAskRecord> anonymous =
      keyless.SendAsk(mentee_, tandem_, {"Time for the pilot", {"ai"}, false});
  ASSERT_TRUE(anonymous.ok()) << StatusOf(anonymous).message();
  EXPECT_FALSE(anonymous.value().author.has_value());
  ASSERT_TRUE(keyless.SendAsk(mentor_, tandem_, {"Budget", {}, true}).ok());
  EXPECT_EQ(StatusOf(keyless.SendAsk(mentor_, tandem_, {"x", {"nope"}, false})).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusOf(keyless.SendAsk(stranger_, tandem_, {"x", {}, false})).code(),
            StatusCode::kNotFound);
  Auth auth(*store_, clock_, AuthConfig{});
  Lifecycle lifecycle(*store_, clock_, auth, "https://tandem.test");
  Result<std::vector<LeadershipAskView>> asks = lifecycle.ListLeadershipAsks(admin_, programme_);
  ASSERT_TRUE(asks.ok()) << StatusOf(asks).message();
  ASSERT_EQ(asks.value().size(), 2u);
  EXPECT_EQ(asks.value()[0].author_name, "");
  EXPECT_EQ(asks.value()[1].author_name, "Person M");
  EXPECT_EQ(StatusOf(lifecycle.ListLeadershipAsks(mentee_, programme_)).code(),
            StatusCode::kNotFound);
  // The audit log names neither the tandem nor the author of the anonymous ask.
  for (const AuditRecord& a : Audit()) {
    if (a.action != "ask.send" || a.detail != "ask " + std::to_string(anonymous.value().id)) {
      continue;
    }
    EXPECT_EQ(a.actor, "anonymous");
    EXPECT_EQ(a.entity, "programme");
  }
}

TEST_P(Workspaces, WithoutAMasterKeyTheWorkspaceDoesNotOpenAndNothingIsHalfDone) {
  if (!store_) return;
  Workspace keyless(*store_, clock_, std::nullopt);
  ASSERT_TRUE(keyless.AcceptAgreement(mentor_, tandem_).ok());
  EXPECT_EQ(StatusOf(keyless.AcceptAgreement(mentee_, tandem_)).code(), StatusCode::kUnavailable);
  Result<AgreementView> agreement = keyless.GetAgreement(mentee_, tandem_);
  ASSERT_TRUE(agreement.ok());
  EXPECT_FALSE(agreement.value().accepted_by_me) << "the refused acceptance was rolled back";
}

}  // namespace
}  // namespace tandem
