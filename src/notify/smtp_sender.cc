#include "notify/smtp_sender.h"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <utility>

namespace tandem::notify {
namespace {

constexpr char kCrlf[] = "\r\n";
constexpr std::size_t kMaxAddressLength = 254;
// RFC 2047: an encoded word is at most 75 characters; "=?UTF-8?B?" and "?=" take 12, which
// leaves 63 for base64, i.e. 45 bytes of text.
constexpr std::size_t kEncodedWordBytes = 45;
constexpr std::size_t kPlainHeaderLimit = 900;  // below RFC 5322's 998, leaving room for the name
constexpr std::size_t kBase64LineLength = 76;
constexpr std::size_t kMaxErrorLength = 400;

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16U) |
                            (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8U) |
                            std::uint32_t{static_cast<unsigned char>(bytes[i + 2])};
    out += kAlphabet[(v >> 18U) & 63U];
    out += kAlphabet[(v >> 12U) & 63U];
    out += kAlphabet[(v >> 6U) & 63U];
    out += kAlphabet[v & 63U];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16U;
    if (rest == 2) v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8U;
    out += kAlphabet[(v >> 18U) & 63U];
    out += kAlphabet[(v >> 12U) & 63U];
    out += rest == 2 ? kAlphabet[(v >> 6U) & 63U] : '=';
    out += '=';
  }
  return out;
}

// Text bodies are encoded in canonical form: every line ends in CRLF (RFC 2045, 6.8).
std::string CanonicalLineEnds(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 32);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::string Base64Lines(std::string_view bytes) {
  const std::string encoded = Base64(bytes);
  std::string out;
  out.reserve(encoded.size() + encoded.size() / kBase64LineLength * 2 + 2);
  for (std::size_t i = 0; i < encoded.size(); i += kBase64LineLength) {
    out.append(encoded, i, kBase64LineLength);
    out += kCrlf;
  }
  return out;
}

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
}

std::string_view DomainOf(std::string_view address) {
  const auto at = address.rfind('@');
  return at == std::string_view::npos ? address : address.substr(at + 1);
}

// The display name of From: as is when it is a plain atom sequence, quoted when it holds RFC
// 5322 specials, encoded when it is not ASCII.
std::string DisplayName(std::string_view name) {
  if (!IsPrintableAscii(name)) return EncodeHeaderText(name);
  if (name.find_first_of("()<>[]:;@\\,.\"") == std::string_view::npos) return std::string(name);
  std::string quoted = "\"";
  for (const char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

bool IsLoopback(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  // 127.0.0.0/8, as an address: "127.example.org" is a name like any other.
  return host.starts_with("127.") && std::all_of(host.begin(), host.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '.';
         });
}

bool IsPlainHost(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
  });
}

std::string BuildUrl(const SmtpOptions& o) {
  std::string host = o.host;
  if (host.find(':') != std::string::npos && !host.starts_with("[")) host = "[" + host + "]";
  return std::string(o.tls == SmtpTls::kImplicit ? "smtps://" : "smtp://") + host + ":" +
         std::to_string(o.port);
}

long CurlUseSsl(SmtpTls tls) {
  switch (tls) {
    case SmtpTls::kNone:
      return CURLUSESSL_NONE;
    case SmtpTls::kStartTlsIfOffered:
      return CURLUSESSL_TRY;
    case SmtpTls::kStartTls:
    case SmtpTls::kImplicit:
      return CURLUSESSL_ALL;
  }
  return CURLUSESSL_ALL;
}

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
  const HandOver& hand_over;
  bool handed_over = false;  // hand_over was called
  bool refused = false;      // and returned false
};

std::size_t ReadUpload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  if (upload->offset == upload->data.size() && !upload->handed_over) {
    // The end of the content: libcurl sends the end of the data once this returns 0.
    upload->handed_over = true;
    if (upload->hand_over && !upload->hand_over()) {
      upload->refused = true;
      return CURL_READFUNC_ABORT;
    }
  }
  const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::optional<Millis> ParseMillis(std::string_view text, Millis scale) {
  Millis value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value <= 0 || value > 86'400) {
    return std::nullopt;
  }
  return value * scale;
}

}  // namespace

std::optional<SmtpTls> ParseSmtpTls(std::string_view text) {
  if (text == "none") return SmtpTls::kNone;
  if (text == "starttls-if-offered") return SmtpTls::kStartTlsIfOffered;
  if (text == "starttls") return SmtpTls::kStartTls;
  if (text == "tls") return SmtpTls::kImplicit;
  return std::nullopt;
}

std::string_view ToString(SmtpTls tls) {
  switch (tls) {
    case SmtpTls::kNone:
      return "none";
    case SmtpTls::kStartTlsIfOffered:
      return "starttls-if-offered";
    case SmtpTls::kStartTls:
      return "starttls";
    case SmtpTls::kImplicit:
      return "tls";
  }
  return "starttls";
}

Result<SmtpOptions> SmtpOptionsFromEnvironment(const EnvironmentLookup& lookup) {
  auto get = [&](std::string_view name) { return lookup(name).value_or(""); };
  SmtpOptions o;
  o.host = get("TANDEM_SMTP_HOST");
  if (o.host.empty()) return Status::InvalidArgument("TANDEM_SMTP_HOST is not set");
  const std::string tls = get("TANDEM_SMTP_TLS");
  if (!tls.empty()) {
    const auto parsed = ParseSmtpTls(tls);
    if (!parsed) {
      return Status::InvalidArgument(
          "TANDEM_SMTP_TLS must be one of none, starttls-if-offered, starttls, tls");
    }
    o.tls = *parsed;
  }
  const std::string port = get("TANDEM_SMTP_PORT");
  if (port.empty()) {
    o.port = o.tls == SmtpTls::kImplicit ? 465 : o.tls == SmtpTls::kStartTls ? 587 : 25;
  } else {
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), o.port);
    if (error != std::errc() || end != port.data() + port.size() || o.port < 1 || o.port > 65535) {
      return Status::InvalidArgument("TANDEM_SMTP_PORT must be a port number (1-65535)");
    }
  }
  o.username = get("TANDEM_SMTP_USER");
  o.password = get("TANDEM_SMTP_PASSWORD");
  o.from_address = get("TANDEM_SMTP_FROM");
  if (o.from_address.empty()) return Status::InvalidArgument("TANDEM_SMTP_FROM is not set");
  if (const auto name = lookup("TANDEM_SMTP_FROM_NAME")) o.from_name = *name;
  o.ca_file = get("TANDEM_SMTP_CA_FILE");
  for (const auto& [name, field] :
       {std::pair<std::string_view, Millis*>{"TANDEM_SMTP_CONNECT_TIMEOUT_SECONDS",
                                             &o.connect_timeout_ms},
        std::pair<std::string_view, Millis*>{"TANDEM_SMTP_TIMEOUT_SECONDS", &o.total_timeout_ms}}) {
    const std::string value = get(name);
    if (value.empty()) continue;
    const auto parsed = ParseMillis(value, 1000);
    if (!parsed) {
      return Status::InvalidArgument(std::string(name) +
                                     " must be a whole number of seconds (1-86400)");
    }
    *field = *parsed;
  }
  return o;
}

bool IsPlainAddress(std::string_view address) {
  if (address.empty() || address.size() > kMaxAddressLength) return false;
  const auto at = address.rfind('@');
  if (at == 0 || at == std::string_view::npos || at + 1 == address.size()) return false;
  return std::all_of(address.begin(), address.end(), [](char c) {
    return c > 0x20 && c < 0x7f && std::strchr("<>()[]\\,;:\"", c) == nullptr;
  });
}

std::string EncodeHeaderText(std::string_view text) {
  std::string clean(text);
  for (char& c : clean) {
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  }
  if (IsPrintableAscii(clean) && clean.find("=?") == std::string::npos &&
      clean.size() <= kPlainHeaderLimit) {
    return clean;
  }
  std::string out;
  std::size_t begin = 0;
  while (begin < clean.size()) {
    std::size_t end = std::min(begin + kEncodedWordBytes, clean.size());
    // Never split a UTF-8 sequence: back off while the next byte is a continuation byte.
    while (end < clean.size() && end > begin + 1 &&
           (static_cast<unsigned char>(clean[end]) & 0xC0U) == 0x80U) {
      --end;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    out += Base64(std::string_view{clean}.substr(begin, end - begin));
    out += "?=";
    begin = end;
  }
  return out;
}

std::string FormatMailDate(Millis at) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto seconds = static_cast<std::time_t>(at / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  std::array<char, 64> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%s, %02d %s %04d %02d:%02d:%02d +0000",
                kDays.at(static_cast<std::size_t>(tm.tm_wday)), tm.tm_mday,
                kMonths.at(static_cast<std::size_t>(tm.tm_mon)), tm.tm_year + 1900, tm.tm_hour,
                tm.tm_min, tm.tm_sec);
  return buffer.data();
}

std::string ComposeMessage(const MailRecord& mail, std::string_view from_address,
                           std::string_view from_name, Millis date) {
  const std::string boundary = "=_tandem_" + std::to_string(mail.id);
  std::string m;
  m.reserve(mail.text_body.size() * 2 + mail.html_body.size() * 2 + 1024);
  auto header = [&](std::string_view name, std::string_view value) {
    m += name;
    m += ": ";
    m += value;
    m += kCrlf;
  };
  header("Date", FormatMailDate(date));
  header("From", from_name.empty()
                     ? std::string(from_address)
                     : DisplayName(from_name) + " <" + std::string(from_address) + ">");
  header("To", mail.to_address);
  header("Subject", EncodeHeaderText(mail.subject));
  header("Message-ID", "<tandem." + std::to_string(mail.id) + "." +
                           std::to_string(mail.created_at) + "@" +
                           std::string(DomainOf(from_address)) + ">");
  header("MIME-Version", "1.0");
  header("Auto-Submitted", "auto-generated");  // RFC 3834: no out-of-office replies, please
  header("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
  m += kCrlf;
  // Base64 output never contains "=_", so the boundary cannot occur inside a part.
  for (const auto& [type, body] :
       {std::pair<std::string_view, const std::string*>{"text/plain", &mail.text_body},
        std::pair<std::string_view, const std::string*>{"text/html", &mail.html_body}}) {
    m += "--" + boundary + kCrlf;
    header("Content-Type", std::string(type) + "; charset=UTF-8");
    header("Content-Transfer-Encoding", "base64");
    m += kCrlf;
    m += Base64Lines(CanonicalLineEnds(*body));
  }
  m += "--" + boundary + "--" + kCrlf;
  return m;
}

Status ClassifySmtpFailure(int curl_code, long smtp_code, std::string_view detail) {
  std::string message = "SMTP delivery failed";
  if (smtp_code >= 400 && smtp_code < 600) message += " (reply " + std::to_string(smtp_code) + ")";
  message += ": ";
  message += curl_easy_strerror(static_cast<CURLcode>(curl_code));
  if (!detail.empty()) {
    message += ": ";
    message += detail.substr(0, kMaxErrorLength);
  }
  // A refused login is our configuration, not the mail: retry once an operator has fixed it.
  if (curl_code == CURLE_LOGIN_DENIED) return Status::Unavailable(message);
  if (smtp_code >= 500 && smtp_code < 600) return Status::InvalidArgument(message);
  return Status::Unavailable(message);
}

Result<std::unique_ptr<SmtpSender>> SmtpSender::Create(SmtpOptions options) {
  if (!IsPlainHost(options.host)) {
    return Status::InvalidArgument("SMTP host must be a host name or an IP address");
  }
  if (options.port < 1 || options.port > 65535) {
    return Status::InvalidArgument("SMTP port must be 1-65535");
  }
  if (!IsPlainAddress(options.from_address)) {
    return Status::InvalidArgument("SMTP from address must be a plain address (local@domain)");
  }
  if (options.connect_timeout_ms <= 0 || options.total_timeout_ms <= 0) {
    return Status::InvalidArgument("SMTP timeouts must be positive");
  }
  if (options.username.empty() && !options.password.empty()) {
    return Status::InvalidArgument("SMTP password given without a user name");
  }
  if (!options.username.empty() &&
      (options.tls == SmtpTls::kNone || options.tls == SmtpTls::kStartTlsIfOffered) &&
      !IsLoopback(options.host)) {
    return Status::InvalidArgument(
        "SMTP credentials would travel unencrypted: use TLS mode starttls or tls");
  }
  static std::once_flag curl_initialised;
  std::call_once(curl_initialised, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  return std::unique_ptr<SmtpSender>(new SmtpSender(std::move(options)));
}

SmtpSender::SmtpSender(SmtpOptions options)
    : options_(std::move(options)), url_(BuildUrl(options_)) {}

Status SmtpSender::Send(const MailRecord& mail, const HandOver& hand_over) {
  if (!IsPlainAddress(mail.to_address)) {
    return Status::InvalidArgument("recipient is not a plain e-mail address");
  }
  const Millis now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  const std::string message = ComposeMessage(mail, options_.from_address, options_.from_name, now);
  Upload upload{message, 0, hand_over};

  const std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Status::Internal("libcurl: cannot create a handle");
  const std::string mail_from = "<" + options_.from_address + ">";
  const std::string rcpt_to = "<" + mail.to_address + ">";
  const std::unique_ptr<curl_slist, SlistDeleter> recipients(
      curl_slist_append(nullptr, rcpt_to.c_str()));
  if (!recipients) return Status::Internal("libcurl: out of memory");
  std::array<char, CURL_ERROR_SIZE> error{};

  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error.data());
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // we run on worker threads
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout_ms));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout_ms));
  // The wait for the reply to the end of DATA happens after the transfer proper, where libcurl
  // applies only the server response timeout (default 120 s), not CURLOPT_TIMEOUT_MS.
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                   static_cast<long>((options_.total_timeout_ms + 999) / 1000));
  curl_easy_setopt(h, CURLOPT_USE_SSL, CurlUseSsl(options_.tls));
  if (!options_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, options_.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadUpload);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  // Never CURLOPT_VERBOSE: the protocol trace would hold the message, and with it the link.

  const CURLcode result = curl_easy_perform(h);
  if (result == CURLE_OK) return Status::Ok();
  if (upload.refused) return Status::Conflict("the send was called off before the end of the data");
  long smtp_code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &smtp_code);
  return ClassifySmtpFailure(static_cast<int>(result), smtp_code, error.data());
}

}  // namespace tandem::notify
