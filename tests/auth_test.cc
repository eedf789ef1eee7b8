// Auth on a real SQLite store with a hand-set clock: throttling, expiry and single use are
// checked by moving time, never by waiting.
#include "app/auth.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/directory.h"
#include "store/open_store.h"

namespace tandem {
namespace {

constexpr Millis kSecond = 1000;
constexpr Millis kMinute = 60 * kSecond;
constexpr char kPassword[] = "correct horse battery";

class AuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(InitCrypto().ok());
    dir_ = std::filesystem::temp_directory_path() /
           ("tandem-auth-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto opened = store::OpenStore("sqlite:" + (dir_ / "t.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store_ = std::move(opened).value();
    AuthConfig config;
    config.password_cost = {1, 8192};  // the minimum: these tests are about the rules
    config.session_idle = 10 * kMinute;
    config.session_absolute = 60 * kMinute;
    auth_ = std::make_unique<Auth>(*store_, clock_, config);
    account_ = AddAccount("ada@example.com", kPassword);
  }
  void TearDown() override {
    auth_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  RowId AddAccount(const std::string& email, const std::string& password) {
    RowId id = 0;
    const std::string hash = HashPassword(password, {1, 8192}).value();
    EXPECT_TRUE(store_
                    ->Write([&](StoreTx& tx) {
                      AccountRecord a;
                      a.email = email;
                      a.password_hash = hash;
                      a.system_admin = true;
                      id = tx.InsertAccount(a);
                      return Status::Ok();
                    })
                    .ok());
    return id;
  }

  Result<NewSession> SignIn(const std::string& email, const std::string& password,
                            const std::string& client = "10.0.0.1", Millis* wait = nullptr) {
    Millis ignored = 0;
    return auth_->SignInWithPassword(email, password, client, wait ? wait : &ignored);
  }

  ManualClock clock_{1'800'000'000'000};
  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Auth> auth_;
  RowId account_ = 0;
};

TEST_F(AuthTest, WrongPasswordAndUnknownAddressLookTheSame) {
  const auto wrong = SignIn("ada@example.com", "not the password!");
  const auto unknown = SignIn("nobody@example.com", "not the password!");
  EXPECT_EQ(wrong.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(unknown.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  const auto right = SignIn("  ADA@example.com ", kPassword);
  ASSERT_TRUE(right.ok()) << right.status().message();
  EXPECT_EQ(right.value().caller.account, account_);
}

TEST_F(AuthTest, FailuresPerAccountGrowTheDelayThenExpire) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(SignIn("ada@example.com", "wrong password " + std::to_string(i)).status().code(),
              StatusCode::kUnauthenticated);
  }
  // The sixth attempt, even with the right password, must wait a second.
  Millis wait = 0;
  EXPECT_EQ(SignIn("ada@example.com", kPassword, "10.0.0.1", &wait).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(wait, kSecond);
  clock_.Advance(kSecond);
  EXPECT_EQ(SignIn("ada@example.com", "wrong again!!!").status().code(),
            StatusCode::kUnauthenticated);
  SignIn("ada@example.com", kPassword, "10.0.0.1", &wait);
  EXPECT_EQ(wait, 2 * kSecond);  // doubled
  clock_.Advance(2 * kSecond);
  EXPECT_TRUE(SignIn("ada@example.com", kPassword).ok());
}

TEST_F(AuthTest, HundredFailuresAnHourStopTheAccountForAWhileNotForGood) {
  ASSERT_TRUE(store_
                  ->Write([&](StoreTx& tx) {
                    for (int i = 0; i < 100; ++i) {
                      tx.RecordSignInFailure(account_, "10.9." + std::to_string(i % 50) + ".1",
                                             clock_.Now() - 50 * kMinute + i * kSecond);
                    }
                    return Status::Ok();
                  })
                  .ok());
  Millis wait = 0;
  EXPECT_EQ(SignIn("ada@example.com", kPassword, "10.0.0.1", &wait).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(wait, 15 * kMinute);
  // Other accounts are not affected.
  AddAccount("bob@example.com", kPassword);
  EXPECT_TRUE(SignIn("bob@example.com", kPassword, "10.0.0.1").ok());
  // An hour after the failures they no longer count.
  clock_.Advance(15 * kMinute);
  EXPECT_TRUE(SignIn("ada@example.com", kPassword).ok());
}

TEST_F(AuthTest, OneClientSprayingManyAccountsIsSlowedToo) {
  for (int i = 0; i < 20; ++i) {
    SignIn("user" + std::to_string(i) + "@example.com", "guess guess guess", "192.0.2.7");
  }
  Millis wait = 0;
  EXPECT_EQ(SignIn("ada@example.com", kPassword, "192.0.2.7", &wait).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_GT(wait, 0);
  // Another address is not slowed down by it.
  EXPECT_TRUE(SignIn("ada@example.com", kPassword, "192.0.2.8").ok());
}

TEST_F(AuthTest, SessionsEndWhenIdleAtTheAbsoluteLimitAndOnSignOut) {
  const auto session = SignIn("ada@example.com", kPassword);
  ASSERT_TRUE(session.ok());
  const std::string token = session.value().token;
  // Used every nine minutes: the idle limit (ten) never hits.
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(9 * kMinute);
    ASSERT_TRUE(auth_->AuthenticateSession(token, "10.0.0.1").ok()) << i;
  }
  clock_.Advance(10 * kMinute);
  EXPECT_EQ(auth_->AuthenticateSession(token, "10.0.0.1").status().code(),
            StatusCode::kUnauthenticated);

  const auto fresh = SignIn("ada@example.com", kPassword);
  ASSERT_TRUE(fresh.ok());
  // Kept busy for 59 minutes: still valid; a minute later past the absolute limit.
  for (int i = 0; i < 6; ++i) {
    clock_.Advance(9 * kMinute);
    ASSERT_TRUE(auth_->AuthenticateSession(fresh.value().token, "").ok()) << i;
  }
  clock_.Advance(5 * kMinute);
  ASSERT_TRUE(auth_->AuthenticateSession(fresh.value().token, "").ok());
  clock_.Advance(kMinute);
  EXPECT_FALSE(auth_->AuthenticateSession(fresh.value().token, "").ok());

  const auto a = SignIn("ada@example.com", kPassword);
  const auto b = SignIn("ada@example.com", kPassword);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a.value().token, b.value().token);
  ASSERT_TRUE(auth_->SignOut(a.value().caller).ok());
  EXPECT_FALSE(auth_->AuthenticateSession(a.value().token, "").ok());
  EXPECT_TRUE(auth_->AuthenticateSession(b.value().token, "").ok());
  ASSERT_TRUE(auth_->SignOutEverywhere(b.value().caller).ok());
  EXPECT_FALSE(auth_->AuthenticateSession(b.value().token, "").ok());
}

TEST_F(AuthTest, CsrfTokenBelongsToItsSession) {
  const auto a = SignIn("ada@example.com", kPassword);
  const auto b = SignIn("ada@example.com", kPassword);
  ASSERT_TRUE(a.ok() && b.ok());
  const Caller caller = auth_->AuthenticateSession(a.value().token, "").value();
  EXPECT_TRUE(Auth::CheckCsrf(caller, a.value().csrf_token));
  EXPECT_FALSE(Auth::CheckCsrf(caller, b.value().csrf_token));
  EXPECT_FALSE(Auth::CheckCsrf(caller, ""));
}

TEST_F(AuthTest, SignInLinksAreSingleUseAndExpire) {
  const Result<std::string> link = auth_->CreateSystemAdmin("root@example.com");
  ASSERT_TRUE(link.ok());
  const std::string token = link.value().substr(link.value().find("#link=") + 6);
  EXPECT_TRUE(auth_->RedeemSignInLink(token, "").ok());
  EXPECT_EQ(auth_->RedeemSignInLink(token, "").status().code(), StatusCode::kUnauthenticated);

  const Result<std::string> later = auth_->CreateSystemAdmin("root@example.com");
  clock_.Advance(24 * 60 * kMinute);
  const std::string expired = later.value().substr(later.value().find("#link=") + 6);
  EXPECT_EQ(auth_->RedeemSignInLink(expired, "").status().code(), StatusCode::kUnauthenticated);
  // E-mailed links: the request always succeeds; the mail goes to the outbox.
  ASSERT_TRUE(auth_->RequestSignInLink("ada@example.com", "").ok());
  ASSERT_TRUE(auth_->RequestSignInLink("nobody@example.com", "").ok());
  std::int64_t pending = 0;
  ASSERT_TRUE(store_
                  ->Read([&](StoreTx& tx) {
                    pending = tx.CountPendingMail();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(pending, 1);
}

TEST_F(AuthTest, MailedLinksAreLimitedPerAccountAndHour) {
  const auto pending = [&] {
    std::int64_t n = 0;
    EXPECT_TRUE(store_
                    ->Read([&](StoreTx& tx) {
                      n = tx.CountPendingMail();
                      return Status::Ok();
                    })
                    .ok());
    return n;
  };
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(auth_->RequestSignInLink("ada@example.com", "").ok());
  EXPECT_EQ(pending(), 5);
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(auth_->RequestPasswordReset("ada@example.com", "").ok());
  EXPECT_EQ(pending(), 10);
  clock_.Advance(61 * kMinute);
  ASSERT_TRUE(auth_->RequestSignInLink("ada@example.com", "").ok());
  EXPECT_EQ(pending(), 11);
}

TEST_F(AuthTest, ApiTokensCarryTheirScopesAndCanBeRevoked) {
  const auto session = SignIn("ada@example.com", kPassword);
  ASSERT_TRUE(session.ok());
  const Caller admin = session.value().caller;
  EXPECT_EQ(auth_->CreateApiToken(admin, "hr", {"people:fly"}).status().code(),
            StatusCode::kInvalidArgument);
  const auto token = auth_->CreateApiToken(admin, "hr import", {kScopePeopleWrite});
  ASSERT_TRUE(token.ok());
  const auto caller = auth_->AuthenticateApiToken(token.value().token, "");
  ASSERT_TRUE(caller.ok());
  EXPECT_TRUE(caller.value().HasScope(kScopePeopleWrite));
  EXPECT_FALSE(caller.value().HasScope(kScopeAuditRead));
  EXPECT_EQ(auth_->CreateApiToken(caller.value(), "again", {kScopePeopleRead}).status().code(),
            StatusCode::kPermissionDenied);
  // An integration's token may not touch the person's own security.
  EXPECT_EQ(auth_->ChangePassword(caller.value(), kPassword, "a brand new password").code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(auth_->SignOutEverywhere(caller.value()).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(auth_->RevokeApiToken(caller.value(), token.value().id).code(),
            StatusCode::kPermissionDenied);
  ASSERT_TRUE(auth_->RevokeApiToken(admin, token.value().id).ok());
  EXPECT_FALSE(auth_->AuthenticateApiToken(token.value().token, "").ok());
}

}  // namespace
}  // namespace tandem
