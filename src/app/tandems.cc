#include "app/tandems.h"

namespace tandem {

Result<TandemState> AcceptTandem(Store& store, RowId tandem_id, RowId person, Millis now) {
  // A version conflict means the other partner accepted in between: read again and redo.
  constexpr int kAttempts = 10;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    TandemState state = TandemState::kProposed;
    bool stale = false;
    const Status status = store.Write([&](StoreTx& tx) {
      stale = false;
      std::optional<TandemRecord> tandem = tx.FindTandem(tandem_id);
      if (!tandem) return Status::NotFound("tandem " + std::to_string(tandem_id) + " not found");
      const bool is_mentor = tandem->mentor == person;
      if (!is_mentor && tandem->mentee != person) {
        return Status::PermissionDenied("only the tandem's partners can accept it");
      }
      if (tandem->state != TandemState::kProposed && tandem->state != TandemState::kAcceptedByOne) {
        state = tandem->state;
        if (tandem->state == TandemState::kActive) return Status::Ok();
        return Status::Conflict("the tandem is " + std::string(ToString(tandem->state)) +
                                " and can no longer be accepted");
      }
      std::optional<Millis>& mine =
          is_mentor ? tandem->mentor_accepted_at : tandem->mentee_accepted_at;
      if (mine) {
        state = tandem->state;
        return Status::Ok();
      }
      mine = now;
      const bool both = tandem->mentor_accepted_at && tandem->mentee_accepted_at;
      tandem->state = both ? TandemState::kActive : TandemState::kAcceptedByOne;
      if (both) tandem->activated_at = now;  // the term runs from here
      tandem->updated_at = now;
      if (!tx.UpdateTandem(*tandem)) {
        stale = true;
        return Status::Ok();
      }
      tx.AppendAudit({0, now, "person:" + std::to_string(person), "tandem.accept", "tandem",
                      tandem_id, std::string(ToString(tandem->state))});
      state = tandem->state;
      return Status::Ok();
    });
    if (!status.ok()) return status;
    if (!stale) return state;
  }
  return Status::Unavailable("the tandem kept changing; try again");
}

}  // namespace tandem
