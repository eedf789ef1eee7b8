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
#include "store/postgres_backend.h"
#include "store/sql_store.h"
#include "store/sqlite_backend.h"
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

  // A new, empty database of the backend under test, unmigrated, with its SQL at hand: for
  // filling a database the way older migrations left it. Replaces store_.
  SqlStore* OpenEmptySqlStore() {
    store_.reset();
    std::unique_ptr<SqlBackend> backend;
    if (GetParam() == "sqlite") {
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      auto opened = OpenSqliteBackend((dir_ / "t.db").string(), {});
      EXPECT_TRUE(opened.ok()) << opened.status().message();
      if (!opened.ok()) return nullptr;
      backend = std::move(opened).value();
    } else {
      auto database = ScratchPostgresDatabase::Create(std::getenv("TANDEM_TEST_POSTGRES_URL"));
      EXPECT_TRUE(database.ok()) << database.status().message();
      if (!database.ok()) return nullptr;
      scratch_ = std::move(database).value();
      auto opened = OpenPostgresBackend(scratch_->url(), 2);
      EXPECT_TRUE(opened.ok()) << opened.status().message();
      if (!opened.ok()) return nullptr;
      backend = std::move(opened).value();
    }
    auto sql_store = std::make_unique<SqlStore>(std::move(backend));
    SqlStore* raw = sql_store.get();
    store_ = std::move(sql_store);
    return raw;
  }

  // The URL of a second, empty database of the backend under test (dropped after the test).
  std::string SecondDatabaseUrl() {
    if (GetParam() == "sqlite") return "sqlite:" + (dir_ / "second.db").string();
    auto database = ScratchPostgresDatabase::Create(std::getenv("TANDEM_TEST_POSTGRES_URL"));
    EXPECT_TRUE(database.ok()) << database.status().message();
    if (!database.ok()) return "";
    second_ = std::move(database).value();
    return second_->url();
  }

  void TearDown() override {
    store_.reset();
    scratch_.reset();
    second_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  bool Skip() const { return store_ == nullptr && GetParam() != "sqlite"; }

  std::unique_ptr<ScratchPostgresDatabase> scratch_;  // store_'s, when OpenEmptySqlStore made it
  std::unique_ptr<ScratchPostgresDatabase> second_;
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

MatchingRunRecord NewRun(RowId programme, Millis created_at = 77) {
  MatchingRunRecord r;
  r.programme = programme;
  r.created_by = "cli";
  r.parameters = R"({"mode":"reverse"})";
  r.result = "[]";
  r.report = "{}";
  r.created_at = created_at;
  return r;
}

EnrolmentRecord Enrolment(RowId programme, RowId person, EnrolmentState state) {
  EnrolmentRecord e;
  e.programme = programme;
  e.person = person;
  e.mentor_capacity = 1;
  e.state = state;
  e.created_at = e.updated_at = 30;
  return e;
}

TandemRecord Tandem(RowId programme, RowId mentor, RowId mentee) {
  TandemRecord t;
  t.programme = programme;
  t.mentor = mentor;
  t.mentee = mentee;
  t.score = 5;
  t.created_at = t.updated_at = 40;
  return t;
}

SurveyRecord Survey(RowId programme, SurveyKind kind,
                    SurveyAudience audience = SurveyAudience::kMentees) {
  SurveyRecord v;
  v.programme = programme;
  v.kind = kind;
  v.audience = audience;
  v.definition = R"({"questions":[]})";
  v.created_at = v.updated_at = 50;
  return v;
}

SurveyResponseRecord Response(RowId survey, std::optional<RowId> person,
                              std::string answers = R"({"nps":9})") {
  SurveyResponseRecord r;
  r.survey = survey;
  r.person = person;
  r.answers = std::move(answers);
  r.created_at = r.updated_at = 70;
  return r;
}

std::vector<RowId> Ids(const std::vector<TandemRecord>& tandems) {
  std::vector<RowId> ids;
  for (const TandemRecord& t : tandems) ids.push_back(t.id);
  return ids;
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
                    run = tx.InsertMatchingRun(NewRun(programme));
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
                    // Nothing goes on with an erased person: the proposal ends, so does the
                    // enrolment.
                    EXPECT_EQ(tandems.at(0).state, TandemState::kDissolved);
                    EXPECT_EQ(tandems.at(0).ended_at, 999);
                    EXPECT_EQ(tx.FindEnrolment(programme, mentor)->state,
                              EnrolmentState::kWithdrawn);
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
  // Given a database filled at migration 1 (people, a programme, an enrolment with answers) and
  // at migration 3 (a matching run and its tandem)... The rows are written in SQL: SqlTx maps
  // the latest schema, whose columns an old database lacks.
  SqlStore* old = OpenEmptySqlStore();
  ASSERT_NE(old, nullptr);
  const Result<int> first = old->Migrate(1);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first.value(), 1);
  EXPECT_EQ(old->SchemaVersion().value(), 1);
  RowId boss = 0, person = 0, programme = 0, enrolment = 0, run = 0, tandem = 0;
  const auto insert = [](SqlSession& session, std::string_view sql,
                         const std::vector<SqlValue>& params) {
    return session.Query(std::string(sql) + " RETURNING id", params).at(0).Int(0);
  };
  Status filled = old->sql().InWriteTransaction([&](SqlSession& db) {
    boss = insert(db,
                  "INSERT INTO people (external_id, name, level, languages, created_at, "
                  "updated_at) VALUES ('OLD-BOSS', 'Boss', 5, 'de', 1, 1)",
                  {});
    person = insert(db,
                    "INSERT INTO people (external_id, name, manager_id, level, languages, "
                    "created_at, updated_at) VALUES ('OLD-1', 'One', ?, 2, 'de;en', 1, 1)",
                    {boss});
    programme = insert(db,
                       "INSERT INTO programmes (name, state, mode, created_at, updated_at) "
                       "VALUES ('Old', 'enrolling', 'open', 2, 2)",
                       {});
    db.Execute(
        "INSERT INTO programme_topics (programme_id, position, key, name_de, name_en, weight) "
        "VALUES (?, 0, 'ai', 'KI', 'AI', 2), (?, 1, 'cloud', 'Cloud', 'Cloud', 1)",
        {programme, programme});
    enrolment = insert(db,
                       "INSERT INTO enrolments (programme_id, person_id, mentee_capacity, state, "
                       "created_at, updated_at) VALUES (?, ?, 1, 'enrolled', 3, 3)",
                       {programme, person});
    db.Execute(
        "INSERT INTO answers (enrolment_id, topic_key, interest, skill, experience) "
        "VALUES (?, 'ai', 3, 1, 'Kaggle')",
        {enrolment});
    return Status::Ok();
  });
  ASSERT_TRUE(filled.ok()) << filled.message();
  const Result<int> to_three = old->Migrate(3);
  ASSERT_TRUE(to_three.ok()) << to_three.status().message();
  EXPECT_EQ(to_three.value(), 2);
  filled = old->sql().InWriteTransaction([&](SqlSession& db) {
    run = insert(db,
                 "INSERT INTO matching_runs (programme_id, created_by, parameters, result, "
                 "report, created_at) VALUES (?, 'cli', '{}', '[]', '{}', 4)",
                 {programme});
    tandem = insert(db,
                    "INSERT INTO tandems (programme_id, run_id, mentor_id, mentee_id, score, "
                    "topics, reasons, state, mentor_accepted_at, mentee_accepted_at, "
                    "created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, 7, 'ai', 'shares ai', 'active', 6, 5, 5, 5)",
                    {programme, run, boss, person});
    return Status::Ok();
  });
  ASSERT_TRUE(filled.ok()) << filled.message();

  // ...migrating to the latest keeps every row, gives the new columns their defaults (old runs
  // are done, old tandems came from a run) and makes the new tables usable.
  const Result<int> rest = store_->Migrate();
  ASSERT_TRUE(rest.ok()) << rest.status().message();
  EXPECT_EQ(rest.value(), store_->LatestSchemaVersion() - 3);
  EXPECT_EQ(store_->SchemaVersion().value(), store_->LatestSchemaVersion());
  const Status checked = store_->Write([&](StoreTx& tx) {
    const auto p = tx.FindPersonByExternalId("OLD-1");
    EXPECT_TRUE(p.has_value());
    EXPECT_EQ(p->manager, boss);
    EXPECT_EQ(p->languages, (std::vector<std::string>{"de", "en"}));
    const auto prog = tx.FindProgramme(programme);
    EXPECT_EQ(prog->topics.size(), 2u);
    EXPECT_EQ(prog->state, "enrolling");
    EXPECT_FALSE(prog->enrolment_deadline.has_value());
    EXPECT_EQ(prog->agreement_de, "");
    EXPECT_FALSE(prog->closed_at.has_value());
    EXPECT_EQ(prog->retention_months, 12);
    EXPECT_FALSE(prog->show_meeting_counts);
    EXPECT_EQ(prog->min_group_size, 5);  // migration 9
    EXPECT_FALSE(prog->partner_feedback);
    const auto e = tx.FindEnrolment(programme, person);
    EXPECT_EQ(e->state, EnrolmentState::kEnrolled);
    EXPECT_TRUE(e->languages.empty());
    EXPECT_EQ(e->availability, "");
    const auto answers = tx.ListAnswers(enrolment);
    EXPECT_EQ(answers.size(), 1u);
    EXPECT_EQ(answers.at(0).experience, "Kaggle");
    EXPECT_EQ(tx.ListProgrammeAnswers(programme).size(), 1u);
    auto r = tx.FindMatchingRun(run);
    EXPECT_EQ(r->state, RunState::kDone);
    EXPECT_EQ(r->version, 1);
    EXPECT_EQ(r->phase, 0);
    EXPECT_EQ(r->claimed_by, "");
    EXPECT_FALSE(r->claimed_until.has_value());
    EXPECT_FALSE(r->published_at.has_value());
    EXPECT_FALSE(tx.ClaimMatchingRun("w", 10, 20).has_value());  // done runs wait for nobody
    r->published_at = 9;
    r->published_by = "cli";
    EXPECT_TRUE(tx.UpdateMatchingRun(*r));
    const auto t = tx.FindTandem(tandem);
    EXPECT_EQ(t->state, TandemState::kActive);
    EXPECT_EQ(t->origin, "run");
    EXPECT_EQ(t->decline_reason, "");
    EXPECT_FALSE(t->declined_by.has_value());
    EXPECT_FALSE(t->ended_at.has_value());
    EXPECT_EQ(t->activated_at, 6);  // migration 7: the later acceptance
    EXPECT_FALSE(t->mentor_completed_at.has_value());
    EXPECT_EQ(t->dissolve_reason, "");
    EXPECT_FALSE(t->dissolved_by.has_value());
    EXPECT_EQ(t->version, 1);
    tx.PutPairRule({programme, boss, person, PairRuleKind::kPin, "cli", 11});
    EXPECT_EQ(tx.ListPairRules(programme).size(), 1u);
    tx.InsertAgreementAcceptance({tandem, boss, "Vertraulich.", 12});
    EXPECT_EQ(tx.ListAgreementAcceptances(tandem).size(), 1u);
    tx.InsertWorkspace({tandem, "wrapped", "id", std::nullopt, 1, 1, 12});
    EXPECT_EQ(tx.FindWorkspace(tandem)->roadmap_version, 1);
    tx.AppendAudit({0, 1, "cli", "store.migrate", "store", std::nullopt, ""});
    EXPECT_EQ(tx.Counts().audit_entries, 1);
    // New rows get ids after the old ones.
    EXPECT_GT(tx.InsertMatchingRun(NewRun(programme)), run);
    return Status::Ok();
  });
  EXPECT_TRUE(checked.ok()) << checked.message();
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

TEST_P(StoreConformance, LifecycleFieldsRoundTrip) {
  SKIP_WITHOUT_BACKEND();
  const RowId mentor = InsertOrDie(*store_, Person("LF-M", 1));
  const RowId mentee = InsertOrDie(*store_, Person("LF-E", 4));
  RowId programme = 0, run = 0, tandem = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    ProgrammeRecord p = Programme();
                    p.enrolment_deadline = 1'700'000'000'000;
                    p.agreement_de = "Vertraulich.";
                    p.agreement_en = "Confidential.";
                    programme = tx.InsertProgramme(p);
                    EnrolmentRecord e = Enrolment(programme, mentor, EnrolmentState::kEnrolled);
                    e.languages = {"en", "de"};
                    e.availability = "Tuesdays; remote";
                    tx.InsertEnrolment(e);
                    MatchingRunRecord r = NewRun(programme);
                    r.state = RunState::kQueued;
                    r.phase = 2;
                    r.progress_done = 5'000'000'000;
                    r.progress_total = 6'000'000'000;
                    r.error = "none";
                    r.claimed_by = "w1";
                    r.claimed_until = 100;
                    r.started_at = 90;
                    r.finished_at = 95;
                    r.published_at = 99;
                    r.published_by = "account:3";
                    run = tx.InsertMatchingRun(r);
                    TandemRecord t = Tandem(programme, mentor, mentee);
                    t.run = run;
                    t.origin = "request";
                    t.state = TandemState::kDeclined;
                    t.decline_reason = "no time";
                    t.declined_by = mentee;
                    t.ended_at = 50;
                    tandem = tx.InsertTandem(t);
                    return Status::Ok();
                  })
                  .ok());
  ProgrammeRecord p;
  EnrolmentRecord e;
  MatchingRunRecord r;
  TandemRecord t;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    p = *tx.FindProgramme(programme);
                    e = *tx.FindEnrolment(programme, mentor);
                    r = *tx.FindMatchingRun(run);
                    t = *tx.FindTandem(tandem);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(p.enrolment_deadline, 1'700'000'000'000);
  EXPECT_EQ(p.agreement_de, "Vertraulich.");
  EXPECT_EQ(p.agreement_en, "Confidential.");
  EXPECT_FALSE(p.closed_at.has_value());
  EXPECT_EQ(e.languages, (std::vector<std::string>{"en", "de"}));
  EXPECT_EQ(e.availability, "Tuesdays; remote");
  EXPECT_EQ(r.state, RunState::kQueued);
  EXPECT_EQ(r.phase, 2);
  EXPECT_EQ(r.progress_done, 5'000'000'000);
  EXPECT_EQ(r.progress_total, 6'000'000'000);
  EXPECT_EQ(r.error, "none");
  EXPECT_EQ(r.claimed_by, "w1");
  EXPECT_EQ(r.claimed_until, 100);
  EXPECT_EQ(r.started_at, 90);
  EXPECT_EQ(r.finished_at, 95);
  EXPECT_EQ(r.published_at, 99);
  EXPECT_EQ(r.published_by, "account:3");
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(t.origin, "request");
  EXPECT_EQ(t.state, TandemState::kDeclined);
  EXPECT_EQ(t.decline_reason, "no time");
  EXPECT_EQ(t.declined_by, mentee);
  EXPECT_EQ(t.ended_at, 50);

  // Updates carry the new fields too.
  p.enrolment_deadline.reset();
  p.agreement_en = "Strictly confidential.";
  p.closed_at = 500;
  e.languages = {"de"};
  e.availability = "";
  r.state = RunState::kFailed;
  r.error = "solver gave up";
  r.claimed_until.reset();
  r.published_at.reset();
  r.published_by = "";
  t.decline_reason = "";
  t.declined_by.reset();
  t.ended_at = 60;
  t.state = TandemState::kDissolved;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateProgramme(p));
                    EXPECT_TRUE(tx.UpdateEnrolment(e));
                    EXPECT_TRUE(tx.UpdateMatchingRun(r));
                    EXPECT_TRUE(tx.UpdateTandem(t));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto p2 = tx.FindProgramme(programme);
                    EXPECT_FALSE(p2->enrolment_deadline.has_value());
                    EXPECT_EQ(p2->agreement_en, "Strictly confidential.");
                    EXPECT_EQ(p2->closed_at, 500);
                    const auto e2 = tx.ListEnrolments(programme, 0, 10).at(0);
                    EXPECT_EQ(e2.languages, (std::vector<std::string>{"de"}));
                    EXPECT_EQ(e2.availability, "");
                    EXPECT_EQ(e2.version, 2);
                    const auto r2 = tx.ListMatchingRuns(programme, 0, 10).at(0);
                    EXPECT_EQ(r2.state, RunState::kFailed);
                    EXPECT_EQ(r2.error, "solver gave up");
                    EXPECT_FALSE(r2.claimed_until.has_value());
                    EXPECT_FALSE(r2.published_at.has_value());
                    EXPECT_EQ(r2.started_at, 90);
                    EXPECT_EQ(r2.version, 2);
                    const auto t2 = tx.FindTandem(tandem);
                    EXPECT_EQ(t2->state, TandemState::kDissolved);
                    EXPECT_EQ(t2->origin, "request");
                    EXPECT_FALSE(t2->declined_by.has_value());
                    EXPECT_EQ(t2->ended_at, 60);
                    EXPECT_EQ(t2->version, 2);
                    return Status::Ok();
                  })
                  .ok());
  // The schema refuses an unknown tandem origin.
  EXPECT_FALSE(store_
                   ->Write([&](StoreTx& tx) {
                     TandemRecord bad = Tandem(programme, mentor, mentee);
                     bad.origin = "magic";
                     tx.InsertTandem(bad);
                     return Status::Ok();
                   })
                   .ok());
}

TEST_P(StoreConformance, OnlyAnInvitationCanBeDeleted) {
  SKIP_WITHOUT_BACKEND();
  const RowId invited = InsertOrDie(*store_, Person("DEL-I"));
  const RowId enrolled = InsertOrDie(*store_, Person("DEL-E"));
  RowId programme = 0, invitation = 0, enrolment = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    invitation =
                        tx.InsertEnrolment(Enrolment(programme, invited, EnrolmentState::kInvited));
                    tx.ReplaceAnswers(invitation, {{"ai", 1, 1, "draft"}});
                    enrolment = tx.InsertEnrolment(
                        Enrolment(programme, enrolled, EnrolmentState::kEnrolled));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_FALSE(tx.DeleteEnrolment(enrolment));
                    EXPECT_TRUE(tx.DeleteEnrolment(invitation));
                    EXPECT_FALSE(tx.DeleteEnrolment(invitation));
                    EXPECT_FALSE(tx.DeleteEnrolment(invitation + enrolment + 100));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_FALSE(tx.FindEnrolment(programme, invited).has_value());
                    EXPECT_TRUE(tx.FindEnrolment(programme, enrolled).has_value());
                    EXPECT_TRUE(tx.ListAnswers(invitation).empty());
                    EXPECT_EQ(tx.Counts().answers, 0);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ProgrammeAnswersAreThoseOfTheEnrolled) {
  SKIP_WITHOUT_BACKEND();
  RowId programme = 0, other = 0, a = 0, b = 0;
  ASSERT_TRUE(
      store_
          ->Write([&](StoreTx& tx) {
            programme = tx.InsertProgramme(Programme());
            other = tx.InsertProgramme(Programme());
            std::vector<RowId> people;
            for (int i = 0; i < 5; ++i) {
              people.push_back(tx.InsertPerson(Person("PA-" + std::to_string(i))));
            }
            // Enrolled later gets the smaller id: the order is by enrolment id, not person.
            b = tx.InsertEnrolment(Enrolment(programme, people[1], EnrolmentState::kEnrolled));
            a = tx.InsertEnrolment(Enrolment(programme, people[0], EnrolmentState::kEnrolled));
            const RowId invited =
                tx.InsertEnrolment(Enrolment(programme, people[2], EnrolmentState::kInvited));
            const RowId withdrawn =
                tx.InsertEnrolment(Enrolment(programme, people[3], EnrolmentState::kWithdrawn));
            const RowId elsewhere =
                tx.InsertEnrolment(Enrolment(other, people[4], EnrolmentState::kEnrolled));
            tx.ReplaceAnswers(a, {{"cloud", 1, 2, "a-cloud"}, {"ai", 3, 0, "a-ai"}});
            tx.ReplaceAnswers(b, {{"ai", 2, 2, "b-ai"}});
            tx.ReplaceAnswers(invited, {{"ai", 1, 1, "x"}});
            tx.ReplaceAnswers(withdrawn, {{"ai", 1, 1, "x"}});
            tx.ReplaceAnswers(elsewhere, {{"ai", 1, 1, "x"}});
            return Status::Ok();
          })
          .ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto answers = tx.ListProgrammeAnswers(programme);
                    EXPECT_EQ(answers.size(), 3u);
                    if (answers.size() != 3u) return Status::Ok();
                    EXPECT_EQ(answers[0].first, b);
                    EXPECT_EQ(answers[0].second.experience, "b-ai");
                    EXPECT_EQ(answers[1].first, a);
                    EXPECT_EQ(answers[1].second.topic, "ai");
                    EXPECT_EQ(answers[1].second.interest, 3);
                    EXPECT_EQ(answers[2].first, a);
                    EXPECT_EQ(answers[2].second.topic, "cloud");
                    EXPECT_EQ(answers[2].second.skill, 2);
                    EXPECT_TRUE(tx.ListProgrammeAnswers(programme + other + 100).empty());
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, MatchingRunLeaseHandsARunToOneWorkerAtATime) {
  SKIP_WITHOUT_BACKEND();
  RowId programme = 0, first = 0, second = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    tx.InsertMatchingRun(NewRun(programme));  // done: nothing to compute
                    MatchingRunRecord queued = NewRun(programme);
                    queued.state = RunState::kQueued;
                    first = tx.InsertMatchingRun(queued);
                    second = tx.InsertMatchingRun(queued);
                    return Status::Ok();
                  })
                  .ok());
  const auto claim = [&](std::string_view worker, Millis now, Millis lease_until) {
    std::optional<MatchingRunRecord> run;
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      run = tx.ClaimMatchingRun(worker, now, lease_until);
                      return Status::Ok();
                    })
                    .ok());
    return run;
  };
  const auto report = [&](RowId run, std::string_view worker, Millis lease_until, int phase) {
    bool ok = false;
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      ok = tx.ReportRunProgress(run, worker, lease_until, phase, 10, 20);
                      return Status::Ok();
                    })
                    .ok());
    return ok;
  };

  // The oldest queued run goes to a, the next to b; then nothing is left while leases hold.
  const auto a = claim("a", 100, 200);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->id, first);
  EXPECT_EQ(a->state, RunState::kRunning);
  EXPECT_EQ(a->claimed_by, "a");
  EXPECT_EQ(a->claimed_until, 200);
  EXPECT_EQ(a->started_at, 100);
  EXPECT_EQ(a->version, 2);
  const auto b = claim("b", 110, 210);
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->id, second);
  EXPECT_FALSE(claim("c", 150, 250).has_value());

  // Progress extends the lease without a new version; only the holder may report.
  EXPECT_FALSE(report(first, "b", 400, 1));
  EXPECT_TRUE(report(first, "a", 300, 1));
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto run = tx.FindMatchingRun(first);
                    EXPECT_EQ(run->phase, 1);
                    EXPECT_EQ(run->progress_done, 10);
                    EXPECT_EQ(run->progress_total, 20);
                    EXPECT_EQ(run->claimed_until, 300);
                    EXPECT_EQ(run->claimed_by, "a");
                    EXPECT_EQ(run->version, 2);
                    return Status::Ok();
                  })
                  .ok());
  // b's lease (210) has run out, a's (300) holds: c takes over b's run and keeps its start.
  const auto c = claim("c", 250, 350);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->id, second);
  EXPECT_EQ(c->claimed_by, "c");
  EXPECT_EQ(c->started_at, 110);
  EXPECT_EQ(c->version, 3);
  EXPECT_FALSE(report(second, "b", 500, 2));  // b is too late
  EXPECT_FALSE(claim("d", 300, 400).has_value());

  // A finished run is no longer running: its worker's reports are refused, nobody claims it.
  MatchingRunRecord done = *c;
  done.state = RunState::kDone;
  done.finished_at = 320;
  done.claimed_until.reset();
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateMatchingRun(done));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(report(second, "c", 500, 3));
  const auto d = claim("d", 301, 400);  // a's lease ran out at 300
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->id, first);
  EXPECT_FALSE(claim("e", 350, 450).has_value());  // d's lease holds, the other run is done
}

TEST_P(StoreConformance, ConcurrentWorkersClaimEachRunOnce) {
  SKIP_WITHOUT_BACKEND();
  constexpr int kRuns = 24;
  RowId programme = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    for (int i = 0; i < kRuns; ++i) {
                      MatchingRunRecord r = NewRun(programme, i);
                      r.state = RunState::kQueued;
                      tx.InsertMatchingRun(r);
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::mutex mutex;
  std::vector<RowId> computed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      const std::string name = "worker-" + std::to_string(w);
      for (;;) {
        std::optional<MatchingRunRecord> run;
        const Status s = store_->Write([&](StoreTx& tx) {
          run = tx.ClaimMatchingRun(name, 1000, 60'000);
          return Status::Ok();
        });
        EXPECT_TRUE(s.ok()) << s.message();
        if (!s.ok() || !run) break;
        bool finished = false;
        EXPECT_TRUE(store_
                        ->Write([&](StoreTx& tx) {
                          EXPECT_TRUE(tx.ReportRunProgress(run->id, name, 60'000, 3, 1, 1));
                          MatchingRunRecord done = *tx.FindMatchingRun(run->id);
                          done.state = RunState::kDone;
                          done.finished_at = 2000;
                          finished = tx.UpdateMatchingRun(done);
                          return Status::Ok();
                        })
                        .ok());
        EXPECT_TRUE(finished);
        const std::lock_guard<std::mutex> lock(mutex);
        computed.push_back(run->id);
      }
    });
  }
  for (auto& t : workers) t.join();
  std::sort(computed.begin(), computed.end());
  EXPECT_EQ(computed.size(), static_cast<size_t>(kRuns));
  EXPECT_EQ(std::adjacent_find(computed.begin(), computed.end()), computed.end());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    for (const auto& r : tx.ListMatchingRuns(programme, 0, 100)) {
                      EXPECT_EQ(r.state, RunState::kDone);
                      EXPECT_EQ(r.version, 3);  // claimed once, finished once
                    }
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, StaleMatchingRunVersionIsRefused) {
  SKIP_WITHOUT_BACKEND();
  MatchingRunRecord run;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    const RowId programme = tx.InsertProgramme(Programme());
                    run = *tx.FindMatchingRun(tx.InsertMatchingRun(NewRun(programme)));
                    return Status::Ok();
                  })
                  .ok());
  MatchingRunRecord first = run, second = run;
  first.published_at = 10;
  first.published_by = "account:1";
  second.published_at = 11;
  second.published_by = "account:2";
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateMatchingRun(first));
                    EXPECT_FALSE(tx.UpdateMatchingRun(second));
                    const auto stored = tx.FindMatchingRun(run.id);
                    EXPECT_EQ(stored->published_by, "account:1");
                    EXPECT_EQ(stored->version, 2);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, TandemsOfAPersonAndOfTheEnrolled) {
  SKIP_WITHOUT_BACKEND();
  // Given people enrolled (0, 1), invited (2) and withdrawn (3) in one programme, and 4 and 5
  // not in it, with tandems in that programme and another one...
  std::vector<RowId> p;
  RowId programme = 0, other = 0;
  std::vector<RowId> t;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    other = tx.InsertProgramme(Programme());
                    for (int i = 0; i < 6; ++i)
                      p.push_back(tx.InsertPerson(Person("TP-" + std::to_string(i))));
                    tx.InsertEnrolment(Enrolment(programme, p[0], EnrolmentState::kEnrolled));
                    tx.InsertEnrolment(Enrolment(programme, p[1], EnrolmentState::kEnrolled));
                    tx.InsertEnrolment(Enrolment(programme, p[2], EnrolmentState::kInvited));
                    tx.InsertEnrolment(Enrolment(programme, p[3], EnrolmentState::kWithdrawn));
                    tx.InsertEnrolment(Enrolment(other, p[4], EnrolmentState::kEnrolled));
                    t.push_back(tx.InsertTandem(Tandem(other, p[4], p[0])));      // 0 as mentee
                    t.push_back(tx.InsertTandem(Tandem(programme, p[0], p[1])));  // both enrolled
                    t.push_back(tx.InsertTandem(Tandem(other, p[2], p[3])));  // neither enrolled
                    TandemRecord declined = Tandem(other, p[1], p[5]);
                    declined.state = TandemState::kDeclined;
                    t.push_back(tx.InsertTandem(declined));                   // 1 as mentor
                    t.push_back(tx.InsertTandem(Tandem(other, p[4], p[5])));  // outsiders
                    return Status::Ok();
                  })
                  .ok());
  // ...the pair history covers every tandem of 0 and 1, each once, in any programme and state.
  ASSERT_TRUE(
      store_
          ->Read([&](StoreTx& tx) {
            EXPECT_EQ(Ids(tx.ListTandemsOfPerson(p[0])), (std::vector<RowId>{t[0], t[1]}));
            EXPECT_EQ(Ids(tx.ListTandemsOfPerson(p[5])), (std::vector<RowId>{t[3], t[4]}));
            EXPECT_TRUE(tx.ListTandemsOfPerson(p[5] + 100).empty());
            EXPECT_EQ(Ids(tx.ListTandemsOfEnrolled(programme)),
                      (std::vector<RowId>{t[0], t[1], t[3]}));
            EXPECT_EQ(Ids(tx.ListTandemsOfEnrolled(other)), (std::vector<RowId>{t[0], t[4]}));
            return Status::Ok();
          })
          .ok());
}

TEST_P(StoreConformance, PairRulesArePutReplacedDeletedAndListedInOrder) {
  SKIP_WITHOUT_BACKEND();
  std::vector<RowId> p;
  RowId programme = 0, other = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    other = tx.InsertProgramme(Programme());
                    for (int i = 0; i < 3; ++i)
                      p.push_back(tx.InsertPerson(Person("PR-" + std::to_string(i))));
                    tx.PutPairRule({programme, p[2], p[0], PairRuleKind::kForbid, "account:1", 10});
                    tx.PutPairRule({programme, p[0], p[2], PairRuleKind::kPin, "account:1", 11});
                    tx.PutPairRule({programme, p[0], p[1], PairRuleKind::kForbid, "account:1", 12});
                    tx.PutPairRule({other, p[0], p[1], PairRuleKind::kPin, "account:2", 13});
                    // The same pair again: the rule is replaced, not added.
                    tx.PutPairRule({programme, p[2], p[0], PairRuleKind::kPin, "account:3", 14});
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    const auto rules = tx.ListPairRules(programme);
                    EXPECT_EQ(rules.size(), 3u);
                    if (rules.size() != 3u) return Status::Ok();
                    EXPECT_EQ(rules[0].mentor, p[0]);
                    EXPECT_EQ(rules[0].mentee, p[1]);
                    EXPECT_EQ(rules[0].kind, PairRuleKind::kForbid);
                    EXPECT_EQ(rules[1].mentor, p[0]);
                    EXPECT_EQ(rules[1].mentee, p[2]);
                    EXPECT_EQ(rules[1].kind, PairRuleKind::kPin);
                    EXPECT_EQ(rules[2].mentor, p[2]);
                    EXPECT_EQ(rules[2].mentee, p[0]);
                    EXPECT_EQ(rules[2].kind, PairRuleKind::kPin);
                    EXPECT_EQ(rules[2].created_by, "account:3");
                    EXPECT_EQ(rules[2].created_at, 14);
                    EXPECT_EQ(rules[2].programme, programme);
                    EXPECT_TRUE(tx.DeletePairRule(programme, p[0], p[1]));
                    EXPECT_FALSE(tx.DeletePairRule(programme, p[0], p[1]));
                    EXPECT_FALSE(tx.DeletePairRule(programme, p[1], p[0]));
                    EXPECT_EQ(tx.ListPairRules(programme).size(), 2u);
                    EXPECT_EQ(tx.ListPairRules(other).size(), 1u);
                    return Status::Ok();
                  })
                  .ok());
  // A person cannot be paired with themselves.
  EXPECT_EQ(store_
                ->Write([&](StoreTx& tx) {
                  tx.PutPairRule({programme, p[1], p[1], PairRuleKind::kForbid, "", 15});
                  return Status::Ok();
                })
                .code(),
            StatusCode::kConflict);
}

TEST_P(StoreConformance, ErasureClearsEnrolmentDetailsAndDeclineReasons) {
  SKIP_WITHOUT_BACKEND();
  const RowId gone = InsertOrDie(*store_, Person("ER-GONE"));
  const RowId stay = InsertOrDie(*store_, Person("ER-STAY"));
  const RowId third = InsertOrDie(*store_, Person("ER-THIRD"));
  RowId programme = 0, declined_by_gone = 0, declined_by_partner = 0, unrelated = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    programme = tx.InsertProgramme(Programme());
                    for (const RowId person : {gone, stay}) {
                      EnrolmentRecord e = Enrolment(programme, person, EnrolmentState::kEnrolled);
                      e.languages = {"de"};
                      e.availability = "mornings";
                      tx.InsertEnrolment(e);
                    }
                    TandemRecord t = Tandem(programme, gone, stay);
                    t.state = TandemState::kDeclined;
                    t.decline_reason = "ER-GONE has no time";
                    t.declined_by = gone;
                    declined_by_gone = tx.InsertTandem(t);
                    t = Tandem(programme, stay, gone);
                    t.state = TandemState::kDeclined;
                    t.decline_reason = "about ER-GONE";
                    t.declined_by = stay;
                    declined_by_partner = tx.InsertTandem(t);
                    t = Tandem(programme, stay, third);
                    t.state = TandemState::kDeclined;
                    t.decline_reason = "ER-STAY's own reason";
                    t.declined_by = stay;
                    unrelated = tx.InsertTandem(t);
                    EXPECT_TRUE(tx.ErasePerson(gone, 999));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto e = tx.FindEnrolment(programme, gone);
                    EXPECT_TRUE(e->languages.empty());
                    EXPECT_EQ(e->availability, "");
                    EXPECT_EQ(e->state,
                              EnrolmentState::kWithdrawn);  // erased people take part no more
                    EXPECT_EQ(tx.FindEnrolment(programme, stay)->availability, "mornings");
                    const auto t = tx.FindTandem(declined_by_gone);
                    EXPECT_EQ(t->decline_reason, "");
                    EXPECT_EQ(t->declined_by, gone);  // an anonymous row id stays
                    EXPECT_EQ(t->state, TandemState::kDeclined);
                    EXPECT_EQ(tx.FindTandem(declined_by_partner)->decline_reason, "");
                    EXPECT_EQ(tx.FindTandem(unrelated)->decline_reason, "ER-STAY's own reason");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, WorkspaceRowsRoundTripAndErasureShredsThem) {
  SKIP_WITHOUT_BACKEND();
  // Given an active tandem with a workspace, roadmap items, notes, a meeting and an ask...
  RowId mentor = 0, mentee = 0, programme = 0, tandem = 0, item = 0, note = 0, meeting = 0;
  ASSERT_TRUE(
      store_
          ->Write([&](StoreTx& tx) {
            mentor = tx.InsertPerson(Person("WS-M", 1));
            mentee = tx.InsertPerson(Person("WS-E", 4));
            ProgrammeRecord p = Programme();
            p.retention_months = 3;
            programme = tx.InsertProgramme(p);
            TandemRecord t = Tandem(programme, mentor, mentee);
            t.state = TandemState::kActive;
            tandem = tx.InsertTandem(t);
            tx.InsertAgreementAcceptance({tandem, mentee, "Text E", 20});
            tx.InsertAgreementAcceptance({tandem, mentor, "Text M", 10});
            tx.InsertWorkspace({tandem, "wrapped", "kid", std::nullopt, 1, 1, 21});
            for (int i = 2; i >= 1; --i) {
              RoadmapItemRecord r;
              r.tandem = tandem;
              r.position = i;
              r.topic = i == 1 ? "ai" : "";
              r.ciphertext = "c" + std::to_string(i);
              r.nonce = "n";
              r.created_at = r.updated_at = 22;
              item = tx.InsertRoadmapItem(r);
            }
            NoteRecord n;
            n.tandem = tandem;
            n.author = mentor;
            n.ciphertext = "note";
            n.nonce = "nn";
            note = tx.InsertNote(n);
            MeetingRecord m;
            m.tandem = tandem;
            m.starts_at = 1000;
            m.proposed_by = mentee;
            m.ciphertext = "where";
            m.nonce = "n";
            meeting = tx.InsertMeeting(m);
            tx.InsertLeadershipAsk({0, programme, std::nullopt, {"ai", "cloud"}, "Budget", 30});
            tx.InsertLeadershipAsk({0, programme, mentee, {}, "Time", 31});
            return Status::Ok();
          })
          .ok());
  // ...every row reads back as written, in order, and version checks refuse stale writes...
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_EQ(tx.FindProgramme(programme)->retention_months, 3);
                    const auto accepted = tx.ListAgreementAcceptances(tandem);
                    EXPECT_EQ(accepted.size(), 2u);
                    if (accepted.size() == 2) {
                      EXPECT_EQ(accepted[0].person, mentor);
                      EXPECT_EQ(accepted[0].text, "Text M");
                      EXPECT_EQ(accepted[1].accepted_at, 20);
                    }
                    WorkspaceRecord w = *tx.FindWorkspace(tandem);
                    EXPECT_EQ(w.master_key_id, "kid");
                    EXPECT_EQ(tx.ListKeyedWorkspaces().size(), 1u);
                    w.roadmap_version = 2;
                    EXPECT_TRUE(tx.UpdateWorkspace(w));
                    EXPECT_FALSE(tx.UpdateWorkspace(w)) << "stale version";
                    auto items = tx.ListRoadmapItems(tandem);
                    EXPECT_EQ(items.size(), 2u);
                    EXPECT_EQ(items.at(0).ciphertext, "c1");
                    EXPECT_EQ(items.at(0).topic, "ai");
                    items[0].covered_at = 99;
                    EXPECT_TRUE(tx.UpdateRoadmapItem(items[0]));
                    EXPECT_FALSE(tx.UpdateRoadmapItem(items[0]));
                    EXPECT_EQ(tx.ListRoadmapItems(tandem).at(0).covered_at, 99);
                    EXPECT_EQ(tx.FindRoadmapItem(item)->position, 1);
                    EXPECT_FALSE(tx.FindRoadmapItem(item + 100).has_value());
                    EXPECT_TRUE(tx.DeleteRoadmapItem(item));
                    EXPECT_FALSE(tx.FindRoadmapItem(item).has_value());
                    EXPECT_EQ(tx.ListRoadmapItems(tandem).size(), 1u);
                    NoteRecord n = tx.ListNotes(tandem).at(0);
                    EXPECT_EQ(n.id, note);
                    EXPECT_FALSE(n.is_private);
                    n.ciphertext = "changed";
                    EXPECT_TRUE(tx.UpdateNote(n));
                    EXPECT_FALSE(tx.UpdateNote(n));
                    EXPECT_EQ(tx.FindNote(note)->ciphertext, "changed");
                    EXPECT_EQ(tx.FindNote(note)->version, 2);
                    MeetingRecord m = tx.ListMeetings(tandem).at(0);
                    EXPECT_EQ(m.id, meeting);
                    EXPECT_EQ(m.duration_minutes, 60);
                    EXPECT_EQ(m.time_zone, "Europe/Berlin");
                    m.state = MeetingState::kHeld;
                    EXPECT_TRUE(tx.UpdateMeeting(m));
                    EXPECT_FALSE(tx.UpdateMeeting(m));
                    EXPECT_EQ(tx.ListMeetings(tandem).at(0).state, MeetingState::kHeld);
                    EXPECT_EQ(tx.FindMeeting(meeting)->proposed_by, mentee);
                    EXPECT_FALSE(tx.FindMeeting(meeting + 1).has_value());
                    const auto asks = tx.ListLeadershipAsks(programme);
                    EXPECT_EQ(asks.size(), 2u);
                    EXPECT_FALSE(asks.at(0).author.has_value());
                    EXPECT_EQ(asks.at(0).topics, (std::vector<std::string>{"ai", "cloud"}));
                    EXPECT_EQ(asks.at(1).author, mentee);
                    tx.PutCalendarFeed(mentee, "hash-1", 40);
                    tx.PutCalendarFeed(mentee, "hash-2", 41);  // replaces the first
                    EXPECT_FALSE(tx.FindCalendarFeedPerson("hash-1").has_value());
                    EXPECT_EQ(tx.FindCalendarFeedPerson("hash-2"), mentee);
                    tx.PutCalendarFeed(mentor, "hash-3", 42);
                    EXPECT_TRUE(tx.DeleteCalendarFeed(mentor));
                    EXPECT_FALSE(tx.DeleteCalendarFeed(mentor));
                    return Status::Ok();
                  })
                  .ok());
  // ...erasing the mentee deletes their private notes, unnames their ask and keeps the rest for
  // the mentor...
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    NoteRecord own;
                    own.tandem = tandem;
                    own.author = mentee;
                    own.is_private = true;
                    own.ciphertext = "private";
                    own.nonce = "np";
                    const RowId private_note = tx.InsertNote(own);
                    own.author = mentor;
                    const RowId mentors_private = tx.InsertNote(own);
                    EXPECT_TRUE(tx.ErasePerson(mentee, 500));
                    EXPECT_FALSE(tx.FindWorkspace(tandem)->key_erased_at.has_value());
                    EXPECT_FALSE(tx.FindNote(private_note).has_value());
                    EXPECT_TRUE(tx.FindNote(mentors_private).has_value());
                    EXPECT_TRUE(tx.FindNote(note).has_value());
                    EXPECT_FALSE(tx.ListRoadmapItems(tandem).empty());
                    EXPECT_FALSE(tx.ListMeetings(tandem).empty());
                    return Status::Ok();
                  })
                  .ok());
  // ...and erasing the mentor, the last member, blanks the key and drops the content.
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.ErasePerson(mentor, 500));
                    const auto w = tx.FindWorkspace(tandem);
                    EXPECT_EQ(w->wrapped_key, "");
                    EXPECT_EQ(w->key_erased_at, 500);
                    EXPECT_TRUE(tx.ListKeyedWorkspaces().empty());
                    EXPECT_TRUE(tx.ListRoadmapItems(tandem).empty());
                    EXPECT_TRUE(tx.ListNotes(tandem).empty());
                    EXPECT_TRUE(tx.ListMeetings(tandem).empty());
                    EXPECT_FALSE(tx.ListLeadershipAsks(programme).at(1).author.has_value());
                    EXPECT_FALSE(tx.FindCalendarFeedPerson("hash-2").has_value());
                    EXPECT_FALSE(tx.EraseWorkspace(tandem, 600)) << "erased once";
                    return Status::Ok();
                  })
                  .ok());
  // A second acceptance by the same person is refused by the database.
  const Status twice = store_->Write([&](StoreTx& tx) {
    tx.InsertAgreementAcceptance({tandem, mentor, "again", 40});
    return Status::Ok();
  });
  EXPECT_EQ(twice.code(), StatusCode::kConflict) << twice.message();
}

TEST_P(StoreConformance, RoleOffersAreVersionedListedCopiedAndErased) {
  SKIP_WITHOUT_BACKEND();
  // Given three people, two of whom offer topics for the next cohort...
  RowId a = 0, b = 0, c = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    a = tx.InsertPerson(Person("RO-A", 1));
                    b = tx.InsertPerson(Person("RO-B", 2));
                    c = tx.InsertPerson(Person("RO-C", 3));
                    EXPECT_FALSE(tx.FindRoleOffer(a).has_value());
                    EXPECT_FALSE(tx.PutRoleOffer({a, {"ai"}, {}, 2, 9})) << "none stored";
                    EXPECT_TRUE(tx.PutRoleOffer({a, {"ai", "cloud"}, {}, 1, 10}));
                    EXPECT_FALSE(tx.PutRoleOffer({a, {"ai"}, {}, 1, 11})) << "stale version";
                    EXPECT_TRUE(tx.PutRoleOffer({b, {}, {"ai"}, 1, 12}));
                    EXPECT_TRUE(tx.PutRoleOffer({c, {}, {}, 1, 13}));
                    return Status::Ok();
                  })
                  .ok());
  // ...each offer reads back as written, stale versions are refused, the offerers are listed
  // by role...
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    auto offer = tx.FindRoleOffer(a);
                    EXPECT_TRUE(offer.has_value());
                    if (!offer) return Status::Ok();
                    EXPECT_EQ(offer->mentor_topics, (std::vector<std::string>{"ai", "cloud"}));
                    EXPECT_TRUE(offer->mentee_topics.empty());
                    EXPECT_EQ(offer->version, 2);
                    EXPECT_EQ(offer->updated_at, 10);
                    offer->mentee_topics = {"data"};
                    offer->updated_at = 20;
                    EXPECT_TRUE(tx.PutRoleOffer(*offer));
                    EXPECT_FALSE(tx.PutRoleOffer(*offer)) << "stale version";
                    EXPECT_EQ(tx.FindRoleOffer(a)->version, 3);
                    EXPECT_EQ(tx.FindRoleOffer(a)->mentee_topics,
                              (std::vector<std::string>{"data"}));
                    EXPECT_EQ(tx.ListRoleOfferers(true), (std::vector<RowId>{a}));
                    EXPECT_EQ(tx.ListRoleOfferers(false), (std::vector<RowId>{a, b}));
                    // Any version stores over the current one, even from a stale read.
                    RoleOfferRecord any = *offer;
                    any.version = kAnyRoleOfferVersion;
                    any.mentor_topics = {"ai"};
                    EXPECT_TRUE(tx.PutRoleOffer(any));
                    EXPECT_EQ(tx.FindRoleOffer(a)->version, 4);
                    EXPECT_EQ(tx.FindRoleOffer(a)->mentor_topics, (std::vector<std::string>{"ai"}));
                    return Status::Ok();
                  })
                  .ok());
  // ...erasing a person deletes their offer...
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.ErasePerson(a, 30));
                    EXPECT_FALSE(tx.FindRoleOffer(a).has_value());
                    EXPECT_TRUE(tx.FindRoleOffer(b).has_value());
                    EXPECT_EQ(tx.ListRoleOfferers(false), (std::vector<RowId>{b}));
                    return Status::Ok();
                  })
                  .ok());
  // ...and a copy of the database (from SQLite) carries the others.
  if (GetParam() != "sqlite") return;
  const std::string target_url = SecondDatabaseUrl();
  store_.reset();
  ASSERT_TRUE(CopyStore("sqlite:" + (dir_ / "t.db").string(), target_url).ok());
  auto target = OpenStore(target_url);
  ASSERT_TRUE(target.ok()) << target.status().message();
  ASSERT_TRUE(target.value()
                  ->Read([&](StoreTx& tx) {
                    const auto offer = tx.FindRoleOffer(b);
                    EXPECT_TRUE(offer.has_value());
                    if (offer) {
                      EXPECT_EQ(offer->mentee_topics, (std::vector<std::string>{"ai"}));
                    }
                    EXPECT_FALSE(tx.FindRoleOffer(a).has_value());
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, CopyCarriesEveryTableAndColumn) {
  SKIP_WITHOUT_BACKEND();
  // Given a SQLite database using the lifecycle columns and pair rules...
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("tandem-copy-" + std::to_string(::getpid()) + "-" + GetParam());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string source_url = "sqlite:" + (dir / "source.db").string();
  RowId mentor = 0, mentee = 0, programme = 0, run = 0, tandem = 0, survey = 0;
  {
    auto source = OpenStore(source_url);
    ASSERT_TRUE(source.ok()) << source.status().message();
    ASSERT_TRUE(source.value()
                    ->Write([&](StoreTx& tx) {
                      mentor = tx.InsertPerson(Person("CP-M", 1));
                      mentee = tx.InsertPerson(Person("CP-E", 4));
                      ProgrammeRecord p = Programme();
                      p.agreement_de = "Vertraulich.";
                      p.enrolment_deadline = 123;
                      p.min_group_size = 7;
                      p.partner_feedback = true;
                      programme = tx.InsertProgramme(p);
                      EnrolmentRecord e = Enrolment(programme, mentor, EnrolmentState::kEnrolled);
                      e.languages = {"de", "en"};
                      e.availability = "Fridays";
                      tx.InsertEnrolment(e);
                      MatchingRunRecord r = NewRun(programme);
                      r.state = RunState::kQueued;
                      r.claimed_until = 55;
                      run = tx.InsertMatchingRun(r);
                      TandemRecord t = Tandem(programme, mentor, mentee);
                      t.run = run;
                      t.origin = "request";
                      t.declined_by = mentee;
                      t.decline_reason = "later";
                      t.activated_at = 41;
                      t.mentee_completed_at = 42;
                      t.dissolve_reason = "moved";
                      t.dissolved_by = mentor;
                      tandem = tx.InsertTandem(t);
                      tx.PutPairRule({programme, mentor, mentee, PairRuleKind::kPin, "cli", 7});
                      tx.InsertWorkspace({tandem, "wrapped", "kid", std::nullopt, 1, 1, 8});
                      NoteRecord n;
                      n.tandem = tandem;
                      n.author = mentee;
                      n.is_private = true;
                      n.ciphertext = "c";
                      n.nonce = "n";
                      tx.InsertNote(n);
                      SurveyRecord v = Survey(programme, SurveyKind::kFinal);
                      v.state = SurveyState::kClosed;
                      v.released_through = 1;
                      survey = tx.InsertSurvey(v);
                      tx.RecordSurveyInvitation(survey, mentee, 60);
                      tx.InsertSurveyResponse(Response(survey, mentee));
                      tx.PutPartnerFeedback({tandem, mentor, "Thank you", 1, 61, 61});
                      return Status::Ok();
                    })
                    .ok());
  }
  const auto check = [&](Store& store) {
    const Status s = store.Write([&](StoreTx& tx) {
      const auto p = tx.FindProgramme(programme);
      EXPECT_EQ(p->agreement_de, "Vertraulich.");
      EXPECT_EQ(p->enrolment_deadline, 123);
      EXPECT_EQ(p->min_group_size, 7);
      EXPECT_TRUE(p->partner_feedback);
      const auto v = tx.FindSurvey(survey);
      EXPECT_TRUE(v.has_value());
      if (v) {
        EXPECT_EQ(v->kind, SurveyKind::kFinal);
        EXPECT_EQ(v->state, SurveyState::kClosed);
        EXPECT_EQ(v->released_through, 1);
      }
      EXPECT_EQ(tx.ListSurveyInvitees(survey), (std::vector<RowId>{mentee}));
      const auto response = tx.FindSurveyResponse(survey, mentee);
      EXPECT_TRUE(response.has_value());
      if (response) {
        EXPECT_EQ(response->answers, R"({"nps":9})");
      }
      const auto feedback = tx.ListPartnerFeedback(tandem);
      EXPECT_EQ(feedback.size(), 1u);
      if (!feedback.empty()) {
        EXPECT_EQ(feedback[0].text, "Thank you");
      }
      // New surveys and responses are numbered after the copied ones.
      EXPECT_GT(tx.InsertSurvey(Survey(programme, SurveyKind::kMidTerm)), survey);
      EXPECT_GT(tx.InsertSurveyResponse(Response(survey, mentor)), response->id);
      const auto e = tx.FindEnrolment(programme, mentor);
      EXPECT_EQ(e->languages, (std::vector<std::string>{"de", "en"}));
      EXPECT_EQ(e->availability, "Fridays");
      const auto r = tx.FindMatchingRun(run);
      EXPECT_EQ(r->state, RunState::kQueued);
      EXPECT_EQ(r->claimed_until, 55);
      const auto t = tx.FindTandem(tandem);
      EXPECT_EQ(t->origin, "request");
      EXPECT_EQ(t->declined_by, mentee);
      EXPECT_EQ(t->decline_reason, "later");
      EXPECT_EQ(t->activated_at, 41);
      EXPECT_EQ(t->mentee_completed_at, 42);
      EXPECT_EQ(t->dissolve_reason, "moved");
      EXPECT_EQ(t->dissolved_by, mentor);
      const auto rules = tx.ListPairRules(programme);
      EXPECT_EQ(rules.size(), 1u);
      if (!rules.empty()) {
        EXPECT_EQ(rules[0].kind, PairRuleKind::kPin);
      }
      EXPECT_EQ(tx.FindWorkspace(tandem)->wrapped_key, "wrapped");
      const auto notes = tx.ListNotes(tandem);
      EXPECT_EQ(notes.size(), 1u);
      if (!notes.empty()) {
        EXPECT_TRUE(notes[0].is_private);
      }
      // The copy numbers new rows after the copied ones.
      EXPECT_GT(tx.InsertMatchingRun(NewRun(programme)), run);
      return Status::InvalidArgument("roll back the probe");
    });
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  };
  // ...copying it into the backend under test (and, for PostgreSQL, back out into SQLite)
  // keeps every row and value.
  const std::string target_url = SecondDatabaseUrl();
  ASSERT_FALSE(target_url.empty());
  Result<std::int64_t> copied = CopyStore(source_url, target_url);
  ASSERT_TRUE(copied.ok()) << copied.status().message();
  // 2 people, 1 programme, 2 topics, enrolment, run, tandem, rule, workspace, note, survey,
  // invitation, response, feedback
  EXPECT_EQ(copied.value(), 15);
  {
    auto target = OpenStore(target_url);
    ASSERT_TRUE(target.ok()) << target.status().message();
    check(*target.value());
  }
  if (GetParam() != "sqlite") {
    const std::string back_url = "sqlite:" + (dir / "back.db").string();
    copied = CopyStore(target_url, back_url);
    ASSERT_TRUE(copied.ok()) << copied.status().message();
    EXPECT_EQ(copied.value(), 15);
    auto back = OpenStore(back_url);
    ASSERT_TRUE(back.ok()) << back.status().message();
    check(*back.value());
  }
  std::filesystem::remove_all(dir);
}

TEST_P(StoreConformance, EndingFieldsRoundTripAndHeldMeetingsAreCounted) {
  SKIP_WITHOUT_BACKEND();
  const RowId mentor = InsertOrDie(*store_, Person("EN-M", 1));
  const RowId mentee = InsertOrDie(*store_, Person("EN-E", 4));
  RowId programme = 0, other_programme = 0, a = 0, b = 0, c = 0, elsewhere = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    ProgrammeRecord p = Programme();
                    p.show_meeting_counts = true;
                    programme = tx.InsertProgramme(p);
                    other_programme = tx.InsertProgramme(Programme());
                    TandemRecord t = Tandem(programme, mentor, mentee);
                    t.state = TandemState::kActive;
                    t.activated_at = 100;
                    t.mentor_completed_at = 200;
                    a = tx.InsertTandem(t);
                    b = tx.InsertTandem(t);
                    c = tx.InsertTandem(t);
                    t.programme = other_programme;
                    elsewhere = tx.InsertTandem(t);
                    // a: 2 held; b: 1; c: none; elsewhere: 1. The version stays.
                    EXPECT_TRUE(tx.CountMeetingHeld(a));
                    EXPECT_TRUE(tx.CountMeetingHeld(a));
                    EXPECT_TRUE(tx.CountMeetingHeld(b));
                    EXPECT_TRUE(tx.CountMeetingHeld(elsewhere));
                    EXPECT_FALSE(tx.CountMeetingHeld(elsewhere + 1000));
                    return Status::Ok();
                  })
                  .ok());
  ProgrammeRecord p;
  TandemRecord t;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    p = *tx.FindProgramme(programme);
                    EXPECT_FALSE(tx.FindProgramme(other_programme)->show_meeting_counts);
                    t = *tx.FindTandem(a);
                    EXPECT_EQ(tx.FindTandem(b)->meetings_held, 1);
                    EXPECT_EQ(tx.FindTandem(c)->meetings_held, 0);
                    EXPECT_EQ(tx.FindTandem(elsewhere)->meetings_held, 1);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(p.show_meeting_counts);
  EXPECT_EQ(t.activated_at, 100);
  EXPECT_EQ(t.mentor_completed_at, 200);
  EXPECT_FALSE(t.mentee_completed_at.has_value());
  EXPECT_EQ(t.dissolve_reason, "");
  EXPECT_FALSE(t.dissolved_by.has_value());
  EXPECT_EQ(t.meetings_held, 2);
  EXPECT_EQ(t.version, 1);

  // Updates carry them too (the counter stays as it is); erasing the person who dissolved blanks
  // the reason.
  p.show_meeting_counts = false;
  t.mentor_completed_at.reset();
  t.mentee_completed_at = 300;
  t.state = TandemState::kDissolved;
  t.dissolve_reason = "we both moved on";
  t.dissolved_by = mentee;
  t.ended_at = 300;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateProgramme(p));
                    EXPECT_TRUE(tx.UpdateTandem(t));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_FALSE(tx.FindProgramme(programme)->show_meeting_counts);
                    const auto t2 = tx.FindTandem(a);
                    EXPECT_FALSE(t2->mentor_completed_at.has_value());
                    EXPECT_EQ(t2->mentee_completed_at, 300);
                    EXPECT_EQ(t2->activated_at, 100);
                    EXPECT_EQ(t2->dissolve_reason, "we both moved on");
                    EXPECT_EQ(t2->dissolved_by, mentee);
                    EXPECT_EQ(t2->version, 2);
                    EXPECT_EQ(t2->meetings_held, 2);
                    EXPECT_TRUE(tx.ErasePerson(mentee, 400));
                    EXPECT_EQ(tx.FindTandem(a)->dissolve_reason, "");
                    EXPECT_EQ(tx.FindTandem(a)->meetings_held, 2) << "erasure keeps the count";
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ProgrammeGroupSizeAndPartnerFeedbackRoundTrip) {
  SKIP_WITHOUT_BACKEND();
  RowId plain = 0, custom = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    plain = tx.InsertProgramme(Programme());
                    ProgrammeRecord p = Programme();
                    p.min_group_size = 8;
                    p.partner_feedback = true;
                    custom = tx.InsertProgramme(p);
                    return Status::Ok();
                  })
                  .ok());
  ProgrammeRecord p;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto defaults = tx.FindProgramme(plain);
                    EXPECT_EQ(defaults->min_group_size, 5);
                    EXPECT_FALSE(defaults->partner_feedback);
                    p = *tx.FindProgramme(custom);
                    const auto listed = tx.ListProgrammes(0, 10);
                    EXPECT_EQ(listed.size(), 2u);
                    if (listed.size() == 2) {
                      EXPECT_EQ(listed[1].min_group_size, 8);
                      EXPECT_TRUE(listed[1].partner_feedback);
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(p.min_group_size, 8);
  EXPECT_TRUE(p.partner_feedback);
  p.min_group_size = 3;
  p.partner_feedback = false;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateProgramme(p));
                    EXPECT_FALSE(tx.UpdateProgramme(p)) << "stale version";
                    const auto updated = tx.FindProgramme(custom);
                    EXPECT_EQ(updated->min_group_size, 3);
                    EXPECT_FALSE(updated->partner_feedback);
                    return Status::Ok();
                  })
                  .ok());
  // The database refuses a group smaller than 3 (the app refuses it first, naming the field).
  p = Programme();
  p.min_group_size = 2;
  const Status small = store_->Write([&](StoreTx& tx) {
    tx.InsertProgramme(p);
    return Status::Ok();
  });
  EXPECT_EQ(small.code(), StatusCode::kConflict) << small.message();
}

TEST_P(StoreConformance, SurveysAreOnePerKindAndAudienceAndVersionChecked) {
  SKIP_WITHOUT_BACKEND();
  RowId programme = 0, other = 0;
  std::vector<RowId> ids;
  ASSERT_TRUE(
      store_
          ->Write([&](StoreTx& tx) {
            programme = tx.InsertProgramme(Programme());
            other = tx.InsertProgramme(Programme());
            for (SurveyKind kind : {SurveyKind::kMidTerm, SurveyKind::kFinal}) {
              for (SurveyAudience audience : {SurveyAudience::kMentees, SurveyAudience::kMentors}) {
                ids.push_back(tx.InsertSurvey(Survey(programme, kind, audience)));
              }
            }
            SurveyRecord open = Survey(other, SurveyKind::kFinal, SurveyAudience::kMentors);
            open.state = SurveyState::kOpen;
            open.opened_at = 60;
            open.remind_at = 90;
            ids.push_back(tx.InsertSurvey(open));
            return Status::Ok();
          })
          .ok());
  ASSERT_EQ(ids.size(), 5u);
  // A second survey of the same programme, kind and audience is a conflict...
  const Status twice = store_->Write([&](StoreTx& tx) {
    tx.InsertSurvey(Survey(programme, SurveyKind::kFinal, SurveyAudience::kMentors));
    return Status::Ok();
  });
  EXPECT_EQ(twice.code(), StatusCode::kConflict) << twice.message();
  // ...that leaves the transaction usable for whoever catches it.
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    try {
                      tx.InsertSurvey(Survey(programme, SurveyKind::kMidTerm));
                      ADD_FAILURE() << "a duplicate survey was inserted";
                    } catch (const StoreError& e) {
                      EXPECT_EQ(e.code(), StatusCode::kConflict);
                    }
                    EXPECT_EQ(tx.ListSurveys(programme).size(), 4u);
                    return Status::Ok();
                  })
                  .ok());
  SurveyRecord v;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    const auto listed = tx.ListSurveys(programme);
                    EXPECT_EQ(listed.size(), 4u);
                    std::vector<RowId> listed_ids;
                    listed_ids.reserve(listed.size());
                    for (const SurveyRecord& s : listed) listed_ids.push_back(s.id);
                    EXPECT_EQ(listed_ids, (std::vector<RowId>(ids.begin(), ids.begin() + 4)));
                    const auto open = tx.ListOpenSurveys();
                    EXPECT_EQ(open.size(), 1u);
                    if (!open.empty()) {
                      EXPECT_EQ(open[0].id, ids[4]);
                      EXPECT_EQ(open[0].programme, other);
                      EXPECT_EQ(open[0].audience, SurveyAudience::kMentors);
                      EXPECT_EQ(open[0].opened_at, 60);
                      EXPECT_EQ(open[0].remind_at, 90);
                    }
                    EXPECT_FALSE(tx.FindSurvey(ids[4] + 100).has_value());
                    v = *tx.FindSurvey(ids[1]);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(v.programme, programme);
  EXPECT_EQ(v.kind, SurveyKind::kMidTerm);
  EXPECT_EQ(v.audience, SurveyAudience::kMentors);
  EXPECT_EQ(v.definition, R"({"questions":[]})");
  EXPECT_EQ(v.state, SurveyState::kDraft);
  EXPECT_FALSE(v.opened_at.has_value());
  EXPECT_FALSE(v.closed_at.has_value());
  EXPECT_FALSE(v.remind_at.has_value());
  EXPECT_FALSE(v.reminded_at.has_value());
  EXPECT_EQ(v.released_through, 0);
  EXPECT_EQ(v.version, 1);
  EXPECT_EQ(v.created_at, 50);
  EXPECT_EQ(v.updated_at, 50);

  // Updates carry every changeable field and are version-checked: one of two claims wins.
  v.definition = R"({"questions":[{"key":"q"}]})";
  v.state = SurveyState::kClosed;
  v.opened_at = 100;
  v.closed_at = 200;
  v.remind_at = 150;
  v.reminded_at = 160;
  v.released_through = 42;
  v.updated_at = 200;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateSurvey(v));
                    EXPECT_FALSE(tx.UpdateSurvey(v)) << "stale version";
                    const auto updated = tx.FindSurvey(v.id);
                    EXPECT_EQ(updated->definition, v.definition);
                    EXPECT_EQ(updated->state, SurveyState::kClosed);
                    EXPECT_EQ(updated->opened_at, 100);
                    EXPECT_EQ(updated->closed_at, 200);
                    EXPECT_EQ(updated->remind_at, 150);
                    EXPECT_EQ(updated->reminded_at, 160);
                    EXPECT_EQ(updated->released_through, 42);
                    EXPECT_EQ(updated->updated_at, 200);
                    EXPECT_EQ(updated->created_at, 50);
                    EXPECT_EQ(updated->version, 2);
                    // Reopened: open again, the times of the first opening and last closing stay.
                    SurveyRecord reopened = *updated;
                    reopened.state = SurveyState::kOpen;
                    reopened.remind_at.reset();
                    EXPECT_TRUE(tx.UpdateSurvey(reopened));
                    const auto open = tx.ListOpenSurveys();
                    EXPECT_EQ(open.size(), 2u);
                    EXPECT_FALSE(tx.FindSurvey(v.id)->remind_at.has_value());
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, SurveyInvitationsAndResponses) {
  SKIP_WITHOUT_BACKEND();
  const RowId a = InsertOrDie(*store_, Person("SV-A"));
  const RowId b = InsertOrDie(*store_, Person("SV-B"));
  const RowId c = InsertOrDie(*store_, Person("SV-C"));
  RowId survey = 0, other = 0, ra = 0, rb = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    const RowId programme = tx.InsertProgramme(Programme());
                    survey = tx.InsertSurvey(Survey(programme, SurveyKind::kMidTerm));
                    other = tx.InsertSurvey(Survey(programme, SurveyKind::kFinal));
                    // Each person is invited once: a second invitation changes nothing.
                    EXPECT_TRUE(tx.RecordSurveyInvitation(survey, c, 10));
                    EXPECT_TRUE(tx.RecordSurveyInvitation(survey, a, 11));
                    EXPECT_FALSE(tx.RecordSurveyInvitation(survey, a, 12));
                    EXPECT_TRUE(tx.RecordSurveyInvitation(other, a, 13));
                    EXPECT_EQ(tx.ListSurveyInvitees(survey), (std::vector<RowId>{a, c}));
                    EXPECT_EQ(tx.ListSurveyInvitees(other), (std::vector<RowId>{a}));
                    EXPECT_EQ(tx.CountSurveyResponses(survey, 0), 0);
                    ra = tx.InsertSurveyResponse(Response(survey, a, R"({"nps":10})"));
                    rb = tx.InsertSurveyResponse(Response(survey, b, R"({"nps":3})"));
                    tx.InsertSurveyResponse(Response(other, a));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_GT(rb, ra);
  // A second response of the same person to the same survey is a conflict, and one that can
  // be caught in the transaction.
  const Status twice = store_->Write([&](StoreTx& tx) {
    tx.InsertSurveyResponse(Response(survey, a));
    return Status::Ok();
  });
  EXPECT_EQ(twice.code(), StatusCode::kConflict) << twice.message();
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_THROW(tx.InsertSurveyResponse(Response(survey, b)), StoreError);
                    EXPECT_EQ(tx.CountSurveyResponses(survey, 0), 2);
                    return Status::Ok();
                  })
                  .ok());
  SurveyResponseRecord mine;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_FALSE(tx.FindSurveyResponse(survey, c).has_value());
                    EXPECT_FALSE(tx.FindSurveyResponse(other, b).has_value());
                    mine = *tx.FindSurveyResponse(survey, a);
                    // Responses through an id, in id order; counts after an id.
                    const auto through_a = tx.ListSurveyResponses(survey, ra);
                    EXPECT_EQ(through_a.size(), 1u);
                    const auto all = tx.ListSurveyResponses(survey, rb + 1000);
                    EXPECT_EQ(all.size(), 2u);
                    if (all.size() == 2) {
                      EXPECT_EQ(all[0].id, ra);
                      EXPECT_EQ(all[1].id, rb);
                      EXPECT_EQ(all[1].person, b);
                      EXPECT_EQ(all[1].answers, R"({"nps":3})");
                    }
                    EXPECT_TRUE(tx.ListSurveyResponses(survey, 0).empty());
                    EXPECT_EQ(tx.CountSurveyResponses(survey, 0), 2);
                    EXPECT_EQ(tx.CountSurveyResponses(survey, ra), 1);
                    EXPECT_EQ(tx.CountSurveyResponses(survey, rb), 0);
                    EXPECT_EQ(tx.CountSurveyResponses(other, 0), 1);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(mine.id, ra);
  EXPECT_EQ(mine.survey, survey);
  EXPECT_EQ(mine.person, a);
  EXPECT_EQ(mine.answers, R"({"nps":10})");
  EXPECT_EQ(mine.version, 1);
  EXPECT_EQ(mine.created_at, 70);
  EXPECT_EQ(mine.updated_at, 70);
  mine.answers = R"({"nps":8})";
  mine.updated_at = 80;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.UpdateSurveyResponse(mine));
                    EXPECT_FALSE(tx.UpdateSurveyResponse(mine)) << "stale version";
                    const auto updated = tx.FindSurveyResponse(survey, a);
                    EXPECT_EQ(updated->answers, R"({"nps":8})");
                    EXPECT_EQ(updated->version, 2);
                    EXPECT_EQ(updated->updated_at, 80);
                    EXPECT_EQ(updated->created_at, 70);
                    EXPECT_EQ(updated->id, ra) << "an update keeps the response's place";
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, PartnerFeedbackIsVersionedLikeRoleOffers) {
  SKIP_WITHOUT_BACKEND();
  const RowId mentor = InsertOrDie(*store_, Person("PF-M", 1));
  const RowId mentee = InsertOrDie(*store_, Person("PF-E", 4));
  RowId tandem = 0, other = 0;
  ASSERT_TRUE(
      store_
          ->Write([&](StoreTx& tx) {
            const RowId programme = tx.InsertProgramme(Programme());
            tandem = tx.InsertTandem(Tandem(programme, mentor, mentee));
            other = tx.InsertTandem(Tandem(programme, mentor, mentee));
            EXPECT_TRUE(tx.ListPartnerFeedback(tandem).empty());
            EXPECT_FALSE(tx.PutPartnerFeedback({tandem, mentee, "x", 2, 9, 9})) << "none stored";
            EXPECT_TRUE(tx.PutPartnerFeedback({tandem, mentee, "Great", 1, 10, 10}));
            EXPECT_FALSE(tx.PutPartnerFeedback({tandem, mentee, "Again", 1, 11, 11}))
                << "stale version";
            EXPECT_TRUE(tx.PutPartnerFeedback({tandem, mentor, "Thanks", 1, 12, 12}));
            EXPECT_TRUE(
                tx.PutPartnerFeedback({other, mentor, "Elsewhere", kAnyRoleOfferVersion, 13, 13}));
            return Status::Ok();
          })
          .ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    auto feedback = tx.ListPartnerFeedback(tandem);
                    EXPECT_EQ(feedback.size(), 2u);
                    if (feedback.size() != 2) return Status::Ok();
                    // By author.
                    EXPECT_EQ(feedback[0].author, mentor);
                    EXPECT_EQ(feedback[0].text, "Thanks");
                    EXPECT_EQ(feedback[1].author, mentee);
                    EXPECT_EQ(feedback[1].tandem, tandem);
                    EXPECT_EQ(feedback[1].text, "Great");
                    EXPECT_EQ(feedback[1].version, 2);
                    EXPECT_EQ(feedback[1].created_at, 10);
                    EXPECT_EQ(feedback[1].updated_at, 10);
                    PartnerFeedbackRecord mine = feedback[1];
                    mine.text = "Great, really";
                    mine.updated_at = 20;
                    EXPECT_TRUE(tx.PutPartnerFeedback(mine));
                    EXPECT_FALSE(tx.PutPartnerFeedback(mine)) << "stale version";
                    // Any version stores over the current one, even from a stale read.
                    mine.version = kAnyRoleOfferVersion;
                    mine.text = "Great, really!";
                    mine.updated_at = 21;
                    EXPECT_TRUE(tx.PutPartnerFeedback(mine));
                    feedback = tx.ListPartnerFeedback(tandem);
                    EXPECT_EQ(feedback.at(1).text, "Great, really!");
                    EXPECT_EQ(feedback.at(1).version, 4);
                    EXPECT_EQ(feedback.at(1).created_at, 10);
                    EXPECT_EQ(feedback.at(1).updated_at, 21);
                    const auto elsewhere = tx.ListPartnerFeedback(other);
                    EXPECT_EQ(elsewhere.size(), 1u);
                    EXPECT_EQ(elsewhere.at(0).version, 2);
                    return Status::Ok();
                  })
                  .ok());
  // Erasing the tandem's workspace (retention) takes the feedback with it, not the other's.
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    tx.InsertWorkspace({tandem, "wrapped", "kid", std::nullopt, 1, 1, 30});
                    EXPECT_TRUE(tx.EraseWorkspace(tandem, 40));
                    EXPECT_TRUE(tx.ListPartnerFeedback(tandem).empty());
                    EXPECT_EQ(tx.ListPartnerFeedback(other).size(), 1u);
                    return Status::Ok();
                  })
                  .ok());
}

TEST_P(StoreConformance, ErasureKeepsSurveyAnswersAnonymousAndDropsFeedbackAndInvitations) {
  SKIP_WITHOUT_BACKEND();
  const RowId gone = InsertOrDie(*store_, Person("SE-GONE", 1));
  const RowId partner = InsertOrDie(*store_, Person("SE-PARTNER", 4));
  const RowId bystander = InsertOrDie(*store_, Person("SE-OTHER", 4));
  RowId survey = 0, theirs = 0, tandem = 0, unrelated = 0, response = 0;
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    const RowId programme = tx.InsertProgramme(Programme());
                    survey = tx.InsertSurvey(Survey(programme, SurveyKind::kFinal));
                    tx.RecordSurveyInvitation(survey, gone, 10);
                    tx.RecordSurveyInvitation(survey, bystander, 10);
                    response = tx.InsertSurveyResponse(Response(survey, gone, R"({"nps":7})"));
                    theirs = tx.InsertSurveyResponse(Response(survey, bystander));
                    tandem = tx.InsertTandem(Tandem(programme, gone, partner));
                    unrelated = tx.InsertTandem(Tandem(programme, bystander, partner));
                    // Both partners' feedback goes with either of them.
                    tx.PutPartnerFeedback({tandem, gone, "From the erased", 1, 20, 20});
                    tx.PutPartnerFeedback({tandem, partner, "To the erased", 1, 21, 21});
                    tx.PutPartnerFeedback({unrelated, partner, "Stays", 1, 22, 22});
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    EXPECT_TRUE(tx.ErasePerson(gone, 99));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    EXPECT_EQ(tx.ListSurveyInvitees(survey), (std::vector<RowId>{bystander}));
                    EXPECT_FALSE(tx.FindSurveyResponse(survey, gone).has_value());
                    const auto responses = tx.ListSurveyResponses(survey, theirs);
                    EXPECT_EQ(responses.size(), 2u);
                    if (responses.size() == 2) {
                      EXPECT_EQ(responses[0].id, response);
                      EXPECT_FALSE(responses[0].person.has_value());
                      EXPECT_EQ(responses[0].answers, R"({"nps":7})");
                      EXPECT_EQ(responses[1].person, bystander);
                    }
                    EXPECT_EQ(tx.CountSurveyResponses(survey, 0), 2);
                    EXPECT_TRUE(tx.ListPartnerFeedback(tandem).empty());
                    EXPECT_EQ(tx.ListPartnerFeedback(unrelated).size(), 1u);
                    return Status::Ok();
                  })
                  .ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace tandem::store
