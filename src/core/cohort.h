// The people of one matching run and the topics they answered on.
//
// A Cohort is plain data: it is built by a reader (CSV, the store, the synthetic generator)
// and validated by ValidateCohort() before the engine sees it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tandem {

// The largest rating of interest or skill; ratings run 0..kMaxRating.
inline constexpr int kMaxRating = 3;

struct Topic {
  std::string key;   // stable identifier, e.g. "ai"
  std::string name;  // display name, e.g. "Artificial Intelligence"; defaults to key
  int weight = 1;    // positive multiplier in the score
};

struct Experience {
  int topic = 0;     // index into Cohort::topics
  std::string text;  // what qualifies the person to teach the topic
};

struct Person {
  std::string id;
  std::string name;
  std::string email;
  std::string department;
  std::string location;
  std::string manager_id;              // empty when the person has no manager in the cohort
  int level = 0;                       // larger is more senior
  std::vector<std::string> languages;  // e.g. {"de", "en"}; empty means "not stated"
  int mentor_capacity = 0;
  int mentee_capacity = 0;
  std::vector<std::uint8_t> interest;  // per topic index, 0..kMaxRating
  std::vector<std::uint8_t> skill;     // per topic index, 0..kMaxRating
  std::vector<Experience> experience;  // sparse: only topics with a stated text

  // Returns the stated experience for `topic`, or an empty string.
  const std::string& ExperienceFor(int topic) const;
};

struct Cohort {
  std::vector<Topic> topics;
  std::vector<Person> people;
};

// A pair that must not be formed (an earlier tandem, a declined proposal).
struct ExcludedPair {
  std::string mentor_id;
  std::string mentee_id;
};

// Sorts people by id so that every later step is independent of input row order.
void SortPeopleById(Cohort& cohort);

}  // namespace tandem
