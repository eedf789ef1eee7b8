// The PostgreSQL backend on its own: retries, lost connections, migrations between processes,
// secrets. Needs a server: TANDEM_TEST_POSTGRES_URL (scripts/postgres-test-cluster.sh start);
// without it the server cases are skipped.
#include "store/postgres_backend.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <latch>
#include <string>
#include <thread>
#include <vector>

#include "store/sql_store.h"
#include "store/testing.h"

namespace tandem::store {
namespace {

std::string AdminUrl() {
  const char* url = std::getenv("TANDEM_TEST_POSTGRES_URL");
  return url == nullptr ? std::string() : std::string(url);
}

// The password of a postgresql://user:password@host/... URL.
std::string PasswordOf(const std::string& url) {
  const size_t at = url.find('@');
  const size_t colon = url.rfind(':', at);
  if (at == std::string::npos || colon == std::string::npos || colon < url.find("://") + 3) {
    return {};
  }
  return url.substr(colon + 1, at - colon - 1);
}

PersonRecord Person(std::string external_id) {
  PersonRecord p;
  p.external_id = std::move(external_id);
  p.name = "Ada";
  p.email = "ada@example.com";
  p.level = 3;
  p.created_at = p.updated_at = 1000;
  return p;
}

class PostgresBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (AdminUrl().empty()) {
      GTEST_SKIP() << "TANDEM_TEST_POSTGRES_URL is not set (scripts/postgres-test-cluster.sh)";
    }
    auto database = ScratchPostgresDatabase::Create(AdminUrl());
    ASSERT_TRUE(database.ok()) << database.status().message();
    database_ = std::move(database).value();
  }

  std::unique_ptr<SqlStore> OpenSqlStore(int connections = 4) {
    auto backend = OpenPostgresBackend(database_->url(), connections);
    EXPECT_TRUE(backend.ok()) << backend.status().message();
    if (!backend.ok()) return nullptr;
    return std::make_unique<SqlStore>(std::move(backend).value());
  }

  std::unique_ptr<SqlStore> OpenMigrated(int connections = 4) {
    auto store = OpenSqlStore(connections);
    if (store == nullptr) return nullptr;
    const Result<int> migrated = store->Migrate();
    EXPECT_TRUE(migrated.ok()) << migrated.status().message();
    return store;
  }

  // Ends every session on the scratch database but the caller's, as a server restart would.
  void TerminateSessions() {
    auto admin = OpenPostgresBackend(AdminUrl(), 1);
    ASSERT_TRUE(admin.ok()) << admin.status().message();
    const Status status = admin.value()->InWriteTransaction([&](SqlSession& session) {
      session.Query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND "
          "pid <> pg_backend_pid()",
          {database_->name()});
      return Status::Ok();
    });
    ASSERT_TRUE(status.ok()) << status.message();
  }

  std::unique_ptr<ScratchPostgresDatabase> database_;
};

TEST(PostgresPasswords, RedactsEverySpelling) {
  EXPECT_EQ(RedactPostgresPassword("a s3cr%21t b s3cr!t", "postgresql://u:s3cr%21t@h:5/db"),
            "a *** b ***");
  EXPECT_EQ(RedactPostgresPassword("x pw1 y", "postgresql://h/db?user=u&password=pw1&a=b"),
            "x *** y");
  EXPECT_EQ(RedactPostgresPassword("nothing", "postgresql://u@h/db"), "nothing");
}

TEST(PostgresPasswords, NeverInTheMessageOfAnUnreachableServer) {
  // Nothing listens on port 1 of the loopback address.
  auto backend = OpenPostgresBackend("postgresql://tandem:Hunter2Secret@127.0.0.1:1/x", 1);
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(backend.status().message().find("PostgreSQL is unreachable"), std::string::npos)
      << backend.status().message();
  EXPECT_EQ(backend.status().message().find("Hunter2Secret"), std::string::npos);
}

TEST_F(PostgresBackendTest, PasswordNeverInTheMessageOfARefusedLogin) {
  const std::string url = database_->url();
  if (PasswordOf(url).empty()) GTEST_SKIP() << "the test server's URL has no password";
  const size_t at = url.find('@');
  const size_t colon = url.rfind(':', at);
  const std::string wrong =
      url.substr(0, colon + 1) + "Wrong%2FPassw0rdXYZ" + url.substr(at);  // "Wrong/Passw0rdXYZ"
  auto backend = OpenPostgresBackend(wrong, 1);
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(backend.status().message().find("Wrong"), std::string::npos)
      << backend.status().message();
}

TEST_F(PostgresBackendTest, MigrationsApplyOnceAndAreIdempotent) {
  auto store = OpenSqlStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->SchemaVersion().value(), 0);
  const Result<int> first = store->Migrate();
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first.value(), store->LatestSchemaVersion());
  const Result<int> second = store->Migrate();
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second.value(), 0);
  EXPECT_EQ(store->SchemaVersion().value(), store->LatestSchemaVersion());
}

TEST_F(PostgresBackendTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  // Given four processes (here: backends) starting on one empty database at once, every
  // migration is applied exactly once and every one of them succeeds.
  constexpr int kMigrators = 4;
  std::vector<std::unique_ptr<SqlStore>> stores;
  stores.reserve(kMigrators);
  for (int i = 0; i < kMigrators; ++i) stores.push_back(OpenSqlStore(1));
  std::atomic<int> applied{0};
  std::atomic<int> failures{0};
  std::latch start(kMigrators);
  std::vector<std::thread> threads;
  threads.reserve(kMigrators);
  for (int i = 0; i < kMigrators; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      const Result<int> result = stores[static_cast<size_t>(i)]->Migrate();
      if (result.ok()) {
        applied += result.value();
      } else {
        ADD_FAILURE() << result.status().message();
        ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(applied.load(), stores[0]->LatestSchemaVersion());
  std::int64_t recorded = 0;
  ASSERT_TRUE(stores[0]
                  ->sql()
                  .InReadTransaction([&](SqlSession& session) {
                    recorded =
                        session.Query("SELECT COUNT(*) FROM schema_migrations", {}).at(0).Int(0);
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(recorded, stores[0]->LatestSchemaVersion());
}

TEST_F(PostgresBackendTest, ConcurrentWritersOfOneRowAreRetriedToOneOutcome) {
  // Given two writers that both read the same version of a person before either writes, the
  // database aborts one; it is retried on the new version, so neither increment is lost.
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  RowId id = 0;
  ASSERT_TRUE(store
                  ->Write([&](StoreTx& tx) {
                    id = tx.InsertPerson(Person("E1"));
                    return Status::Ok();
                  })
                  .ok());

  constexpr int kWriters = 2;
  constexpr int kRounds = 10;
  std::atomic<int> runs{0};
  std::latch both_read(kWriters);
  std::vector<std::thread> threads;
  threads.reserve(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        bool first_run = true;
        const Status status = store->Write([&](StoreTx& tx) {
          ++runs;
          std::optional<PersonRecord> person = tx.FindPerson(id);
          if (!person) return Status::NotFound("person");
          if (round == 0 && first_run) both_read.arrive_and_wait();
          first_run = false;
          person->level += 1;
          if (!tx.UpdatePerson(*person)) return Status::Conflict("stale version");
          return Status::Ok();
        });
        EXPECT_TRUE(status.ok()) << status.message();
      }
    });
  }
  for (std::thread& t : threads) t.join();

  std::optional<PersonRecord> person;
  ASSERT_TRUE(store
                  ->Read([&](StoreTx& tx) {
                    person = tx.FindPerson(id);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(person.has_value());
  EXPECT_EQ(person->level, 3 + kWriters * kRounds);
  EXPECT_EQ(person->version, 1 + kWriters * kRounds);
  EXPECT_GT(runs.load(), kWriters * kRounds) << "the first round must have conflicted";
}

TEST_F(PostgresBackendTest, AWriteHoldingPeopleIsNotAbortedByAWriterOfPeopleThatCameLater) {
  // The people import's shape: read every person, then write people. A person created
  // meanwhile by another transaction would abort it under SERIALIZABLE (and again on every
  // retry while such writes go on); holding the people table, it runs once and the other
  // writer waits.
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  auto watcher = OpenSqlStore(1);
  ASSERT_NE(watcher, nullptr);
  int runs = 0;
  std::atomic<bool> other_done{false};
  std::thread other;
  const Status held = store->Write(
      [&](StoreTx& tx) {
        ++runs;
        const size_t before = tx.ListPeople(0, 1000).size();
        if (runs == 1) {
          other = std::thread([&] {
            const Status created = store->Write([](StoreTx& t) {
              PersonRecord p = Person("E-meanwhile");
              p.email = "meanwhile@example.com";
              t.InsertPerson(p);
              return Status::Ok();
            });
            EXPECT_TRUE(created.ok()) << created.message();
            other_done = true;
          });
          // Until the other writer waits for the table (or, were it not held, has committed).
          bool waiting = false;
          for (int i = 0; i < 3000 && !waiting && !other_done; ++i) {
            const Status polled = watcher->sql().InReadTransaction([&](SqlSession& session) {
              waiting = session
                            .Query(
                                "SELECT count(*) FROM pg_locks WHERE NOT granted AND "
                                "relation = 'people'::regclass AND database = (SELECT oid FROM "
                                "pg_database WHERE datname = current_database())",
                                {})
                            .at(0)
                            .Int(0) > 0;
              return Status::Ok();
            });
            EXPECT_TRUE(polled.ok()) << polled.message();
            if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
          }
          EXPECT_TRUE(waiting) << "the other writer of people did not wait";
          EXPECT_FALSE(other_done);
        }
        PersonRecord p = Person("E-import-" + std::to_string(before));
        p.email = "import@example.com";
        tx.InsertPerson(p);
        return Status::Ok();
      },
      WriteLock::kPeople);
  other.join();
  EXPECT_TRUE(held.ok()) << held.message();
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(other_done);
  std::vector<PersonRecord> people;
  ASSERT_TRUE(store
                  ->Read([&](StoreTx& tx) {
                    people = tx.ListPeople(0, 10);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(people.size(), 2u);
  EXPECT_EQ(people[0].external_id, "E-import-0");  // the import's person came first
  EXPECT_EQ(people[1].external_id, "E-meanwhile");
}

TEST_F(PostgresBackendTest, TerminatedIdleConnectionsAreReplacedUnnoticed) {
  auto store = OpenMigrated(2);
  ASSERT_NE(store, nullptr);
  TerminateSessions();
  const Status status = store->Write([](StoreTx& tx) {
    tx.InsertPerson(Person("E1"));
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_F(PostgresBackendTest, ALostConnectionIsUnavailableAndTheBackendRecovers) {
  auto store = OpenMigrated(2);
  ASSERT_NE(store, nullptr);
  int runs = 0;
  const Status lost = store->sql().InWriteTransaction([&](SqlSession& session) {
    ++runs;
    session.Query("SELECT pg_terminate_backend(pg_backend_pid())", {});
    return Status::Ok();
  });
  EXPECT_EQ(lost.code(), StatusCode::kUnavailable) << lost.message();
  EXPECT_NE(lost.message().find("PostgreSQL is unreachable"), std::string::npos) << lost.message();
  EXPECT_GT(runs, 1) << "a lost connection is retried on a new one";
  const std::string password = PasswordOf(database_->url());
  if (!password.empty()) {
    EXPECT_EQ(lost.message().find(password), std::string::npos);
  }

  const Status after = store->Write([](StoreTx& tx) {
    tx.InsertPerson(Person("E2"));
    return Status::Ok();
  });
  EXPECT_TRUE(after.ok()) << after.message();
}

TEST_F(PostgresBackendTest, ConstraintViolationIsAConflictNamingItWithoutTheValues) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const Status status = store->Write([](StoreTx& tx) {
    tx.InsertPerson(Person("secret-external-id"));
    tx.InsertPerson(Person("secret-external-id"));
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kConflict) << status.message();
  EXPECT_NE(status.message().find("people_external_id_key"), std::string::npos) << status.message();
  EXPECT_EQ(status.message().find("secret-external-id"), std::string::npos) << status.message();
  store->Read([](StoreTx& tx) {
    EXPECT_EQ(tx.Counts().people, 0) << "nothing half-written";
    return Status::Ok();
  });
}

TEST_F(PostgresBackendTest, AnErrorOfTheFunctionRollsBack) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const Status status = store->Write([](StoreTx& tx) {
    tx.InsertPerson(Person("E1"));
    return Status::InvalidArgument("changed my mind");
  });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "changed my mind");
  store->Read([](StoreTx& tx) {
    EXPECT_EQ(tx.Counts().people, 0);
    return Status::Ok();
  });
}

TEST_F(PostgresBackendTest, ReadTransactionsAreReadOnly) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const Status status = store->Read([](StoreTx& tx) {
    tx.InsertPerson(Person("E1"));
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << status.message();
}

TEST_F(PostgresBackendTest, PlaceholdersBindNullsIntegersAndTexts) {
  auto store = OpenSqlStore();
  ASSERT_NE(store, nullptr);
  const Status status = store->sql().InReadTransaction([](SqlSession& session) {
    const auto rows = session.Query(
        "SELECT ?::bigint, ?::text, ?::text, '?', \"?\".x FROM "
        "(SELECT 1 AS x) AS \"?\"",
        {std::int64_t{-5}, std::string("it's a ?"), SqlValue{}});
    EXPECT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows.at(0).Int(0), -5);
    EXPECT_EQ(rows.at(0).Text(1), "it's a ?");
    EXPECT_TRUE(rows.at(0).IsNull(2));
    EXPECT_EQ(rows.at(0).Text(3), "?");
    EXPECT_EQ(rows.at(0).Int(4), 1);
    return Status::Ok();
  });
  EXPECT_TRUE(status.ok()) << status.message();
}

TEST_F(PostgresBackendTest, AfterCopyNewRowsContinueAfterCopiedIds) {
  auto store = OpenMigrated();
  ASSERT_NE(store, nullptr);
  const TableSpec* people = nullptr;
  for (const TableSpec& table : AllTables()) {
    if (table.name == "people") people = &table;
  }
  ASSERT_NE(people, nullptr);
  RowId next = 0;
  const Status status = store->sql().InWriteTransaction([&](SqlSession& session) {
    session.Execute(
        "INSERT INTO people (id, external_id, level, created_at, updated_at) VALUES (?, ?, 1, "
        "0, 0)",
        {std::int64_t{100}, std::string("copied")});
    store->sql().AfterCopy(session, *people);
    SqlTx tx(session, "postgresql");
    next = tx.InsertPerson(Person("new"));
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(next, 101);
}

}  // namespace
}  // namespace tandem::store
