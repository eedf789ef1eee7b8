// Helpers for tests that need random cohorts. Test-only: not linked into tandem.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "core/cohort.h"

namespace tandem::test_util {

// Appends `n` random people (ids p000.., so index order is id order) answering on
// cohort->topics: levels 0..3, languages from {de, en, both, none}, capacities 0..2 in both
// roles, sparse ratings 0..3.
inline void AddRandomPeople(std::mt19937& rng, int n, Cohort* cohort) {
  std::uniform_int_distribution<int> level(0, 3), capacity(0, 2), rating(0, 3), coin(0, 1);
  std::uniform_int_distribution<int> language(0, 3);
  for (int i = 0; i < n; ++i) {
    Person p;
    char id[16];
    std::snprintf(id, sizeof id, "p%03d", i);
    p.id = id;
    p.level = level(rng);
    switch (language(rng)) {
      case 0:
        p.languages = {"de"};
        break;
      case 1:
        p.languages = {"en"};
        break;
      case 2:
        p.languages = {"de", "en"};
        break;
      default:
        break;
    }
    p.mentor_capacity = capacity(rng);
    p.mentee_capacity = capacity(rng);
    for (size_t t = 0; t < cohort->topics.size(); ++t) {
      p.interest.push_back(static_cast<std::uint8_t>(coin(rng) != 0 ? rating(rng) : 0));
      p.skill.push_back(static_cast<std::uint8_t>(coin(rng) != 0 ? rating(rng) : 0));
    }
    cohort->people.push_back(std::move(p));
  }
}

// Gives about half of the people a manager drawn among people earlier in a random order, so
// the management forest has no cycle.
inline void AddRandomManagers(std::mt19937& rng, Cohort* cohort) {
  std::vector<size_t> order(cohort->people.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::shuffle(order.begin(), order.end(), rng);
  std::uniform_int_distribution<int> coin(0, 1);
  for (size_t k = 1; k < order.size(); ++k) {
    if (coin(rng) == 0) continue;
    const size_t boss = std::uniform_int_distribution<size_t>(0, k - 1)(rng);
    cohort->people[order[k]].manager_id = cohort->people[order[boss]].id;
  }
}

}  // namespace tandem::test_util
