#include "app/crypto.h"

#include <sodium.h>

#include <array>
#include <cstdint>

#include "app/csv_reader.h"

namespace tandem {

Status InitCrypto() {
  if (sodium_init() < 0) return Status::Internal("libsodium could not be initialised");
  return Status::Ok();
}

std::string RandomToken() {
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::array<char, 64> text{};
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes.data(), bytes.size());
  return std::string(text.data());
}

std::string HashToken(std::string_view token) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

bool SecretEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status CheckPasswordPolicy(std::string_view password) {
  if (!IsValidUtf8(password)) return Status::InvalidArgument("password: not valid UTF-8");
  size_t code_points = 0;
  for (const char c : password) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++code_points;
  }
  if (code_points < 12) return Status::InvalidArgument("password: at least 12 characters");
  if (code_points > 128) return Status::InvalidArgument("password: at most 128 characters");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, const PasswordCost& cost) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), cost.ops, cost.memory,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Unavailable("out of memory while hashing a password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::array<char, crypto_pwhash_STRBYTES> stored{};
  hash.copy(stored.data(), hash.size());
  return crypto_pwhash_str_verify(stored.data(), password.data(), password.size()) == 0;
}

}  // namespace tandem
