// LEMON's NetworkSimplex on the same network as SolveOptimal(): the independent reference.
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include <algorithm>

#include "match/optimal_solver.h"

namespace tandem {

Selection SolveOptimalLemon(const Bipartite& problem) {
  using Graph = lemon::SmartDigraph;
  Graph g;
  const int smax = problem.MaxScore();
  std::int64_t supply = 0, demand = 0;
  for (int c : problem.mentee_capacity) supply += c;
  for (int c : problem.mentor_capacity) demand += c;
  const std::int64_t dummy_cost =
      smax + std::min(supply, demand) * static_cast<std::int64_t>(smax) + 1;

  g.reserveNode(problem.num_mentees + problem.num_mentors + 1);
  g.reserveArc(static_cast<int>(problem.num_arcs()) + problem.num_mentees + problem.num_mentors);
  std::vector<Graph::Node> mentees, mentors;
  for (int e = 0; e < problem.num_mentees; ++e) mentees.push_back(g.addNode());
  for (int m = 0; m < problem.num_mentors; ++m) mentors.push_back(g.addNode());
  Graph::Node sink = g.addNode();

  Graph::ArcMap<std::int64_t> capacity(g), cost(g);
  Graph::NodeMap<std::int64_t> node_supply(g, 0);
  std::vector<Graph::Arc> tandem_arcs;
  tandem_arcs.reserve(static_cast<size_t>(problem.num_arcs()));
  for (int e = 0; e < problem.num_mentees; ++e) {
    const size_t ei = static_cast<size_t>(e);
    node_supply[mentees[ei]] = problem.mentee_capacity[ei];
    for (std::int64_t a = problem.arc_begin[ei]; a < problem.arc_begin[ei + 1]; ++a) {
      const size_t ai = static_cast<size_t>(a);
      Graph::Arc arc = g.addArc(mentees[ei], mentors[static_cast<size_t>(problem.arc_mentor[ai])]);
      capacity[arc] = 1;
      cost[arc] = smax - problem.arc_score[ai];
      tandem_arcs.push_back(arc);
    }
    Graph::Arc unmatched = g.addArc(mentees[ei], sink);
    capacity[unmatched] = problem.mentee_capacity[ei];
    cost[unmatched] = dummy_cost;
  }
  for (int m = 0; m < problem.num_mentors; ++m) {
    Graph::Arc arc = g.addArc(mentors[static_cast<size_t>(m)], sink);
    capacity[arc] = problem.mentor_capacity[static_cast<size_t>(m)];
    cost[arc] = 0;
  }
  node_supply[sink] = -supply;

  lemon::NetworkSimplex<Graph, std::int64_t, std::int64_t> simplex(g);
  simplex.upperMap(capacity).costMap(cost).supplyMap(node_supply);
  simplex.run();  // Always feasible: every unit can take its dummy arc.

  Selection out;
  for (size_t a = 0; a < tandem_arcs.size(); ++a) {
    if (simplex.flow(tandem_arcs[a]) > 0) {
      out.arcs.push_back(static_cast<std::int64_t>(a));
      out.total_score += problem.arc_score[a];
    }
  }
  return out;
}

}  // namespace tandem
