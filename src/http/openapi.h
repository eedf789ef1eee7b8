// The OpenAPI 3.1 document of the API (docs/api/openapi.json), compiled into the binary.
#pragma once

#include <string_view>

namespace tandem::http {

std::string_view OpenApiDocument();

}  // namespace tandem::http
