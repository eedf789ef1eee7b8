#include "app/directory.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "app/participants_csv.h"
#include "app/programmes.h"
#include "app/retention.h"

namespace tandem {
namespace {

constexpr char kSignIn[] = "sign in first";

int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxPageSize); }

// The id a page continues after.
template <typename T>
RowId PageKey(const T& item) {
  return item.id;
}
RowId PageKey(const ProgrammeView& view) { return view.programme.id; }

template <typename T>
Page<T> ToPage(std::vector<T> items, int limit) {
  Page<T> page;
  if (static_cast<int>(items.size()) > limit) {
    items.resize(static_cast<size_t>(limit));
    page.next_after = PageKey(items.back());
  }
  page.items = std::move(items);
  return page;
}

Status NotFound(std::string_view what, RowId id) {
  return Status::NotFound(std::string(what) + " " + std::to_string(id) + " not found");
}

// Whether the caller may see the person: themselves, everyone for a system administrator,
// the people enrolled in their programmes for a programme administrator.
bool SeesPerson(StoreTx& tx, const Caller& caller, RowId person) {
  if (caller.system_admin || caller.person == person) return true;
  return std::any_of(caller.programmes.begin(), caller.programmes.end(), [&](RowId programme) {
    return tx.FindEnrolment(programme, person).has_value();
  });
}

bool SeesProgramme(StoreTx& tx, const Caller& caller, RowId programme) {
  if (caller.system_admin || AdministersProgramme(caller, programme)) return true;
  return caller.person && tx.FindEnrolment(programme, *caller.person).has_value();
}

Status CheckPersonFields(const PersonRecord& p) {
  if (p.external_id.empty() || p.external_id.size() > 200) {
    return Status::InvalidArgument("external_id: 1 to 200 characters");
  }
  if (p.level < 0 || p.level > 1000) return Status::InvalidArgument("level: 0 to 1000");
  for (const std::string& language : p.languages) {
    if (language.empty() || language.size() > 10 || language.find(';') != std::string::npos) {
      return Status::InvalidArgument("languages: each a short code such as 'de'");
    }
  }
  return Status::Ok();
}

}  // namespace

bool HasScope(const Caller& caller, std::string_view scope) { return caller.HasScope(scope); }

bool AdministersProgramme(const Caller& caller, RowId programme) {
  return std::find(caller.programmes.begin(), caller.programmes.end(), programme) !=
         caller.programmes.end();
}

Status AuditDenial(Store& store, const Clock& clock, const Caller& caller, std::string_view what,
                   std::string_view entity, std::optional<RowId> id, const Status& status) {
  const Status audited = store.Write([&](StoreTx& tx) {
    tx.AppendAudit({0, clock.Now(), caller.Actor(), "permission.denied", std::string(entity), id,
                    std::string(what)});
    return Status::Ok();
  });
  return audited.ok() ? status : audited;
}

Status Directory::Deny(const Caller& caller, std::string_view what, std::string_view entity,
                       std::optional<RowId> id, const Status& status) {
  return AuditDenial(store_, clock_, caller, what, entity, id, status);
}

bool Directory::ProgrammeVisible(const Caller& caller, RowId programme) {
  bool visible = false;
  const Status status = store_.Read([&](StoreTx& tx) {
    visible = HasScope(caller, kScopeProgrammesRead) && tx.FindProgramme(programme).has_value() &&
              SeesProgramme(tx, caller, programme);
    return Status::Ok();
  });
  return status.ok() && visible;
}

// ---- Profile

Result<Profile> Directory::GetProfile(const Caller& caller) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  Profile profile;
  const Status status = store_.Read([&](StoreTx& tx) {
    const std::optional<AccountRecord> account = tx.FindAccount(caller.account);
    if (!account) return Status::Unauthenticated(kSignIn);
    profile.account = *account;
    profile.account.password_hash.clear();
    if (account->person) profile.person = tx.FindPerson(*account->person);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return profile;
}

Result<Profile> Directory::UpdateProfile(const Caller& caller, const ProfileChange& change,
                                         std::int64_t if_match) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (change.display_name && change.display_name->size() > 200) {
    return Status::InvalidArgument("display_name: at most 200 characters");
  }
  Profile profile;
  Status status = store_.Write([&](StoreTx& tx) {
    std::optional<AccountRecord> account = tx.FindAccount(caller.account);
    if (!account) return Status::Unauthenticated(kSignIn);
    if (if_match != kAnyVersion && account->version != if_match) {
      return Status::FailedPrecondition("the profile changed since it was read (version " +
                                        std::to_string(account->version) + ")");
    }
    if (change.display_name) account->display_name = *change.display_name;
    if (change.language) account->language = *change.language;
    account->updated_at = clock_.Now();
    if (!tx.UpdateAccount(*account)) {
      return Status::FailedPrecondition("the profile changed since it was read");
    }
    // The answer is read in the same transaction: what was written, nothing in between.
    profile.account = *account;
    profile.account.version += 1;
    profile.account.password_hash.clear();
    if (account->person) profile.person = tx.FindPerson(*account->person);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return profile;
}

// ---- People

Result<Page<PersonRecord>> Directory::ListPeople(const Caller& caller, RowId after, int limit) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!HasScope(caller, kScopePeopleRead)) {
    return Deny(caller, "people.list", "person", std::nullopt,
                Status::PermissionDenied("the token lacks the scope people:read"));
  }
  limit = ClampLimit(limit);
  std::vector<PersonRecord> people;
  const Status status = store_.Read([&](StoreTx& tx) {
    if (caller.system_admin) {
      people = tx.ListPeople(after, limit + 1);
    } else if (!caller.programmes.empty()) {
      people = tx.ListPeopleOfProgrammes(caller.programmes, after, limit + 1);
    } else if (caller.person && *caller.person > after) {
      if (std::optional<PersonRecord> self = tx.FindPerson(*caller.person)) {
        people.push_back(std::move(*self));
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ToPage(std::move(people), limit);
}

Result<PersonRecord> Directory::GetPerson(const Caller& caller, RowId id) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  std::optional<PersonRecord> person;
  bool visible = false;
  const Status status = store_.Read([&](StoreTx& tx) {
    visible = HasScope(caller, kScopePeopleRead) && SeesPerson(tx, caller, id);
    if (visible) person = tx.FindPerson(id);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!visible) return Deny(caller, "people.get", "person", id, NotFound("person", id));
  if (!person) return NotFound("person", id);
  return *person;
}

Result<PersonRecord> Directory::CreatePerson(const Caller& caller, PersonRecord person) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!caller.system_admin || !HasScope(caller, kScopePeopleWrite)) {
    return Deny(caller, "people.create", "person", std::nullopt,
                Status::PermissionDenied("only system administrators add people"));
  }
  if (Status valid = CheckPersonFields(person); !valid.ok()) return valid;
  const Millis now = clock_.Now();
  person.created_at = person.updated_at = now;
  person.erased_at.reset();
  Status status = store_.Write([&](StoreTx& tx) {
    if (tx.FindPersonByExternalId(person.external_id)) {
      return Status::Conflict("external_id: a person with this id exists");
    }
    if (person.manager && !tx.FindPerson(*person.manager)) {
      return Status::InvalidArgument("manager: no such person");
    }
    person.id = tx.InsertPerson(person);
    person.version = 1;
    tx.AppendAudit({0, now, caller.Actor(), "person.create", "person", person.id, ""});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return person;
}

Result<PersonRecord> Directory::UpdatePerson(const Caller& caller, PersonRecord person,
                                             std::int64_t if_match) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (Status valid = CheckPersonFields(person); !valid.ok()) return valid;
  const Millis now = clock_.Now();
  bool visible = false;
  Status status = store_.Write([&](StoreTx& tx) {
    visible = HasScope(caller, kScopePeopleRead) && SeesPerson(tx, caller, person.id);
    if (!visible) return Status::Ok();
    if (!caller.system_admin || !HasScope(caller, kScopePeopleWrite)) {
      return Status::PermissionDenied("only system administrators change HR master data");
    }
    const std::optional<PersonRecord> before = tx.FindPerson(person.id);
    if (!before) return NotFound("person", person.id);
    if (before->erased_at) return Status::Conflict("the person was erased");
    if (if_match == kAnyVersion) if_match = before->version;
    if (before->version != if_match) {
      return Status::FailedPrecondition("the person changed since it was read (version " +
                                        std::to_string(before->version) + ")");
    }
    if (person.manager) {
      // The management line must stay a tree: the new manager may not report to this person.
      for (std::optional<RowId> up = person.manager; up;) {
        if (*up == person.id) return Status::InvalidArgument("manager: would create a cycle");
        const std::optional<PersonRecord> boss = tx.FindPerson(*up);
        if (!boss) return Status::InvalidArgument("manager: no such person");
        up = boss->manager;
      }
    }
    person.created_at = before->created_at;
    person.updated_at = now;
    person.version = if_match;
    if (!tx.UpdatePerson(person)) return Status::FailedPrecondition("the person changed");
    person.version = if_match + 1;
    tx.AppendAudit({0, now, caller.Actor(), "person.update", "person", person.id, ""});
    return Status::Ok();
  });
  if (!visible && status.ok()) {
    return Deny(caller, "people.update", "person", person.id, NotFound("person", person.id));
  }
  if (status.code() == StatusCode::kPermissionDenied) {
    return Deny(caller, "people.update", "person", person.id, status);
  }
  if (!status.ok()) return status;
  return person;
}

Status Directory::ErasePerson(const Caller& caller, RowId id) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  const Millis now = clock_.Now();
  bool visible = false;
  Status status = store_.Write([&](StoreTx& tx) {
    visible = HasScope(caller, kScopePeopleRead) && SeesPerson(tx, caller, id);
    if (!visible) return Status::Ok();
    if (!caller.system_admin || !HasScope(caller, kScopePeopleWrite)) {
      return Status::PermissionDenied("only system administrators erase people");
    }
    if (Status s = ScrubRunsOfErasedPerson(tx, id); !s.ok()) return s;
    if (!tx.ErasePerson(id, now)) return NotFound("person", id);
    tx.AppendAudit({0, now, caller.Actor(), "person.erase", "person", id, ""});
    return Status::Ok();
  });
  if (!visible && status.ok())
    return Deny(caller, "people.erase", "person", id, NotFound("person", id));
  if (status.code() == StatusCode::kPermissionDenied) {
    return Deny(caller, "people.erase", "person", id, status);
  }
  return status;
}

Result<ImportSummary> Directory::ImportPeople(const Caller& caller, std::string_view file_name,
                                              std::string_view csv, InputProblems* problems) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!caller.system_admin || !HasScope(caller, kScopePeopleWrite)) {
    return Deny(caller, "people.import", "person", std::nullopt,
                Status::PermissionDenied("only system administrators import people"));
  }
  ParticipantsFile file;
  ReadParticipants(file_name, csv, {}, &file, problems, /*check_managers=*/false);
  if (!problems->ok()) return Status::InvalidArgument("the file has problems; nothing imported");
  ImportOptions options;
  options.actor = caller.Actor();
  options.now = clock_.Now();
  ImportSummary summary;
  const Status status = tandem::ImportPeople(store_, file_name, file, options, problems, &summary);
  if (!status.ok()) {
    if (status.code() == StatusCode::kInvalidArgument) {
      return Status::InvalidArgument("the file has problems; nothing imported");
    }
    return status;
  }
  return summary;
}

// ---- Programmes

Result<Page<ProgrammeView>> Directory::ListProgrammes(const Caller& caller, RowId after,
                                                      int limit) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!HasScope(caller, kScopeProgrammesRead)) {
    return Deny(caller, "programmes.list", "programme", std::nullopt,
                Status::PermissionDenied("the token lacks the scope programmes:read"));
  }
  limit = ClampLimit(limit);
  std::vector<ProgrammeView> visible;
  const Status status = store_.Read([&](StoreTx& tx) {
    // Programmes are few (tens): filter them here rather than in SQL.
    for (RowId cursor = after; static_cast<int>(visible.size()) <= limit;) {
      std::vector<ProgrammeRecord> batch = tx.ListProgrammes(cursor, kMaxPageSize);
      if (batch.empty()) break;
      cursor = batch.back().id;
      for (ProgrammeRecord& p : batch) {
        ProgrammeView view;
        view.administered = caller.system_admin || AdministersProgramme(caller, p.id);
        if (caller.person) {
          if (std::optional<EnrolmentRecord> own = tx.FindEnrolment(p.id, *caller.person)) {
            view.own_enrolment = own->state;
          }
        }
        if (!view.administered && !view.own_enrolment) continue;
        view.programme = std::move(p);
        visible.push_back(std::move(view));
      }
    }
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ToPage(std::move(visible), limit);
}

Result<ProgrammeRecord> Directory::GetProgramme(const Caller& caller, RowId id) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  std::optional<ProgrammeRecord> programme;
  bool visible = false;
  const Status status = store_.Read([&](StoreTx& tx) {
    visible = HasScope(caller, kScopeProgrammesRead) && SeesProgramme(tx, caller, id);
    if (visible) programme = tx.FindProgramme(id);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!visible) return Deny(caller, "programmes.get", "programme", id, NotFound("programme", id));
  if (!programme) return NotFound("programme", id);
  return *programme;
}

Result<ProgrammeRecord> Directory::CreateProgramme(const Caller& caller,
                                                   ProgrammeRecord programme) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  // System administrators, and the programme team of an earlier cohort: they run the next one
  // too, and become its administrators.
  const bool team = !caller.programmes.empty();
  if (!(caller.system_admin || team) || !HasScope(caller, kScopeProgrammesWrite)) {
    return Deny(caller, "programmes.create", "programme", std::nullopt,
                Status::PermissionDenied(
                    "only system administrators and programme administrators create programmes"));
  }
  const std::optional<RowId> admin =
      caller.system_admin ? std::nullopt : std::optional<RowId>(caller.account);
  Result<RowId> id =
      tandem::CreateProgramme(store_, std::move(programme), caller.Actor(), clock_.Now(), admin);
  if (!id.ok()) return id.status();
  if (admin) {
    Caller creator = caller;  // the caller's programmes were read before this one existed
    creator.programmes.push_back(id.value());
    return GetProgramme(creator, id.value());
  }
  return GetProgramme(caller, id.value());
}

Result<ProgrammeRecord> Directory::UpdateProgramme(const Caller& caller, ProgrammeRecord programme,
                                                   std::int64_t if_match) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  NormaliseProgramme(programme);
  if (Status valid = ValidateProgramme(programme); !valid.ok()) return valid;
  const Millis now = clock_.Now();
  bool visible = false;
  Status status = store_.Write([&](StoreTx& tx) {
    visible = HasScope(caller, kScopeProgrammesRead) && SeesProgramme(tx, caller, programme.id);
    if (!visible) return Status::Ok();
    if (!(caller.system_admin || AdministersProgramme(caller, programme.id)) ||
        !HasScope(caller, kScopeProgrammesWrite)) {
      return Status::PermissionDenied("only the programme's administrators change it");
    }
    const std::optional<ProgrammeRecord> before = tx.FindProgramme(programme.id);
    if (!before) return NotFound("programme", programme.id);
    if (if_match == kAnyVersion) if_match = before->version;
    if (before->version != if_match) {
      return Status::FailedPrecondition("the programme changed since it was read (version " +
                                        std::to_string(before->version) + ")");
    }
    // The lifecycle owns the state. Once enrolment opens, what people answered against stays
    // fixed: the topic catalogue, the mode and the mentee level; the deadline moves only while
    // enrolling; a closed programme changes no more.
    const std::string& state = before->state;
    // The minimum group size is fixed once enrolment opens (or anybody is enrolled, e.g. by an
    // import into a draft): the same figures under two values of k show different cells, and
    // two readings together would reveal what either hides (docs/reports.md).
    if (programme.min_group_size == kKeepMinGroupSize) {
      programme.min_group_size = before->min_group_size;
    }
    if (programme.min_group_size != before->min_group_size &&
        (state != "draft" || !tx.ListEnrolments(programme.id, 0, 1).empty())) {
      return Status::Conflict(
          "min_group_size: is fixed once enrolment opens (figures under two values of k "
          "together would reveal small groups)");
    }
    if (state == "closed") {
      // Only whether the team sees meetings held per tandem and partner feedback change at
      // any time. The stored settings are compared as the
      // input is (normalised), and stay as they are stored.
      ProgrammeRecord same = *before;
      same.show_meeting_counts = programme.show_meeting_counts;
      same.partner_feedback = programme.partner_feedback;
      ProgrammeRecord normalised = same;
      NormaliseProgramme(normalised);
      const auto topic = [](const ProgrammeTopic& t) {
        return std::tie(t.key, t.name_de, t.name_en, t.weight);
      };
      const bool same_topics = std::equal(
          normalised.topics.begin(), normalised.topics.end(), programme.topics.begin(),
          programme.topics.end(),
          [&](const ProgrammeTopic& a, const ProgrammeTopic& b) { return topic(a) == topic(b); });
      const auto settings = [](const ProgrammeRecord& p) {
        return std::tie(p.name, p.mentee_min_level, p.term_min_months, p.term_max_months,
                        p.target_meetings_min, p.target_meetings_max, p.mode, p.enrolment_deadline,
                        p.agreement_de, p.agreement_en, p.retention_months);
      };
      if (!same_topics || settings(normalised) != settings(programme)) {
        return Status::Conflict("programme " + std::to_string(programme.id) +
                                " is closed: its settings no longer change (except "
                                "show_meeting_counts and partner_feedback)");
      }
      programme = same;
    }
    if (state != "draft") {
      auto same_topics = [&] {
        if (programme.topics.size() != before->topics.size()) return false;
        for (size_t i = 0; i < programme.topics.size(); ++i) {
          const ProgrammeTopic& a = programme.topics[i];
          const ProgrammeTopic& b = before->topics[i];
          if (a.key != b.key || a.weight != b.weight) return false;
        }
        return true;
      };
      if (!same_topics() || programme.mode != before->mode ||
          programme.mentee_min_level != before->mentee_min_level) {
        return Status::Conflict("programme " + std::to_string(programme.id) + " is " + state +
                                ": topics, weights, mode and mentee level are fixed once "
                                "enrolment opens (names may change)");
      }
      if (state != "enrolling" && programme.enrolment_deadline != before->enrolment_deadline) {
        return Status::Conflict("programme " + std::to_string(programme.id) + " is " + state +
                                ": the enrolment deadline no longer moves");
      }
    }
    programme.state = before->state;
    programme.closed_at = before->closed_at;
    programme.created_at = before->created_at;
    programme.updated_at = now;
    programme.version = if_match;
    if (!tx.UpdateProgramme(programme)) return Status::FailedPrecondition("the programme changed");
    // When the team started or stopped seeing meetings held per tandem (no personal data).
    std::string detail;
    if (programme.show_meeting_counts != before->show_meeting_counts) {
      detail = programme.show_meeting_counts ? "show_meeting_counts=on" : "show_meeting_counts=off";
    }
    // Likewise the reports' minimum group size and partner feedback (docs/reports.md).
    if (programme.min_group_size != before->min_group_size) {
      detail += (detail.empty() ? "" : " ") + std::string("min_group_size=") +
                std::to_string(programme.min_group_size);
    }
    if (programme.partner_feedback != before->partner_feedback) {
      detail +=
          (detail.empty() ? "" : " ") +
          std::string(programme.partner_feedback ? "partner_feedback=on" : "partner_feedback=off");
    }
    tx.AppendAudit(
        {0, now, caller.Actor(), "programme.update", "programme", programme.id, std::move(detail)});
    return Status::Ok();
  });
  if (!visible && status.ok()) {
    return Deny(caller, "programmes.update", "programme", programme.id,
                NotFound("programme", programme.id));
  }
  if (status.code() == StatusCode::kPermissionDenied) {
    return Deny(caller, "programmes.update", "programme", programme.id, status);
  }
  if (!status.ok()) return status;
  return GetProgramme(caller, programme.id);
}

Result<std::vector<RowId>> Directory::ListProgrammeAdmins(const Caller& caller, RowId programme) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  std::vector<RowId> admins;
  bool allowed = false;
  const Status status = store_.Read([&](StoreTx& tx) {
    allowed = HasScope(caller, kScopeProgrammesRead) &&
              (caller.system_admin || AdministersProgramme(caller, programme)) &&
              tx.FindProgramme(programme).has_value();
    if (allowed) admins = tx.ListProgrammeAdmins(programme);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  if (!allowed) {
    return Deny(caller, "programmes.admins", "programme", programme,
                NotFound("programme", programme));
  }
  return admins;
}

Status Directory::AddProgrammeAdmin(const Caller& caller, RowId programme, RowId account) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!ProgrammeVisible(caller, programme)) {
    return Deny(caller, "programmes.admins.add", "programme", programme,
                NotFound("programme", programme));
  }
  if (!caller.system_admin || !HasScope(caller, kScopeProgrammesWrite)) {
    return Deny(caller, "programmes.admins.add", "programme", programme,
                Status::PermissionDenied("only system administrators appoint administrators"));
  }
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    if (!tx.FindProgramme(programme)) return NotFound("programme", programme);
    if (!tx.FindAccount(account)) return NotFound("account", account);
    if (tx.AddProgrammeAdmin(programme, account, now)) {
      tx.AppendAudit({0, now, caller.Actor(), "programme.admin_added", "programme", programme,
                      "account " + std::to_string(account)});
    }
    return Status::Ok();
  });
}

Status Directory::RemoveProgrammeAdmin(const Caller& caller, RowId programme, RowId account) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!ProgrammeVisible(caller, programme)) {
    return Deny(caller, "programmes.admins.remove", "programme", programme,
                NotFound("programme", programme));
  }
  if (!caller.system_admin || !HasScope(caller, kScopeProgrammesWrite)) {
    return Deny(caller, "programmes.admins.remove", "programme", programme,
                Status::PermissionDenied("only system administrators remove administrators"));
  }
  const Millis now = clock_.Now();
  return store_.Write([&](StoreTx& tx) {
    if (!tx.RemoveProgrammeAdmin(programme, account)) {
      return Status::NotFound("account " + std::to_string(account) +
                              " does not administer programme " + std::to_string(programme));
    }
    tx.AppendAudit({0, now, caller.Actor(), "programme.admin_removed", "programme", programme,
                    "account " + std::to_string(account)});
    return Status::Ok();
  });
}

// ---- Accounts and audit

Result<Page<AccountRecord>> Directory::ListAccounts(const Caller& caller, RowId after, int limit) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!caller.system_admin || caller.api_token != 0) {
    return Deny(caller, "accounts.list", "account", std::nullopt,
                Status::PermissionDenied("only system administrators list accounts"));
  }
  limit = ClampLimit(limit);
  std::vector<AccountRecord> accounts;
  const Status status = store_.Read([&](StoreTx& tx) {
    accounts = tx.ListAccounts(after, limit + 1);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  for (AccountRecord& a : accounts) a.password_hash.clear();
  return ToPage(std::move(accounts), limit);
}

Result<Page<AuditRecord>> Directory::ListAudit(const Caller& caller, RowId after, int limit) {
  if (caller.anonymous()) return Status::Unauthenticated(kSignIn);
  if (!caller.system_admin || !HasScope(caller, kScopeAuditRead)) {
    return Deny(caller, "audit.list", "audit", std::nullopt,
                Status::PermissionDenied("only system administrators read the audit log"));
  }
  limit = ClampLimit(limit);
  std::vector<AuditRecord> entries;
  const Status status = store_.Read([&](StoreTx& tx) {
    entries = tx.ListAudit(after, limit + 1);
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return ToPage(std::move(entries), limit);
}

}  // namespace tandem
