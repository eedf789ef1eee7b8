// People, programmes, accounts and the audit log as the API offers them, with every
// permission decided here, once per use case (docs/security.md has the matrix):
//
// - A system administrator sees and changes everything.
// - A programme administrator sees their programmes and the people enrolled in them, and
//   edits their programmes' settings; never another programme's.
// - A participant sees their own person record and the programmes they are enrolled in.
// - An API token acts as its account, narrowed to its scopes.
//
// A record the caller may not see is NotFound, as if it did not exist; an action on something
// the caller may see but not change is PermissionDenied; both are audited.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/caller.h"
#include "app/clock.h"
#include "app/people_import.h"
#include "app/store.h"
#include "core/status.h"

namespace tandem {

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<RowId> next_after;  // pass as `after` for the next page; empty: last page
};

inline constexpr int kMaxPageSize = 500;

// The `if_match` of an update that accepts any stored version (HTTP `If-Match: *`).
inline constexpr std::int64_t kAnyVersion = -1;

// The signed-in account as it sees itself.
struct Profile {
  AccountRecord account;  // password_hash cleared
  std::optional<PersonRecord> person;
};

// What a person may change about their own account.
struct ProfileChange {
  std::optional<std::string> display_name;
  std::optional<Language> language;
};

// A programme as one caller sees it in a list: whether they administer it (a system
// administrator administers every programme) and the state of their own enrolment, if any.
struct ProgrammeView {
  ProgrammeRecord programme;
  bool administered = false;
  std::optional<EnrolmentState> own_enrolment;
};

class Directory {
 public:
  // `store` and `clock` must outlive this object. Thread-safe.
  Directory(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  Result<Profile> GetProfile(const Caller& caller);
  // `if_match` is the account version the caller last saw (FailedPrecondition when stale).
  Result<Profile> UpdateProfile(const Caller& caller, const ProfileChange& change,
                                std::int64_t if_match);

  Result<Page<PersonRecord>> ListPeople(const Caller& caller, RowId after, int limit);
  Result<PersonRecord> GetPerson(const Caller& caller, RowId id);
  Result<PersonRecord> CreatePerson(const Caller& caller, PersonRecord person);
  Result<PersonRecord> UpdatePerson(const Caller& caller, PersonRecord person,
                                    std::int64_t if_match);
  Status ErasePerson(const Caller& caller, RowId id);
  // `tandem import` over the API: the participants CSV, all or nothing.
  Result<ImportSummary> ImportPeople(const Caller& caller, std::string_view file_name,
                                     std::string_view csv, InputProblems* problems);

  // The programmes the caller sees, each with what it is to them (ProgrammeView).
  Result<Page<ProgrammeView>> ListProgrammes(const Caller& caller, RowId after, int limit);
  Result<ProgrammeRecord> GetProgramme(const Caller& caller, RowId id);
  Result<ProgrammeRecord> CreateProgramme(const Caller& caller, ProgrammeRecord programme);
  Result<ProgrammeRecord> UpdateProgramme(const Caller& caller, ProgrammeRecord programme,
                                          std::int64_t if_match);
  Result<std::vector<RowId>> ListProgrammeAdmins(const Caller& caller, RowId programme);
  Status AddProgrammeAdmin(const Caller& caller, RowId programme, RowId account);
  Status RemoveProgrammeAdmin(const Caller& caller, RowId programme, RowId account);

  Result<Page<AccountRecord>> ListAccounts(const Caller& caller, RowId after, int limit);
  Result<Page<AuditRecord>> ListAudit(const Caller& caller, RowId after, int limit);

 private:
  // Whether the programme exists and the caller may see it.
  bool ProgrammeVisible(const Caller& caller, RowId programme);
  // Records a denial in the audit log and returns `status`.
  Status Deny(const Caller& caller, std::string_view what, std::string_view entity,
              std::optional<RowId> id, const Status& status);

  Store& store_;
  const Clock& clock_;
};

// ---- The rules, as pure functions (tested on their own).

// Whether the caller's credential carries `scope` (sessions carry every scope).
bool HasScope(const Caller& caller, std::string_view scope);
bool AdministersProgramme(const Caller& caller, RowId programme);

// Records that `caller` was refused `what` on an entity, in a transaction of its own (the
// refused use case's own one changed nothing), and returns `status` — or the store's failure.
Status AuditDenial(Store& store, const Clock& clock, const Caller& caller, std::string_view what,
                   std::string_view entity, std::optional<RowId> id, const Status& status);

}  // namespace tandem
