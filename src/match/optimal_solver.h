// Exact solvers for the "optimal" objective: the largest number of tandems and, among all
// selections of that size, the largest total score.
#pragma once

#include "match/bipartite.h"

namespace tandem {

// Successive shortest paths with Dijkstra on reduced costs (see docs/matching.md). Exact.
// Deterministic: the same problem gives the same selection. O(F * E log V) worst case for F
// tandems; fast in practice because most augmenting paths are short.
// When `duals` is not null it receives the final node potentials: every arc of the residual
// network has a non-negative reduced cost under them, which proves the selection optimal.
Selection SolveOptimal(const Bipartite& problem, const Progress& progress = {},
                       Duals* duals = nullptr);

// The same objective solved by LEMON's NetworkSimplex. Exact; the reference the tests and the
// benchmarks compare SolveOptimal() with. Ties between optimal selections may be broken
// differently from SolveOptimal().
Selection SolveOptimalLemon(const Bipartite& problem);

}  // namespace tandem
