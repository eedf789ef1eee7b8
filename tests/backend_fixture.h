// A test fixture parameterised by backend: "sqlite" opens a fresh database file in a temporary
// directory; "postgresql" a scratch database on the server of TANDEM_TEST_POSTGRES_URL (the
// test is skipped when it is unset).
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

namespace tandem {

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("tandem-test-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      auto opened = store::OpenStore("sqlite:" + (dir_ / "t.db").string());
      ASSERT_TRUE(opened.ok()) << opened.status().message();
      store_ = std::move(opened).value();
      return;
    }
    const char* url = std::getenv("TANDEM_TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0') GTEST_SKIP() << "TANDEM_TEST_POSTGRES_URL is not set";
    auto opened = store::OpenScratchPostgresStore(url);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Store> store_;
  std::filesystem::path dir_;
};

// Instantiates `suite` (derived from BackendTest) for both backends.
#define TANDEM_BACKENDS(suite)                                                         \
  INSTANTIATE_TEST_SUITE_P(Backends, suite, ::testing::Values("sqlite", "postgresql"), \
                           [](const auto& test) { return test.param; })

}  // namespace tandem
