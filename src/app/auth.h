// Accounts and sign-in: passwords, e-mailed links, invitations, sessions, API tokens and the
// throttling of failed sign-ins. See docs/security.md for the design and its parameters.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/crypto.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

struct AuthConfig {
  std::string public_url = "http://127.0.0.1:8080";  // base of the links in e-mails
  Millis session_idle = 2LL * 60 * 60 * 1000;        // ends a session unused this long
  Millis session_absolute = 12LL * 60 * 60 * 1000;   // ends every session this long after sign-in
  Millis session_touch_interval = 60LL * 1000;       // how stale last_seen may get before a write
  Millis invitation_ttl = 7LL * 24 * 60 * 60 * 1000;
  Millis sign_in_link_ttl = 15LL * 60 * 1000;
  Millis password_reset_ttl = 60LL * 60 * 1000;
  Millis admin_setup_ttl = 24LL * 60 * 60 * 1000;
  // E-mailed links (sign-in, reset) per account and hour: more requests send nothing.
  int mailed_links_per_hour = 5;
  // Throttling of failed password sign-ins (per account, per client address).
  int account_failures_per_hour = 100;
  int client_failures_per_hour = 300;
  int free_failures = 5;                // failures in 15 minutes before delays start
  Millis max_delay = 15LL * 60 * 1000;  // the longest delay between two attempts
  PasswordCost password_cost;
};

// A new browser session: the token goes into the cookie, the CSRF token to the page. Both are
// shown here once; the store keeps only their hashes.
struct NewSession {
  std::string token;
  std::string csrf_token;
  Millis expires_at = 0;
  Caller caller;
};

// A new API token, shown once.
struct NewApiToken {
  RowId id = 0;
  std::string token;
};

class Auth {
 public:
  // `store` and `clock` must outlive this object. Thread-safe.
  Auth(Store& store, const Clock& clock, AuthConfig config);

  // ---- Authentication of a request. Unauthenticated when the credential is unknown,
  // expired, ended or revoked, or its account is disabled.
  Result<Caller> AuthenticateSession(std::string_view token, const std::string& client);
  Result<Caller> AuthenticateApiToken(std::string_view token, const std::string& client);
  // True when `csrf_token` is the one issued with the caller's session.
  static bool CheckCsrf(const Caller& caller, std::string_view csrf_token);

  // ---- Signing in. Failures are Unauthenticated with one message for every reason (no
  // account enumeration); throttled attempts are ResourceExhausted and set *retry_after.
  Result<NewSession> SignInWithPassword(std::string_view email, std::string_view password,
                                        const std::string& client, Millis* retry_after);
  // E-mails a sign-in link when the address has an account; always returns ok.
  Status RequestSignInLink(std::string_view email, const std::string& client);
  Result<NewSession> RedeemSignInLink(std::string_view token, const std::string& client);
  // Accepts an invitation, optionally setting a password at the same time.
  Result<NewSession> RedeemInvitation(std::string_view token, std::string_view password,
                                      const std::string& client);
  // E-mails a password-reset link when the address has an account; always returns ok.
  Status RequestPasswordReset(std::string_view email, const std::string& client);
  // Sets the new password, ends every session of the account, and opens a new one.
  Result<NewSession> RedeemPasswordReset(std::string_view token, std::string_view password,
                                         const std::string& client);

  Status SignOut(const Caller& caller);
  Status SignOutEverywhere(const Caller& caller);
  Status ChangePassword(const Caller& caller, std::string_view current, std::string_view next);

  // ---- Administration.
  // Creates (or promotes) the system administrator with this e-mail address and returns a
  // one-time sign-in link for them (for `tandem admin create`; nothing is e-mailed).
  Result<std::string> CreateSystemAdmin(std::string_view email);
  // A one-time sign-in link for the person (their account is created when missing), valid as
  // long as an administrator's set-up link; nothing is e-mailed. For operators at the command
  // line (`tandem demo`), never over the API.
  Result<std::string> CreateSignInLinkForPerson(RowId person);
  // Creates the person's account when missing and e-mails them an invitation. Allowed for
  // system administrators and for administrators of a programme the person is enrolled in.
  Status InvitePerson(const Caller& caller, RowId person);

  Result<NewApiToken> CreateApiToken(const Caller& caller, std::string_view name,
                                     const std::vector<std::string>& scopes);
  Result<std::vector<ApiTokenRecord>> ListApiTokens(const Caller& caller);
  Status RevokeApiToken(const Caller& caller, RowId id);

  // ---- Building blocks for other use cases, inside their transaction (no permission check:
  // the caller has decided). The person's account, created when missing; InvalidArgument when
  // the person has no e-mail address.
  Result<AccountRecord> EnsureAccount(StoreTx& tx, const PersonRecord& person);
  // E-mails the account an invitation link (valid invitation_ttl) that signs them in and
  // leads to `path` (e.g. "/programmes/3").
  void EnqueueInvitation(StoreTx& tx, const AccountRecord& account, std::string_view path);

  const AuthConfig& config() const { return config_; }

 private:
  Result<NewSession> OpenSession(StoreTx& tx, const AccountRecord& account,
                                 const std::string& client, std::string_view how);
  Result<Caller> CallerFor(StoreTx& tx, const AccountRecord& account, const std::string& client);
  // Validates and consumes a one-time token of `purpose`; NotFound-free: Unauthenticated.
  Result<AccountRecord> UseToken(StoreTx& tx, std::string_view token, TokenPurpose purpose);
  void EnqueueLinkMail(StoreTx& tx, const AccountRecord& account, TokenPurpose purpose, Millis ttl,
                       std::string_view path);

  Store& store_;
  const Clock& clock_;
  const AuthConfig config_;
  std::string dummy_hash_;  // verified against when the account is unknown: equal timing
};

// Lower-cases ASCII letters and trims blanks: how e-mail addresses are compared.
std::string NormaliseEmail(std::string_view email);

}  // namespace tandem
