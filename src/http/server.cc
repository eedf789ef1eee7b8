#include "http/server.h"

#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <utility>

#include "http/export_json.h"
#include "http/json_mapping.h"
#include "http/openapi.h"
#include "http/problem.h"

namespace tandem::http {
namespace {

using nlohmann::json;

constexpr char kCookie[] = "tandem_session";
constexpr char kSecureCookie[] = "__Host-tandem_session";
constexpr char kJson[] = "application/json";
constexpr int kDefaultPageSize = 100;
constexpr int kListenBacklog = 1024;

// One request on its way through a handler.
struct Exchange {
  const httplib::Request& req;
  httplib::Response& res;
  Caller caller;
  std::vector<RowId> ids;  // the {id} parameters of the path, in order
};

using Handler = std::function<void(Exchange&)>;

struct Route {
  const char* method;
  const char* path;  // with {name} for numeric ids
  bool open;         // reachable without a session: no CSRF check (there is no session yet)
  Handler handler;
};

void Problem(Exchange& x, int status, std::string_view detail,
             const std::vector<FieldProblem>& errors = {}) {
  x.res.status = status;
  x.res.set_content(ProblemJson(status, detail, errors), kProblemContentType);
}

void Fail(Exchange& x, const Status& status) {
  const int http = HttpStatusFor(status.code());
  // An internal error's message may name tables or files: it goes to the log, not the client.
  if (http >= 500 && status.code() != StatusCode::kUnavailable) {
    spdlog::error("internal error: {}", status.message());
    Problem(x, http, "internal error; see the server log");
    return;
  }
  if (status.code() == StatusCode::kUnavailable) x.res.set_header("Retry-After", "5");
  Problem(x, http, status.message());
}

void Reply(Exchange& x, int status, const json& body) {
  x.res.status = status;
  x.res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), kJson);
}

void ReplyVersioned(Exchange& x, const json& body, std::int64_t version) {
  x.res.set_header("ETag", "\"" + std::to_string(version) + "\"");
  Reply(x, 200, body);
}

// The body as a JSON object, or a problem response (returns nullopt then).
std::optional<json> Body(Exchange& x, size_t max_bytes) {
  if (x.req.body.size() > max_bytes) {
    Problem(x, 413, "the body exceeds " + std::to_string(max_bytes) + " bytes");
    return std::nullopt;
  }
  const std::string type = x.req.get_header_value("Content-Type");
  if (!type.empty() && type.rfind(kJson, 0) != 0) {
    Problem(x, 415, "send application/json");
    return std::nullopt;
  }
  std::string problem;
  std::string field;
  std::optional<json> body = ParseObject(x.req.body, &problem, &field);
  if (!body) {
    if (field.empty()) {
      Problem(x, 400, problem);
    } else {
      Problem(x, 400, field + ": " + problem, {{field, 0, problem}});
    }
  }
  return body;
}

// Like Body(), for routes whose fields are all optional: an empty body is an empty object.
std::optional<json> OptionalBody(Exchange& x, size_t max_bytes) {
  if (x.req.body.empty()) return json::object();
  return Body(x, max_bytes);
}

// The body decoded by `from_json` into *out; otherwise a problem response (400 with `what` and
// the problems of each field, or Body()'s own answer) and false.
template <typename T>
bool Decode(Exchange& x, size_t max_bytes, T (*from_json)(const json&, Fields*),
            std::string_view what, T* out) {
  const std::optional<json> body = Body(x, max_bytes);
  if (!body) return false;
  Fields fields(*body);
  *out = from_json(*body, &fields);
  if (fields.ok()) return true;
  Problem(x, 400, std::string(what), fields.problems());
  return false;
}

// The version the client last saw, from If-Match: "N". A problem response when it is missing
// or malformed (returns nullopt then).
std::optional<std::int64_t> IfMatch(Exchange& x) {
  if (!x.req.has_header("If-Match")) {
    Problem(x, 428, "send If-Match with the ETag of the record you read");
    return std::nullopt;
  }
  std::string value = x.req.get_header_value("If-Match");
  // "*" (RFC 9110): any current version; the client accepts to overwrite whatever is stored.
  if (value == "*") return kAnyVersion;
  if (value.rfind("W/", 0) == 0) value = value.substr(2);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  try {
    size_t used = 0;
    const long long version = std::stoll(value, &used);
    if (used == value.size() && version > 0) return version;
  } catch (const std::exception&) {
  }
  Problem(x, 400, "If-Match: expected an ETag such as \"3\"");
  return std::nullopt;
}

// ?after=&limit= of list routes; a problem response when malformed.
bool PageParams(Exchange& x, RowId* after, int* limit) {
  *after = 0;
  *limit = kDefaultPageSize;
  const auto number = [&](const char* name, long long low, long long high, long long* out) {
    if (!x.req.has_param(name)) return true;
    const std::string text = x.req.get_param_value(name);
    try {
      size_t used = 0;
      const long long value = std::stoll(text, &used);
      if (used == text.size() && value >= low && value <= high) {
        *out = value;
        return true;
      }
    } catch (const std::exception&) {
    }
    Problem(x, 400,
            std::string("query parameter '") + name + "': expected an integer from " +
                std::to_string(low) + " to " + std::to_string(high));
    return false;
  };
  long long a = 0, l = kDefaultPageSize;
  if (!number("after", 0, std::numeric_limits<long long>::max(), &a)) return false;
  if (!number("limit", 1, kMaxPageSize, &l)) return false;
  *after = a;
  *limit = static_cast<int>(l);
  return true;
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  size_t start = 0;
  while (start < header.size()) {
    size_t end = header.find(';', start);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + start, end - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    start = end + 1;
  }
  return {};
}

std::string PathTemplateToRegex(std::string_view path) {
  std::string out;
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '{') {
      i = path.find('}', i);
      out += "(\\d{1,18})";
    } else if (path[i] == '.' || path[i] == '-') {
      out += '\\';
      out += path[i];
    } else {
      out += path[i];
    }
  }
  return out;
}

bool Unsafe(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

struct Server::Impl {
  Impl(Auth& a, Directory& d, Lifecycle& l, Workspace& w, Surveys& sv, Reports& rp, Metrics& m,
       ServerConfig c, std::function<std::int64_t()> q, std::function<Status()> r, DataRights* dr)
      : auth(a),
        directory(d),
        lifecycle(l),
        workspace(w),
        surveys(sv),
        reports(rp),
        metrics(m),
        config(std::move(c)),
        mail_queue(std::move(q)),
        ready(std::move(r)),
        data_rights(dr) {}

  Auth& auth;
  Directory& directory;
  Lifecycle& lifecycle;
  Workspace& workspace;
  Surveys& surveys;
  Reports& reports;
  Metrics& metrics;
  const ServerConfig config;
  const std::function<std::int64_t()> mail_queue;
  const std::function<Status()> ready;
  DataRights* const data_rights;  // null: no data export on this server
  httplib::Server server;
  int listen_socket = -1;
  std::vector<std::string> registered;  // "METHOD /path" of every route

  // HTTPS: configured (TLS in front), or said so by a trusted proxy (X-Forwarded-Proto).
  bool Secure(const httplib::Request& req) const {
    return config.secure_cookies ||
           (config.trust_proxy && req.get_header_value("X-Forwarded-Proto") == "https");
  }
  std::string CookieName(const httplib::Request& req) const {
    return Secure(req) ? kSecureCookie : kCookie;
  }

  std::string ClientOf(const httplib::Request& req) const {
    if (config.trust_proxy && req.has_header("X-Forwarded-For")) {
      const std::string forwarded = req.get_header_value("X-Forwarded-For");
      return forwarded.substr(0, forwarded.find(','));
    }
    return req.remote_addr;
  }

  void SetSessionCookie(Exchange& x, const std::string& token, Millis max_age_ms) {
    std::string cookie =
        CookieName(x.req) + "=" + token +
        "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_ms / 1000);
    if (Secure(x.req)) cookie += "; Secure";
    x.res.set_header("Set-Cookie", cookie);
  }

  void ClearSessionCookie(Exchange& x) {
    std::string cookie = CookieName(x.req) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
    if (Secure(x.req)) cookie += "; Secure";
    x.res.set_header("Set-Cookie", cookie);
  }

  void SessionOpened(Exchange& x, const Result<NewSession>& session, Millis retry_after = 0) {
    if (!session.ok()) {
      if (retry_after > 0) {
        x.res.set_header("Retry-After", std::to_string((retry_after + 999) / 1000));
      }
      Fail(x, session.status());
      return;
    }
    const NewSession& s = session.value();
    SetSessionCookie(x, s.token, auth.config().session_absolute);
    Result<Profile> profile = directory.GetProfile(s.caller);
    Reply(x, 201,
          {{"csrf_token", s.csrf_token},
           {"expires_at", s.expires_at},
           {"account", profile.ok() ? ToJson(profile.value().account) : json(nullptr)}});
  }

  // Resolves the caller from a bearer token or the session cookie. Returns false after writing
  // a problem response (a bad bearer token, a missing CSRF token).
  bool Authenticate(Exchange& x, bool open) {
    x.caller.client = ClientOf(x.req);
    const std::string authorization = x.req.get_header_value("Authorization");
    if (!authorization.empty()) {
      constexpr std::string_view kBearer = "Bearer ";
      if (authorization.rfind(kBearer, 0) != 0) {
        Problem(x, 401, "Authorization: expected 'Bearer <API token>'");
        return false;
      }
      Result<Caller> caller =
          auth.AuthenticateApiToken(authorization.substr(kBearer.size()), x.caller.client);
      if (!caller.ok()) {
        Fail(x, caller.status());
        return false;
      }
      x.caller = std::move(caller).value();
      return true;
    }
    const std::string token = CookieValue(x.req, CookieName(x.req));
    if (token.empty()) return true;  // anonymous: the use case decides
    Result<Caller> caller = auth.AuthenticateSession(token, x.caller.client);
    if (!caller.ok()) {
      if (caller.status().code() != StatusCode::kUnauthenticated) {
        Fail(x, caller.status());
        return false;
      }
      return true;  // an ended session is just anonymous
    }
    x.caller = std::move(caller).value();
    // Cookies ride along on cross-site requests; the CSRF token in a header does not.
    if (!open && Unsafe(x.req.method) &&
        !Auth::CheckCsrf(x.caller, x.req.get_header_value("X-CSRF-Token"))) {
      Problem(x, 403, "X-CSRF-Token: missing or wrong (send the csrf_token of your session)");
      return false;
    }
    return true;
  }

  void Register(const Route& route) {
    const std::string pattern = PathTemplateToRegex(route.path);
    const std::string name = route.path;
    const bool open = route.open;
    Handler handler = route.handler;
    const auto wrapped = [this, name, open, handler](const httplib::Request& req,
                                                     httplib::Response& res) {
      const auto start = std::chrono::steady_clock::now();
      Exchange x{req, res, {}, {}};
      for (size_t i = 1; i < req.matches.size(); ++i) {
        x.ids.push_back(std::stoll(req.matches[i].str()));
      }
      res.set_header("Cache-Control", "no-store");
      try {
        if (Authenticate(x, open)) handler(x);
      } catch (const std::exception& e) {
        spdlog::error("{} {}: unexpected exception: {}", req.method, name, e.what());
        Problem(x, 500, "internal error; see the server log");
      }
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      metrics.Record(req.method + " " + name, res.status, seconds);
      // One line per request: no path ids, query strings, bodies, cookies or tokens.
      spdlog::info("{} {} {} {:.1f}ms", req.method, name, res.status, seconds * 1000);
    };
    const std::string method = route.method;
    if (method == "GET") {
      server.Get(pattern, wrapped);
    } else if (method == "POST") {
      server.Post(pattern, wrapped);
    } else if (method == "PUT") {
      server.Put(pattern, wrapped);
    } else if (method == "DELETE") {
      server.Delete(pattern, wrapped);
    }
  }

  std::vector<Route> Routes();
  std::vector<Route> LifecycleRoutes();  // routes.md, "Programme lifecycle"
  std::vector<Route> WorkspaceRoutes();  // routes.md, "The tandem's workspace"
  std::vector<Route> ReportRoutes();     // routes.md, "Surveys and reports (issue 8)"
};

std::vector<Route> Server::Impl::Routes() {
  const auto page_of = [](Exchange& x, auto&& list) {
    RowId after = 0;
    int limit = 0;
    if (!PageParams(x, &after, &limit)) return;
    auto page = list(after, limit);
    if (!page.ok()) return Fail(x, page.status());
    Reply(x, 200, ToJson(page.value()));
  };
  const size_t max_json = config.max_json_body;

  return {
      // ---- Sessions and sign-in
      {"POST", "/api/v1/session", true,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto email = f.String("email", true, 320);
         const auto password = f.String("password", true, 1024);
         if (!f.ok()) return Problem(x, 400, "the sign-in request is incomplete", f.problems());
         Millis retry_after = 0;
         Result<NewSession> session =
             auth.SignInWithPassword(*email, *password, x.caller.client, &retry_after);
         SessionOpened(x, session, retry_after);
       }},
      {"GET", "/api/v1/session", false,
       [this](Exchange& x) {
         if (x.caller.session == 0) return Problem(x, 401, "not signed in with a session");
         Result<Profile> profile = directory.GetProfile(x.caller);
         if (!profile.ok()) return Fail(x, profile.status());
         Reply(x, 200,
               {{"account", ToJson(profile.value().account)},
                {"expires_at", x.caller.session_expires_at}});
       }},
      {"DELETE", "/api/v1/session", false,
       [this](Exchange& x) {
         const Status s = auth.SignOut(x.caller);
         if (!s.ok()) return Fail(x, s);
         ClearSessionCookie(x);
         x.res.status = 204;
       }},
      {"POST", "/api/v1/session/end-all", false,
       [this](Exchange& x) {
         const Status s = auth.SignOutEverywhere(x.caller);
         if (!s.ok()) return Fail(x, s);
         ClearSessionCookie(x);
         x.res.status = 204;
       }},
      {"POST", "/api/v1/sign-in-links", true,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto email = f.String("email", true, 320);
         if (!f.ok()) return Problem(x, 400, "email is required", f.problems());
         const Status s = auth.RequestSignInLink(*email, x.caller.client);
         if (!s.ok()) return Fail(x, s);
         Reply(x, 202, {{"status", "if the address has an account, a link is on its way"}});
       }},
      {"POST", "/api/v1/sign-in-links/redeem", true,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto token = f.String("token", true, 200);
         if (!f.ok()) return Problem(x, 400, "token is required", f.problems());
         SessionOpened(x, auth.RedeemSignInLink(*token, x.caller.client));
       }},
      {"POST", "/api/v1/invitations/redeem", true,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto token = f.String("token", true, 200);
         const auto password = f.String("password", false, 1024);
         if (!f.ok()) return Problem(x, 400, "token is required", f.problems());
         SessionOpened(x, auth.RedeemInvitation(*token, password.value_or(""), x.caller.client));
       }},
      {"POST", "/api/v1/password-resets", true,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto email = f.String("email", true, 320);
         if (!f.ok()) return Problem(x, 400, "email is required", f.problems());
         const Status s = auth.RequestPasswordReset(*email, x.caller.client);
         if (!s.ok()) return Fail(x, s);
         Reply(x, 202, {{"status", "if the address has an account, a link is on its way"}});
       }},
      {"POST", "/api/v1/password-resets/redeem", true,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto token = f.String("token", true, 200);
         const auto password = f.String("password", true, 1024);
         if (!f.ok()) return Problem(x, 400, "token and password are required", f.problems());
         SessionOpened(x, auth.RedeemPasswordReset(*token, *password, x.caller.client));
       }},

      // ---- The signed-in account
      {"GET", "/api/v1/me", false,
       [this](Exchange& x) {
         Result<Profile> profile = directory.GetProfile(x.caller);
         if (!profile.ok()) return Fail(x, profile.status());
         ReplyVersioned(x, ToJson(profile.value()), profile.value().account.version);
       }},
      {"PUT", "/api/v1/me", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         Fields f(*body);
         ProfileChange change;
         change.display_name = f.String("display_name", false, 200);
         if (const auto language = f.String("language", false, 5)) {
           change.language = ParseLanguage(*language);
           if (!change.language) f.Fail("language", "must be 'de' or 'en'");
         }
         if (!f.ok()) return Problem(x, 400, "the profile has problems", f.problems());
         Result<Profile> profile = directory.UpdateProfile(x.caller, change, *version);
         if (!profile.ok()) return Fail(x, profile.status());
         ReplyVersioned(x, ToJson(profile.value()), profile.value().account.version);
       }},
      // The caller's data export (GDPR Art. 15 and 20; docs/personal-data.md): a download.
      {"GET", "/api/v1/me/export", false,
       [this](Exchange& x) {
         if (data_rights == nullptr) {
           return Fail(x, Status::Unavailable("the data export is not configured on this server"));
         }
         Result<PersonalDataExport> data = data_rights->Export(x.caller);
         if (!data.ok()) return Fail(x, data.status());
         x.res.set_header("Content-Disposition", "attachment; filename=\"tandem-export-" +
                                                     ExportDate(data.value().generated_at) +
                                                     ".json\"");
         x.res.set_header("Cache-Control", "no-store");
         x.res.status = 200;
         x.res.set_content(ToJson(data.value(), x.caller.session)
                               .dump(2, ' ', false, nlohmann::json::error_handler_t::replace),
                           kJson);
       }},
      {"PUT", "/api/v1/me/password", false,
       [this, max_json](Exchange& x) {
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto current = f.String("current_password", false, 1024);
         const auto next = f.String("new_password", true, 1024);
         if (!f.ok()) return Problem(x, 400, "new_password is required", f.problems());
         const Status s = auth.ChangePassword(x.caller, current.value_or(""), *next);
         if (!s.ok()) return Fail(x, s);
         x.res.status = 204;
       }},

      // ---- People
      {"GET", "/api/v1/people", false,
       [this, page_of](Exchange& x) {
         page_of(x, [&](RowId after, int limit) {
           return directory.ListPeople(x.caller, after, limit);
         });
       }},
      {"POST", "/api/v1/people", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         PersonRecord person;
         if (!Decode(x, max_json, PersonFromJson, "the person has problems", &person)) return;
         Result<PersonRecord> created = directory.CreatePerson(x.caller, std::move(person));
         if (!created.ok()) return Fail(x, created.status());
         x.res.set_header("Location", "/api/v1/people/" + std::to_string(created.value().id));
         x.res.set_header("ETag", "\"" + std::to_string(created.value().version) + "\"");
         Reply(x, 201, ToJson(created.value()));
       }},
      {"POST", "/api/v1/people/import", false,
       [this](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         if (x.req.body.size() > config.max_upload_body) {
           return Problem(x, 413, "the file is too large");
         }
         const std::string type = x.req.get_header_value("Content-Type");
         if (!type.empty() && type.rfind("text/csv", 0) != 0) {
           return Problem(x, 415, "send the participants file as text/csv");
         }
         InputProblems problems;
         Result<ImportSummary> summary =
             directory.ImportPeople(x.caller, "upload.csv", x.req.body, &problems);
         if (!summary.ok()) {
           if (summary.status().code() != StatusCode::kInvalidArgument) {
             return Fail(x, summary.status());
           }
           std::vector<FieldProblem> errors;
           for (const std::string& e : problems.errors) {
             // "upload.csv:LINE: column 'X': message"
             FieldProblem p;
             p.message = e;
             const size_t colon = e.find(':');
             if (colon != std::string::npos) p.line = std::atol(e.c_str() + colon + 1);
             const size_t column = e.find("column '");
             if (column != std::string::npos) {
               const size_t end = e.find('\'', column + 8);
               p.field = e.substr(column + 8, end - column - 8);
             }
             errors.push_back(std::move(p));
           }
           return Problem(x, 422, summary.status().message(), errors);
         }
         Reply(x, 200,
               {{"inserted", summary.value().inserted},
                {"updated", summary.value().updated},
                {"unchanged", summary.value().unchanged}});
       }},
      {"GET", "/api/v1/people/{id}", false,
       [this](Exchange& x) {
         Result<PersonRecord> person = directory.GetPerson(x.caller, x.ids[0]);
         if (!person.ok()) return Fail(x, person.status());
         ReplyVersioned(x, ToJson(person.value()), person.value().version);
       }},
      {"PUT", "/api/v1/people/{id}", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         Fields f(*body);
         PersonRecord person = PersonFromJson(*body, &f);
         if (!f.ok()) return Problem(x, 400, "the person has problems", f.problems());
         person.id = x.ids[0];
         Result<PersonRecord> updated =
             directory.UpdatePerson(x.caller, std::move(person), *version);
         if (!updated.ok()) return Fail(x, updated.status());
         ReplyVersioned(x, ToJson(updated.value()), updated.value().version);
       }},
      {"DELETE", "/api/v1/people/{id}", false,
       [this](Exchange& x) {
         const Status s = directory.ErasePerson(x.caller, x.ids[0]);
         if (!s.ok()) return Fail(x, s);
         x.res.status = 204;
       }},
      {"POST", "/api/v1/people/{id}/invitation", false,
       [this](Exchange& x) {
         const Status s = auth.InvitePerson(x.caller, x.ids[0]);
         if (!s.ok()) return Fail(x, s);
         Reply(x, 202, {{"status", "invitation sent"}});
       }},

      // ---- Programmes
      {"GET", "/api/v1/programmes", false,
       [this](Exchange& x) {
         RowId after = 0;
         int limit = 0;
         if (!PageParams(x, &after, &limit)) return;
         Result<Page<ProgrammeView>> page = directory.ListProgrammes(x.caller, after, limit);
         if (!page.ok()) return Fail(x, page.status());
         Reply(x, 200, ToJson(page.value(), [](const ProgrammeView& v) {
                 json item = ToJson(v.programme);
                 item["administered"] = v.administered;
                 item["own_enrolment"] =
                     v.own_enrolment ? json(ToString(*v.own_enrolment)) : json(nullptr);
                 return item;
               }));
       }},
      {"POST", "/api/v1/programmes", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         ProgrammeRecord programme;
         if (!Decode(x, max_json, ProgrammeFromJson, "the programme has problems", &programme))
           return;
         Result<ProgrammeRecord> created =
             directory.CreateProgramme(x.caller, std::move(programme));
         if (!created.ok()) return Fail(x, created.status());
         x.res.set_header("Location", "/api/v1/programmes/" + std::to_string(created.value().id));
         x.res.set_header("ETag", "\"" + std::to_string(created.value().version) + "\"");
         Reply(x, 201, ToJson(created.value()));
       }},
      {"GET", "/api/v1/programmes/{id}", false,
       [this](Exchange& x) {
         Result<ProgrammeRecord> programme = directory.GetProgramme(x.caller, x.ids[0]);
         if (!programme.ok()) return Fail(x, programme.status());
         ReplyVersioned(x, ToJson(programme.value()), programme.value().version);
       }},
      {"PUT", "/api/v1/programmes/{id}", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         Fields f(*body);
         ProgrammeRecord programme = ProgrammeFromJson(*body, &f);
         if (!f.ok()) return Problem(x, 400, "the programme has problems", f.problems());
         programme.id = x.ids[0];
         Result<ProgrammeRecord> updated =
             directory.UpdateProgramme(x.caller, std::move(programme), *version);
         if (!updated.ok()) return Fail(x, updated.status());
         ReplyVersioned(x, ToJson(updated.value()), updated.value().version);
       }},
      {"GET", "/api/v1/programmes/{id}/admins", false,
       [this](Exchange& x) {
         Result<std::vector<RowId>> admins = directory.ListProgrammeAdmins(x.caller, x.ids[0]);
         if (!admins.ok()) return Fail(x, admins.status());
         Reply(x, 200, {{"items", admins.value()}});
       }},
      {"PUT", "/api/v1/programmes/{id}/admins/{account_id}", false,
       [this](Exchange& x) {
         const Status s = directory.AddProgrammeAdmin(x.caller, x.ids[0], x.ids[1]);
         if (!s.ok()) return Fail(x, s);
         x.res.status = 204;
       }},
      {"DELETE", "/api/v1/programmes/{id}/admins/{account_id}", false,
       [this](Exchange& x) {
         const Status s = directory.RemoveProgrammeAdmin(x.caller, x.ids[0], x.ids[1]);
         if (!s.ok()) return Fail(x, s);
         x.res.status = 204;
       }},

      // ---- Administration
      {"GET", "/api/v1/accounts", false,
       [this, page_of](Exchange& x) {
         page_of(x, [&](RowId after, int limit) {
           return directory.ListAccounts(x.caller, after, limit);
         });
       }},
      {"GET", "/api/v1/audit", false,
       [this, page_of](Exchange& x) {
         page_of(x, [&](RowId after, int limit) {
           return directory.ListAudit(x.caller, after, limit);
         });
       }},
      {"GET", "/api/v1/api-tokens", false,
       [this](Exchange& x) {
         Result<std::vector<ApiTokenRecord>> tokens = auth.ListApiTokens(x.caller);
         if (!tokens.ok()) return Fail(x, tokens.status());
         json items = json::array();
         for (const ApiTokenRecord& t : tokens.value()) items.push_back(ToJson(t));
         Reply(x, 200, {{"items", std::move(items)}});
       }},
      {"POST", "/api/v1/api-tokens", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto name = f.String("name", true, 100);
         const auto scopes = f.Strings("scopes", true, 10);
         if (!f.ok()) return Problem(x, 400, "name and scopes are required", f.problems());
         Result<NewApiToken> token = auth.CreateApiToken(x.caller, *name, *scopes);
         if (!token.ok()) return Fail(x, token.status());
         Reply(x, 201, {{"id", token.value().id}, {"token", token.value().token}});
       }},
      {"DELETE", "/api/v1/api-tokens/{id}", false,
       [this](Exchange& x) {
         const Status s = auth.RevokeApiToken(x.caller, x.ids[0]);
         if (!s.ok()) return Fail(x, s);
         x.res.status = 204;
       }},
  };
}

std::vector<Route> Server::Impl::LifecycleRoutes() {
  const size_t max_json = config.max_json_body;
  const auto list_page = [](Exchange& x, auto&& list, auto&& encode) {
    RowId after = 0;
    int limit = 0;
    if (!PageParams(x, &after, &limit)) return;
    auto page = list(after, limit);
    if (!page.ok()) return Fail(x, page.status());
    Reply(x, 200, ToJson(page.value(), encode));
  };
  const auto programme_reply = [](Exchange& x, const Result<ProgrammeRecord>& programme) {
    if (!programme.ok()) return Fail(x, programme.status());
    ReplyVersioned(x, ToJson(programme.value()), programme.value().version);
  };
  const auto tandem_reply = [](Exchange& x, const Result<TandemView>& tandem) {
    if (!tandem.ok()) return Fail(x, tandem.status());
    ReplyVersioned(x, ToJson(tandem.value(), /*team=*/false), tandem.value().tandem.version);
  };
  const auto no_content = [](Exchange& x, const Status& s) {
    if (!s.ok()) return Fail(x, s);
    x.res.status = 204;
  };

  return {
      // ---- The programme team: states, invitations, enrolments
      {"POST", "/api/v1/programmes/{id}/open", false,
       [this, programme_reply](Exchange& x) {
         programme_reply(x, lifecycle.OpenEnrolment(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/programmes/{id}/close", false,
       [this, programme_reply](Exchange& x) {
         programme_reply(x, lifecycle.Close(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/programmes/{id}/invitations", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         InviteRequest request;
         if (!Decode(x, max_json, InviteRequestFromJson, "the invitation request has problems",
                     &request))
           return;
         Result<InviteSummary> summary = lifecycle.Invite(x.caller, x.ids[0], request);
         if (!summary.ok()) return Fail(x, summary.status());
         Reply(x, 200,
               {{"invited", summary.value().invited},
                {"already", summary.value().already},
                {"without_email", summary.value().without_email}});
       }},
      {"POST", "/api/v1/programmes/{id}/invitations/{person_id}/resend", false,
       [this](Exchange& x) {
         const Status s = lifecycle.ResendInvitation(x.caller, x.ids[0], x.ids[1]);
         if (!s.ok()) return Fail(x, s);
         Reply(x, 202, {{"status", "invitation sent"}});
       }},
      {"DELETE", "/api/v1/programmes/{id}/invitations/{person_id}", false,
       [this, no_content](Exchange& x) {
         no_content(x, lifecycle.RevokeInvitation(x.caller, x.ids[0], x.ids[1]));
       }},
      {"GET", "/api/v1/programmes/{id}/summary", false,
       [this](Exchange& x) {
         Result<ProgrammeSummary> summary = lifecycle.Summary(x.caller, x.ids[0]);
         if (!summary.ok()) return Fail(x, summary.status());
         Reply(x, 200, ToJson(summary.value()));
       }},
      {"GET", "/api/v1/programmes/{id}/enrolments", false,
       [this, list_page](Exchange& x) {
         list_page(
             x,
             [&](RowId after, int limit) {
               return lifecycle.ListEnrolments(x.caller, x.ids[0], after, limit);
             },
             [](const EnrolmentView& e) { return ToJson(e, /*with_answers=*/false); });
       }},

      // ---- A participant's own enrolment
      {"GET", "/api/v1/programmes/{id}/enrolment", false,
       [this](Exchange& x) {
         Result<EnrolmentView> view = lifecycle.GetOwnEnrolment(x.caller, x.ids[0]);
         if (!view.ok()) return Fail(x, view.status());
         ReplyVersioned(x, ToJson(view.value(), /*with_answers=*/true),
                        view.value().enrolment.version);
       }},
      {"PUT", "/api/v1/programmes/{id}/enrolment", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         Fields f(*body);
         const EnrolmentInput input = EnrolmentInputFromJson(*body, &f);
         if (!f.ok()) return Problem(x, 400, "the enrolment has problems", f.problems());
         Result<EnrolmentView> view = lifecycle.Enrol(x.caller, x.ids[0], input, *version);
         if (!view.ok()) return Fail(x, view.status());
         ReplyVersioned(x, ToJson(view.value(), /*with_answers=*/true),
                        view.value().enrolment.version);
       }},
      {"DELETE", "/api/v1/programmes/{id}/enrolment", false,
       [this, no_content](Exchange& x) { no_content(x, lifecycle.Withdraw(x.caller, x.ids[0])); }},

      // ---- The role flip: the participant's offer for the next cohort
      {"GET", "/api/v1/me/role-offer", false,
       [this](Exchange& x) {
         Result<RoleOfferView> view = lifecycle.role_flip().GetRoleOffer(x.caller);
         if (!view.ok()) return Fail(x, view.status());
         ReplyVersioned(x, ToJson(view.value()), view.value().offer.version);
       }},
      {"PUT", "/api/v1/me/role-offer", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         Fields f(*body);
         const RoleOfferInput input = RoleOfferInputFromJson(*body, &f);
         if (!f.ok()) return Problem(x, 400, "the role offer has problems", f.problems());
         Result<RoleOfferView> view = lifecycle.role_flip().PutRoleOffer(x.caller, input, *version);
         if (!view.ok()) {
           const Status& s = view.status();
           const size_t colon = s.message().find(": ");
           if (s.code() != StatusCode::kInvalidArgument || colon == std::string::npos) {
             return Fail(x, s);
           }
           // "mentor_topics[2]: ..." names the field.
           return Problem(x, 400, "the role offer has problems",
                          {{s.message().substr(0, colon), 0, s.message().substr(colon + 2)}});
         }
         ReplyVersioned(x, ToJson(view.value()), view.value().offer.version);
       }},

      // ---- Matching runs
      {"POST", "/api/v1/programmes/{id}/runs", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = OptionalBody(x, max_json);
         if (!body) return;
         Fields f(*body);
         const std::string objective = f.String("objective", false, 20).value_or("optimal");
         if (objective != "optimal" && objective != "stable") {
           f.Fail("objective", "must be 'optimal' or 'stable'");
         }
         if (!f.ok()) return Problem(x, 400, "the run request has problems", f.problems());
         Result<MatchingRunRecord> run = lifecycle.StartRun(x.caller, x.ids[0], objective);
         if (!run.ok()) return Fail(x, run.status());
         x.res.set_header("Location", "/api/v1/programmes/" + std::to_string(x.ids[0]) + "/runs/" +
                                          std::to_string(run.value().id));
         Reply(x, 202, ToJson(run.value()));
       }},
      {"GET", "/api/v1/programmes/{id}/runs", false,
       [this, list_page](Exchange& x) {
         list_page(
             x,
             [&](RowId after, int limit) {
               return lifecycle.ListRuns(x.caller, x.ids[0], after, limit);
             },
             [](const MatchingRunRecord& r) { return ToJson(r); });
       }},
      {"GET", "/api/v1/programmes/{id}/runs/{run_id}", false,
       [this](Exchange& x) {
         Result<RunView> run = lifecycle.GetRun(x.caller, x.ids[0], x.ids[1]);
         if (!run.ok()) return Fail(x, run.status());
         ReplyVersioned(x, ToJson(run.value()), run.value().run.version);
       }},
      {"GET", "/api/v1/programmes/{id}/runs/{run_id}/compare/{other_id}", false,
       [this](Exchange& x) {
         Result<RunComparison> comparison =
             lifecycle.CompareRuns(x.caller, x.ids[0], x.ids[1], x.ids[2]);
         if (!comparison.ok()) return Fail(x, comparison.status());
         Reply(x, 200, ToJson(comparison.value()));
       }},
      {"POST", "/api/v1/programmes/{id}/runs/{run_id}/publish", false,
       [this](Exchange& x) {
         Result<PublishSummary> summary = lifecycle.Publish(x.caller, x.ids[0], x.ids[1]);
         if (!summary.ok()) return Fail(x, summary.status());
         Reply(x, 200, {{"tandems", summary.value().tandems}, {"mails", summary.value().mails}});
       }},

      // ---- Pins and forbidden pairs
      {"GET", "/api/v1/programmes/{id}/pair-rules", false,
       [this](Exchange& x) {
         Result<std::vector<PairRuleRecord>> rules = lifecycle.ListPairRules(x.caller, x.ids[0]);
         if (!rules.ok()) return Fail(x, rules.status());
         json items = json::array();
         for (const PairRuleRecord& rule : rules.value()) items.push_back(ToJson(rule));
         Reply(x, 200, {{"items", std::move(items)}});
       }},
      {"PUT", "/api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         PairRuleRecord rule;
         if (const auto kind = f.String("kind", true, 20)) {
           if (const auto parsed = ParsePairRuleKind(*kind)) {
             rule.kind = *parsed;
           } else {
             f.Fail("kind", "must be 'pin' or 'forbid'");
           }
         }
         if (!f.ok()) return Problem(x, 400, "the pair rule has problems", f.problems());
         rule.programme = x.ids[0];
         rule.mentor = x.ids[1];
         rule.mentee = x.ids[2];
         Result<PairRuleRecord> stored = lifecycle.PutPairRule(x.caller, rule);
         if (!stored.ok()) return Fail(x, stored.status());
         Reply(x, 200, ToJson(stored.value()));
       }},
      {"DELETE", "/api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}", false,
       [this, no_content](Exchange& x) {
         no_content(x, lifecycle.DeletePairRule(x.caller, x.ids[0], x.ids[1], x.ids[2]));
       }},

      // ---- Tandems: the team's list, the participants' own
      {"GET", "/api/v1/programmes/{id}/tandems", false,
       [this, list_page](Exchange& x) {
         list_page(
             x,
             [&](RowId after, int limit) {
               return lifecycle.ListProgrammeTandems(x.caller, x.ids[0], after, limit);
             },
             [](const TandemView& t) { return ToJson(t, /*team=*/true); });
       }},
      {"GET", "/api/v1/programmes/{id}/suggestions", false,
       [this](Exchange& x) {
         Result<std::vector<Suggestion>> suggestions = lifecycle.Suggest(x.caller, x.ids[0]);
         if (!suggestions.ok()) return Fail(x, suggestions.status());
         json items = json::array();
         for (const Suggestion& s : suggestions.value()) items.push_back(ToJson(s));
         Reply(x, 200, {{"items", std::move(items)}});
       }},
      {"POST", "/api/v1/programmes/{id}/requests", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto partner = f.Int("partner_id", true, 1, std::numeric_limits<RowId>::max());
         const auto role = f.String("partner_role", true, 20);
         if (role && *role != "mentor" && *role != "mentee") {
           f.Fail("partner_role", "must be 'mentor' or 'mentee'");
         }
         if (!f.ok()) return Problem(x, 400, "the request has problems", f.problems());
         Result<TandemView> tandem = lifecycle.Request(x.caller, x.ids[0], *partner, *role);
         if (!tandem.ok()) return Fail(x, tandem.status());
         x.res.set_header("Location",
                          "/api/v1/tandems/" + std::to_string(tandem.value().tandem.id));
         x.res.set_header("ETag", "\"" + std::to_string(tandem.value().tandem.version) + "\"");
         Reply(x, 201, ToJson(tandem.value(), /*team=*/false));
       }},
      {"GET", "/api/v1/tandems", false,
       [this](Exchange& x) {
         Result<std::vector<TandemView>> tandems = lifecycle.ListOwnTandems(x.caller);
         if (!tandems.ok()) return Fail(x, tandems.status());
         json items = json::array();
         for (const TandemView& t : tandems.value()) items.push_back(ToJson(t, /*team=*/false));
         Reply(x, 200, {{"items", std::move(items)}});
       }},
      {"GET", "/api/v1/tandems/{id}", false,
       [this, tandem_reply](Exchange& x) {
         tandem_reply(x, lifecycle.GetTandem(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/tandems/{id}/accept", false,
       [this, tandem_reply](Exchange& x) {
         tandem_reply(x, lifecycle.Accept(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/tandems/{id}/decline", false,
       [this, max_json, tandem_reply](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = OptionalBody(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto reason = f.String("reason", false, kMaxDeclineReasonLength);
         if (!f.ok()) return Problem(x, 400, "the decline has problems", f.problems());
         tandem_reply(x, lifecycle.Decline(x.caller, x.ids[0], reason.value_or("")));
       }},
      {"POST", "/api/v1/tandems/{id}/complete", false,
       [this, tandem_reply](Exchange& x) {
         tandem_reply(x, lifecycle.Complete(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/tandems/{id}/dissolve", false,
       [this, max_json, tandem_reply](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = OptionalBody(x, max_json);
         if (!body) return;
         Fields f(*body);
         // At most kMaxDissolveReasonLength characters of up to 4 bytes each.
         const auto reason = f.String("reason", false, 4 * kMaxDissolveReasonLength);
         if (reason && CharacterCount(*reason) > kMaxDissolveReasonLength) {
           f.Fail("reason", "at most " + std::to_string(kMaxDissolveReasonLength) + " characters");
         }
         if (!f.ok()) return Problem(x, 400, "the dissolution has problems", f.problems());
         tandem_reply(x, lifecycle.Dissolve(x.caller, x.ids[0], reason.value_or("")));
       }},
  };
}

std::vector<Route> Server::Impl::WorkspaceRoutes() {
  const size_t max_json = config.max_json_body;
  const auto agreement_reply = [](Exchange& x, const Result<AgreementView>& agreement) {
    if (!agreement.ok()) return Fail(x, agreement.status());
    Reply(x, 200, ToJson(agreement.value()));
  };
  const auto roadmap_reply = [](Exchange& x, const Result<RoadmapView>& roadmap) {
    if (!roadmap.ok()) return Fail(x, roadmap.status());
    ReplyVersioned(x, ToJson(roadmap.value()), roadmap.value().version);
  };
  const auto item_reply = [](Exchange& x, const Result<RoadmapItemView>& item) {
    if (!item.ok()) return Fail(x, item.status());
    ReplyVersioned(x, ToJson(item.value()), item.value().item.version);
  };
  const auto note_reply = [](Exchange& x, const Result<NoteView>& note) {
    if (!note.ok()) return Fail(x, note.status());
    ReplyVersioned(x, ToJson(note.value()), note.value().note.version);
  };
  const auto meeting_reply = [](Exchange& x, const Result<MeetingView>& meeting) {
    if (!meeting.ok()) return Fail(x, meeting.status());
    ReplyVersioned(x, ToJson(meeting.value()), meeting.value().meeting.version);
  };
  const auto created = [](Exchange& x, const std::string& location, std::int64_t version,
                          const json& body) {
    x.res.set_header("Location", location);
    x.res.set_header("ETag", "\"" + std::to_string(version) + "\"");
    Reply(x, 201, body);
  };
  const auto no_content = [](Exchange& x, const Status& s) {
    if (!s.ok()) return Fail(x, s);
    x.res.status = 204;
  };
  // Anonymous callers get 401 before the body is read. A 400 for a malformed body does not
  // depend on the tandem, so it tells an outsider nothing about it; the use case answers 404.
  const auto signed_in = [](Exchange& x) {
    if (!x.caller.anonymous()) return true;
    Problem(x, 401, "sign in first");
    return false;
  };
  const auto tandem_path = [](const Exchange& x) {
    return "/api/v1/tandems/" + std::to_string(x.ids[0]);
  };

  return {
      {"GET", "/api/v1/tandems/{id}/agreement", false,
       [this, agreement_reply](Exchange& x) {
         agreement_reply(x, workspace.GetAgreement(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/tandems/{id}/agreement/accept", false,
       [this, agreement_reply](Exchange& x) {
         agreement_reply(x, workspace.AcceptAgreement(x.caller, x.ids[0]));
       }},

      // ---- The roadmap
      {"GET", "/api/v1/tandems/{id}/roadmap", false,
       [this, roadmap_reply](Exchange& x) {
         roadmap_reply(x, workspace.GetRoadmap(x.caller, x.ids[0]));
       }},
      {"POST", "/api/v1/tandems/{id}/roadmap", false,
       [this, max_json, signed_in, created, tandem_path](Exchange& x) {
         if (!signed_in(x)) return;
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         const auto text = f.String("text", true, kMaxRoadmapTextLength);
         if (!f.ok()) return Problem(x, 400, "the roadmap item has problems", f.problems());
         Result<RoadmapItemView> item = workspace.AddRoadmapItem(x.caller, x.ids[0], *text);
         if (!item.ok()) return Fail(x, item.status());
         created(x, tandem_path(x) + "/roadmap/" + std::to_string(item.value().item.id),
                 item.value().item.version, ToJson(item.value()));
       }},
      {"PUT", "/api/v1/tandems/{id}/roadmap/order", false,
       [this, max_json, signed_in, roadmap_reply](Exchange& x) {
         if (!signed_in(x)) return;
         const auto version = IfMatch(x);
         if (!version) return;
         const auto body = Body(x, max_json);
         if (!body) return;
         std::vector<RowId> order;
         const auto ids = body->find("item_ids");
         bool valid = ids != body->end() && ids->is_array() && ids->size() <= kMaxRoadmapItems;
         for (size_t i = 0; valid && i < ids->size(); ++i) {
           valid = (*ids)[i].is_number_integer() && (*ids)[i].get<std::int64_t>() > 0;
           if (valid) order.push_back((*ids)[i].get<RowId>());
         }
         if (!valid) {
           const std::string problem = "must be an array of the roadmap's item ids";
           return Problem(x, 400, "item_ids: " + problem, {{"item_ids", 0, problem}});
         }
         roadmap_reply(x, workspace.ReorderRoadmap(x.caller, x.ids[0], order, *version));
       }},
      {"PUT", "/api/v1/tandems/{id}/roadmap/{item_id}", false,
       [this, max_json, signed_in, item_reply](Exchange& x) {
         if (!signed_in(x)) return;
         const auto version = IfMatch(x);
         if (!version) return;
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         RoadmapChange change;
         change.text = f.String("text", false, kMaxRoadmapTextLength);
         change.covered = f.Bool("covered", false);
         if (!f.ok()) return Problem(x, 400, "the roadmap item has problems", f.problems());
         item_reply(x, workspace.ChangeRoadmapItem(x.caller, x.ids[0], x.ids[1], change, *version));
       }},
      {"DELETE", "/api/v1/tandems/{id}/roadmap/{item_id}", false,
       [this, no_content](Exchange& x) {
         no_content(x, workspace.DeleteRoadmapItem(x.caller, x.ids[0], x.ids[1]));
       }},

      // ---- Notes
      {"GET", "/api/v1/tandems/{id}/notes", false,
       [this](Exchange& x) {
         Result<std::vector<NoteView>> notes = workspace.ListNotes(x.caller, x.ids[0]);
         if (!notes.ok()) return Fail(x, notes.status());
         json items = json::array();
         for (const NoteView& n : notes.value()) items.push_back(ToJson(n));
         Reply(x, 200, {{"items", std::move(items)}});
       }},
      {"POST", "/api/v1/tandems/{id}/notes", false,
       [this, max_json, signed_in, created, tandem_path](Exchange& x) {
         if (!signed_in(x)) return;
         NoteInput input;
         if (!Decode(x, max_json, NoteInputFromJson, "the note has problems", &input)) return;
         Result<NoteView> note = workspace.AddNote(x.caller, x.ids[0], input);
         if (!note.ok()) return Fail(x, note.status());
         created(x, tandem_path(x) + "/notes/" + std::to_string(note.value().note.id),
                 note.value().note.version, ToJson(note.value()));
       }},
      {"GET", "/api/v1/tandems/{id}/notes/{note_id}", false,
       [this, note_reply](Exchange& x) {
         note_reply(x, workspace.GetNote(x.caller, x.ids[0], x.ids[1]));
       }},
      {"PUT", "/api/v1/tandems/{id}/notes/{note_id}", false,
       [this, max_json, signed_in, note_reply](Exchange& x) {
         if (!signed_in(x)) return;
         const auto version = IfMatch(x);
         if (!version) return;
         NoteInput input;
         if (!Decode(x, max_json, NoteInputFromJson, "the note has problems", &input)) return;
         note_reply(x, workspace.ChangeNote(x.caller, x.ids[0], x.ids[1], input, *version));
       }},
      {"DELETE", "/api/v1/tandems/{id}/notes/{note_id}", false,
       [this, no_content](Exchange& x) {
         no_content(x, workspace.DeleteNote(x.caller, x.ids[0], x.ids[1]));
       }},

      // ---- The caller's private calendar feed (a secret URL for calendar applications)
      {"POST", "/api/v1/me/calendar-feed", false,
       [this](Exchange& x) {
         Result<std::string> token = workspace.CreateCalendarFeed(x.caller);
         if (!token.ok()) return Fail(x, token.status());
         Reply(
             x, 201,
             {{"token", token.value()},
              {"url", auth.config().public_url + "/api/v1/calendar-feed?token=" + token.value()}});
       }},
      {"DELETE", "/api/v1/me/calendar-feed", false,
       [this, no_content](Exchange& x) { no_content(x, workspace.RevokeCalendarFeed(x.caller)); }},
      // The token is the credential (calendar applications send no cookie); the request log
      // never holds query strings.
      {"GET", "/api/v1/calendar-feed", true,
       [this](Exchange& x) {
         Result<std::string> feed = workspace.CalendarFeed(x.req.get_param_value("token"));
         if (!feed.ok()) return Fail(x, feed.status());
         x.res.status = 200;
         x.res.set_content(feed.value(), "text/calendar; charset=utf-8");
       }},

      // ---- Asks to leadership: sent from a tandem, read by the programme team
      {"POST", "/api/v1/tandems/{id}/asks", false,
       [this, max_json, signed_in](Exchange& x) {
         if (!signed_in(x)) return;
         const auto body = Body(x, max_json);
         if (!body) return;
         Fields f(*body);
         AskInput input;
         input.text = f.String("text", true, kMaxAskLength).value_or("");
         input.topics = f.Strings("topics", false, 50).value_or(std::vector<std::string>{});
         input.named = f.Bool("named", false).value_or(false);
         if (!f.ok()) return Problem(x, 400, "the ask has problems", f.problems());
         Result<LeadershipAskRecord> ask = workspace.SendAsk(x.caller, x.ids[0], input);
         if (!ask.ok()) return Fail(x, ask.status());
         Reply(x, 201, ToJson(ask.value()));
       }},
      {"GET", "/api/v1/programmes/{id}/asks", false,
       [this](Exchange& x) {
         Result<std::vector<LeadershipAskView>> asks =
             lifecycle.ListLeadershipAsks(x.caller, x.ids[0]);
         if (!asks.ok()) return Fail(x, asks.status());
         Reply(x, 200, ToJson(asks.value()));
       }},

      // ---- Meetings
      {"GET", "/api/v1/tandems/{id}/meetings", false,
       [this](Exchange& x) {
         Result<std::vector<MeetingView>> meetings = workspace.ListMeetings(x.caller, x.ids[0]);
         if (!meetings.ok()) return Fail(x, meetings.status());
         json items = json::array();
         for (const MeetingView& m : meetings.value()) items.push_back(ToJson(m));
         Reply(x, 200, {{"items", std::move(items)}});
       }},
      {"POST", "/api/v1/tandems/{id}/meetings", false,
       [this, max_json, signed_in, created, tandem_path](Exchange& x) {
         if (!signed_in(x)) return;
         MeetingInput input;
         if (!Decode(x, max_json, MeetingInputFromJson, "the meeting has problems", &input)) return;
         Result<MeetingView> meeting = workspace.ProposeMeeting(x.caller, x.ids[0], input);
         if (!meeting.ok()) return Fail(x, meeting.status());
         created(x, tandem_path(x) + "/meetings/" + std::to_string(meeting.value().meeting.id),
                 meeting.value().meeting.version, ToJson(meeting.value()));
       }},
      {"GET", "/api/v1/tandems/{id}/meetings/{meeting_id}", false,
       [this, meeting_reply](Exchange& x) {
         meeting_reply(x, workspace.GetMeeting(x.caller, x.ids[0], x.ids[1]));
       }},
      {"PUT", "/api/v1/tandems/{id}/meetings/{meeting_id}", false,
       [this, max_json, signed_in, meeting_reply](Exchange& x) {
         if (!signed_in(x)) return;
         const auto version = IfMatch(x);
         if (!version) return;
         MeetingInput input;
         if (!Decode(x, max_json, MeetingInputFromJson, "the meeting has problems", &input)) return;
         meeting_reply(x, workspace.ChangeMeeting(x.caller, x.ids[0], x.ids[1], input, *version));
       }},
      {"POST", "/api/v1/tandems/{id}/meetings/{meeting_id}/accept", false,
       [this, meeting_reply](Exchange& x) {
         meeting_reply(x, workspace.AcceptMeeting(x.caller, x.ids[0], x.ids[1]));
       }},
      {"POST", "/api/v1/tandems/{id}/meetings/{meeting_id}/cancel", false,
       [this, meeting_reply](Exchange& x) {
         meeting_reply(x, workspace.CancelMeeting(x.caller, x.ids[0], x.ids[1]));
       }},
      {"POST", "/api/v1/tandems/{id}/meetings/{meeting_id}/held", false,
       [this, meeting_reply](Exchange& x) {
         meeting_reply(x, workspace.MarkMeetingHeld(x.caller, x.ids[0], x.ids[1]));
       }},
      {"GET", "/api/v1/tandems/{id}/meetings/{meeting_id}/calendar.ics", false,
       [this](Exchange& x) {
         Result<std::string> ics = workspace.MeetingCalendar(x.caller, x.ids[0], x.ids[1]);
         if (!ics.ok()) return Fail(x, ics.status());
         x.res.set_header("Content-Disposition", "attachment; filename=\"tandem-meeting-" +
                                                     std::to_string(x.ids[1]) + ".ics\"");
         x.res.status = 200;
         x.res.set_content(ics.value(), "text/calendar; charset=utf-8");
       }},
  };
}

namespace {

// Problems of a survey definition or response as errors[{field, message}]; `prefix` is put in
// front of fields that do not carry it yet ("questions", "answers").
std::vector<FieldProblem> SurveyProblems(const std::vector<SurveyProblem>& problems,
                                         std::string_view prefix) {
  std::vector<FieldProblem> out;
  for (const SurveyProblem& p : problems) {
    std::string field = p.field;
    if (field.rfind(prefix, 0) != 0) {
      field = field.empty() ? std::string(prefix) : std::string(prefix) + "." + field;
    }
    out.push_back({std::move(field), 0, p.message});
  }
  return out;
}

// An InvalidArgument whose message is "field: ..." names the field in errors[]; other
// statuses answer as Fail() does.
void FailNamingField(Exchange& x, const Status& s, std::string_view what) {
  const size_t colon = s.message().find(": ");
  if (s.code() != StatusCode::kInvalidArgument || colon == std::string::npos) return Fail(x, s);
  Problem(x, 400, std::string(what),
          {{s.message().substr(0, colon), 0, s.message().substr(colon + 2)}});
}

// ?department=&location= of the dashboard and its exports (an empty value: no filter).
DashboardFilter FilterOf(const Exchange& x) {
  DashboardFilter filter;
  if (x.req.has_param("department") && !x.req.get_param_value("department").empty()) {
    filter.department = x.req.get_param_value("department");
  }
  if (x.req.has_param("location") && !x.req.get_param_value("location").empty()) {
    filter.location = x.req.get_param_value("location");
  }
  return filter;
}

}  // namespace

std::vector<Route> Server::Impl::ReportRoutes() {
  const size_t max_json = config.max_json_body;
  const auto survey_reply = [](Exchange& x, const Result<SurveyView>& view) {
    if (!view.ok()) return FailNamingField(x, view.status(), "the survey has problems");
    ReplyVersioned(x, ToJson(view.value()), view.value().record.version);
  };
  // Open, close, reopen: If-Match is optional (absent: whatever is stored).
  const auto optional_if_match = [](Exchange& x) -> std::optional<std::int64_t> {
    if (!x.req.has_header("If-Match")) return kAnyVersion;
    return IfMatch(x);
  };
  const auto feedback_reply = [](Exchange& x, const Result<PartnerFeedbackView>& view) {
    if (!view.ok()) return FailNamingField(x, view.status(), "the feedback has problems");
    if (view.value().mine) {
      x.res.set_header("ETag", "\"" + std::to_string(view.value().mine->version) + "\"");
    }
    Reply(x, 200, ToJson(view.value()));
  };
  const auto export_route = [this](const char* path, const char* name, const char* format) {
    return Route{"GET", path, false, [this, name, format](Exchange& x) {
                   Result<ExportFile> file =
                       reports.Export(x.caller, x.ids[0], name, format, FilterOf(x));
                   if (!file.ok()) {
                     return FailNamingField(x, file.status(), "the export cannot be made");
                   }
                   x.res.set_header("Content-Disposition",
                                    "attachment; filename=\"" + file.value().filename + "\"");
                   x.res.status = 200;
                   x.res.set_content(file.value().bytes, file.value().content_type);
                 }};
  };

  return {
      // ---- Surveys: the programme team
      {"GET", "/api/v1/programmes/{id}/surveys", false,
       [this](Exchange& x) {
         Result<std::vector<SurveyView>> list = surveys.ListSurveys(x.caller, x.ids[0]);
         if (!list.ok()) return Fail(x, list.status());
         json items = json::array();
         for (const SurveyView& view : list.value()) items.push_back(ToJson(view));
         Reply(x, 200, {{"surveys", std::move(items)}});
       }},
      {"GET", "/api/v1/surveys/{id}", false,
       [this, survey_reply](Exchange& x) {
         survey_reply(x, surveys.GetSurvey(x.caller, x.ids[0]));
       }},
      {"PUT", "/api/v1/surveys/{id}", false,
       [this, max_json, survey_reply](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         std::vector<SurveyProblem> problems;
         Result<SurveyView> view =
             surveys.UpdateQuestions(x.caller, x.ids[0], body->dump(), *version, &problems);
         if (!view.ok() && view.status().code() == StatusCode::kInvalidArgument &&
             !problems.empty()) {
           return Problem(x, 400, "the questions have problems",
                          SurveyProblems(problems, "questions"));
         }
         survey_reply(x, view);
       }},
      {"POST", "/api/v1/surveys/{id}/open", false,
       [this, survey_reply, optional_if_match](Exchange& x) {
         const auto version = optional_if_match(x);
         if (!version) return;
         survey_reply(x, surveys.Open(x.caller, x.ids[0], *version));
       }},
      {"POST", "/api/v1/surveys/{id}/close", false,
       [this, survey_reply, optional_if_match](Exchange& x) {
         const auto version = optional_if_match(x);
         if (!version) return;
         survey_reply(x, surveys.Close(x.caller, x.ids[0], *version));
       }},
      {"POST", "/api/v1/surveys/{id}/reopen", false,
       [this, survey_reply, optional_if_match](Exchange& x) {
         const auto version = optional_if_match(x);
         if (!version) return;
         survey_reply(x, surveys.Reopen(x.caller, x.ids[0], *version));
       }},
      {"GET", "/api/v1/surveys/{id}/results", false,
       [this](Exchange& x) {
         Result<SurveyResultView> view = surveys.Results(x.caller, x.ids[0]);
         if (!view.ok()) return Fail(x, view.status());
         Reply(x, 200, ToJson(view.value()));
       }},

      // ---- Surveys: the participants
      {"GET", "/api/v1/me/surveys", false,
       [this](Exchange& x) {
         Result<std::vector<MySurveyView>> list = surveys.MySurveys(x.caller);
         if (!list.ok()) return Fail(x, list.status());
         json items = json::array();
         for (const MySurveyView& view : list.value()) items.push_back(ToJson(view));
         Reply(x, 200, {{"surveys", std::move(items)}});
       }},
      {"GET", "/api/v1/surveys/{id}/response", false,
       [this](Exchange& x) {
         Result<MyResponseView> view = surveys.GetMyResponse(x.caller, x.ids[0]);
         if (!view.ok()) return Fail(x, view.status());
         ReplyVersioned(x, ToJson(view.value()), view.value().version);
       }},
      {"PUT", "/api/v1/surveys/{id}/response", false,
       [this, max_json](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         const auto answers = body->find("answers");
         if (answers == body->end() || !answers->is_object()) {
           return Problem(x, 400, "the answers have problems",
                          {{"answers", 0, "required: an object of answers by question key"}});
         }
         std::vector<SurveyProblem> problems;
         Result<MyResponseView> view =
             surveys.PutMyResponse(x.caller, x.ids[0], answers->dump(), *version, &problems);
         if (!view.ok() && view.status().code() == StatusCode::kInvalidArgument &&
             !problems.empty()) {
           return Problem(x, 400, "the answers have problems", SurveyProblems(problems, "answers"));
         }
         if (!view.ok()) return FailNamingField(x, view.status(), "the answers have problems");
         ReplyVersioned(x, ToJson(view.value()), view.value().version);
       }},

      // ---- Partner feedback: the two partners
      {"GET", "/api/v1/tandems/{id}/feedback", false,
       [this, feedback_reply](Exchange& x) {
         feedback_reply(x, surveys.GetFeedback(x.caller, x.ids[0]));
       }},
      {"PUT", "/api/v1/tandems/{id}/feedback", false,
       [this, max_json, feedback_reply](Exchange& x) {
         if (x.caller.anonymous()) return Problem(x, 401, "sign in first");
         const auto body = Body(x, max_json);
         if (!body) return;
         const auto version = IfMatch(x);
         if (!version) return;
         Fields f(*body);
         // Characters are counted by the use case; 4 bytes each at most.
         const auto text = f.String("text", true, 4 * kMaxPartnerFeedbackLength);
         if (!f.ok()) return Problem(x, 400, "the feedback has problems", f.problems());
         feedback_reply(x, surveys.PutFeedback(x.caller, x.ids[0], *text, *version));
       }},

      // ---- The dashboard and its exports: the programme team
      {"GET", "/api/v1/programmes/{id}/dashboard", false,
       [this](Exchange& x) {
         Result<DashboardView> view = reports.Dashboard(x.caller, x.ids[0], FilterOf(x));
         if (!view.ok()) return FailNamingField(x, view.status(), "the filter is not available");
         Reply(x, 200, ToJson(view.value()));
       }},
      export_route("/api/v1/programmes/{id}/exports/dashboard.csv", "dashboard", "csv"),
      export_route("/api/v1/programmes/{id}/exports/dashboard.xlsx", "dashboard", "xlsx"),
      export_route("/api/v1/programmes/{id}/exports/tandems.csv", "tandems", "csv"),
      export_route("/api/v1/programmes/{id}/exports/tandems.xlsx", "tandems", "xlsx"),
  };
}

Server::Server(Auth& auth, Directory& directory, Lifecycle& lifecycle, Workspace& workspace,
               Surveys& surveys, Reports& reports, Metrics& metrics, ServerConfig config,
               std::function<std::int64_t()> mail_queue, std::function<Status()> ready,
               DataRights* data_rights)
    : impl_(std::make_unique<Impl>(auth, directory, lifecycle, workspace, surveys, reports, metrics,
                                   std::move(config), std::move(mail_queue), std::move(ready),
                                   data_rights)) {
  Impl& s = *impl_;
  httplib::Server& server = s.server;
  const int threads = s.config.threads;
  server.new_task_queue = [threads] {
    return new httplib::ThreadPool(static_cast<size_t>(threads));
  };
  server.set_payload_max_length(s.config.max_upload_body);
  server.set_keep_alive_max_count(static_cast<size_t>(s.config.keep_alive_requests));
  // httplib listens with a backlog of 5: under a burst of new connections the kernel drops
  // SYNs and clients wait a second to retry. Remember the socket to listen again, deeper.
  server.set_socket_options([this](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    impl_->listen_socket = sock;
  });
  server.set_read_timeout(s.config.request_timeout_seconds, 0);
  server.set_write_timeout(s.config.request_timeout_seconds, 0);
  httplib::Headers headers = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
  };
  if (s.config.secure_cookies) {
    headers.emplace("Strict-Transport-Security", "max-age=31536000");
  }
  server.set_default_headers(headers);

  // Infrastructure routes: not under /api/v1, no authentication.
  server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const Status status = impl_->ready();
    res.set_header("Cache-Control", "no-store");
    if (status.ok()) {
      res.set_content(R"({"status":"ok","database":"ok"})", kJson);
    } else {
      res.status = 503;
      res.set_header("Retry-After", "5");
      res.set_content(ProblemJson(503, "the database does not answer"), kProblemContentType);
    }
  });
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(impl_->metrics.Render(impl_->mail_queue()), "text/plain; version=0.0.4");
  });
  server.Get("/api/v1/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(std::string(OpenApiDocument()), kJson);
  });
  s.registered = {"GET /healthz", "GET /metrics", "GET /api/v1/openapi.json"};
  for (const auto& routes :
       {s.Routes(), s.LifecycleRoutes(), s.WorkspaceRoutes(), s.ReportRoutes()}) {
    for (const Route& route : routes) {
      s.Register(route);
      s.registered.push_back(std::string(route.method) + " " + route.path);
    }
  }
  if (!s.config.static_dir.empty()) {
    server.set_mount_point("/", s.config.static_dir);
    // The web front end routes in the browser (/sign-in, /programmes/3/enrolment, ...): a GET
    // of a path outside the API that names no file (no dot in its last segment) and matched
    // no file above gets the app's index.html. The API, /healthz and /metrics are unaffected.
    const std::string index = s.config.static_dir + "/index.html";
    server.Get(R"(/(?!api/)(?:[^./]+/)*[^./]*)",
               [index](const httplib::Request& req, httplib::Response& res) {
                 std::ifstream in(index, std::ios::binary);
                 if (!in) {
                   res.status = 404;
                   return;
                 }
                 std::ostringstream body;
                 body << in.rdbuf();
                 res.set_header("Cache-Control", "no-cache");
                 res.set_content(body.str(), "text/html; charset=utf-8");
                 spdlog::info("{} {} {}", req.method, "(web app)", res.status);
               });
  }

  // Anything that ends in an error without a body (no such route, a body over the limit)
  // still answers with a problem document.
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (!res.has_header("Cache-Control")) res.set_header("Cache-Control", "no-store");
        const std::string detail = res.status == 404   ? "no such resource"
                                   : res.status == 413 ? "the request body is too large"
                                                       : "the request cannot be handled";
        res.set_content(ProblemJson(res.status, detail), kProblemContentType);
        return httplib::Server::HandlerResponse::Handled;
      }));
}

Server::~Server() = default;

Result<int> Server::Bind() {
  Impl& s = *impl_;
  int port = s.config.port;
  if (port == 0) {
    port = s.server.bind_to_any_port(s.config.host);
    if (port <= 0) return Status::Unavailable("cannot listen on " + s.config.host);
  } else if (!s.server.bind_to_port(s.config.host, port)) {
    return Status::Unavailable("cannot listen on " + s.config.host + ":" + std::to_string(port) +
                               " (in use, or not allowed)");
  }
  // Listening again on a listening socket only changes its backlog (Linux).
  if (s.listen_socket >= 0) ::listen(s.listen_socket, kListenBacklog);
  return port;
}

void Server::Run() { impl_->server.listen_after_bind(); }

void Server::Stop() { impl_->server.stop(); }

std::vector<std::string> Server::RouteList() const { return impl_->registered; }

}  // namespace tandem::http
