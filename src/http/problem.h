// Errors on the wire: application/problem+json (RFC 9457). The mapping from a Status code to an
// HTTP status is decided here and nowhere else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace tandem::http {

// One thing wrong with the request: a field (JSON pointer-ish name), a CSV line, a message.
struct FieldProblem {
  std::string field;  // may be empty
  long line = 0;      // > 0 for CSV uploads
  std::string message;
};

int HttpStatusFor(StatusCode code);

// The problem document for `status` with a human `detail` and optional per-field problems.
std::string ProblemJson(int status, std::string_view detail,
                        const std::vector<FieldProblem>& errors = {});

inline constexpr char kProblemContentType[] = "application/problem+json";

}  // namespace tandem::http
