#include "app/sealing.h"

#include <gtest/gtest.h>

#include "app/crypto.h"

namespace tandem {
namespace {

class Sealing : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(InitCrypto().ok()); }
};

TEST_F(Sealing, SealedTextOpensWithTheKeyAndPurposeOnly) {
  const SecretKey key = SecretKey::Generate();
  const Sealed sealed = Seal(key, "Kanarienvogel ünd Notizen", "note");
  EXPECT_EQ(sealed.ciphertext.find("Kanarienvogel"), std::string::npos);
  Result<std::string> opened = Unseal(key, sealed, "note");
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened.value(), "Kanarienvogel ünd Notizen");
  EXPECT_FALSE(Unseal(key, sealed, "roadmap").ok()) << "a note copied into a roadmap row";
  EXPECT_FALSE(Unseal(SecretKey::Generate(), sealed, "note").ok());
  Sealed tampered = sealed;
  tampered.ciphertext[2] = tampered.ciphertext[2] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(Unseal(key, tampered, "note").ok());
}

TEST_F(Sealing, TwoSealsOfOneTextDiffer) {
  const SecretKey key = SecretKey::Generate();
  EXPECT_NE(Seal(key, "same", "note").ciphertext, Seal(key, "same", "note").ciphertext);
}

TEST_F(Sealing, WrappedKeyOpensWithItsMasterKeyOnly) {
  const SecretKey master = SecretKey::Generate();
  const SecretKey key = SecretKey::Generate();
  const std::string wrapped = WrapKey(master, key);
  Result<SecretKey> unwrapped = UnwrapKey(master, wrapped);
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_EQ(unwrapped.value().ToBase64(), key.ToBase64());
  EXPECT_FALSE(UnwrapKey(SecretKey::Generate(), wrapped).ok());
  EXPECT_FALSE(UnwrapKey(master, "not base64 at all!").ok());
}

TEST_F(Sealing, KeysRoundTripThroughBase64AndHaveStableIds) {
  const SecretKey key = SecretKey::Generate();
  Result<SecretKey> parsed = SecretKey::FromBase64("  " + key.ToBase64() + "\n", "key file");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value().Id(), key.Id());
  EXPECT_EQ(key.Id().size(), 16u);
  EXPECT_NE(key.Id(), SecretKey::Generate().Id());
  Result<SecretKey> short_key = SecretKey::FromBase64("c2hvcnQ=", "TANDEM_MASTER_KEY");
  ASSERT_FALSE(short_key.ok());
  EXPECT_NE(short_key.status().message().find("TANDEM_MASTER_KEY"), std::string::npos);
  EXPECT_EQ(short_key.status().message().find("c2hvcnQ"), std::string::npos);
}

}  // namespace
}  // namespace tandem
