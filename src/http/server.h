// `tandem serve`'s HTTP side: the routes of docs/api/routes.md over cpp-httplib. Thin: each
// handler decodes the request, calls one use case of src/app with the Caller, and encodes the
// answer; authorisation is the use case's. httplib.h stays inside server.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/auth.h"
#include "app/data_rights.h"
#include "app/directory.h"
#include "app/lifecycle.h"
#include "app/reports.h"
#include "app/surveys.h"
#include "app/workspace.h"
#include "core/status.h"
#include "http/metrics.h"

namespace tandem::http {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 8080;                 // 0: any free port (see Server::Bind)
  std::string static_dir;          // served at / when set
  bool secure_cookies = false;     // Secure + __Host- cookie (TLS, or a proxy that terminates it)
  bool trust_proxy = false;        // take the client address from X-Forwarded-For
  size_t max_json_body = 1 << 20;  // bytes
  size_t max_upload_body = 64 << 20;
  int request_timeout_seconds = 30;
  // httplib gives each open connection a thread, and a thread waiting on an idle keep-alive
  // connection wakes every 10 ms: a few threads and one request per connection serve more
  // (bench/results/http.txt). Behind nginx, upstream connections are short-lived anyway.
  int threads = 16;
  int keep_alive_requests = 1;  // requests per connection before it is closed
};

class Server {
 public:
  // Everything passed in must outlive the server. `mail_queue` returns the outbox length for
  // /metrics (or -1). `ready` returns whether the database answers (for /healthz).
  // `data_rights` serves GET /api/v1/me/export (null: that route answers 503).
  Server(Auth& auth, Directory& directory, Lifecycle& lifecycle, Workspace& workspace,
         Surveys& surveys, Reports& reports, Metrics& metrics, ServerConfig config,
         std::function<std::int64_t()> mail_queue, std::function<Status()> ready,
         DataRights* data_rights = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; returns the port.
  Result<int> Bind();
  // Serves until Stop(); in-flight requests finish before it returns.
  void Run();
  // Thread-safe; not async-signal-safe (call it from a thread that waited for the signal).
  void Stop();

  // Every route as "METHOD /path/{param}", for the test that holds the OpenAPI document to it.
  std::vector<std::string> RouteList() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tandem::http
