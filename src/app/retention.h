// Retention of closed programmes (issue 9; docs/privacy.md "Retention and erasure"). A
// programme's `retention_months` also bound how long its personal data outlive it: once the
// programme is closed and closed_at + retention_months have passed (by the injected clock), its
// personal data go, in one transaction per programme, and who took part can no longer be told:
// its enrolments, tandems, agreement acceptances and survey responses are re-pointed to fresh
// anonymous people (StoreTx::EraseProgrammePersonalData), its matching runs name those instead,
// without reasons. Every count (the summary, the dashboard's funnel) stays; the people's own
// rows stay (they take part in other programmes). A programme not closed is never swept.
#pragma once

#include <cstdint>
#include <optional>

#include "app/clock.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

// A month of a retention period: 30.4 days, as Workspace::EraseExpired counts it.
inline constexpr Millis kRetentionMonth = 30LL * 24 * 60 * 60 * 1000 + 10LL * 60 * 60 * 1000;

// When the programme's personal data are due to be erased: closed_at + retention_months;
// nullopt while the programme is not closed.
std::optional<Millis> PersonalDataDueAt(const ProgrammeRecord& programme);

struct RetentionCounts {
  std::int64_t programmes = 0;  // programmes whose personal data were erased now
  std::int64_t people = 0;      // people replaced by anonymous ones in them
};

// Erases the personal data of every programme that is due (PersonalDataDueAt <= now) and not
// erased yet, one transaction each, audited ("programme.retention", by programme id, with
// counts only). Idempotent, and safe on several servers at once: the programme's marker
// (personal_data_erased_at) is set in the same transaction. A programme with a matching run
// still queued or running waits for the next sweep. Run hourly by `tandem serve` beside
// Workspace::EraseExpired, and by `tandem keys erase-expired`.
Result<RetentionCounts> EraseExpiredProgrammes(Store& store, const Clock& clock);

// Part of erasing `person` (call it in the erasure's transaction, with StoreTx::ErasePerson):
// the matching runs of the programmes they enrolled in keep the pairs they were in, without
// reasons, topics or language (the reasons hold their interests or skills per topic), and the
// reason they stayed unmatched. Conflict when a run changed concurrently.
Status ScrubRunsOfErasedPerson(StoreTx& tx, RowId person);

}  // namespace tandem
