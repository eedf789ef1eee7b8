#include "app/sealing.h"

#include <sodium.h>

#include <vector>

namespace tandem {
namespace {

std::string ToBase64(const unsigned char* data, size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// False when `text` is not base64 or decodes to more than `max` bytes.
bool FromBase64(std::string_view text, std::vector<unsigned char>* out, size_t max) {
  out->assign(text.size() / 4 * 3 + 3, 0);
  size_t size = 0;
  if (sodium_base642bin(out->data(), out->size(), text.data(), text.size(), " \t\r\n", &size,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      size > max) {
    sodium_memzero(out->data(), out->size());
    return false;
  }
  out->resize(size);
  return true;
}

}  // namespace

SecretKey::~SecretKey() { sodium_memzero(bytes_.data(), bytes_.size()); }

SecretKey SecretKey::Generate() {
  SecretKey key;
  randombytes_buf(key.bytes_.data(), key.bytes_.size());
  return key;
}

Result<SecretKey> SecretKey::FromBase64(std::string_view text, std::string_view what) {
  std::vector<unsigned char> bytes;
  const std::string problem = std::string(what) +
                              ": expected a key of 32 bytes in base64 (make one with 'tandem keys "
                              "generate')";
  if (!tandem::FromBase64(text, &bytes, 4096) || bytes.size() != kBytes) {
    sodium_memzero(bytes.data(), bytes.size());
    return Status::InvalidArgument(problem);
  }
  SecretKey key;
  std::copy(bytes.begin(), bytes.end(), key.bytes_.begin());
  sodium_memzero(bytes.data(), bytes.size());
  return key;
}

std::string SecretKey::ToBase64() const { return tandem::ToBase64(bytes_.data(), kBytes); }

std::string SecretKey::Id() const {
  // A keyed hash with a fixed label: the fingerprint says which key, not what it is.
  constexpr char kLabel[] = "tandem master key id";
  std::array<unsigned char, 8> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(kLabel),
                     sizeof kLabel - 1, bytes_.data(), bytes_.size());
  std::array<char, 17> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data());
}

std::string WrapKey(const SecretKey& master, const SecretKey& key) {
  std::array<unsigned char,
             crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SecretKey::kBytes>
      out{};
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, key.data(), SecretKey::kBytes,
                        out.data(), master.data());
  return ToBase64(out.data(), out.size());
}

Result<SecretKey> UnwrapKey(const SecretKey& master, std::string_view wrapped) {
  std::vector<unsigned char> bytes;
  constexpr size_t kSize =
      crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SecretKey::kBytes;
  if (!FromBase64(wrapped, &bytes, kSize) || bytes.size() != kSize) {
    return Status::Internal("a stored tandem key is damaged");
  }
  SecretKey key;
  if (crypto_secretbox_open_easy(key.data(), bytes.data() + crypto_secretbox_NONCEBYTES,
                                 kSize - crypto_secretbox_NONCEBYTES, bytes.data(),
                                 master.data()) != 0) {
    return Status::Internal("a stored tandem key does not open with the master key");
  }
  return key;
}

Sealed Seal(const SecretKey& key, std::string_view plain, std::string_view purpose) {
  std::array<unsigned char, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES> nonce{};
  randombytes_buf(nonce.data(), nonce.size());
  std::vector<unsigned char> out(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  unsigned long long size = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data(), &size, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(),
      reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(), nullptr, nonce.data(),
      key.data());
  return {ToBase64(out.data(), static_cast<size_t>(size)), ToBase64(nonce.data(), nonce.size())};
}

Result<std::string> Unseal(const SecretKey& key, const Sealed& sealed, std::string_view purpose) {
  std::vector<unsigned char> nonce;
  std::vector<unsigned char> cipher;
  if (!FromBase64(sealed.nonce, &nonce, 64) ||
      nonce.size() != crypto_aead_xchacha20poly1305_ietf_NPUBBYTES ||
      !FromBase64(sealed.ciphertext, &cipher, size_t{1} << 30) ||
      cipher.size() < crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    return Status::Internal("stored content is damaged");
  }
  std::string plain(cipher.size() - crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long size = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &size, nullptr, cipher.data(),
          cipher.size(), reinterpret_cast<const unsigned char*>(purpose.data()), purpose.size(),
          nonce.data(), key.data()) != 0) {
    return Status::Internal("stored content does not open with the tandem's key");
  }
  plain.resize(static_cast<size_t>(size));
  return plain;
}

}  // namespace tandem
