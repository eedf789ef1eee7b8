// Fuzzes the decoding of JSON request bodies in the HTTP layer (src/http/json_mapping.h) the
// way server.cc does it: ParseObject() on the raw body, then each *FromJson() decoder, and the
// Fields readers that routes use directly on every key of the object.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/json_mapping.h"

namespace {

using tandem::http::Fields;

template <typename T>
void Decode(const nlohmann::json& body, T (*from_json)(const nlohmann::json&, Fields*)) {
  Fields fields(body);
  (void)from_json(body, &fields);
  for (const tandem::http::FieldProblem& p : fields.problems()) {
    if (p.message.empty()) __builtin_trap();  // every problem says what is wrong
  }
}

// The nesting depth of a parsed value (recursive, as dump() is: an accepted body must be
// shallow enough for it).
int Depth(const nlohmann::json& value) {
  if (!value.is_structured()) return 0;
  int deepest = 0;
  for (const nlohmann::json& item : value) deepest = std::max(deepest, Depth(item));
  return deepest + 1;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string problem;
  std::string field;
  const std::optional<nlohmann::json> body = tandem::http::ParseObject(text, &problem, &field);
  if (!body) {
    if (problem.empty()) __builtin_trap();
    return 0;
  }
  if (!body->is_object() || Depth(*body) > tandem::http::kMaxJsonDepth) __builtin_trap();

  Decode(*body, tandem::http::PersonFromJson);
  Decode(*body, tandem::http::ProgrammeFromJson);
  Decode(*body, tandem::http::InviteRequestFromJson);
  Decode(*body, tandem::http::EnrolmentInputFromJson);
  Decode(*body, tandem::http::NoteInputFromJson);
  Decode(*body, tandem::http::MeetingInputFromJson);
  Decode(*body, tandem::http::RoleOfferInputFromJson);

  // The readers routes call on their own fields, on whatever keys the body has.
  Fields fields(*body);
  for (const auto& [key, value] : body->items()) {
    const char* name = key.c_str();
    (void)fields.String(name, true);
    (void)fields.String(name, false, 8);
    (void)fields.Int(name, true, std::numeric_limits<std::int64_t>::min(),
                     std::numeric_limits<std::int64_t>::max());
    (void)fields.Int(name, false, 1, 100);
    (void)fields.Bool(name, true);
    (void)fields.Strings(name, false, 3);
    (void)fields.NullableInt(name, 0, 10);
  }
  // Route handlers echo the body back in places (surveys store body->dump()).
  (void)body->dump();
  return 0;
}
