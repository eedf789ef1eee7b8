// Secrets: random tokens, token hashes, password hashes (libsodium). Tokens are shown to
// their owner once and stored only as hashes; passwords only as Argon2id hashes.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace tandem {

// REQUIRES: called once before any other function here (thread-safe, idempotent).
Status InitCrypto();

// 256 random bits, base64url without padding (43 characters).
std::string RandomToken();

// SHA-256 of the token, lower-case hex: what the database stores.
std::string HashToken(std::string_view token);

// Equal strings, compared in time independent of where they differ.
bool SecretEquals(std::string_view a, std::string_view b);

// The password rules: 12 to 128 characters (Unicode code points), valid UTF-8. Returns
// InvalidArgument naming the rule that failed.
Status CheckPasswordPolicy(std::string_view password);

struct PasswordCost {
  unsigned long long ops = 2;                // passes (OWASP: at least 2 with 19 MiB)
  size_t memory = size_t{19} * 1024 * 1024;  // bytes
};

// Argon2id hash in libsodium's self-describing string format (parameters included).
Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost = {});

// True when `password` matches `hash`. A malformed hash never matches.
bool VerifyPassword(std::string_view hash, std::string_view password);

}  // namespace tandem
