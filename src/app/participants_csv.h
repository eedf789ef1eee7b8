// The participants file of `tandem match` and `tandem import`, and its companions: the topic
// catalogue and the excluded pairs. Formats are described in docs/matching.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/cohort.h"
#include "core/management_tree.h"
#include "core/status.h"

namespace tandem {

// Problems found in an input file, each "FILE:LINE: column 'X': what is wrong".
struct InputProblems {
  std::vector<std::string> errors;    // at most kMaxErrors are kept; see omitted
  std::vector<std::string> warnings;  // e.g. ignored columns
  std::int64_t omitted = 0;           // errors found beyond kMaxErrors
  static constexpr size_t kMaxErrors = 100;

  bool ok() const { return errors.empty() && omitted == 0; }
  void Error(std::string message);
};

struct ParticipantsFile {
  Cohort cohort;                    // people sorted by id, topics sorted by key
  std::vector<std::int64_t> lines;  // line of each person, parallel to cohort.people
  ManagementTree tree;              // built from cohort.people
};

// Parses and validates a participants file. `catalogue` (may be empty) supplies display
// names and weights by topic key. On return, problems->ok() tells whether *out is usable.
// With `check_managers` false, manager_id values are not checked against the file (the
// caller resolves them, e.g. against the people already stored) and out->tree is left empty.
void ReadParticipants(std::string_view file_name, std::string_view text,
                      const std::vector<Topic>& catalogue, ParticipantsFile* out,
                      InputProblems* problems, bool check_managers = true);

// Parses a topic catalogue: CSV `key,name,weight`, weight a positive integer, default 1.
std::vector<Topic> ReadTopics(std::string_view file_name, std::string_view text,
                              InputProblems* problems);

// Parses excluded pairs: CSV `mentor_id,mentee_id`. Ids must be people of `participants`;
// the pairs are returned as (mentor index, mentee index).
std::vector<std::pair<int, int>> ReadExclusions(std::string_view file_name, std::string_view text,
                                                const ParticipantsFile& participants,
                                                InputProblems* problems);

// Writes a cohort in the participants format (with every answer column).
std::string WriteParticipants(const Cohort& cohort);

}  // namespace tandem
