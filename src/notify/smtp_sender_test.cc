#include "notify/smtp_sender.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <string>

namespace tandem::notify {
namespace {

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

MailRecord Mail() {
  MailRecord m;
  m.id = 42;
  m.to_address = "anna@example.com";
  m.subject = "Ihr Anmeldelink für Tandem";
  m.text_body = "Hallo Anna,\n\nhttps://t.example/s/SECRET\n";
  m.html_body = "<p>Hallo Anna,</p>\n<a href=\"https://t.example/s/SECRET\">x</a>\n";
  m.created_at = 1'700'000'000'000;
  return m;
}

TEST(ClassifySmtpFailure, FourHundredsAndNetworkFailuresAreRetryable) {
  EXPECT_EQ(ClassifySmtpFailure(CURLE_SEND_ERROR, 451, "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(ClassifySmtpFailure(CURLE_WEIRD_SERVER_REPLY, 421, "").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(ClassifySmtpFailure(CURLE_COULDNT_CONNECT, 0, "refused").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(ClassifySmtpFailure(CURLE_OPERATION_TIMEDOUT, 250, "").code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(ClassifySmtpFailure(CURLE_SSL_CONNECT_ERROR, 0, "").code(), StatusCode::kUnavailable);
  EXPECT_EQ(ClassifySmtpFailure(CURLE_COULDNT_RESOLVE_HOST, 0, "").code(),
            StatusCode::kUnavailable);
}

TEST(ClassifySmtpFailure, FiveHundredsArePermanent) {
  EXPECT_EQ(ClassifySmtpFailure(CURLE_SEND_ERROR, 550, "RCPT failed: 550").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ClassifySmtpFailure(CURLE_WEIRD_SERVER_REPLY, 554, "").code(),
            StatusCode::kInvalidArgument);
}

TEST(ClassifySmtpFailure, RefusedLoginIsOurConfigurationAndRetryable) {
  EXPECT_EQ(ClassifySmtpFailure(CURLE_LOGIN_DENIED, 535, "").code(), StatusCode::kUnavailable);
}

TEST(ClassifySmtpFailure, MessageNamesReplyCodeAndDetail) {
  const Status s = ClassifySmtpFailure(CURLE_SEND_ERROR, 451, "DATA failed");
  EXPECT_TRUE(Contains(s.message(), "451")) << s.message();
  EXPECT_TRUE(Contains(s.message(), "DATA failed")) << s.message();
}

TEST(EncodeHeaderText, AsciiStaysReadable) {
  EXPECT_EQ(EncodeHeaderText("Your sign-in link for Tandem"), "Your sign-in link for Tandem");
}

TEST(EncodeHeaderText, Utf8BecomesEncodedWords) {
  // "für" in UTF-8 is 66 C3 BC 72.
  EXPECT_EQ(EncodeHeaderText("für"), "=?UTF-8?B?ZsO8cg==?=");
}

TEST(EncodeHeaderText, LineBreaksCannotInjectHeaders) {
  EXPECT_EQ(EncodeHeaderText("Hi\r\nBcc: eve@example.com"), "Hi  Bcc: eve@example.com");
}

TEST(EncodeHeaderText, TextThatLooksEncodedIsEncoded) {
  EXPECT_TRUE(EncodeHeaderText("=?UTF-8?B?eA==?=").starts_with("=?UTF-8?B?"));
}

TEST(EncodeHeaderText, LongTextIsSplitBetweenCharactersIntoShortWords) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "äöü€";  // 2 + 2 + 2 + 3 bytes each
  const std::string encoded = EncodeHeaderText(text);
  std::size_t begin = 0;
  int words = 0;
  while (begin < encoded.size()) {
    std::size_t end = encoded.find("\r\n ", begin);
    if (end == std::string::npos) end = encoded.size();
    const std::string word = encoded.substr(begin, end - begin);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_TRUE(word.starts_with("=?UTF-8?B?") && word.ends_with("?=")) << word;
    ++words;
    begin = end + 3;
  }
  EXPECT_GT(words, 1);
  // Every word decodes on its own to whole characters: checked end to end by the delivery
  // test, whose receiving side decodes the subject with Python's email package.
}

TEST(FormatMailDate, IsRfc5322InUtc) {
  EXPECT_EQ(FormatMailDate(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatMailDate(1'709'210'096'789), "Thu, 29 Feb 2024 12:34:56 +0000");
}

TEST(IsPlainAddress, AcceptsOrdinaryAddressesOnly) {
  EXPECT_TRUE(IsPlainAddress("anna.schmidt+tandem@example.co.uk"));
  EXPECT_FALSE(IsPlainAddress(""));
  EXPECT_FALSE(IsPlainAddress("anna"));
  EXPECT_FALSE(IsPlainAddress("@example.com"));
  EXPECT_FALSE(IsPlainAddress("anna@"));
  EXPECT_FALSE(IsPlainAddress("anna @example.com"));
  EXPECT_FALSE(IsPlainAddress("anna@example.com>\r\nRCPT TO:<eve@example.com"));
  EXPECT_FALSE(IsPlainAddress("Anna <anna@example.com>"));
  EXPECT_FALSE(IsPlainAddress("anna@example.com,eve@example.com"));
  EXPECT_FALSE(IsPlainAddress(std::string(250, 'a') + "@example.com"));
}

TEST(ComposeMessage, HasHeadersAndBothPartsInBase64) {
  const std::string m = ComposeMessage(Mail(), "tandem@example.org", "Tandem", 0);
  const std::string headers = m.substr(0, m.find("\r\n\r\n"));
  EXPECT_TRUE(Contains(headers, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
  EXPECT_TRUE(Contains(headers, "From: Tandem <tandem@example.org>\r\n"));
  EXPECT_TRUE(Contains(headers, "To: anna@example.com\r\n"));
  EXPECT_TRUE(Contains(headers, "Subject: =?UTF-8?B?"));
  EXPECT_TRUE(Contains(headers, "Message-ID: <tandem.42.1700000000000@example.org>\r\n"));
  EXPECT_TRUE(Contains(headers, "MIME-Version: 1.0\r\n"));
  EXPECT_TRUE(Contains(headers, "Content-Type: multipart/alternative; boundary=\"=_tandem_42\""));
  EXPECT_TRUE(Contains(m,
                       "Content-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n"));
  EXPECT_TRUE(Contains(m, "Content-Type: text/html; charset=UTF-8\r\n"));
  EXPECT_TRUE(m.ends_with("\r\n--=_tandem_42--\r\n"));
  // Bodies are encoded: the link does not appear in clear, and every byte is 7-bit.
  EXPECT_FALSE(Contains(m, "SECRET"));
  for (const char c : m) EXPECT_GT(static_cast<unsigned char>(c), 0) << "NUL in message";
  for (const char c : m) ASSERT_LT(static_cast<unsigned char>(c), 0x80);
  // No bare LF anywhere: SMTP wants CRLF.
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
    }
  }
}

TEST(ComposeMessage, QuotesOrEncodesDisplayName) {
  EXPECT_TRUE(Contains(ComposeMessage(Mail(), "t@example.org", "Tandem, HR", 0),
                       "From: \"Tandem, HR\" <t@example.org>\r\n"));
  EXPECT_TRUE(Contains(ComposeMessage(Mail(), "t@example.org", "Personalabteilung München", 0),
                       "From: =?UTF-8?B?"));
  EXPECT_TRUE(Contains(ComposeMessage(Mail(), "t@example.org", "", 0), "From: t@example.org\r\n"));
}

TEST(ComposeMessage, MessageIdIsTheSameForEveryAttempt) {
  const auto id = [](const std::string& m) {
    const auto at = m.find("Message-ID: ");
    return m.substr(at, m.find("\r\n", at) - at);
  };
  EXPECT_EQ(id(ComposeMessage(Mail(), "t@example.org", "T", 0)),
            id(ComposeMessage(Mail(), "t@example.org", "T", 99'000)));
}

std::map<std::string, std::string> kFullEnvironment = {
    {"TANDEM_SMTP_HOST", "smtp.example.org"},
    {"TANDEM_SMTP_TLS", "tls"},
    {"TANDEM_SMTP_USER", "tandem"},
    {"TANDEM_SMTP_PASSWORD", "pa55word"},
    {"TANDEM_SMTP_FROM", "tandem@example.org"},
    {"TANDEM_SMTP_FROM_NAME", "Tandem HR"},
    {"TANDEM_SMTP_CONNECT_TIMEOUT_SECONDS", "5"},
    {"TANDEM_SMTP_TIMEOUT_SECONDS", "30"},
};

EnvironmentLookup LookupIn(const std::map<std::string, std::string>& env) {
  return [&env](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

TEST(SmtpOptionsFromEnvironment, ReadsEveryVariable) {
  const auto o = SmtpOptionsFromEnvironment(LookupIn(kFullEnvironment));
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o.value().host, "smtp.example.org");
  EXPECT_EQ(o.value().tls, SmtpTls::kImplicit);
  EXPECT_EQ(o.value().port, 465);  // the default for implicit TLS
  EXPECT_EQ(o.value().username, "tandem");
  EXPECT_EQ(o.value().password, "pa55word");
  EXPECT_EQ(o.value().from_address, "tandem@example.org");
  EXPECT_EQ(o.value().from_name, "Tandem HR");
  EXPECT_EQ(o.value().connect_timeout_ms, 5000);
  EXPECT_EQ(o.value().total_timeout_ms, 30'000);
}

TEST(SmtpOptionsFromEnvironment, DefaultsToStartTlsOnPort587) {
  const std::map<std::string, std::string> env = {{"TANDEM_SMTP_HOST", "mx"},
                                                  {"TANDEM_SMTP_FROM", "t@example.org"}};
  const auto o = SmtpOptionsFromEnvironment(LookupIn(env));
  ASSERT_TRUE(o.ok()) << o.status().message();
  EXPECT_EQ(o.value().tls, SmtpTls::kStartTls);
  EXPECT_EQ(o.value().port, 587);
  EXPECT_EQ(o.value().from_name, "Tandem");
}

TEST(SmtpOptionsFromEnvironment, NamesTheBadVariableButNotItsValue) {
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"TANDEM_SMTP_PORT", "secret70000"},
                                          {"TANDEM_SMTP_TLS", "secretssl"},
                                          {"TANDEM_SMTP_TIMEOUT_SECONDS", "secret"}}) {
    auto env = kFullEnvironment;
    env[name] = value;
    const auto o = SmtpOptionsFromEnvironment(LookupIn(env));
    ASSERT_FALSE(o.ok()) << name;
    EXPECT_EQ(o.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(o.status().message(), name)) << o.status().message();
    EXPECT_FALSE(Contains(o.status().message(), "secret")) << o.status().message();
  }
  auto env = kFullEnvironment;
  env.erase("TANDEM_SMTP_HOST");
  EXPECT_FALSE(SmtpOptionsFromEnvironment(LookupIn(env)).ok());
}

SmtpOptions LoopbackOptions(int port) {
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.tls = SmtpTls::kNone;
  o.from_address = "tandem@example.org";
  o.connect_timeout_ms = 5000;
  o.total_timeout_ms = 10'000;
  return o;
}

TEST(SmtpSender, RefusesUnusableOptions) {
  auto bad_host = LoopbackOptions(25);
  bad_host.host = "smtp.example.org/evil";
  EXPECT_FALSE(SmtpSender::Create(bad_host).ok());
  auto bad_from = LoopbackOptions(25);
  bad_from.from_address = "Tandem <t@example.org>";
  EXPECT_FALSE(SmtpSender::Create(bad_from).ok());
  auto bad_port = LoopbackOptions(0);
  EXPECT_FALSE(SmtpSender::Create(bad_port).ok());
  auto clear_password = LoopbackOptions(25);
  clear_password.host = "smtp.example.org";
  clear_password.username = "u";
  clear_password.password = "p";
  const auto refused = SmtpSender::Create(clear_password);
  ASSERT_FALSE(refused.ok());
  EXPECT_FALSE(Contains(refused.status().message(), "\"p\""));
  clear_password.host = "127.example.org";  // a name, not the loopback address
  EXPECT_FALSE(SmtpSender::Create(clear_password).ok());
  clear_password.host = "127.0.0.1";
  EXPECT_TRUE(SmtpSender::Create(clear_password).ok());  // a local relay
  clear_password.host = "smtp.example.org";
  clear_password.tls = SmtpTls::kStartTls;
  EXPECT_TRUE(SmtpSender::Create(clear_password).ok());
  EXPECT_TRUE(SmtpSender::Create(LoopbackOptions(25)).ok());
}

// A loopback port nobody listens on: bound, never listened to, so connecting is refused.
class ClosedPort {
 public:
  ClosedPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      ADD_FAILURE() << "cannot bind a loopback port";
    }
    port_ = ntohs(address.sin_port);
  }
  ~ClosedPort() { ::close(fd_); }
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(SmtpSender, UnreachableServerIsRetryableAndTheErrorHoldsNoContent) {
  const ClosedPort closed;
  auto options = LoopbackOptions(closed.port());
  options.username = "tandem";
  options.password = "pa55word";
  auto sender = SmtpSender::Create(options);
  ASSERT_TRUE(sender.ok()) << sender.status().message();
  const Status s = sender.value()->Send(Mail());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.message();
  EXPECT_FALSE(Contains(s.message(), "SECRET"));
  EXPECT_FALSE(Contains(s.message(), "pa55word"));
  EXPECT_FALSE(Contains(s.message(), "anna@example.com"));
}

TEST(SmtpSender, MalformedRecipientIsPermanent) {
  auto sender = SmtpSender::Create(LoopbackOptions(25));
  ASSERT_TRUE(sender.ok());
  MailRecord m = Mail();
  m.to_address = "anna@example.com>\r\nRCPT TO:<eve@example.com";
  EXPECT_EQ(sender.value()->Send(m).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tandem::notify
