#include "http/problem.h"

#include <nlohmann/json.hpp>

namespace tandem::http {
namespace {

std::string_view Title(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Internal Server Error" : "Error";
  }
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 412;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      break;
  }
  return 500;
}

std::string ProblemJson(int status, std::string_view detail,
                        const std::vector<FieldProblem>& errors) {
  nlohmann::json body = {
      {"type", "https://tandem.invalid/problems/" + std::to_string(status)},
      {"title", Title(status)},
      {"status", status},
      {"detail", detail},
  };
  if (!errors.empty()) {
    nlohmann::json list = nlohmann::json::array();
    for (const FieldProblem& e : errors) {
      nlohmann::json item = {{"message", e.message}};
      if (!e.field.empty()) item["field"] = e.field;
      if (e.line > 0) item["line"] = e.line;
      list.push_back(std::move(item));
    }
    body["errors"] = std::move(list);
  }
  // Replace invalid UTF-8 (a message may quote input) rather than throw.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace tandem::http
