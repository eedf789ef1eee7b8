// Exact solvers for the "optimal" objective: the largest number of tandems and, among all
// selections of that size, the largest total score.
#pragma once

#include "match/bipartite.h"

namespace tandem {

// A maximum flow, then cost scaling (push-relabel with ε-scaling; see docs/matching.md) on
// costs multiplied by 2 min(mentees, mentors) + 4, so that the last phase (ε = 1) leaves an
// exact optimum. Interchangeable mentors (same capacity, same arcs) are first merged into one
// (mentor_classes.h). A perfect assignment (unit capacities, everyone paired) goes to
// SolvePerfectAssignment() (assignment.h) when no duals are asked for. Exact and deterministic:
// the same problem gives the same selection (asking for duals may give another selection of the
// same size and score). Progress counts the phases. When `duals` is not null it receives exact
// node potentials: every arc of the residual network has a non-negative reduced cost under them,
// which proves the selection optimal.
Selection SolveOptimal(const Bipartite& problem, const Progress& progress = {},
                       Duals* duals = nullptr);

// The same objective by the primal-dual method: successive shortest paths, one Dijkstra per
// distinct path length, each followed by a blocking flow over all paths of that length. Exact
// and deterministic, with exact duals as SolveOptimal(). Progress counts tandems.
Selection SolveOptimalPrimalDual(const Bipartite& problem, const Progress& progress = {},
                                 Duals* duals = nullptr);

// The same objective solved by LEMON's NetworkSimplex. Exact; the reference the tests and the
// benchmarks compare SolveOptimal() with. Ties between optimal selections may be broken
// differently from SolveOptimal().
Selection SolveOptimalLemon(const Bipartite& problem);

}  // namespace tandem
