// Races that matter resolve to exactly one outcome, on every backend: both partners accepting
// a tandem at the same moment; two administrators moving a programme on at the same moment.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "app/tandems.h"
#include "backend_fixture.h"

namespace tandem {
namespace {

class Race : public BackendTest {};

TEST_P(Race, BothPartnersAcceptingAtOnceMakeOneActiveTandem) {
  RowId mentor = 0, mentee = 0, programme = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    PersonRecord m;
                    m.external_id = "m";
                    m.level = 1;
                    mentor = tx.InsertPerson(m);
                    PersonRecord e;
                    e.external_id = "e";
                    e.level = 3;
                    mentee = tx.InsertPerson(e);
                    ProgrammeRecord p;
                    p.name = "Race";
                    programme = tx.InsertProgramme(p);
                    return Status::Ok();
                  })
                  .ok());
  constexpr int kRounds = 40;
  for (int round = 0; round < kRounds; ++round) {
    RowId id = 0;
    ASSERT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      TandemRecord t;
                      t.programme = programme;
                      t.mentor = mentor;
                      t.mentee = mentee;
                      t.score = 1;
                      id = tx.InsertTandem(t);
                      return Status::Ok();
                    })
                    .ok());
    std::barrier start(2);
    Result<TandemState> by_mentor = Status::Internal("not run");
    Result<TandemState> by_mentee = Status::Internal("not run");
    std::thread a([&] {
      start.arrive_and_wait();
      by_mentor = AcceptTandem(*store_, id, mentor, 100 + round);
    });
    std::thread b([&] {
      start.arrive_and_wait();
      by_mentee = AcceptTandem(*store_, id, mentee, 200 + round);
    });
    a.join();
    b.join();
    ASSERT_TRUE(by_mentor.ok()) << by_mentor.status().message();
    ASSERT_TRUE(by_mentee.ok()) << by_mentee.status().message();
    // One of them saw the other's acceptance: exactly one call made the tandem active.
    EXPECT_NE(by_mentor.value() == TandemState::kActive, by_mentee.value() == TandemState::kActive);
    ASSERT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      const auto t = tx.FindTandem(id);
                      EXPECT_EQ(t->state, TandemState::kActive);
                      EXPECT_EQ(t->mentor_accepted_at, 100 + round);
                      EXPECT_EQ(t->mentee_accepted_at, 200 + round);
                      EXPECT_EQ(t->version, 3);  // two updates, none lost
                      return Status::Ok();
                    })
                    .ok());
  }
  EXPECT_EQ(AcceptTandem(*store_, 999999, mentor, 1).status().code(), StatusCode::kNotFound);
}

TEST_P(Race, OnlyAPartnerMayAccept) {
  RowId a = 0, b = 0, c = 0, id = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    int n = 0;
                    for (RowId* row : {&a, &b, &c}) {
                      PersonRecord p;
                      p.external_id = "p" + std::to_string(n++);
                      *row = tx.InsertPerson(p);
                    }
                    ProgrammeRecord p;
                    p.name = "X";
                    TandemRecord t;
                    t.programme = tx.InsertProgramme(p);
                    t.mentor = a;
                    t.mentee = b;
                    id = tx.InsertTandem(t);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(AcceptTandem(*store_, id, c, 1).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(AcceptTandem(*store_, id, a, 1).value(), TandemState::kAcceptedByOne);
  EXPECT_EQ(AcceptTandem(*store_, id, a, 2).value(), TandemState::kAcceptedByOne);
  EXPECT_EQ(AcceptTandem(*store_, id, b, 3).value(), TandemState::kActive);
}

TEST_P(Race, TwoAdministratorsPublishingAtOnceYieldOnePublication) {
  RowId programme = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    ProgrammeRecord p;
                    p.name = "Publish race";
                    p.state = "review";
                    programme = tx.InsertProgramme(p);
                    return Status::Ok();
                  })
                  .ok());
  // Each administrator: publish when the programme is still in review (check, then a
  // version-checked update, in one transaction).
  std::atomic<int> published{0}, refused{0};
  std::barrier start(2);
  const auto publish = [&](const std::string& who) {
    start.arrive_and_wait();
    const Status s = store_->Write([&](StoreTx& tx) {
      ProgrammeRecord p = *tx.FindProgramme(programme);
      if (p.state != "review") return Status::Conflict("already " + p.state);
      p.state = "published";
      if (!tx.UpdateProgramme(p)) return Status::Conflict("changed meanwhile");
      tx.AppendAudit({0, 1, who, "programme.publish", "programme", programme, ""});
      return Status::Ok();
    });
    (s.ok() ? published : refused)++;
  };
  std::thread a(publish, "admin-a");
  std::thread b(publish, "admin-b");
  a.join();
  b.join();
  EXPECT_EQ(published.load(), 1);
  EXPECT_EQ(refused.load(), 1);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_EQ(tx.FindProgramme(programme)->state, "published");
                    EXPECT_EQ(tx.Counts().audit_entries, 1);
                    return Status::Ok();
                  })
                  .ok());
}

TANDEM_BACKENDS(Race);

}  // namespace
}  // namespace tandem
