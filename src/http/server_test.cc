// The server's own route table against the OpenAPI document, and the wire mapping.
#include "http/server.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "app/crypto.h"
#include "http/json_mapping.h"
#include "http/openapi.h"
#include "http/problem.h"
#include "store/open_store.h"

namespace tandem::http {
namespace {

TEST(OpenApi, DocumentsExactlyTheRoutesTheServerHas) {
  ASSERT_TRUE(InitCrypto().ok());
  const auto dir =
      std::filesystem::temp_directory_path() / ("tandem-routes-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto store = store::OpenStore("sqlite:" + (dir / "t.db").string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  SystemClock clock;
  AuthConfig config;
  config.password_cost.memory = 8 * 1024;  // the minimum: this test hashes nothing it checks
  config.password_cost.ops = 1;
  Auth auth(*store.value(), clock, config);
  Directory directory(*store.value(), clock);
  Lifecycle lifecycle(*store.value(), clock, auth, "http://127.0.0.1:8080");
  Workspace workspace(*store.value(), clock, std::nullopt);
  Surveys surveys(*store.value(), clock, "http://127.0.0.1:8080");
  Reports reports(*store.value(), clock);
  Metrics metrics;
  Server server(
      auth, directory, lifecycle, workspace, surveys, reports, metrics, {},
      [] { return std::int64_t{0}; }, [] { return Status::Ok(); });

  std::set<std::string> served;
  for (const std::string& route : server.RouteList()) served.insert(route);
  const nlohmann::json document = nlohmann::json::parse(OpenApiDocument());
  ASSERT_EQ(document.at("openapi").get<std::string>().rfind("3.1", 0), 0u);
  std::set<std::string> documented;
  for (const auto& [path, item] : document.at("paths").items()) {
    for (const auto& [method, operation] : item.items()) {
      std::string upper = method;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (upper == "GET" || upper == "POST" || upper == "PUT" || upper == "DELETE" ||
          upper == "PATCH") {
        documented.insert(upper + " " + path);
      }
    }
  }
  for (const std::string& route : served) {
    EXPECT_TRUE(documented.count(route)) << route << " is served but not in docs/api/openapi.json";
  }
  for (const std::string& route : documented) {
    EXPECT_TRUE(served.count(route)) << route << " is in docs/api/openapi.json but not served";
  }
  store.value().reset();
  std::filesystem::remove_all(dir);
}

TEST(Problem, StatusCodesMapToHttpInOnePlace) {
  EXPECT_EQ(HttpStatusFor(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(StatusCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(StatusCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(StatusCode::kFailedPrecondition), 412);
  EXPECT_EQ(HttpStatusFor(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(StatusCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(StatusCode::kInternal), 500);
  const nlohmann::json body =
      nlohmann::json::parse(ProblemJson(400, "bad", {{"level", 0, "must be an integer"}}));
  EXPECT_EQ(body.at("status"), 400);
  EXPECT_EQ(body.at("title"), "Bad Request");
  EXPECT_EQ(body.at("errors").at(0).at("field"), "level");
}

TEST(JsonMapping, NamesTheFieldOfEveryProblem) {
  std::string problem, field;
  EXPECT_FALSE(ParseObject("{", &problem, &field));
  EXPECT_EQ(problem, "the body is not valid JSON");
  EXPECT_FALSE(ParseObject("[1]", &problem, &field));
  EXPECT_EQ(problem, "the body must be a JSON object");
  EXPECT_FALSE(ParseObject("{\"name\": \"ab\xff\"}", &problem, &field));
  EXPECT_EQ(field, "name");

  // Deep nesting is refused before parsing (writing such a document would recurse 100,000
  // levels deep); brackets inside strings do not count.
  const std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(ParseObject(deep, &problem, &field));
  EXPECT_EQ(problem, "the body nests arrays and objects deeper than 64 levels");
  const std::string ok = "{\"a\": " + std::string(63, '[') + std::string(63, ']') + "}";
  EXPECT_TRUE(ParseObject(ok, &problem, &field));
  const std::string quoted = "{\"a\": \"" + std::string(100, '[') + "\\\"\"}";
  EXPECT_TRUE(ParseObject(quoted, &problem, &field));

  const auto body =
      ParseObject(R"({"external_id": 7, "level": "x", "languages": ["de", 1]})", &problem, &field);
  ASSERT_TRUE(body);
  Fields fields(*body);
  PersonFromJson(*body, &fields);
  std::set<std::string> named;
  for (const FieldProblem& p : fields.problems()) named.insert(p.field);
  EXPECT_EQ(named, (std::set<std::string>{"external_id", "level", "languages"}));

  const auto range =
      ParseObject(R"({"external_id": "a", "level": 99999999999999999999})", &problem, &field);
  ASSERT_TRUE(range);
  Fields range_fields(*range);
  PersonFromJson(*range, &range_fields);
  ASSERT_EQ(range_fields.problems().size(), 1u);
  EXPECT_EQ(range_fields.problems()[0].field, "level");
}

}  // namespace
}  // namespace tandem::http
