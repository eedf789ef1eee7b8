// Who is asking: the identity every use case receives and authorises against.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/store.h"

namespace tandem {

// API token scopes. A token acts with its account's permissions, narrowed to its scopes.
inline constexpr char kScopePeopleRead[] = "people:read";
inline constexpr char kScopePeopleWrite[] = "people:write";
inline constexpr char kScopeProgrammesRead[] = "programmes:read";
inline constexpr char kScopeProgrammesWrite[] = "programmes:write";
inline constexpr char kScopeAuditRead[] = "audit:read";

struct Caller {
  RowId account = 0;  // 0: anonymous
  std::optional<RowId> person;
  bool system_admin = false;
  std::vector<RowId> programmes;  // the programmes this account administers
  Language language = Language::kGerman;
  // How the caller authenticated.
  RowId session = 0;                // a browser session, or 0
  std::string csrf_hash;            // the session's anti-CSRF token hash
  Millis session_expires_at = 0;    // the session's absolute expiry
  RowId api_token = 0;              // an API token, or 0
  std::vector<std::string> scopes;  // the API token's scopes
  std::string client;               // the client address, for throttling and the audit log

  bool anonymous() const { return account == 0; }
  // Whether the credential carries `scope`: sessions carry every scope, API tokens theirs.
  bool HasScope(std::string_view scope) const {
    if (api_token == 0) return !anonymous();
    for (const std::string& s : scopes) {
      if (s == scope) return true;
    }
    return false;
  }
  // "account:<id>" or "anonymous": how the audit log names the caller.
  std::string Actor() const {
    return anonymous() ? std::string("anonymous") : "account:" + std::to_string(account);
  }
};

}  // namespace tandem
