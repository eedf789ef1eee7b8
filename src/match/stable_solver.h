// The "stable" objective: no mentor and mentee would both rather be together than with (one
// of) their current partners.
#pragma once

#include <vector>

#include "match/bipartite.h"

namespace tandem {

// Mentee-proposing deferred acceptance with capacities. Both sides rank by arc score, higher
// first; ties go to the lower index (people are indexed in id order, so ties go by id).
// The result is mentee-optimal among stable selections and has no blocking pair.
Selection SolveStable(const Bipartite& problem, const Progress& progress = {});

// The arcs of `problem` that block `selection`: not selected, and both ends either have a free
// place or prefer each other to their worst current partner (same ranking as SolveStable).
// Returns arc indices in increasing order.
std::vector<std::int64_t> BlockingArcs(const Bipartite& problem, const Selection& selection);

}  // namespace tandem
