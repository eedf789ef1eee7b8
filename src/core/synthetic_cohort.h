// A realistic synthetic cohort for demos, tests and benchmarks.
#pragma once

#include <cstdint>
#include <vector>

#include "core/cohort.h"

namespace tandem {

// The default catalogue of twelve topics (keys, English display names, weight 1).
std::vector<Topic> DefaultTopics();

// Generates `people` persons deterministically from `seed`: a management tree with levels 0..3
// (3 = top management), departments inherited down the tree, locations, languages (mostly "de",
// some "en", a few both), mentee capacity mostly at levels 2-3, mentor capacity 1-3 mostly at
// levels 0-1, skewed topic popularity (many want "ai", few offer "blockchain") and experience
// texts for skills of 2 or more. The same (people, seed) gives the same cohort on every platform.
Cohort GenerateCohort(int people, std::uint64_t seed);

}  // namespace tandem
