#include "core/cohort.h"

#include <algorithm>

namespace tandem {

const std::string& Person::ExperienceFor(int topic) const {
  static const std::string kNone;
  for (const Experience& e : experience) {
    if (e.topic == topic) return e.text;
  }
  return kNone;
}

void SortPeopleById(Cohort& cohort) {
  std::sort(cohort.people.begin(), cohort.people.end(),
            [](const Person& a, const Person& b) { return a.id < b.id; });
}

}  // namespace tandem
