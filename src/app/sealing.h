// Encryption of the tandem's protected space (docs/privacy.md): every tandem has a random data
// key; the database holds it only wrapped by the master key (crypto_secretbox), and holds the
// partners' text only sealed by the tandem key (XChaCha20-Poly1305). The master key lives
// outside the database: a key file or an environment variable (docs/operations.md).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tandem {

// 32 secret bytes (a master key or a tandem key), wiped when destroyed. Copyable on purpose:
// keys are small and are passed by value between a transaction and its caller.
class SecretKey {
 public:
  static constexpr size_t kBytes = 32;
  SecretKey() = default;
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;
  ~SecretKey();

  // A fresh random key. REQUIRES: InitCrypto() was called.
  static SecretKey Generate();
  // From standard base64 of 32 bytes (surrounding whitespace ignored); InvalidArgument names
  // `what` (e.g. "TANDEM_MASTER_KEY") and never echoes the text.
  static Result<SecretKey> FromBase64(std::string_view text, std::string_view what);
  std::string ToBase64() const;
  // A short public fingerprint (16 hex digits) that names the key without revealing it.
  std::string Id() const;

  const unsigned char* data() const { return bytes_.data(); }
  unsigned char* data() { return bytes_.data(); }

 private:
  std::array<unsigned char, kBytes> bytes_{};
};

// Text sealed with a tandem key: both base64.
struct Sealed {
  std::string ciphertext;
  std::string nonce;
};

// `key` wrapped by `master`: base64 of nonce || crypto_secretbox(key).
std::string WrapKey(const SecretKey& master, const SecretKey& key);
// The key `wrapped` holds; Internal when it does not open with `master` (a wrong master key or
// damaged data).
Result<SecretKey> UnwrapKey(const SecretKey& master, std::string_view wrapped);

// Seals `plain` under `key`; `purpose` (e.g. "note") is authenticated with it, so that a
// ciphertext copied into a row of another kind does not open.
Sealed Seal(const SecretKey& key, std::string_view plain, std::string_view purpose);
// The plain text; Internal when it does not open (wrong key, wrong purpose, tampered).
Result<std::string> Unseal(const SecretKey& key, const Sealed& sealed, std::string_view purpose);

}  // namespace tandem
