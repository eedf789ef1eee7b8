// The optimal objective where it is a perfect assignment: every capacity 1, as many mentees as
// mentors, and a selection that pairs everyone. A case of SolveOptimal() (optimal_solver.h)
// with a faster solver of its own.
#pragma once

#include <optional>

#include "match/bipartite.h"

namespace tandem {

// Returns the selection of the highest total score among those that pair every mentee and
// every mentor, when `problem` has unit capacities, as many mentees as mentors and such a
// selection; otherwise nullopt (the caller solves it as a flow). Exact and deterministic.
// Goldberg and Kennedy's cost-scaling assignment algorithm (docs/matching.md); progress counts
// its phases.
std::optional<Selection> SolvePerfectAssignment(const Bipartite& problem,
                                                const Progress& progress = {});

}  // namespace tandem
