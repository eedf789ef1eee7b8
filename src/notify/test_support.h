// Test support for src/notify: a scratch directory and stores to deliver from. Test-only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "app/store.h"
#include "store/open_store.h"
#include "store/testing.h"

namespace tandem::notify {

// A directory named after the running test, removed on destruction.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() /
              ("tandem-notify-" + std::to_string(::getpid()) + "-" + TestName())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  static std::string TestName() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->test_suite_name()) + "." + info->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    return name;
  }
  std::filesystem::path path_;
};

// A database that tests open one or more stores on: an SQLite file in `dir`, or a scratch
// PostgreSQL database (dropped on destruction) when `backend` is "postgresql" and
// TANDEM_TEST_POSTGRES_URL is set. url() is empty when the backend is not available.
class TestDatabase {
 public:
  TestDatabase(const std::string& backend, const std::filesystem::path& dir) {
    if (backend == "sqlite") {
      url_ = "sqlite:" + (dir / "outbox.db").string();
      return;
    }
    const char* admin = std::getenv("TANDEM_TEST_POSTGRES_URL");
    if (admin == nullptr || *admin == '\0') return;
    auto created = store::ScratchPostgresDatabase::Create(admin);
    EXPECT_TRUE(created.ok()) << created.status().message();
    if (!created.ok()) return;
    postgres_ = std::move(created).value();
    url_ = postgres_->url();
  }
  const std::string& url() const { return url_; }

  // A new Store on the database, migrated. Fails the test (and returns null) on error.
  std::unique_ptr<Store> Open() const {
    auto opened = store::OpenStore(url_);
    EXPECT_TRUE(opened.ok()) << opened.status().message();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

 private:
  std::unique_ptr<store::ScratchPostgresDatabase> postgres_;
  std::string url_;
};

// Enqueues `mail` (due at `mail.next_attempt_at`) and returns its id; 0 on failure.
inline RowId EnqueueOrFail(Store& store, const MailRecord& mail) {
  RowId id = 0;
  const Status s = store.Write([&](StoreTx& tx) {
    id = tx.EnqueueMail(mail);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return id;
}

inline MailRecord FindMailOrDie(Store& store, RowId id) {
  MailRecord found;
  const Status s = store.Read([&](StoreTx& tx) {
    const auto mail = tx.FindMail(id);
    if (!mail) return Status::NotFound("no mail " + std::to_string(id));
    found = *mail;
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return found;
}

inline std::int64_t PendingMail(Store& store) {
  std::int64_t pending = -1;
  const Status s = store.Read([&](StoreTx& tx) {
    pending = tx.CountPendingMail();
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return pending;
}

}  // namespace tandem::notify
