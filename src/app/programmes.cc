#include "app/programmes.h"

#include <set>

namespace tandem {

std::vector<ProgrammeTopic> DefaultCatalogue() {
  return {
      {"ai", "Künstliche Intelligenz", "Artificial Intelligence", 1},
      {"big_data", "Big Data", "Big Data", 1},
      {"social_intranet", "Soziales Intranet", "Social Intranet", 1},
      {"cloud", "Cloud-Computing", "Cloud Computing", 1},
      {"cybersecurity", "Cybersicherheit", "Cyber Security", 1},
      {"iot", "Internet der Dinge", "Internet of Things", 1},
      {"agile", "Agiles Arbeiten", "Agile Working", 1},
      {"data_analytics", "Datenanalyse", "Data Analytics", 1},
      {"digital_marketing", "Digitales Marketing", "Digital Marketing", 1},
      {"automation", "Prozessautomatisierung", "Process Automation", 1},
      {"ecommerce", "E-Commerce", "E-Commerce", 1},
      {"blockchain", "Blockchain", "Blockchain", 1},
  };
}

Status ValidateProgramme(const ProgrammeRecord& programme) {
  if (programme.name.empty() || programme.name.size() > 200) {
    return Status::InvalidArgument("name: 1 to 200 characters");
  }
  if (programme.term_min_months < 1 || programme.term_min_months > programme.term_max_months) {
    return Status::InvalidArgument("term: need 1 <= minimum months <= maximum months");
  }
  if (programme.target_meetings_min < 1 ||
      programme.target_meetings_min > programme.target_meetings_max) {
    return Status::InvalidArgument("target meetings: need 1 <= minimum <= maximum");
  }
  std::set<std::string> keys;
  for (const ProgrammeTopic& t : programme.topics) {
    if (t.key.empty()) return Status::InvalidArgument("topics: a topic has no key");
    if (!keys.insert(t.key).second) {
      return Status::InvalidArgument("topics: key '" + t.key + "' appears twice");
    }
    if (t.weight < 1) return Status::InvalidArgument("topics: weight of '" + t.key + "' < 1");
  }
  return Status::Ok();
}

Result<RowId> CreateProgramme(Store& store, ProgrammeRecord programme, const std::string& actor,
                              Millis now) {
  if (programme.topics.empty()) programme.topics = DefaultCatalogue();
  if (Status valid = ValidateProgramme(programme); !valid.ok()) return valid;
  programme.state = "draft";
  programme.created_at = programme.updated_at = now;
  RowId id = 0;
  Status status = store.Write([&](StoreTx& tx) {
    id = tx.InsertProgramme(programme);
    tx.AppendAudit({0, now, actor, "programme.create", "programme", id, ""});
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return id;
}

Status ErasePersonByExternalId(Store& store, const std::string& external_id,
                               const std::string& actor, Millis now) {
  return store.Write([&](StoreTx& tx) {
    const std::optional<PersonRecord> person = tx.FindPersonByExternalId(external_id);
    if (!person) return Status::NotFound("no stored person has the id '" + external_id + "'");
    tx.ErasePerson(person->id, now);
    tx.AppendAudit({0, now, actor, "person.erase", "person", person->id, ""});
    return Status::Ok();
  });
}

}  // namespace tandem
