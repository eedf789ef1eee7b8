#include "app/people_import.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "core/management_tree.h"

namespace tandem {
namespace {

constexpr int kPageSize = 5000;

std::string Where(std::string_view file, std::int64_t line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}

bool SameMasterData(const PersonRecord& a, const PersonRecord& b) {
  return a.name == b.name && a.email == b.email && a.department == b.department &&
         a.location == b.location && a.manager == b.manager && a.level == b.level &&
         a.languages == b.languages;
}

// Everyone stored and not erased, by external id.
std::unordered_map<std::string, PersonRecord> LoadPeople(StoreTx& tx) {
  std::unordered_map<std::string, PersonRecord> people;
  RowId after = 0;
  for (;;) {
    std::vector<PersonRecord> page = tx.ListPeople(after, kPageSize);
    if (page.empty()) break;
    after = page.back().id;
    for (PersonRecord& p : page) {
      if (!p.erased_at && !p.external_id.empty()) people.emplace(p.external_id, std::move(p));
    }
  }
  return people;
}

}  // namespace

Status ImportPeople(Store& store, std::string_view file_name, const ParticipantsFile& file,
                    const ImportOptions& options, InputProblems* problems, ImportSummary* summary) {
  const std::vector<Person>& rows = file.cohort.people;
  return store.Write(
      [&](StoreTx& tx) -> Status {
        *summary = {};
        std::unordered_map<std::string, PersonRecord> stored = LoadPeople(tx);

        // The programme, and that its catalogue knows every topic of the file.
        std::optional<ProgrammeRecord> programme;
        if (options.programme) {
          programme = tx.FindProgramme(*options.programme);
          if (!programme) {
            problems->Error("--programme: there is no programme " +
                            std::to_string(*options.programme));
            return Status::InvalidArgument("import refused");
          }
          for (const Topic& topic : file.cohort.topics) {
            const bool known =
                std::any_of(programme->topics.begin(), programme->topics.end(),
                            [&](const ProgrammeTopic& t) { return t.key == topic.key; });
            if (!known) {
              problems->Error(Where(file_name, 1) + "column 'interest:" + topic.key + "': topic '" +
                              topic.key + "' is not in the catalogue of programme '" +
                              programme->name + "'");
            }
          }
        }

        // The management tree after the import: stored people, replaced by the file's rows.
        // Index i < rows.size() is the file's row i; the rest are stored people not in the file.
        std::vector<Person> combined(rows.begin(), rows.end());
        std::unordered_map<RowId, const std::string*> external_of;
        for (const auto& [external, p] : stored) external_of.emplace(p.id, &external);
        std::unordered_map<std::string_view, int> in_file;
        for (size_t i = 0; i < rows.size(); ++i) in_file.emplace(rows[i].id, static_cast<int>(i));
        for (const auto& [external, p] : stored) {
          if (in_file.count(external) != 0) continue;
          Person other;
          other.id = external;
          if (p.manager) {
            const auto m = external_of.find(*p.manager);
            if (m != external_of.end()) other.manager_id = *m->second;
          }
          combined.push_back(std::move(other));
        }
        std::vector<ManagementTree::Problem> tree_problems;
        const ManagementTree tree = ManagementTree::Build(combined, &tree_problems);
        std::sort(tree_problems.begin(), tree_problems.end(),
                  [](const auto& a, const auto& b) { return a.person < b.person; });
        for (const ManagementTree::Problem& tp : tree_problems) {
          // A cycle always runs through a changed row: the stored tree had none.
          if (static_cast<size_t>(tp.person) >= rows.size()) continue;
          problems->Error(Where(file_name, file.lines[static_cast<size_t>(tp.person)]) +
                          "column 'manager_id': " + tp.message);
        }
        if (!problems->ok()) return Status::InvalidArgument("import refused");

        // Managers before their reports, so that every manager has a row id when it is needed.
        std::vector<int> depth(combined.size(), -1);
        const auto depth_of = [&](int person) {
          std::vector<int> chain;
          int p = person;
          while (p >= 0 && depth[static_cast<size_t>(p)] < 0) {
            chain.push_back(p);
            p = tree.Parent(p);
          }
          int d = p < 0 ? -1 : depth[static_cast<size_t>(p)];
          for (auto it = chain.rbegin(); it != chain.rend(); ++it)
            depth[static_cast<size_t>(*it)] = ++d;
          return depth[static_cast<size_t>(person)];
        };
        std::vector<int> order(rows.size());
        std::iota(order.begin(), order.end(), 0);
        for (int i : order) depth_of(i);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
          return depth[static_cast<size_t>(a)] < depth[static_cast<size_t>(b)];
        });

        std::unordered_map<std::string, RowId> row_id;
        for (const auto& [external, p] : stored) row_id.emplace(external, p.id);
        std::vector<RowId> person_row(rows.size(), 0);
        for (int i : order) {
          const Person& row = rows[static_cast<size_t>(i)];
          PersonRecord wanted;
          wanted.external_id = row.id;
          wanted.name = row.name;
          wanted.email = row.email;
          wanted.department = row.department;
          wanted.location = row.location;
          if (!row.manager_id.empty()) wanted.manager = row_id.at(row.manager_id);
          wanted.level = row.level;
          wanted.languages = row.languages;
          wanted.updated_at = options.now;
          const auto existing = stored.find(row.id);
          if (existing == stored.end()) {
            wanted.created_at = options.now;
            const RowId id = tx.InsertPerson(wanted);
            row_id[row.id] = id;
            person_row[static_cast<size_t>(i)] = id;
            ++summary->inserted;
            continue;
          }
          const PersonRecord& before = existing->second;
          person_row[static_cast<size_t>(i)] = before.id;
          if (SameMasterData(before, wanted)) {
            ++summary->unchanged;
            continue;
          }
          wanted.id = before.id;
          wanted.version = before.version;
          wanted.created_at = before.created_at;
          if (!tx.UpdatePerson(wanted)) {
            return Status::Conflict("person '" + row.id +
                                    "' changed during the import; run it again");
          }
          ++summary->updated;
        }

        if (programme) {
          for (size_t i = 0; i < rows.size(); ++i) {
            const Person& row = rows[i];
            std::vector<AnswerRecord> answers;
            for (size_t t = 0; t < file.cohort.topics.size(); ++t) {
              const int interest = t < row.interest.size() ? row.interest[t] : 0;
              const int skill = t < row.skill.size() ? row.skill[t] : 0;
              const std::string& experience = row.ExperienceFor(static_cast<int>(t));
              if (interest == 0 && skill == 0 && experience.empty()) continue;
              answers.push_back({file.cohort.topics[t].key, interest, skill, experience});
            }
            if (row.mentor_capacity == 0 && row.mentee_capacity == 0 && answers.empty()) continue;
            std::optional<EnrolmentRecord> enrolment =
                tx.FindEnrolment(programme->id, person_row[i]);
            if (enrolment && enrolment->state == EnrolmentState::kWithdrawn) {
              ++summary->skipped_withdrawn;
              continue;
            }
            EnrolmentRecord e = enrolment.value_or(EnrolmentRecord{});
            e.programme = programme->id;
            e.person = person_row[i];
            e.mentor_capacity = row.mentor_capacity;
            e.mentee_capacity = row.mentee_capacity;
            if (e.state != EnrolmentState::kEnrolled) e.enrolled_at = options.now;
            e.state = EnrolmentState::kEnrolled;
            e.updated_at = options.now;
            if (enrolment) {
              if (!tx.UpdateEnrolment(e)) {
                return Status::Conflict("an enrolment changed during the import; run it again");
              }
            } else {
              e.created_at = options.now;
              e.id = tx.InsertEnrolment(e);
            }
            tx.ReplaceAnswers(e.id, answers);
            ++summary->enrolled;
            summary->answers += static_cast<std::int64_t>(answers.size());
          }
        }

        AuditRecord audit;
        audit.at = options.now;
        audit.actor = options.actor;
        audit.action = "person.import";
        audit.entity = programme ? "programme" : "people";
        if (programme) audit.entity_id = programme->id;
        audit.detail = "inserted " + std::to_string(summary->inserted) + ", updated " +
                       std::to_string(summary->updated) + ", unchanged " +
                       std::to_string(summary->unchanged) + ", enrolled " +
                       std::to_string(summary->enrolled);
        tx.AppendAudit(audit);
        return Status::Ok();
      },
      // It reads every person: no short write of people may abort it over and over (store.h).
      WriteLock::kPeople);
}

}  // namespace tandem
