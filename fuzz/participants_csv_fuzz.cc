// Fuzzes the participants file of `tandem match` / `tandem import` and its companions
// (src/app/participants_csv.h): the input is read as a participants file (with and without the
// manager check, with a topic catalogue), as a topic catalogue and as excluded pairs. A file
// that reads clean must read the same after WriteParticipants().
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/participants_csv.h"

namespace {

constexpr char kTopics[] = "key,name,weight\nai,Artificial Intelligence,2\ncloud,Cloud,1\n";
constexpr char kPeople[] =
    "id,name,manager_id,level,languages,mentor_capacity,mentee_capacity,interest:ai,skill:ai\n"
    "boss,Bea,,3,de,0,1,3,0\ndev,Dan,boss,1,de;en,1,0,0,3\n";

bool SamePeople(const tandem::Cohort& a, const tandem::Cohort& b) {
  if (a.people.size() != b.people.size() || a.topics.size() != b.topics.size()) return false;
  for (size_t i = 0; i < a.topics.size(); ++i) {
    if (a.topics[i].key != b.topics[i].key) return false;
  }
  for (size_t i = 0; i < a.people.size(); ++i) {
    const tandem::Person& x = a.people[i];
    const tandem::Person& y = b.people[i];
    if (x.id != y.id || x.name != y.name || x.email != y.email || x.department != y.department ||
        x.location != y.location || x.manager_id != y.manager_id || x.level != y.level ||
        x.languages != y.languages || x.mentor_capacity != y.mentor_capacity ||
        x.mentee_capacity != y.mentee_capacity || x.interest != y.interest || x.skill != y.skill ||
        x.experience.size() != y.experience.size()) {
      return false;
    }
    for (size_t t = 0; t < x.experience.size(); ++t) {
      if (x.experience[t].topic != y.experience[t].topic ||
          x.experience[t].text != y.experience[t].text) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  tandem::InputProblems topic_problems;
  const std::vector<tandem::Topic> catalogue =
      tandem::ReadTopics("topics.csv", kTopics, &topic_problems);
  tandem::InputProblems fixed_problems;
  tandem::ParticipantsFile fixed;
  tandem::ReadParticipants("people.csv", kPeople, catalogue, &fixed, &fixed_problems);
  if (!topic_problems.ok() || !fixed_problems.ok()) __builtin_trap();

  // As a topic catalogue, and as excluded pairs of a known file.
  tandem::InputProblems problems;
  (void)tandem::ReadTopics("fuzz.csv", text, &problems);
  problems = {};
  (void)tandem::ReadExclusions("fuzz.csv", text, fixed, &problems);

  // As a participants file: as `tandem match` reads it, and as `tandem import` does.
  for (const bool check_managers : {true, false}) {
    problems = {};
    tandem::ParticipantsFile file;
    tandem::ReadParticipants("fuzz.csv", text, catalogue, &file, &problems, check_managers);
    if (problems.errors.size() > tandem::InputProblems::kMaxErrors) __builtin_trap();
    if (!problems.ok()) continue;
    if (file.lines.size() != file.cohort.people.size()) __builtin_trap();
    // Excluded pairs against the file itself (its ids are the fuzzer's).
    tandem::InputProblems pair_problems;
    for (const auto& [mentor, mentee] :
         tandem::ReadExclusions("fuzz.csv", text, file, &pair_problems)) {
      if (mentor < 0 || mentee < 0 || static_cast<size_t>(mentor) >= file.cohort.people.size() ||
          static_cast<size_t>(mentee) >= file.cohort.people.size()) {
        __builtin_trap();
      }
    }
    // Written and read again: the same people.
    const std::string written = tandem::WriteParticipants(file.cohort);
    tandem::InputProblems again_problems;
    tandem::ParticipantsFile again;
    tandem::ReadParticipants("again.csv", written, catalogue, &again, &again_problems,
                             check_managers);
    if (!again_problems.ok() || !SamePeople(file.cohort, again.cohort)) __builtin_trap();
  }
  return 0;
}
