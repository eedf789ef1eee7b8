// Tandem use cases that exist so far: accepting a proposed tandem.
#pragma once

#include "app/store.h"
#include "core/status.h"

namespace tandem {

// Records that `person` (the tandem's mentor or mentee) accepts the tandem. The first
// acceptance makes it "accepted_by_one", the second "active". Accepting twice changes
// nothing. When both partners accept at the same moment, exactly one outcome results: both
// acceptances are kept and the tandem is active. Returns the state after the call;
// NotFound, PermissionDenied (not a partner) or Conflict (the tandem is no longer open).
Result<TandemState> AcceptTandem(Store& store, RowId tandem, RowId person, Millis now);

}  // namespace tandem
