// Handing one e-mail to an SMTP server. MailSender is the seam the outbox worker sends through;
// SmtpSender is the real thing (libcurl). The pure parts (message composition, error
// classification, configuration) are exposed for tests.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/store.h"
#include "core/status.h"

namespace tandem::notify {

// Called once while a mail is sent, after its whole content went to the server and before the
// end of the data (SMTP's final "."), the point from which the server may accept it. Returns
// false to abort the send there: the server then discards the mail.
using HandOver = std::function<bool()>;

class MailSender {
 public:
  virtual ~MailSender() = default;

  // Delivers `mail` (to_address, subject, text_body, html_body; `id` and `created_at` name it in
  // the Message-ID), calling `hand_over` (may be empty) before the end of the data. Returns ok
  // when the server accepted it; Unavailable when a later attempt may succeed (a 4xx reply, a
  // network failure, a timeout); InvalidArgument when it never will (a 5xx rejection, a
  // malformed address); Conflict when `hand_over` returned false. Messages never hold bodies or
  // credentials. Thread-safe.
  virtual Status Send(const MailRecord& mail, const HandOver& hand_over) = 0;
  Status Send(const MailRecord& mail) { return Send(mail, HandOver()); }
};

enum class SmtpTls {
  kNone,               // plain SMTP: only for a relay on loopback or a trusted network
  kStartTlsIfOffered,  // STARTTLS when the server offers it, else plain (CURLUSESSL_TRY)
  kStartTls,           // STARTTLS required (CURLUSESSL_ALL); the usual port 587
  kImplicit,           // TLS from the first byte (smtps://); the usual port 465
};

struct SmtpOptions {
  std::string host;  // required: a name or an IP address
  int port = 587;
  SmtpTls tls = SmtpTls::kStartTls;
  std::string username;  // empty: no authentication
  std::string password;
  std::string from_address;  // required, e.g. "tandem@example.org"
  std::string from_name = "Tandem";
  std::string ca_file;  // PEM bundle to verify the server; empty: the system's trust store
  Millis connect_timeout_ms = 10'000;
  // For one Send(), so a hanging server cannot block the worker. libcurl waits for the final
  // reply to DATA separately, for up to this long again (rounded up to whole seconds): one
  // Send() takes at most about twice this.
  Millis total_timeout_ms = 60'000;
};

std::optional<SmtpTls> ParseSmtpTls(std::string_view text);  // "none", "starttls", ...
std::string_view ToString(SmtpTls tls);

// Reads the options from TANDEM_SMTP_* variables through `lookup` (std::getenv in production;
// see docs/mail.md for the names and defaults). InvalidArgument names the variable at fault,
// never a value.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;
Result<SmtpOptions> SmtpOptionsFromEnvironment(const EnvironmentLookup& lookup);

// Sends through libcurl: one connection per mail, closed afterwards.
class SmtpSender final : public MailSender {
 public:
  // Checks `options` (required fields, ranges; credentials only over TLS unless the host is
  // loopback) and returns InvalidArgument when they are unusable.
  static Result<std::unique_ptr<SmtpSender>> Create(SmtpOptions options);

  using MailSender::Send;
  Status Send(const MailRecord& mail, const HandOver& hand_over) override;

 private:
  explicit SmtpSender(SmtpOptions options);

  const SmtpOptions options_;
  const std::string url_;  // smtp[s]://host:port/helo-domain, without credentials
};

// ---- The pure parts, for tests.

// True when `address` is a plain addr-spec we can put into MAIL FROM / RCPT TO and a header:
// local@domain, printable ASCII without spaces, angle brackets, quotes or commas, at most 254
// characters.
bool IsPlainAddress(std::string_view address);

// A header value: as is when printable ASCII (and not looking like an encoded word); otherwise
// RFC 2047 "B" encoded words of at most 75 characters, split between UTF-8 characters and
// folded with CRLF SP. Line breaks in `text` become spaces.
std::string EncodeHeaderText(std::string_view text);

// `at` as an RFC 5322 date in UTC, e.g. "Sat, 28 Nov 2026 08:31:57 +0000".
std::string FormatMailDate(Millis at);

// The complete message (headers and multipart/alternative body with a text/plain and a
// text/html part, both UTF-8 in base64) with CRLF line ends. The Message-ID is derived from
// mail.id and mail.created_at, so every attempt for one mail carries the same one.
std::string ComposeMessage(const MailRecord& mail, std::string_view from_address,
                           std::string_view from_name, Millis date);

// The Status for a failed transfer: `curl_code` is the CURLcode, `smtp_code` the server's last
// reply code (0: none). 4xx, network failures, timeouts and refused logins are Unavailable;
// 5xx replies are InvalidArgument. `detail` (libcurl's error text) is included; it never holds
// message content.
Status ClassifySmtpFailure(int curl_code, long smtp_code, std::string_view detail);

}  // namespace tandem::notify
