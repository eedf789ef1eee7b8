// `tandem import`: HR master data (and, for a programme, capacities and answers) from a
// participants file into the store, all or nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/participants_csv.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

struct ImportOptions {
  // When set, each person with a capacity or an answer is enrolled in this programme and
  // their answers replace the stored ones. Without it only master data is imported.
  std::optional<RowId> programme;
  std::string actor = "cli";  // recorded in the audit log
  Millis now = 0;
};

struct ImportSummary {
  std::int64_t inserted = 0;           // people new to the store
  std::int64_t updated = 0;            // people whose master data changed
  std::int64_t unchanged = 0;          // people already stored as in the file
  std::int64_t enrolled = 0;           // enrolments created or updated
  std::int64_t answers = 0;            // answer rows stored
  std::int64_t skipped_withdrawn = 0;  // withdrawn enrolments left alone
};

// Upserts every person of `file` (read with check_managers = false) by external id, in one
// transaction. Managers may be people of the file or already stored; the result must stay a
// tree. Input problems go to *problems as "FILE:LINE: column 'X': ..." and return
// InvalidArgument; then nothing is written.
Status ImportPeople(Store& store, std::string_view file_name, const ParticipantsFile& file,
                    const ImportOptions& options, InputProblems* problems, ImportSummary* summary);

}  // namespace tandem
