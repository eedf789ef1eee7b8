// The `tandem` subcommands. Each Run* function returns the process exit status:
// 0 success, 1 failure of the environment (a file cannot be written), 2 bad input.
#pragma once

#include <cstdint>
#include <string>

namespace tandem {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

struct MatchCommand {
  std::string input;
  std::string topics;
  std::string exclude;
  std::string mode = "reverse";
  std::string objective = "optimal";
  std::string candidates = "auto";
  std::string max_rounds = "auto";  // column generation solves in the automatic mode
  std::string out;                  // empty: stdout
  std::string format = "csv";
  std::string report;
  bool quiet = false;
};
int RunMatch(const MatchCommand& command);

struct GenerateCommand {
  int people = 60;
  std::uint64_t seed = 1;
  std::string out;         // empty: stdout
  std::string topics_out;  // optional: also write the topic catalogue here
};
int RunGenerate(const GenerateCommand& command);

}  // namespace tandem
