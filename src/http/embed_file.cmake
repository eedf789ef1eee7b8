# Writes OUTPUT: a C++ source defining tandem::http::FUNCTION() as the text of INPUT.
file(READ "${INPUT}" text)
set(content "// Generated from ${INPUT} by embed_file.cmake. Do not edit.\n")
string(APPEND content "#include <string_view>\n\nnamespace tandem::http {\n\n")
string(APPEND content "std::string_view ${FUNCTION}() {\n  static constexpr char kText[] = R\"tandem_file(${text})tandem_file\";\n")
string(APPEND content "  return {kText, sizeof(kText) - 1};\n}\n\n}  // namespace tandem::http\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
