#include "app/programmes.h"

#include <set>
#include <string_view>

#include "app/retention.h"
#include "core/disclosure.h"

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

std::string DefaultAgreement(Language language) {
  if (language == Language::kGerman) {
    return "Vertraulichkeitsvereinbarung\n\n"
           "Wir beide behandeln alles vertraulich, was wir in unserem Tandem voneinander erfahren: "
           "Gesprächsinhalte, Notizen, Fragen und persönliche Einschätzungen. Wir geben nichts "
           "davon ohne die Zustimmung des anderen an Dritte weiter, auch nicht an Vorgesetzte, "
           "das Programmteam oder die Personalabteilung. Das Tandem ist ein geschützter Raum: "
           "Es gibt keine dummen Fragen, und niemand wird nach dem beurteilt, was er hier "
           "noch nicht weiß. Berichte über das Programm enthalten nur Zahlen über Gruppen, nie "
           "Inhalte unseres Tandems. Diese Vereinbarung gilt auch nach dem Ende des Tandems.";
  }
  return "Confidentiality agreement\n\n"
         "We both keep confidential everything we learn from each other in our tandem: what we "
         "discuss, our notes, our questions and our personal views. We pass none of it on to "
         "anyone without the other's consent, including line managers, the programme team and "
         "HR. The tandem is a protected space: there are no silly questions, and nobody is judged "
         "by what they do not know yet. Reports on the programme contain only figures about "
         "groups, never the content of our tandem. This agreement holds after the tandem ends, "
         "too.";
}

namespace {

void TrimInPlace(std::string& text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) {
    text.clear();
    return;
  }
  text.erase(text.find_last_not_of(kSpace) + 1);
  text.erase(0, first);
}

}  // namespace

void NormaliseProgramme(ProgrammeRecord& programme) {
  TrimInPlace(programme.name);
  for (ProgrammeTopic& t : programme.topics) {
    TrimInPlace(t.key);
    TrimInPlace(t.name_de);
    TrimInPlace(t.name_en);
  }
}

Status ValidateProgramme(const ProgrammeRecord& programme) {
  if (programme.name.empty() || programme.name.size() > 200) {
    return Status::InvalidArgument("name: 1 to 200 characters");
  }
  if (programme.term_min_months < 1 || programme.term_min_months > programme.term_max_months) {
    return Status::InvalidArgument("term: need 1 <= minimum months <= maximum months");
  }
  if (programme.mentee_min_level < 0 || programme.mentee_min_level > 1000) {
    return Status::InvalidArgument("mentee_min_level: 0 to 1000");
  }
  if (programme.agreement_de.size() > 20000 || programme.agreement_en.size() > 20000) {
    return Status::InvalidArgument("agreement_de, agreement_en: at most 20000 bytes each");
  }
  if (programme.target_meetings_min < 1 ||
      programme.target_meetings_min > programme.target_meetings_max) {
    return Status::InvalidArgument("target meetings: need 1 <= minimum <= maximum");
  }
  if (Result<DisclosurePolicy> k = DisclosurePolicy::WithMinGroupSize(programme.min_group_size);
      programme.min_group_size != kKeepMinGroupSize && !k.ok()) {
    return k.status();  // names min_group_size
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
                              Millis now, std::optional<RowId> admin) {
  NormaliseProgramme(programme);
  if (programme.min_group_size == kKeepMinGroupSize)
    programme.min_group_size = kDefaultMinGroupSize;
  if (programme.topics.empty()) programme.topics = DefaultCatalogue();
  if (programme.agreement_de.empty()) programme.agreement_de = DefaultAgreement(Language::kGerman);
  if (programme.agreement_en.empty()) programme.agreement_en = DefaultAgreement(Language::kEnglish);
  if (Status valid = ValidateProgramme(programme); !valid.ok()) return valid;
  programme.state = "draft";
  programme.created_at = programme.updated_at = now;
  RowId id = 0;
  Status status = store.Write([&](StoreTx& tx) {
    id = tx.InsertProgramme(programme);
    tx.AppendAudit({0, now, actor, "programme.create", "programme", id, ""});
    if (admin) {
      tx.AddProgrammeAdmin(id, *admin, now);
      tx.AppendAudit({0, now, actor, "programme.admin_add", "programme", id,
                      "account=" + std::to_string(*admin)});
    }
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
    if (Status s = ScrubRunsOfErasedPerson(tx, person->id); !s.ok()) return s;
    tx.ErasePerson(person->id, now);
    tx.AppendAudit({0, now, actor, "person.erase", "person", person->id, ""});
    return Status::Ok();
  });
}

}  // namespace tandem
