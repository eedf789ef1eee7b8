// One behaviour, every backend: the same tests run against SQLite and PostgreSQL. A test
// that passes on one and fails on the other is a bug in a backend.
//
// PostgreSQL cases run when TANDEM_TEST_POSTGRES_URL names a server where databases may be
// created (scripts/postgres-test-cluster.sh starts one); otherwise they are skipped.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "app/store.h"
#include "store/open_store.h"
#include "store/testing.h"

namespace tandem::store {
namespace {

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { store_ = Open(/*migrate=*/true); }

  std::unique_ptr<Store> Open(bool migrate) {
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("tandem-store-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      auto opened = OpenStore("sqlite:" + (dir_ / "t.db").string(), {.migrate = migrate});
      EXPECT_TRUE(opened.ok()) << opened.status().message();
      return opened.ok() ? std::move(opened).value() : nullptr;
    }
    const char* url = std::getenv("TANDEM_TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0') return nullptr;
    auto opened = OpenScratchPostgresStore(url, migrate);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool Skip() const { return store_ == nullptr && GetParam() != "sqlite"; }

  std::unique_ptr<Store> store_;
  std::filesystem::path dir_;
};

#define SKIP_WITHOUT_BACKEND()                                         \
  do {                                                                 \
    if (Skip()) GTEST_SKIP() << "TANDEM_TEST_POSTGRES_URL is not set"; \
    ASSERT_NE(store_, nullptr);                                        \
  } while (false)

PersonRecord Person(std::string external_id, int level = 2) {
  PersonRecord p;
  p.external_id = std::move(external_id);
  p.name = "Name of " + p.external_id;
  p.email = p.external_id + "@example.com";
  p.department = "IT";
  p.location = "Berlin";
  p.level = level;
  p.languages = {"de", "en"};
  p.created_at = 1000;
  p.updated_at = 1000;
  return p;
}

ProgrammeRecord Programme() {
  ProgrammeRecord p;
  p.name = "Digital 2027";
  p.topics = {{"ai", "Künstliche Intelligenz", "Artificial intelligence", 2},
              {"cloud", "Cloud", "Cloud", 1}};
  p.mentee_min_level = 3;
  p.mode = MatchModeSetting::kOpen;
  p.created_at = 5;
  p.updated_at = 5;
  return p;
}

RowId InsertOrDie(Store& store, const PersonRecord& person) {
  RowId id = 0;
  const Status s = store.Write([&](StoreTx& tx) {
    id = tx.InsertPerson(person);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return id;
}

TEST_P(StoreConformance, FreshDatabaseIsAtTheLatestSchemaAndMigrateIsIdempotent) {
  SKIP_WITHOUT_BACKEND();
  const Result<int> version = store_->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status().message();
  EXPECT_EQ(version.value(), store_->LatestSchemaVersion());
  EXPECT_GE(store_->LatestSchemaVersion(), 2);
  const Result<int> again = store_->Migrate();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(again.value(), 0);
}

TEST_P(StoreConformance, PersonRoundTripAndLookupByExternalId) {
  SKIP_WITHOUT_BACKEND();
  const RowId boss = InsertOrDie(*store_, Person("B-1", 4));
  PersonRecord p = Person("E-7");
  p.manager = boss;
  const RowId id = InsertOrDie(*store_, p);
  ASSERT_GT(id, 0);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto found = tx.FindPerson(id);
                    EXPECT_TRUE(found.has_value());
                    if (!found) return Status::Ok();
                    EXPECT_EQ(found->external_id, "E-7");
                    EXPECT_EQ(found->name, "Name of E-7");
                    EXPECT_EQ(found->manager, boss);
                    EXPECT_EQ(found->languages, (std::vector<std::string>{"de", "en"}));
                    EXPECT_EQ(found->version, 1);
                    EXPECT_FALSE(found->erased_at.has_value());
                    const auto by_external = tx.FindPersonByExternalId("E-7");
                    EXPECT_TRUE(by_external.has_value() && by_external->id == id);
                    EXPECT_FALSE(tx.FindPersonByExternalId("nobody").has_value());
                    EXPECT_FALSE(tx.FindPerson(id + 100).has_value());
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ListsPageByIdInOrder) {
  SKIP_WITHOUT_BACKEND();
  for (int i = 0; i < 7; ++i) InsertOrDie(*store_, Person("P" + std::to_string(i)));
  std::vector<std::string> seen;
  RowId after = 0;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    for (;;) {
                      const auto page = tx.ListPeople(after, 3);
                      if (page.empty()) break;
                      EXPECT_LE(page.size(), 3u);
                      for (const auto& p : page) {
                        EXPECT_GT(p.id, after);
                        after = p.id;
                        seen.push_back(p.external_id);
                      }
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"P0", "P1", "P2", "P3", "P4", "P5", "P6"}));
}

TEST_P(StoreConformance, StaleVersionIsRefusedNotOverwritten) {
  SKIP_WITHOUT_BACKEND();
  const RowId id = InsertOrDie(*store_, Person("V-1"));
  PersonRecord first, second;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    first = *tx.FindPerson(id);
                    second = first;
                    return Status::Ok();
                  })
                  .ok());
  first.name = "First editor";
  second.name = "Second editor";
  bool first_ok = false, second_ok = true;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    first_ok = tx.UpdatePerson(first);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    second_ok = tx.UpdatePerson(second);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(first_ok);
  EXPECT_FALSE(second_ok);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto now = tx.FindPerson(id);
                    EXPECT_EQ(now->name, "First editor");
                    EXPECT_EQ(now->version, 2);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, FailedTransactionLeavesNothingBehind) {
  SKIP_WITHOUT_BACKEND();
  InsertOrDie(*store_, Person("DUP"));
  // A unique violation after a successful insert: the whole transaction goes.
  const Status s = store_->Write([&](StoreTx& tx) {
    tx.InsertPerson(Person("NEW-1"));
    tx.InsertPerson(Person("DUP"));
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kConflict) << s.message();
  EXPECT_NE(s.message().find("external_id"), std::string::npos) << s.message();
  // The function's own error: rolled back too.
  const Status own = store_->Write([&](StoreTx& tx) {
    tx.InsertPerson(Person("NEW-2"));
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_EQ(own.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(own.message(), "changed my mind");
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_FALSE(tx.FindPersonByExternalId("NEW-1").has_value());
                    EXPECT_FALSE(tx.FindPersonByExternalId("NEW-2").has_value());
                    EXPECT_EQ(tx.Counts().people, 1);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ReadTransactionsCannotWrite) {
  SKIP_WITHOUT_BACKEND();
  const Status s = store_->Read([&](StoreTx& tx) {
    tx.InsertPerson(Person("RO"));
    return Status::Ok();
  });
  EXPECT_FALSE(s.ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_EQ(tx.Counts().people, 0);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ProgrammeKeepsItsTopicCatalogueInOrder) {
  SKIP_WITHOUT_BACKEND();
  RowId id = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    id = tx.InsertProgramme(Programme());
                    return Status::Ok();
                  })
                  .ok());
  ProgrammeRecord stored;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    stored = *tx.FindProgramme(id);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(stored.name, "Digital 2027");
  EXPECT_EQ(stored.state, "draft");
  EXPECT_EQ(stored.mode, MatchModeSetting::kOpen);
  EXPECT_EQ(stored.mentee_min_level, 3);
  EXPECT_EQ(stored.term_min_months, 6);
  EXPECT_EQ(stored.target_meetings_max, 8);
  ASSERT_EQ(stored.topics.size(), 2u);
  EXPECT_EQ(stored.topics[0].key, "ai");
  EXPECT_EQ(stored.topics[0].name_de, "Künstliche Intelligenz");
  EXPECT_EQ(stored.topics[0].weight, 2);

  stored.topics = {{"web3", "Blockchain", "Blockchain", 1}, stored.topics[1]};
  stored.name = "Digital 2027 (renamed)";
  bool updated = false;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    updated = tx.UpdateProgramme(stored);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(updated);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto again = tx.ListProgrammes(0, 10);
                    EXPECT_EQ(again.size(), 1u);
                    EXPECT_EQ(again.at(0).name, "Digital 2027 (renamed)");
                    EXPECT_EQ(again.at(0).version, 2);
                    EXPECT_EQ(again.at(0).topics.size(), 2u);
                    EXPECT_EQ(again.at(0).topics.at(0).key, "web3");
                    EXPECT_EQ(again.at(0).topics.at(1).key, "cloud");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, EnrolmentAndAnswersAndTheirChecks) {
  SKIP_WITHOUT_BACKEND();
  const RowId person = InsertOrDie(*store_, Person("ENR"));
  RowId programme = 0, enrolment = 0;
  ASSERT_TRUE(
      store_
          ->Write([&](StoreTx& tx) {
            programme = tx.InsertProgramme(Programme());
            EnrolmentRecord e;
            e.programme = programme;
            e.person = person;
            e.mentor_capacity = 2;
            e.state = EnrolmentState::kEnrolled;
            e.invited_at = 10;
            e.enrolled_at = 20;
            enrolment = tx.InsertEnrolment(e);
            tx.ReplaceAnswers(enrolment, {{"cloud", 1, 3, "Ran the migration"}, {"ai", 3, 0, ""}});
            return Status::Ok();
          })
          .ok());
  // Out-of-range answers are refused by the schema, and the replace is undone.
  const Status bad = store_->Write([&](StoreTx& tx) {
    tx.ReplaceAnswers(enrolment, {{"ai", 4, 0, ""}});
    return Status::Ok();
  });
  EXPECT_FALSE(bad.ok());
  // The same person cannot be enrolled twice in one programme.
  const Status twice = store_->Write([&](StoreTx& tx) {
    EnrolmentRecord e;
    e.programme = programme;
    e.person = person;
    tx.InsertEnrolment(e);
    return Status::Ok();
  });
  EXPECT_EQ(twice.code(), StatusCode::kConflict);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto e = tx.FindEnrolment(programme, person);
                    EXPECT_TRUE(e.has_value());
                    EXPECT_EQ(e->state, EnrolmentState::kEnrolled);
                    EXPECT_EQ(e->enrolled_at, 20);
                    EXPECT_FALSE(e->withdrawn_at.has_value());
                    const auto answers = tx.ListAnswers(enrolment);
                    EXPECT_EQ(answers.size(), 2u);
                    EXPECT_EQ(answers.at(0).topic, "ai");
                    EXPECT_EQ(answers.at(0).interest, 3);
                    EXPECT_EQ(answers.at(1).experience, "Ran the migration");
                    EXPECT_EQ(tx.ListEnrolments(programme, 0, 10).size(), 1u);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, MatchingRunsTandemsAndAudit) {
  SKIP_WITHOUT_BACKEND();
  const RowId mentor = InsertOrDie(*store_, Person("M", 1));
  const RowId mentee = InsertOrDie(*store_, Person("E", 4));
  RowId run = 0, tandem = 0, programme = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    run = tx.InsertMatchingRun(
                        {0, programme, "cli", R"({"mode":"reverse"})", "[]", "{}", 77});
                    TandemRecord t;
                    t.programme = programme;
                    t.run = run;
                    t.mentor = mentor;
                    t.mentee = mentee;
                    t.score = 9;
                    t.topics = {"ai", "cloud"};
                    t.reasons = "shares ai";
                    t.created_at = t.updated_at = 78;
                    tandem = tx.InsertTandem(t);
                    tx.AppendAudit({0, 79, "cli", "tandem.propose", "tandem", tandem, "run 1"});
                    return Status::Ok();
                  })
                  .ok());
  TandemRecord t;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    t = *tx.FindTandem(tandem);
                    const auto r = tx.FindMatchingRun(run);
                    EXPECT_EQ(r->parameters, R"({"mode":"reverse"})");
                    EXPECT_EQ(tx.ListMatchingRuns(programme, 0, 10).size(), 1u);
                    const auto audit = tx.ListAudit(0, 10);
                    EXPECT_EQ(audit.size(), 1u);
                    EXPECT_EQ(audit.at(0).action, "tandem.propose");
                    EXPECT_EQ(audit.at(0).entity_id, tandem);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(t.state, TandemState::kProposed);
  EXPECT_EQ(t.topics, (std::vector<std::string>{"ai", "cloud"}));
  EXPECT_EQ(t.run, run);
  t.state = TandemState::kAcceptedByOne;
  t.mentee_accepted_at = 80;
  bool ok = false;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    ok = tx.UpdateTandem(t);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(ok);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto again = tx.ListTandems(programme, 0, 10);
                    EXPECT_EQ(again.size(), 1u);
                    EXPECT_EQ(again.at(0).state, TandemState::kAcceptedByOne);
                    EXPECT_EQ(again.at(0).mentee_accepted_at, 80);
                    EXPECT_EQ(again.at(0).version, 2);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ErasureRemovesPersonalDataAndKeepsAnonymousCounts) {
  SKIP_WITHOUT_BACKEND();
  const RowId mentor = InsertOrDie(*store_, Person("GONE", 1));
  const RowId mentee = InsertOrDie(*store_, Person("STAY", 4));
  RowId programme = 0, enrolment = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    EnrolmentRecord e;
                    e.programme = programme;
                    e.person = mentor;
                    e.mentor_capacity = 1;
                    e.state = EnrolmentState::kEnrolled;
                    enrolment = tx.InsertEnrolment(e);
                    tx.ReplaceAnswers(enrolment, {{"ai", 0, 3, "Built our chatbot"}});
                    TandemRecord t;
                    t.programme = programme;
                    t.mentor = mentor;
                    t.mentee = mentee;
                    t.score = 3;
                    t.topics = {"ai"};
                    t.reasons = "GONE built our chatbot";
                    tx.InsertTandem(t);
                    return Status::Ok();
                  })
                  .ok());
  bool erased = false;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    erased = tx.ErasePerson(mentor, 999);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(erased);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto p = tx.FindPerson(mentor);
                    EXPECT_TRUE(p.has_value());
                    EXPECT_EQ(p->external_id, "");
                    EXPECT_EQ(p->name, "");
                    EXPECT_EQ(p->email, "");
                    EXPECT_TRUE(p->languages.empty());
                    EXPECT_EQ(p->erased_at, 999);
                    EXPECT_FALSE(tx.FindPersonByExternalId("GONE").has_value());
                    EXPECT_TRUE(tx.ListAnswers(enrolment).empty());
                    const auto tandems = tx.ListTandems(programme, 0, 10);
                    EXPECT_EQ(tandems.size(), 1u);
                    EXPECT_EQ(tandems.at(0).reasons, "");
                    EXPECT_EQ(tandems.at(0).score, 3);
                    const StoreCounts counts = tx.Counts();
                    EXPECT_EQ(counts.people, 2);
                    EXPECT_EQ(counts.erased_people, 1);
                    EXPECT_EQ(counts.enrolments, 1);
                    EXPECT_EQ(counts.answers, 0);
                    EXPECT_EQ(counts.tandems, 1);
                    // The other person is untouched.
                    EXPECT_EQ(tx.FindPerson(mentee)->name, "Name of STAY");
                    return Status::Ok();
                  })
                  .ok());
  // The HR id is free again: a later import creates a new, unrelated record.
  EXPECT_GT(InsertOrDie(*store_, Person("GONE")), mentee);
}

TEST_P(StoreConformance, ConcurrentVersionCheckedUpdatesLoseNothing) {
  SKIP_WITHOUT_BACKEND();
  const RowId id = InsertOrDie(*store_, Person("COUNTER"));
  constexpr int kThreads = 4;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        // Read, change, write with the version read: retry when someone else was first.
        for (int attempt = 0;; ++attempt) {
          bool done = false;
          const Status s = store_->Write([&](StoreTx& tx) {
            PersonRecord p = *tx.FindPerson(id);
            p.level += 1;
            done = tx.UpdatePerson(p);
            return Status::Ok();
          });
          if (!s.ok()) ++failures;
          if (done || attempt > 1000) break;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto p = tx.FindPerson(id);
                    EXPECT_EQ(p->level, 2 + kThreads * kIncrements);
                    EXPECT_EQ(p->version, 1 + kThreads * kIncrements);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ConcurrentWritersEachGetTheirOwnOutcome) {
  SKIP_WITHOUT_BACKEND();
  // Writers that fail (their own error, a constraint) lose only their own changes, also when
  // the store commits concurrent writers together (SQLite's group commit).
  InsertOrDie(*store_, Person("TAKEN"));
  constexpr int kThreads = 8;
  constexpr int kEach = 15;
  std::atomic<int> ok{0}, refused{0}, conflicts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const int n = t * kEach + i;
        const Status s = store_->Write([&](StoreTx& tx) {
          tx.InsertPerson(Person("W-" + std::to_string(n)));
          if (n % 3 == 1) return Status::InvalidArgument("refused by the use case");
          if (n % 3 == 2) tx.InsertPerson(Person("TAKEN"));  // unique violation
          return Status::Ok();
        });
        if (s.ok()) {
          ++ok;
        } else if (s.code() == StatusCode::kInvalidArgument) {
          ++refused;
        } else if (s.code() == StatusCode::kConflict) {
          ++conflicts;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach / 3);
  EXPECT_EQ(refused.load(), kThreads * kEach / 3);
  EXPECT_EQ(conflicts.load(), kThreads * kEach / 3);
  ASSERT_TRUE(
      store_
          ->Read([&](StoreTx& tx) {
            for (int n = 0; n < kThreads * kEach; ++n) {
              EXPECT_EQ(tx.FindPersonByExternalId("W-" + std::to_string(n)).has_value(), n % 3 == 0)
                  << n;
            }
            EXPECT_EQ(tx.Counts().people, 1 + kThreads * kEach / 3);
            return Status::Ok();
          })
          .ok());
}

TEST_P(StoreConformance, MigratesAnOldDatabaseForwardWithoutLoss) {
  SKIP_WITHOUT_BACKEND();
  // Given a database at migration 1 holding people, a programme, enrolments and answers...
  store_.reset();
  if (!dir_.empty()) std::filesystem::remove_all(dir_);
  store_ = Open(/*migrate=*/false);
  ASSERT_NE(store_, nullptr);
  const Result<int> first = store_->Migrate(1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first.value(), 1);
  EXPECT_EQ(store_->SchemaVersion().value(), 1);
  RowId programme = 0, enrolment = 0, boss = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    boss = tx.InsertPerson(Person("OLD-BOSS", 5));
                    PersonRecord p = Person("OLD-1");
                    p.manager = boss;
                    const RowId person = tx.InsertPerson(p);
                    programme = tx.InsertProgramme(Programme());
                    EnrolmentRecord e;
                    e.programme = programme;
                    e.person = person;
                    e.mentee_capacity = 1;
                    e.state = EnrolmentState::kEnrolled;
                    enrolment = tx.InsertEnrolment(e);
                    tx.ReplaceAnswers(enrolment, {{"ai", 3, 1, "Kaggle"}});
                    return Status::Ok();
                  })
                  .ok());
  // ...migrating to the latest keeps every row and makes the new tables usable.
  const Result<int> rest = store_->Migrate();
  ASSERT_TRUE(rest.ok()) << rest.status().message();
  EXPECT_EQ(rest.value(), store_->LatestSchemaVersion() - 1);
  EXPECT_EQ(store_->SchemaVersion().value(), store_->LatestSchemaVersion());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    const auto p = tx.FindPersonByExternalId("OLD-1");
                    EXPECT_TRUE(p.has_value());
                    EXPECT_EQ(p->manager, boss);
                    EXPECT_EQ(tx.FindProgramme(programme)->topics.size(), 2u);
                    const auto answers = tx.ListAnswers(enrolment);
                    EXPECT_EQ(answers.size(), 1u);
                    EXPECT_EQ(answers.at(0).experience, "Kaggle");
                    tx.AppendAudit({0, 1, "cli", "store.migrate", "store", std::nullopt, ""});
                    EXPECT_EQ(tx.Counts().audit_entries, 1);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, AccountsSessionsAndTokens) {
  SKIP_WITHOUT_BACKEND();
  const RowId person = InsertOrDie(*store_, Person("ACC"));
  RowId account = 0, programme = 0, token = 0;
  ASSERT_TRUE(
      store_
          ->Write([&](StoreTx& tx) {
            AccountRecord a;
            a.email = "acc@example.com";
            a.person = person;
            a.language = Language::kEnglish;
            a.created_at = a.updated_at = 1;
            account = tx.InsertAccount(a);
            programme = tx.InsertProgramme(Programme());
            EXPECT_TRUE(tx.AddProgrammeAdmin(programme, account, 2));
            EXPECT_FALSE(tx.AddProgrammeAdmin(programme, account, 3));
            tx.InsertSession({0, "s1", "c1", account, 10, 10, 1000, std::nullopt});
            tx.InsertSession({0, "s2", "c2", account, 11, 11, 1000, std::nullopt});
            token = tx.InsertOneTimeToken(
                {0, "ott", TokenPurpose::kInvitation, account, 5, 500, std::nullopt});
            tx.InsertApiToken(
                {0, "api", account, "HR import", {"people:write"}, 6, std::nullopt, std::nullopt});
            return Status::Ok();
          })
          .ok());
  // The same e-mail twice is a conflict.
  EXPECT_EQ(store_
                ->Write([&](StoreTx& tx) {
                  AccountRecord a;
                  a.email = "acc@example.com";
                  tx.InsertAccount(a);
                  return Status::Ok();
                })
                .code(),
            StatusCode::kConflict);
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    const auto a = tx.FindAccountByEmail("acc@example.com");
                    EXPECT_TRUE(a.has_value());
                    EXPECT_EQ(a->language, Language::kEnglish);
                    EXPECT_FALSE(a->system_admin);
                    EXPECT_EQ(tx.FindAccountByPerson(person)->id, account);
                    EXPECT_EQ(tx.ListAdministeredProgrammes(account),
                              (std::vector<RowId>{programme}));
                    EXPECT_EQ(tx.ListProgrammeAdmins(programme), (std::vector<RowId>{account}));
                    const auto s1 = tx.FindSessionByTokenHash("s1");
                    EXPECT_TRUE(s1.has_value() && s1->csrf_hash == "c1" && !s1->ended_at);
                    tx.TouchSession(s1->id, 20);
                    EXPECT_EQ(tx.FindSessionByTokenHash("s1")->last_seen_at, 20);
                    EXPECT_EQ(tx.EndAllSessions(account, 30), 2);
                    EXPECT_EQ(tx.EndAllSessions(account, 31), 0);
                    EXPECT_EQ(tx.FindSessionByTokenHash("s2")->ended_at, 30);
                    const auto t = tx.FindOneTimeToken("ott");
                    EXPECT_EQ(t->purpose, TokenPurpose::kInvitation);
                    EXPECT_TRUE(tx.UseOneTimeToken(token, 40));
                    EXPECT_FALSE(tx.UseOneTimeToken(token, 41));
                    EXPECT_EQ(tx.CountOneTimeTokens(account, TokenPurpose::kInvitation, 5), 1);
                    EXPECT_EQ(tx.CountOneTimeTokens(account, TokenPurpose::kInvitation, 6), 0);
                    EXPECT_EQ(tx.CountOneTimeTokens(account, TokenPurpose::kSignIn, 0), 0);
                    const auto api = tx.FindApiTokenByHash("api");
                    EXPECT_EQ(api->scopes, (std::vector<std::string>{"people:write"}));
                    EXPECT_TRUE(tx.RevokeApiToken(api->id, 50));
                    EXPECT_FALSE(tx.RevokeApiToken(api->id, 51));
                    EXPECT_EQ(tx.ListApiTokens(account).at(0).revoked_at, 50);
                    tx.RecordSignInFailure(account, "10.0.0.1", 100);
                    tx.RecordSignInFailure(account, "10.0.0.2", 200);
                    tx.RecordSignInFailure(std::nullopt, "10.0.0.1", 300);
                    const FailureStats by_account = tx.AccountFailures(account, 150);
                    EXPECT_EQ(by_account.count, 1);
                    EXPECT_EQ(by_account.last_at, 200);
                    EXPECT_EQ(tx.ClientFailures("10.0.0.1", 0).count, 2);
                    EXPECT_FALSE(tx.ClientFailures("10.9.9.9", 0).last_at.has_value());
                    EXPECT_EQ(tx.PruneSignInFailures(250), 2);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, OutboxHandsEachMailToOneWorkerOnly) {
  SKIP_WITHOUT_BACKEND();
  constexpr int kMails = 30;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    for (int i = 0; i < kMails; ++i) {
                      MailRecord m;
                      m.to_address = "p" + std::to_string(i) + "@example.com";
                      m.subject = "Hello";
                      m.text_body = "link";
                      m.html_body = "<p>link</p>";
                      m.created_at = m.next_attempt_at = 100;
                      tx.EnqueueMail(m);
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::mutex mutex;
  std::vector<RowId> delivered;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const std::string name = "worker-" + std::to_string(w);
      for (;;) {
        std::vector<MailRecord> claimed;
        const Status s = store_->Write([&](StoreTx& tx) {
          claimed = tx.ClaimMail(name, 200, 60'000, 3);
          return Status::Ok();
        });
        EXPECT_TRUE(s.ok()) << s.message();
        if (!s.ok() || claimed.empty()) break;
        for (const MailRecord& m : claimed) {
          bool sent = false;
          EXPECT_TRUE(store_
                          ->Write([&](StoreTx& tx) {
                            sent = tx.MarkMailSent(m.id, name, 300);
                            return Status::Ok();
                          })
                          .ok());
          EXPECT_TRUE(sent);
          const std::lock_guard<std::mutex> lock(mutex);
          delivered.push_back(m.id);
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  std::sort(delivered.begin(), delivered.end());
  EXPECT_EQ(delivered.size(), static_cast<size_t>(kMails));
  EXPECT_EQ(std::adjacent_find(delivered.begin(), delivered.end()), delivered.end());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_EQ(tx.CountPendingMail(), 0);
                    const auto m = tx.FindMail(delivered.at(0));
                    EXPECT_EQ(m->sent_at, 300);
                    EXPECT_EQ(m->text_body, "");  // a sent mail keeps no link
                    EXPECT_EQ(m->attempts, 1);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, FailedMailWaitsAndAnExpiredLeaseMovesOn) {
  SKIP_WITHOUT_BACKEND();
  RowId id = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    MailRecord m;
                    m.to_address = "x@example.com";
                    m.created_at = m.next_attempt_at = 100;
                    id = tx.EnqueueMail(m);
                    EXPECT_EQ(tx.ClaimMail("a", 100, 200, 10).size(), 1u);
                    EXPECT_TRUE(tx.ClaimMail("b", 150, 250, 10).empty());  // leased to a
                    EXPECT_TRUE(tx.MarkMailFailed(id, "a", "421 try later", 1000));
                    EXPECT_TRUE(tx.ClaimMail("b", 999, 2000, 10).empty());  // not due yet
                    EXPECT_EQ(tx.ClaimMail("b", 1000, 1100, 10).size(), 1u);
                    // b's lease runs out without a word from b; c takes over, b is too late.
                    EXPECT_EQ(tx.ClaimMail("c", 1200, 1300, 10).size(), 1u);
                    EXPECT_FALSE(tx.MarkMailSent(id, "b", 1250));
                    EXPECT_TRUE(tx.MarkMailSent(id, "c", 1260));
                    const auto stored = tx.FindMail(id);
                    EXPECT_EQ(stored->attempts, 2);
                    EXPECT_EQ(stored->last_error, "");
                    return Status::Ok();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace tandem::store
