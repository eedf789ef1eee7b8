#include "app/auth.h"

#include <algorithm>
#include <utility>

#include "app/mail_templates.h"

namespace tandem {
namespace {

constexpr Millis kMinute = Millis{60} * 1000;
constexpr Millis kHour = 60 * kMinute;
constexpr char kBadCredentials[] = "the e-mail address or the password is wrong";
constexpr char kBadLink[] = "the link is invalid, used or expired";
constexpr char kSignedOut[] = "not signed in, or the session has ended";

const std::vector<std::string>& KnownScopes() {
  static const std::vector<std::string> kScopes = {kScopePeopleRead, kScopePeopleWrite,
                                                   kScopeProgrammesRead, kScopeProgrammesWrite,
                                                   kScopeAuditRead};
  return kScopes;
}

AuditRecord Audit(Millis at, std::string actor, std::string action, std::string entity,
                  std::optional<RowId> id, std::string detail = {}) {
  return {0, at, std::move(actor), std::move(action), std::move(entity), id, std::move(detail)};
}

MailKind KindOf(TokenPurpose purpose) {
  switch (purpose) {
    case TokenPurpose::kInvitation:
      return MailKind::kInvitation;
    case TokenPurpose::kPasswordReset:
      return MailKind::kPasswordReset;
    case TokenPurpose::kSignIn:
      break;
  }
  return MailKind::kSignInLink;
}

// The delay owed before the next attempt after `failures` recent failures, the latest at
// `last`: nothing for the first few, then doubling from one second up to `max_delay`.
Millis DelayAfter(std::int64_t failures, int free_failures, Millis max_delay) {
  if (failures < free_failures) return 0;
  const std::int64_t doublings = std::min<std::int64_t>(failures - free_failures, 30);
  return std::min<Millis>(Millis{1000} << doublings, max_delay);
}

// Account security (password, sessions, tokens) is for the person, never for an integration.
Status RequirePerson(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignedOut);
  if (caller.api_token != 0) {
    return Status::PermissionDenied("API tokens cannot manage passwords, sessions or tokens");
  }
  return Status::Ok();
}

}  // namespace

std::string NormaliseEmail(std::string_view email) {
  while (!email.empty() && (email.front() == ' ' || email.front() == '\t')) email.remove_prefix(1);
  while (!email.empty() && (email.back() == ' ' || email.back() == '\t')) email.remove_suffix(1);
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

Auth::Auth(Store& store, const Clock& clock, AuthConfig config)
    : store_(store), clock_(clock), config_(std::move(config)) {
  Result<std::string> dummy = HashPassword("not the password of anyone", config_.password_cost);
  if (dummy.ok()) dummy_hash_ = std::move(dummy).value();
}

Result<Caller> Auth::CallerFor(StoreTx& tx, const AccountRecord& account,
                               const std::string& client) {
  if (account.disabled_at) return Status::Unauthenticated("this account is disabled");
  Caller caller;
  caller.account = account.id;
  caller.person = account.person;
  caller.system_admin = account.system_admin;
  caller.programmes = tx.ListAdministeredProgrammes(account.id);
  caller.language = account.language;
  caller.client = client;
  return caller;
}

Result<Caller> Auth::AuthenticateSession(std::string_view token, const std::string& client) {
  if (token.empty()) return Status::Unauthenticated(kSignedOut);
  const Millis now = clock_.Now();
  const std::string hash = HashToken(token);
  Result<Caller> result = Status::Unauthenticated(kSignedOut);
  bool touch = false;
  RowId session_id = 0;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<SessionRecord> session = tx.FindSessionByTokenHash(hash);
    if (!session || session->ended_at || now >= session->expires_at ||
        now - session->last_seen_at >= config_.session_idle) {
      return Status::Ok();
    }
    const std::optional<AccountRecord> account = tx.FindAccount(session->account);
    if (!account) return Status::Ok();
    result = CallerFor(tx, *account, client);
    if (result.ok()) {
      result.value().session = session->id;
      result.value().csrf_hash = session->csrf_hash;
      result.value().session_expires_at = session->expires_at;
    }
    // Kept to the minute, or finer when sessions idle out sooner: most requests need no write.
    touch = now - session->last_seen_at >=
            std::min(config_.session_touch_interval, config_.session_idle / 4);
    session_id = session->id;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  // The idle clock is kept to the minute: most requests then need no write.
  if (result.ok() && touch) {
    const Status touched = store_.Write([&](StoreTx& tx) {
      tx.TouchSession(session_id, now);
      return Status::Ok();
    });
    if (!touched.ok()) return touched;
  }
  return result;
}

Result<Caller> Auth::AuthenticateApiToken(std::string_view token, const std::string& client) {
  if (token.empty()) return Status::Unauthenticated("no API token");
  const Millis now = clock_.Now();
  const std::string hash = HashToken(token);
  Result<Caller> result = Status::Unauthenticated("the API token is unknown or revoked");
  bool touch = false;
  RowId token_id = 0;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<ApiTokenRecord> record = tx.FindApiTokenByHash(hash);
    if (!record || record->revoked_at) return Status::Ok();
    const std::optional<AccountRecord> account = tx.FindAccount(record->account);
    if (!account) return Status::Ok();
    result = CallerFor(tx, *account, client);
    if (result.ok()) {
      result.value().api_token = record->id;
      result.value().scopes = record->scopes;
    }
    touch = !record->last_used_at || now - *record->last_used_at >= config_.session_touch_interval;
    token_id = record->id;
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (result.ok() && touch) {
    const Status touched = store_.Write([&](StoreTx& tx) {
      tx.TouchApiToken(token_id, now);
      return Status::Ok();
    });
    if (!touched.ok()) return touched;
  }
  return result;
}

bool Auth::CheckCsrf(const Caller& caller, std::string_view csrf_token) {
  if (caller.session == 0 || csrf_token.empty()) return false;
  return SecretEquals(HashToken(csrf_token), caller.csrf_hash);
}

Result<NewSession> Auth::OpenSession(StoreTx& tx, const AccountRecord& account,
                                     const std::string& client, std::string_view how) {
  Result<Caller> caller = CallerFor(tx, account, client);
  if (!caller.ok()) return caller.status();
  const Millis now = clock_.Now();
  NewSession session;
  session.token = RandomToken();
  session.csrf_token = RandomToken();
  session.expires_at = now + config_.session_absolute;
  SessionRecord record;
  record.token_hash = HashToken(session.token);
  record.csrf_hash = HashToken(session.csrf_token);
  record.account = account.id;
  record.created_at = record.last_seen_at = now;
  record.expires_at = session.expires_at;
  session.caller = std::move(caller).value();
  session.caller.session = tx.InsertSession(record);
  session.caller.csrf_hash = record.csrf_hash;
  session.caller.session_expires_at = record.expires_at;
  tx.AppendAudit(
      Audit(now, session.caller.Actor(), "auth.sign_in", "account", account.id, std::string(how)));
  return session;
}

Result<NewSession> Auth::SignInWithPassword(std::string_view email, std::string_view password,
                                            const std::string& client, Millis* retry_after) {
  *retry_after = 0;
  const std::string address = NormaliseEmail(email);
  const Millis now = clock_.Now();
  std::optional<AccountRecord> account;
  Status throttled;
  Status looked_up = store_.Read([&](StoreTx& tx) {
    account = tx.FindAccountByEmail(address);
    // Both limits: per account (protects one person) and per client (slows a spray).
    const FailureStats by_client = tx.ClientFailures(client, now - kHour);
    const FailureStats recent_client = tx.ClientFailures(client, now - 15 * kMinute);
    Millis wait = 0;
    if (by_client.count >= config_.client_failures_per_hour) wait = 15 * kMinute;
    if (recent_client.last_at) {
      wait = std::max(
          wait, *recent_client.last_at +
                    DelayAfter(recent_client.count, 4 * config_.free_failures, config_.max_delay) -
                    now);
    }
    if (account) {
      const FailureStats by_account = tx.AccountFailures(account->id, now - kHour);
      const FailureStats recent = tx.AccountFailures(account->id, now - 15 * kMinute);
      if (by_account.count >= config_.account_failures_per_hour)
        wait = std::max(wait, 15 * kMinute);
      if (recent.last_at) {
        wait = std::max(
            wait, *recent.last_at +
                      DelayAfter(recent.count, config_.free_failures, config_.max_delay) - now);
      }
    }
    if (wait > 0) {
      *retry_after = wait;
      throttled = Status::ResourceExhausted("too many failed sign-ins; try again later");
    }
    return Status::Ok();
  });
  if (!looked_up.ok()) return looked_up;
  if (!throttled.ok()) return throttled;

  // Verify outside any transaction: Argon2id takes tens of milliseconds on purpose.
  const bool known = account && !account->password_hash.empty() && !account->disabled_at;
  bool matches = false;
  if (known) {
    matches = VerifyPassword(account->password_hash, password);
  } else {
    VerifyPassword(dummy_hash_, password);  // the same work, so timing tells nothing
  }
  Result<NewSession> session = Status::Unauthenticated(kBadCredentials);
  Status written = store_.Write([&](StoreTx& tx) {
    if (!matches) {
      std::optional<RowId> id;
      if (account) id = account->id;
      tx.RecordSignInFailure(id, client, now);
      // Client addresses are personal data: kept only as long as throttling needs them.
      tx.PruneSignInFailures(now - 24 * kHour);
      tx.AppendAudit(Audit(now, "anonymous", "auth.sign_in_failed", "account", id, "password"));
      return Status::Ok();
    }
    const std::optional<AccountRecord> current = tx.FindAccount(account->id);
    if (!current) return Status::Ok();
    session = OpenSession(tx, *current, client, "password");
    return session.ok() ? Status::Ok() : session.status();
  });
  if (!written.ok()) return written;
  return session;
}

void Auth::EnqueueLinkMail(StoreTx& tx, const AccountRecord& account, TokenPurpose purpose,
                           Millis ttl, std::string_view path) {
  const Millis now = clock_.Now();
  const std::string token = RandomToken();
  tx.InsertOneTimeToken({0, HashToken(token), purpose, account.id, now, now + ttl, std::nullopt});
  std::string name = account.display_name;
  if (name.empty() && account.person) {
    const std::optional<PersonRecord> person = tx.FindPerson(*account.person);
    if (person) name = person->name;
  }
  // The token travels in the fragment: browsers do not send it to servers or proxies' logs.
  const std::string link = config_.public_url + std::string(path) + token;
  const MailContent content =
      RenderMail(KindOf(purpose), account.language, name, link, static_cast<int>(ttl / kMinute));
  tx.EnqueueMail(OutboxMail(account.email, content, now));
}

Status Auth::RequestSignInLink(std::string_view email, const std::string& client) {
  (void)client;
  const std::string address = NormaliseEmail(email);
  return store_.Write([&](StoreTx& tx) {
    const std::optional<AccountRecord> account = tx.FindAccountByEmail(address);
    if (!account || account->disabled_at) return Status::Ok();
    // Nobody can flood a person's mailbox: the answer stays the same, no mail goes out.
    if (tx.CountOneTimeTokens(account->id, TokenPurpose::kSignIn, clock_.Now() - kHour) >=
        config_.mailed_links_per_hour) {
      return Status::Ok();
    }
    EnqueueLinkMail(tx, *account, TokenPurpose::kSignIn, config_.sign_in_link_ttl,
                    "/sign-in#link=");
    tx.AppendAudit(
        Audit(clock_.Now(), "anonymous", "auth.sign_in_link_sent", "account", account->id));
    return Status::Ok();
  });
}

Result<AccountRecord> Auth::UseToken(StoreTx& tx, std::string_view token, TokenPurpose purpose) {
  const Millis now = clock_.Now();
  const std::optional<OneTimeTokenRecord> record = tx.FindOneTimeToken(HashToken(token));
  if (!record || record->purpose != purpose || record->used_at || now >= record->expires_at) {
    return Status::Unauthenticated(kBadLink);
  }
  // Exactly one redemption wins, even when two arrive at once.
  if (!tx.UseOneTimeToken(record->id, now)) return Status::Unauthenticated(kBadLink);
  const std::optional<AccountRecord> account = tx.FindAccount(record->account);
  if (!account || account->disabled_at) return Status::Unauthenticated(kBadLink);
  return *account;
}

Result<NewSession> Auth::RedeemSignInLink(std::string_view token, const std::string& client) {
  Result<NewSession> session = Status::Unauthenticated(kBadLink);
  const Status status = store_.Write([&](StoreTx& tx) {
    Result<AccountRecord> account = UseToken(tx, token, TokenPurpose::kSignIn);
    if (!account.ok()) return account.status();
    session = OpenSession(tx, account.value(), client, "link");
    return session.ok() ? Status::Ok() : session.status();
  });
  if (!status.ok()) return status;
  return session;
}

Result<NewSession> Auth::RedeemInvitation(std::string_view token, std::string_view password,
                                          const std::string& client) {
  std::string hash;
  if (!password.empty()) {
    if (Status policy = CheckPasswordPolicy(password); !policy.ok()) return policy;
    Result<std::string> hashed = HashPassword(password, config_.password_cost);
    if (!hashed.ok()) return hashed.status();
    hash = std::move(hashed).value();
  }
  Result<NewSession> session = Status::Unauthenticated(kBadLink);
  const Status status = store_.Write([&](StoreTx& tx) {
    Result<AccountRecord> account = UseToken(tx, token, TokenPurpose::kInvitation);
    if (!account.ok()) return account.status();
    AccountRecord updated = account.value();
    if (!hash.empty()) {
      updated.password_hash = hash;
      updated.updated_at = clock_.Now();
      if (!tx.UpdateAccount(updated)) return Status::Conflict("the account changed; try again");
      updated.version += 1;
    }
    session = OpenSession(tx, updated, client, "invitation");
    return session.ok() ? Status::Ok() : session.status();
  });
  if (!status.ok()) return status;
  return session;
}

Status Auth::RequestPasswordReset(std::string_view email, const std::string& client) {
  (void)client;
  const std::string address = NormaliseEmail(email);
  return store_.Write([&](StoreTx& tx) {
    const std::optional<AccountRecord> account = tx.FindAccountByEmail(address);
    if (!account || account->disabled_at) return Status::Ok();
    if (tx.CountOneTimeTokens(account->id, TokenPurpose::kPasswordReset, clock_.Now() - kHour) >=
        config_.mailed_links_per_hour) {
      return Status::Ok();
    }
    EnqueueLinkMail(tx, *account, TokenPurpose::kPasswordReset, config_.password_reset_ttl,
                    "/reset-password#token=");
    tx.AppendAudit(
        Audit(clock_.Now(), "anonymous", "auth.password_reset_requested", "account", account->id));
    return Status::Ok();
  });
}

Result<NewSession> Auth::RedeemPasswordReset(std::string_view token, std::string_view password,
                                             const std::string& client) {
  if (Status policy = CheckPasswordPolicy(password); !policy.ok()) return policy;
  Result<std::string> hashed = HashPassword(password, config_.password_cost);
  if (!hashed.ok()) return hashed.status();
  Result<NewSession> session = Status::Unauthenticated(kBadLink);
  const Status status = store_.Write([&](StoreTx& tx) {
    Result<AccountRecord> account = UseToken(tx, token, TokenPurpose::kPasswordReset);
    if (!account.ok()) return account.status();
    AccountRecord updated = account.value();
    updated.password_hash = hashed.value();
    updated.updated_at = clock_.Now();
    if (!tx.UpdateAccount(updated)) return Status::Conflict("the account changed; try again");
    updated.version += 1;
    tx.EndAllSessions(updated.id, clock_.Now());
    tx.AppendAudit(Audit(clock_.Now(), "account:" + std::to_string(updated.id),
                         "auth.password_reset", "account", updated.id));
    session = OpenSession(tx, updated, client, "password reset");
    return session.ok() ? Status::Ok() : session.status();
  });
  if (!status.ok()) return status;
  return session;
}

Status Auth::SignOut(const Caller& caller) {
  if (caller.session == 0) return Status::Unauthenticated(kSignedOut);
  return store_.Write([&](StoreTx& tx) {
    tx.EndSession(caller.session, clock_.Now());
    tx.AppendAudit(Audit(clock_.Now(), caller.Actor(), "auth.sign_out", "account", caller.account));
    return Status::Ok();
  });
}

Status Auth::SignOutEverywhere(const Caller& caller) {
  if (Status person = RequirePerson(caller); !person.ok()) return person;
  return store_.Write([&](StoreTx& tx) {
    const std::int64_t ended = tx.EndAllSessions(caller.account, clock_.Now());
    tx.AppendAudit(Audit(clock_.Now(), caller.Actor(), "auth.sign_out_everywhere", "account",
                         caller.account, "sessions " + std::to_string(ended)));
    return Status::Ok();
  });
}

Status Auth::ChangePassword(const Caller& caller, std::string_view current, std::string_view next) {
  if (Status person = RequirePerson(caller); !person.ok()) return person;
  if (Status policy = CheckPasswordPolicy(next); !policy.ok()) return policy;
  std::optional<AccountRecord> account;
  Status read = store_.Read([&](StoreTx& tx) {
    account = tx.FindAccount(caller.account);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (!account) return Status::Unauthenticated(kSignedOut);
  if (!account->password_hash.empty() && !VerifyPassword(account->password_hash, current)) {
    return Status::InvalidArgument("current_password: does not match");
  }
  Result<std::string> hashed = HashPassword(next, config_.password_cost);
  if (!hashed.ok()) return hashed.status();
  return store_.Write([&](StoreTx& tx) {
    account->password_hash = hashed.value();
    account->updated_at = clock_.Now();
    if (!tx.UpdateAccount(*account)) return Status::Conflict("the account changed; try again");
    tx.AppendAudit(
        Audit(clock_.Now(), caller.Actor(), "auth.password_changed", "account", caller.account));
    return Status::Ok();
  });
}

Result<std::string> Auth::CreateSystemAdmin(std::string_view email) {
  const std::string address = NormaliseEmail(email);
  if (address.empty() || address.find('@') == std::string::npos) {
    return Status::InvalidArgument("email: not an e-mail address");
  }
  const Millis now = clock_.Now();
  const std::string token = RandomToken();
  const Status status = store_.Write([&](StoreTx& tx) {
    std::optional<AccountRecord> account = tx.FindAccountByEmail(address);
    RowId id = 0;
    if (!account) {
      AccountRecord created;
      created.email = address;
      created.system_admin = true;
      created.created_at = created.updated_at = now;
      id = tx.InsertAccount(created);
    } else {
      id = account->id;
      if (!account->system_admin || account->disabled_at) {
        account->system_admin = true;
        account->disabled_at.reset();
        account->updated_at = now;
        if (!tx.UpdateAccount(*account)) return Status::Conflict("the account changed; try again");
      }
    }
    tx.InsertOneTimeToken({0, HashToken(token), TokenPurpose::kSignIn, id, now,
                           now + config_.admin_setup_ttl, std::nullopt});
    tx.AppendAudit(Audit(now, "cli", "account.system_admin_created", "account", id));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return config_.public_url + "/sign-in#link=" + token;
}

Result<std::string> Auth::CreateSignInLinkForPerson(RowId person_id) {
  const Millis now = clock_.Now();
  const std::string token = RandomToken();
  const Status status = store_.Write([&](StoreTx& tx) {
    const std::optional<PersonRecord> person = tx.FindPerson(person_id);
    if (!person) return Status::NotFound("person " + std::to_string(person_id) + " not found");
    Result<AccountRecord> account = EnsureAccount(tx, *person);
    if (!account.ok()) return account.status();
    tx.InsertOneTimeToken({0, HashToken(token), TokenPurpose::kSignIn, account.value().id, now,
                           now + config_.admin_setup_ttl, std::nullopt});
    tx.AppendAudit(
        Audit(now, "cli", "account.sign_in_link_created", "account", account.value().id));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return config_.public_url + "/sign-in#link=" + token;
}

Status Auth::InvitePerson(const Caller& caller, RowId person_id) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignedOut);
  const Millis now = clock_.Now();
  Status denied;
  Status status = store_.Write([&](StoreTx& tx) {
    const std::optional<PersonRecord> person = tx.FindPerson(person_id);
    // Who may see the person (else 404) and who may invite them (else 403): system
    // administrators, and administrators of a programme the person is enrolled in.
    bool admin = caller.system_admin;
    for (const RowId programme : caller.programmes) {
      if (admin || !person) break;
      admin = tx.FindEnrolment(programme, person_id).has_value();
    }
    const bool visible =
        person && (admin || caller.person == person_id) && caller.HasScope(kScopePeopleRead);
    if (!visible) {
      denied = Status::NotFound("person " + std::to_string(person_id) + " not found");
      return Status::Ok();
    }
    if (!admin || !caller.HasScope(kScopePeopleWrite)) {
      denied = Status::PermissionDenied("only administrators invite people");
      return Status::Ok();
    }
    Result<AccountRecord> account = EnsureAccount(tx, *person);
    if (!account.ok()) return account.status();
    EnqueueInvitation(tx, account.value(), "");
    tx.AppendAudit(Audit(now, caller.Actor(), "account.invited", "account", account.value().id));
    return Status::Ok();
  });
  if (!status.ok() || denied.ok()) return status;
  // The denial is audited in a transaction of its own: the use case's own one changed nothing.
  status = store_.Write([&](StoreTx& tx) {
    tx.AppendAudit(Audit(now, caller.Actor(), "permission.denied", "person", person_id, "invite"));
    return Status::Ok();
  });
  return status.ok() ? denied : status;
}

Result<AccountRecord> Auth::EnsureAccount(StoreTx& tx, const PersonRecord& person) {
  const std::string address = NormaliseEmail(person.email);
  if (address.find('@') == std::string::npos) {
    return Status::InvalidArgument("email: the person has no e-mail address");
  }
  std::optional<AccountRecord> account = tx.FindAccountByPerson(person.id);
  if (!account) account = tx.FindAccountByEmail(address);
  if (account) return *account;
  AccountRecord created;
  created.email = address;
  created.person = person.id;
  created.created_at = created.updated_at = clock_.Now();
  created.id = tx.InsertAccount(created);
  return created;
}

void Auth::EnqueueInvitation(StoreTx& tx, const AccountRecord& account, std::string_view path) {
  // The token stays in the fragment; the page signs in with it, then goes to `path`.
  std::string fragment = "/welcome";
  if (!path.empty()) fragment += "?next=" + std::string(path);
  EnqueueLinkMail(tx, account, TokenPurpose::kInvitation, config_.invitation_ttl,
                  fragment + "#invitation=");
}

Result<NewApiToken> Auth::CreateApiToken(const Caller& caller, std::string_view name,
                                         const std::vector<std::string>& scopes) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignedOut);
  if (caller.api_token != 0) {
    return Status::PermissionDenied("API tokens cannot create API tokens");
  }
  if (!caller.system_admin && caller.programmes.empty()) {
    return Status::PermissionDenied("only administrators use API tokens");
  }
  if (name.empty() || name.size() > 100) {
    return Status::InvalidArgument("name: 1 to 100 characters");
  }
  if (scopes.empty()) return Status::InvalidArgument("scopes: at least one");
  for (const std::string& scope : scopes) {
    if (std::find(KnownScopes().begin(), KnownScopes().end(), scope) == KnownScopes().end()) {
      return Status::InvalidArgument("scopes: unknown scope '" + scope + "'");
    }
  }
  const Millis now = clock_.Now();
  NewApiToken created;
  created.token = "tdm_" + RandomToken();
  const Status status = store_.Write([&](StoreTx& tx) {
    created.id = tx.InsertApiToken({0, HashToken(created.token), caller.account, std::string(name),
                                    scopes, now, std::nullopt, std::nullopt});
    tx.AppendAudit(Audit(now, caller.Actor(), "api_token.create", "api_token", created.id));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return created;
}

Result<std::vector<ApiTokenRecord>> Auth::ListApiTokens(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignedOut);
  std::vector<ApiTokenRecord> tokens;
  const Status status = store_.Read([&](StoreTx& tx) {
    tokens = tx.ListApiTokens(caller.account);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  for (ApiTokenRecord& token : tokens) token.token_hash.clear();
  return tokens;
}

Status Auth::RevokeApiToken(const Caller& caller, RowId id) {
  if (Status person = RequirePerson(caller); !person.ok()) return person;
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    const std::vector<ApiTokenRecord> own = tx.ListApiTokens(caller.account);
    const bool mine =
        std::any_of(own.begin(), own.end(), [id](const ApiTokenRecord& t) { return t.id == id; });
    if (!mine) return Status::NotFound("API token " + std::to_string(id) + " not found");
    tx.RevokeApiToken(id, now);
    tx.AppendAudit(Audit(now, caller.Actor(), "api_token.revoke", "api_token", id));
    return Status::Ok();
  });
}

}  // namespace tandem
