// Exact solvers for the "optimal" objective: the largest number of tandems and, among all
// selections of that size, the largest total score.
#pragma once

#include "match/bipartite.h"

namespace tandem {

// Successive shortest paths with Dijkstra on reduced costs (see docs/matching.md). Exact.
// Deterministic: the same problem gives the same selection. O(F * E log V) worst case for F
// tandems; fast in practice because most augmenting paths are short.
Selection SolveOptimal(const Bipartite& problem, const Progress& progress = {});

// The same objective solved by LEMON's NetworkSimplex. Exact; the reference the tests and the
// benchmarks compare SolveOptimal() with. Ties between optimal selections may be broken
// differently from SolveOptimal().
Selection SolveOptimalLemon(const Bipartite& problem);

}  // namespace tandem
