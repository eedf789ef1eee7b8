// SolveOptimalPrimalDual(): the primal-dual solver (Dijkstra phases, Dinic blocking flows).
#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

#include "match/optimal_solver.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

// The min-cost-flow network:
//   nodes: mentees [0, E), mentors [E, E + M), source s = E + M, sink t = E + M + 1;
//   s -> e   capacity cap(e), cost 0
//   e -> m   capacity 1,      cost smax - score   (a tandem)
//   e -> t   capacity cap(e), cost D              (the mentee's place stays empty)
//   m -> t   capacity cap(m), cost 0
// with D - smax larger than any total score, so that a minimum-cost flow of value sum cap(e)
// forms the most tandems first and the highest total score second.
//
// Primal-dual: node potentials keep every residual arc's reduced cost c + pi(u) - pi(v)
// non-negative. Each phase runs one Dijkstra from s (stopping at t), raises the potentials so
// that every shortest s-t path consists of zero-reduced-cost ("admissible") arcs, and then
// pushes a blocking flow through the admissible arcs with Dinic's algorithm. One phase thus
// serves every augmenting path of the same length, instead of one search per unit of flow.
class PrimalDual {
 public:
  explicit PrimalDual(const Bipartite& p)
      : p_(p),
        num_mentees_(p.num_mentees),
        source_(p.num_mentees + p.num_mentors),
        sink_(p.num_mentees + p.num_mentors + 1),
        num_nodes_(p.num_mentees + p.num_mentors + 2),
        smax_(p.MaxScore()) {
    std::int64_t supply = 0, demand = 0;
    for (int c : p.mentee_capacity) supply += c;
    for (int c : p.mentor_capacity) demand += c;
    supply_ = supply;
    const std::int64_t most_tandems = std::min(supply, demand);
    const std::int64_t dummy_cost = smax_ + most_tandems * static_cast<std::int64_t>(smax_) + 1;

    // Arcs in a fixed order; each gets a reverse twin. Counted first, then laid out by tail.
    std::vector<int> out_degree(Idx(num_nodes_), 0);
    auto count = [&](int u, int v) {
      ++out_degree[Idx(u)];
      ++out_degree[Idx(v)];
    };
    for (int e = 0; e < num_mentees_; ++e) {
      count(source_, e);
      for (std::int64_t a = p.arc_begin[Idx(e)]; a < p.arc_begin[Idx(e) + 1]; ++a) {
        count(e, MentorNode(p.arc_mentor[Idx(a)]));
      }
      count(e, sink_);
    }
    for (int m = 0; m < p.num_mentors; ++m) count(MentorNode(m), sink_);
    first_.assign(Idx(num_nodes_) + 1, 0);
    for (int v = 0; v < num_nodes_; ++v) first_[Idx(v) + 1] = first_[Idx(v)] + out_degree[Idx(v)];
    const size_t arcs = Idx(first_.back());
    head_.resize(arcs);
    cap_.resize(arcs);
    cost_.resize(arcs);
    twin_.resize(arcs);
    std::vector<std::int64_t> fill(first_.begin(), first_.end() - 1);
    auto add = [&](int u, int v, int capacity, std::int64_t cost) {
      const std::int64_t a = fill[Idx(u)]++, b = fill[Idx(v)]++;
      head_[Idx(a)] = v, cap_[Idx(a)] = capacity, cost_[Idx(a)] = cost, twin_[Idx(a)] = b;
      head_[Idx(b)] = u, cap_[Idx(b)] = 0, cost_[Idx(b)] = -cost, twin_[Idx(b)] = a;
      return a;
    };
    tandem_arc_.resize(Idx(p.num_arcs()));
    for (int e = 0; e < num_mentees_; ++e) {
      add(source_, e, p.mentee_capacity[Idx(e)], 0);
      for (std::int64_t a = p.arc_begin[Idx(e)]; a < p.arc_begin[Idx(e) + 1]; ++a) {
        tandem_arc_[Idx(a)] =
            add(e, MentorNode(p.arc_mentor[Idx(a)]), 1, smax_ - p.arc_score[Idx(a)]);
      }
      dummy_arc_.push_back(add(e, sink_, p.mentee_capacity[Idx(e)], dummy_cost));
    }
    for (int m = 0; m < p.num_mentors; ++m) {
      sink_arc_.push_back(add(MentorNode(m), sink_, p.mentor_capacity[Idx(m)], 0));
    }
    dummy_cost_ = dummy_cost;
    potential_.assign(Idx(num_nodes_), 0);
    dist_.assign(Idx(num_nodes_), kInfinity);
    settled_.assign(Idx(num_nodes_), 0);
    level_.assign(Idx(num_nodes_), -1);
    current_.assign(Idx(num_nodes_), 0);
  }

  Selection Run(const Progress& progress) {
    std::int64_t flow = 0;
    while (flow < supply_) {
      ShortestPaths();
      while (BuildLevels()) flow += BlockingFlow();
      progress.Report(flow, supply_);
    }
    Selection out;
    for (std::int64_t a = 0; a < p_.num_arcs(); ++a) {
      if (cap_[Idx(tandem_arc_[Idx(a)])] == 0) {
        out.arcs.push_back(a);
        out.total_score += p_.arc_score[Idx(a)];
      }
    }
    return out;
  }

  // Exports potentials relative to the sink's. Any potentials with non-negative reduced costs
  // prove the flow optimal; for pricing pairs outside the graph the best are those that make
  // mentors as cheap and mentees as dear as the residual arcs allow, so each mentor is lowered
  // to its largest lower bound and each mentee raised to its smallest upper bound, twice.
  void ExportDuals(Duals* duals) {
    const std::int64_t sink = potential_[Idx(sink_)];
    for (int round = 0; round < 2; ++round) {
      // Mentors: pi(m) >= pi(t) while m has room; pi(m) >= pi(e) + c(e, m) for its tandems.
      for (int m = 0; m < p_.num_mentors; ++m) {
        const int node = MentorNode(m);
        std::int64_t low = std::numeric_limits<std::int64_t>::min();
        if (cap_[Idx(sink_arc_[Idx(m)])] > 0) low = sink;
        for (std::int64_t a = first_[Idx(node)]; a < first_[Idx(node) + 1]; ++a) {
          const int e = head_[Idx(a)];
          if (e >= num_mentees_ || cap_[Idx(a)] == 0) continue;  // reverse arc of a tandem
          low = std::max(low, potential_[Idx(e)] - cost_[Idx(a)]);
        }
        if (low != std::numeric_limits<std::int64_t>::min()) potential_[Idx(node)] = low;
      }
      // Mentees: pi(e) <= pi(m) - c(e, m) for its tandems; pi(e) <= pi(t) - D if unmatched.
      for (int e = 0; e < num_mentees_; ++e) {
        std::int64_t high = std::numeric_limits<std::int64_t>::max();
        if (cap_[Idx(dummy_arc_[Idx(e)])] < p_.mentee_capacity[Idx(e)]) high = sink - dummy_cost_;
        for (std::int64_t a = first_[Idx(e)]; a < first_[Idx(e) + 1]; ++a) {
          const int v = head_[Idx(a)];
          if (v < num_mentees_ || v >= source_ || cap_[Idx(a)] != 0) continue;  // a tandem
          high = std::min(high, potential_[Idx(v)] - cost_[Idx(a)]);
        }
        if (high != std::numeric_limits<std::int64_t>::max()) potential_[Idx(e)] = high;
      }
    }
    duals->smax = smax_;
    duals->mentee.resize(Idx(num_mentees_));
    duals->mentor.resize(Idx(p_.num_mentors));
    for (int e = 0; e < num_mentees_; ++e) duals->mentee[Idx(e)] = potential_[Idx(e)] - sink;
    for (int m = 0; m < p_.num_mentors; ++m) {
      duals->mentor[Idx(m)] = potential_[Idx(MentorNode(m))] - sink;
    }
  }

 private:
  static constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max() / 4;

  int MentorNode(int m) const { return num_mentees_ + m; }
  std::int64_t Reduced(std::int64_t a, int u) const {
    return cost_[Idx(a)] + potential_[Idx(u)] - potential_[Idx(head_[Idx(a)])];
  }

  // Dijkstra from s on reduced costs, stopped once t's distance is final; then
  // pi(v) += min(d(v), d(t)) - d(t), which keeps every reduced cost non-negative and makes the
  // arcs of every shortest s-t path admissible. Nodes not settled keep their potential.
  void ShortestPaths() {
    using Entry = std::pair<std::int64_t, int>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap;
    touched_.clear();
    settled_list_.clear();
    auto relax = [&](int v, std::int64_t d) {
      if (d < dist_[Idx(v)]) {
        if (dist_[Idx(v)] == kInfinity) touched_.push_back(v);
        dist_[Idx(v)] = d;
        heap.emplace(d, v);
      }
    };
    relax(source_, 0);
    while (!heap.empty()) {
      const auto [d, u] = heap.top();
      if (dist_[Idx(sink_)] <= d) break;  // nothing cheaper can reach t any more
      heap.pop();
      if (d != dist_[Idx(u)] || settled_[Idx(u)]) continue;
      settled_[Idx(u)] = 1;
      settled_list_.push_back(u);
      for (std::int64_t a = first_[Idx(u)]; a < first_[Idx(u) + 1]; ++a) {
        if (cap_[Idx(a)] == 0) continue;
        const int v = head_[Idx(a)];
        if (settled_[Idx(v)]) continue;
        relax(v, d + Reduced(a, u));
      }
    }
    // The dummy arcs leave room for every unit of supply, so t is always reached.
    const std::int64_t sink_dist = dist_[Idx(sink_)];
    for (int v : settled_list_) potential_[Idx(v)] += dist_[Idx(v)] - sink_dist;
    for (int v : touched_) {
      dist_[Idx(v)] = kInfinity;
      settled_[Idx(v)] = 0;
    }
  }

  // BFS levels over admissible arcs (residual, reduced cost 0). Returns whether t is reached.
  bool BuildLevels() {
    for (int v : leveled_) level_[Idx(v)] = -1;
    leveled_.clear();
    queue_.clear();
    level_[Idx(source_)] = 0;
    current_[Idx(source_)] = first_[Idx(source_)];
    leveled_.push_back(source_);
    queue_.push_back(source_);
    for (size_t i = 0; i < queue_.size(); ++i) {
      const int u = queue_[i];
      // Nodes at t's level or deeper lie on no shortest admissible path: stop there.
      if (level_[Idx(sink_)] != -1 && level_[Idx(u)] >= level_[Idx(sink_)]) break;
      for (std::int64_t a = first_[Idx(u)]; a < first_[Idx(u) + 1]; ++a) {
        const int v = head_[Idx(a)];
        if (cap_[Idx(a)] == 0 || level_[Idx(v)] != -1 || Reduced(a, u) != 0) continue;
        level_[Idx(v)] = level_[Idx(u)] + 1;
        current_[Idx(v)] = first_[Idx(v)];
        leveled_.push_back(v);
        queue_.push_back(v);
      }
    }
    return level_[Idx(sink_)] != -1;
  }

  // Dinic's blocking flow along level-increasing admissible arcs, with an explicit stack.
  std::int64_t BlockingFlow() {
    std::int64_t pushed = 0;
    std::vector<std::int64_t>& path = path_;  // arcs from s to the stack's top node
    path.clear();
    int u = source_;
    for (;;) {
      if (u == sink_) {
        int bottleneck = std::numeric_limits<int>::max();
        for (std::int64_t a : path) bottleneck = std::min(bottleneck, cap_[Idx(a)]);
        size_t cut = path.size();
        for (size_t i = 0; i < path.size(); ++i) {
          const std::int64_t a = path[i];
          cap_[Idx(a)] -= bottleneck;
          cap_[Idx(twin_[Idx(a)])] += bottleneck;
          if (cap_[Idx(a)] == 0 && cut == path.size()) cut = i;
        }
        pushed += bottleneck;
        // Resume from the tail of the first saturated arc.
        path.resize(cut);
        u = path.empty() ? source_ : head_[Idx(path.back())];
        continue;
      }
      std::int64_t& a = current_[Idx(u)];
      for (; a < first_[Idx(u) + 1]; ++a) {
        const int v = head_[Idx(a)];
        if (cap_[Idx(a)] > 0 && level_[Idx(v)] == level_[Idx(u)] + 1 && Reduced(a, u) == 0) break;
      }
      if (a < first_[Idx(u) + 1]) {
        path.push_back(a);
        u = head_[Idx(a)];
        continue;
      }
      // Dead end: retreat, and never enter u again in this level graph.
      level_[Idx(u)] = -2;
      if (path.empty()) break;
      const std::int64_t back = path.back();
      path.pop_back();
      u = head_[Idx(twin_[Idx(back)])];
      ++current_[Idx(u)];
    }
    return pushed;
  }

  const Bipartite& p_;
  const int num_mentees_;
  const int source_;
  const int sink_;
  const int num_nodes_;
  const int smax_;
  std::int64_t supply_ = 0;
  std::vector<std::int64_t> first_;  // arcs of node v: [first_[v], first_[v + 1])
  std::vector<int> head_;
  std::vector<int> cap_;  // residual capacity
  std::vector<std::int64_t> cost_;
  std::vector<std::int64_t> twin_;        // the reverse arc
  std::vector<std::int64_t> tandem_arc_;  // network arc of each problem arc
  std::vector<std::int64_t> dummy_arc_;   // e -> t of each mentee
  std::vector<std::int64_t> sink_arc_;    // m -> t of each mentor
  std::int64_t dummy_cost_ = 0;
  std::vector<std::int64_t> potential_;
  std::vector<std::int64_t> dist_;
  std::vector<char> settled_;
  std::vector<int> touched_, settled_list_;
  std::vector<int> level_, leveled_, queue_;
  std::vector<std::int64_t> current_;
  std::vector<std::int64_t> path_;
};

}  // namespace

Selection SolveOptimalPrimalDual(const Bipartite& problem, const Progress& progress, Duals* duals) {
  PrimalDual solver(problem);
  Selection selection = solver.Run(progress);
  if (duals != nullptr) solver.ExportDuals(duals);
  return selection;
}

}  // namespace tandem
