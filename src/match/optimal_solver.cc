// SolveOptimal(): a maximum flow, then Goldberg's cost scaling (push-relabel with ε-scaling)
// on the bipartite network, with exact duals recovered from the final prices.
#include "match/optimal_solver.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <utility>

#include "match/assignment.h"
#include "match/huge_pages.h"
#include "match/mentor_classes.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

// Floor division for a positive divisor (C++ rounds towards zero).
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}

// The network, with node ids mentees [0, E), mentors [E, E + M), s = E + M, t = E + M + 1:
//   s -> e   capacity cap(e), cost 0
//   e -> m   capacity 1,      cost K * (smax - score)   (a tandem)
//   m -> t   capacity cap(m), cost 0
// Arcs at s and t are implicit (one per mentee or mentor); the reverse of a tandem arc is
// found through the mentor's list of held arcs, so the solver adds a byte per arc and a few
// words per node to the problem's own arrays (and, when price updates run, the arcs indexed
// by mentor: 12 bytes per arc).
//
// Phase 1 finds a maximum flow (the most tandems) by blocking flows on BFS levels. Phase 2
// turns it into a minimum-cost flow of the same value: a minimum-cost circulation in its
// residual network, by cost scaling. Prices p keep every residual arc's reduced cost
// c + p(u) - p(v) at least -ε; each refine divides ε by kAlpha, saturates the arcs whose reduced
// cost is now below -ε and pushes the resulting excesses back along admissible arcs
// (negative reduced cost), lowering a node's price when it has none. Costs are multiplied by
// K = 2 min(E, M) + 4: a simple cycle of the residual network alternates between mentees and
// mentors, apart from s and t, so it has at most 2 min(E, M) + 3 arcs; once ε = 1 every cycle
// costs more than -K, and costs being multiples of K, no negative cycle is left: the flow is
// optimal.
template <int kCached>  // arcs each mentee keeps at hand (quick-min)
class CostScaling {
  static constexpr size_t kSlots = kCached;

 public:
  explicit CostScaling(const Bipartite& p)
      : p_(p),
        num_mentees_(p.num_mentees),
        num_mentors_(p.num_mentors),
        source_(p.num_mentees + p.num_mentors),
        sink_(p.num_mentees + p.num_mentors + 1),
        smax_(p.MaxScore()),
        scale_(2 * static_cast<std::int64_t>(std::min(p.num_mentees, p.num_mentors)) + 4),
        price_(Idx(sink_) + 1, 0),
        excess_(Idx(sink_) + 1, 0),
        used_(HugeVector<std::uint8_t>(Idx(p.num_arcs()), 0)),
        mentee_flow_(Idx(p.num_mentees), 0),
        mentee_load_(Idx(p.num_mentees), 0),
        mentor_flow_(Idx(p.num_mentors), 0),
        held_(Idx(p.num_mentors)) {
    for (int m = 0; m < num_mentors_; ++m)
      held_[Idx(m)].reserve(Idx(p.mentor_capacity[Idx(m)]) + 1);
  }

  Selection Run(const Progress& progress) {
    // The most tandems of the best score first, then the most tandems: when the first already
    // is a maximum flow (as when every mentee has a best-scoring mentor to itself), the flow
    // costs 0 and is optimal as it is.
    MaximumFlow(smax_);
    MaximumFlow(0);
    for (int e = 0; e < num_mentees_; ++e) mentee_flow_[Idx(e)] = mentee_load_[Idx(e)];
    bool all_best = true;
    for (int m = 0; m < num_mentors_; ++m) {
      mentor_flow_[Idx(m)] = static_cast<int>(held_[Idx(m)].size());
      flow_value_ += mentor_flow_[Idx(m)];
      for (const Held& h : held_[Idx(m)]) all_best = all_best && h.cost == 0;
    }
    // ε starts at the largest cost, where zero prices are ε-optimal for any flow.
    std::int64_t epsilon = scale_ * smax_;
    int phases = 1;  // the maximum flow
    for (std::int64_t e = epsilon; e > 1; e = std::max<std::int64_t>(1, e / kAlpha)) ++phases;
    int done = 1;
    progress.Report(done, phases);
    std::int64_t supply = 0, demand = 0;
    for (int c : p_.mentee_capacity) supply += c;
    for (int c : p_.mentor_capacity) demand += c;
    // Price updates pay off when spare places let excess wander between equally good arcs
    // (cohorts); on perfect assignments they cost more than they save (bench/, docs/).
    const bool perfect = flow_value_ == supply && flow_value_ == demand;
    update_interval_ = perfect ? 0 : p_.num_arcs() + sink_ + 1;
    // Below one unit of cost (ε < K) the flow is often already optimal, the later phases only
    // proving it. On cohorts, where phases are long, a label-correcting pass from the current
    // prices proves it at a fraction of a phase's cost (1,000,000 people: 2 s against four
    // phases of 6-11 s); on perfect assignments it needs more passes than the phases it would
    // save (docs/matching.md, "Cohort scale").
    const bool try_proof = !perfect;
    while (epsilon > 1 && !all_best) {
      epsilon = std::max<std::int64_t>(1, epsilon / kAlpha);
      Refine(epsilon);
      const bool proved = try_proof && epsilon > 1 && epsilon < scale_ &&
                          ProveOptimal(kProofPasses * (p_.num_arcs() + sink_ + 1));
      if (proved) {
        progress.Report(phases, phases);
        break;
      }
      progress.Report(++done, phases);
    }
    Selection out;
    for (std::int64_t a = 0; a < p_.num_arcs(); ++a) {
      if (used_[Idx(a)]) {
        out.arcs.push_back(a);
        out.total_score += p_.arc_score[Idx(a)];
      }
    }
    return out;
  }

  // Makes the prices exact (see ProveOptimal); requires an optimal flow, as after the last phase.
  void MakePricesExact() { ProveOptimal(std::numeric_limits<std::int64_t>::max()); }

  // Looks for exact prices for the current flow: a label-correcting pass (FIFO Bellman-Ford)
  // for shortest residual paths under the reduced costs, from every node at distance 0, after
  // which p + d leaves no residual arc with a negative reduced cost. The network here also has
  // the arc t -> s of cost -D (and s -> t of cost D while any flow runs), D above any path's
  // cost: that the flow is maximum is part of the certificate, so that a missing arc that would
  // add a tandem shows a negative reduced cost. Returns true and moves the prices to p + d when
  // the pass settles, which proves the flow optimal; returns false, the prices untouched, when
  // the flow is not optimal (a cycle among the nodes' predecessors is a negative cycle) or the
  // pass scans more than `budget` arcs first. Warm-started from ε-optimal prices, it settles
  // within a few passes over the arcs when the flow is optimal.
  bool ProveOptimal(std::int64_t budget) {
    const std::int64_t nodes = sink_ + 1;
    const std::int64_t dummy = (static_cast<std::int64_t>(smax_) * nodes + 1) * scale_;
    const bool flowing = flow_value_ > 0;
    std::vector<std::int64_t> d(Idx(nodes), 0);
    std::vector<int> parent(Idx(nodes), -1);
    std::vector<char> queued(Idx(nodes), 1);
    std::deque<int> queue;
    for (int v = 0; v < nodes; ++v) queue.push_back(v);
    auto relax = [&](int u, int v, std::int64_t cost) {
      const std::int64_t candidate = d[Idx(u)] + cost + price_[Idx(u)] - price_[Idx(v)];
      if (candidate < d[Idx(v)]) {
        d[Idx(v)] = candidate;
        parent[Idx(v)] = u;
        if (!queued[Idx(v)]) {
          queued[Idx(v)] = 1;
          queue.push_back(v);
        }
      }
    };
    // Work is counted in arcs scanned; the predecessors are searched for a cycle once per
    // pass's worth of it, which costs a pass over the nodes.
    const std::int64_t pass = p_.num_arcs() + nodes;
    std::int64_t work = 0, next_cycle_check = pass;
    while (!queue.empty()) {
      if (work >= next_cycle_check) {
        if (work > budget || HasCycle(parent)) return false;
        next_cycle_check = work + pass;
      }
      const int u = queue.front();
      queue.pop_front();
      queued[Idx(u)] = 0;
      if (u < num_mentees_) {
        const std::int64_t begin = p_.arc_begin[Idx(u)], end = p_.arc_begin[Idx(u) + 1];
        work += end - begin + 1;
        for (std::int64_t a = begin; a < end; ++a) {
          if (!used_[Idx(a)]) relax(u, MentorNode(p_.arc_mentor[Idx(a)]), Cost(a));
        }
        if (mentee_flow_[Idx(u)] > 0) relax(u, source_, 0);
      } else if (u < source_) {
        const int m = u - num_mentees_;
        work += static_cast<std::int64_t>(held_[Idx(m)].size()) + 1;
        for (const Held& h : held_[Idx(m)]) relax(u, h.mentee, -h.cost);
        if (mentor_flow_[Idx(m)] < p_.mentor_capacity[Idx(m)]) relax(u, sink_, 0);
      } else if (u == source_) {
        work += num_mentees_;
        for (int e = 0; e < num_mentees_; ++e) {
          if (mentee_flow_[Idx(e)] < p_.mentee_capacity[Idx(e)]) relax(u, e, 0);
        }
        if (flowing) relax(u, sink_, dummy);
      } else {
        work += num_mentors_;
        for (int m = 0; m < num_mentors_; ++m) {
          if (mentor_flow_[Idx(m)] > 0) relax(u, MentorNode(m), 0);
        }
        relax(u, source_, -dummy);
      }
    }
    for (size_t v = 0; v < Idx(nodes); ++v) price_[v] += d[v];
    return true;
  }

  // Whether following `parent` from some node comes back to it. In a label-correcting search
  // that relabels only on a strict improvement, such a cycle has a negative cost.
  static bool HasCycle(const std::vector<int>& parent) {
    std::vector<int> walk(parent.size(), -1);  // the start of the walk that first reached a node
    for (size_t start = 0; start < parent.size(); ++start) {
      int v = static_cast<int>(start);
      while (v >= 0 && walk[Idx(v)] < 0) {
        walk[Idx(v)] = static_cast<int>(start);
        v = parent[Idx(v)];
      }
      if (v >= 0 && walk[Idx(v)] == static_cast<int>(start)) return true;
    }
    return false;
  }

  // Exact integer potentials in the units of bipartite.h, relative to t's: the exact prices
  // (MakePricesExact) rounded down to whole units, which keeps every reduced cost non-negative
  // since costs are whole units. Then, as pricing pairs outside the graph prefers, mentors are
  // lowered to their largest lower bound and mentees raised to their smallest upper bound.
  void ExportDuals(Duals* duals) {
    MakePricesExact();
    const std::int64_t nodes = sink_ + 1;
    std::vector<std::int64_t> pi(Idx(nodes));
    for (size_t v = 0; v < pi.size(); ++v) pi[v] = FloorDiv(price_[v], scale_);

    const std::int64_t sink = pi[Idx(sink_)], source = pi[Idx(source_)];
    for (int round = 0; round < 2; ++round) {
      for (int m = 0; m < num_mentors_; ++m) {
        std::int64_t low = std::numeric_limits<std::int64_t>::min();
        if (mentor_flow_[Idx(m)] < p_.mentor_capacity[Idx(m)]) low = sink;
        for (const Held& h : held_[Idx(m)]) {
          low = std::max(low, pi[Idx(h.mentee)] + smax_ - p_.arc_score[Idx(h.arc)]);
        }
        if (low != std::numeric_limits<std::int64_t>::min()) pi[Idx(MentorNode(m))] = low;
      }
      std::vector<std::int64_t> high(Idx(num_mentees_), std::numeric_limits<std::int64_t>::max());
      for (int m = 0; m < num_mentors_; ++m) {
        for (const Held& h : held_[Idx(m)]) {
          std::int64_t& bound = high[Idx(h.mentee)];
          bound = std::min(bound, pi[Idx(MentorNode(m))] - (smax_ - p_.arc_score[Idx(h.arc)]));
        }
      }
      for (int e = 0; e < num_mentees_; ++e) {
        std::int64_t bound = high[Idx(e)];
        if (mentee_flow_[Idx(e)] < p_.mentee_capacity[Idx(e)]) bound = std::min(bound, source);
        if (bound != std::numeric_limits<std::int64_t>::max()) pi[Idx(e)] = bound;
      }
    }
    duals->smax = smax_;
    duals->mentee.resize(Idx(num_mentees_));
    duals->mentor.resize(Idx(num_mentors_));
    for (int e = 0; e < num_mentees_; ++e) duals->mentee[Idx(e)] = pi[Idx(e)] - sink;
    for (int m = 0; m < num_mentors_; ++m) {
      duals->mentor[Idx(m)] = pi[Idx(MentorNode(m))] - sink;
    }
  }

 private:
  // ε falls by this factor per phase.
  static constexpr std::int64_t kAlpha = 10;

  // An early proof of optimality gives up after this many passes' worth of arcs: on cohorts it
  // settles within 20, and a flow that is not optimal shows a negative cycle after one or two.
  static constexpr std::int64_t kProofPasses = 50;

  static constexpr std::int64_t kNoValue = std::numeric_limits<std::int64_t>::min();

  // A tandem arc in use, seen from its mentor; the cost is kept here to save a lookup.
  struct Held {
    std::int64_t arc;
    std::int64_t cost;
    int mentee;
  };

  int MentorNode(int m) const { return num_mentees_ + m; }
  std::int64_t Cost(std::int64_t a) const { return scale_ * (smax_ - p_.arc_score[Idx(a)]); }

  void Activate(int v) {
    if (excess_[Idx(v)] > 0 && !active_[Idx(v)]) {
      active_[Idx(v)] = 1;
      queue_.push_back(v);
    }
  }

  void Use(std::int64_t a, int e, int m) {
    used_[Idx(a)] = 1;
    ++mentee_load_[Idx(e)];
    held_[Idx(m)].push_back({a, Cost(a), e});
  }

  // Phase 1: greedy, then augmenting paths along BFS levels until none is left.
  void MaximumFlow(int min_score) {
    for (int e = 0; e < num_mentees_; ++e) {
      for (std::int64_t a = p_.arc_begin[Idx(e)];
           a < p_.arc_begin[Idx(e) + 1] && mentee_load_[Idx(e)] < p_.mentee_capacity[Idx(e)]; ++a) {
        const int m = p_.arc_mentor[Idx(a)];
        if (used_[Idx(a)] || p_.arc_score[Idx(a)] < min_score) continue;
        if (static_cast<int>(held_[Idx(m)].size()) < p_.mentor_capacity[Idx(m)]) Use(a, e, m);
      }
    }
    std::vector<int> level(Idx(sink_), -1);
    std::vector<int> queue;
    std::vector<std::int64_t> cursor(Idx(num_mentees_));
    struct Step {
      int mentee;
      std::int64_t arc;  // the arc taken from the mentee
    };
    std::vector<Step> path;
    for (;;) {
      std::fill(level.begin(), level.end(), -1);
      queue.clear();
      for (int e = 0; e < num_mentees_; ++e) {
        if (mentee_load_[Idx(e)] < p_.mentee_capacity[Idx(e)]) {
          level[Idx(e)] = 0;
          queue.push_back(e);
        }
      }
      int found = -1;  // level of the first mentor with room
      for (size_t i = 0; i < queue.size(); ++i) {
        const int u = queue[i];
        if (found >= 0 && level[Idx(u)] >= found) break;
        if (u < num_mentees_) {
          for (std::int64_t a = p_.arc_begin[Idx(u)]; a < p_.arc_begin[Idx(u) + 1]; ++a) {
            const int v = MentorNode(p_.arc_mentor[Idx(a)]);
            if (used_[Idx(a)] || level[Idx(v)] >= 0 || p_.arc_score[Idx(a)] < min_score) continue;
            level[Idx(v)] = level[Idx(u)] + 1;
            queue.push_back(v);
            const int m = v - num_mentees_;
            if (static_cast<int>(held_[Idx(m)].size()) < p_.mentor_capacity[Idx(m)]) {
              found = level[Idx(v)];
            }
          }
        } else {
          for (const Held& h : held_[Idx(u - num_mentees_)]) {
            if (level[Idx(h.mentee)] >= 0) continue;
            level[Idx(h.mentee)] = level[Idx(u)] + 1;
            queue.push_back(h.mentee);
          }
        }
      }
      if (found < 0) break;
      // Blocking flow: depth-first along increasing levels; nodes that lead nowhere get
      // level -1. Mentors are entered at most once per path, since levels increase.
      for (int e = 0; e < num_mentees_; ++e) cursor[Idx(e)] = p_.arc_begin[Idx(e)];
      for (int root = 0; root < num_mentees_; ++root) {
        if (level[Idx(root)] != 0) continue;
        while (mentee_load_[Idx(root)] < p_.mentee_capacity[Idx(root)] && level[Idx(root)] == 0) {
          path.clear();
          int e = root;
          bool augmented = false;
          while (!augmented) {
            // Advance from mentee e to a mentor on the next level.
            std::int64_t& a = cursor[Idx(e)];
            bool moved = false;
            for (; a < p_.arc_begin[Idx(e) + 1]; ++a) {
              if (used_[Idx(a)] || p_.arc_score[Idx(a)] < min_score) continue;
              const int m = p_.arc_mentor[Idx(a)];
              if (level[Idx(MentorNode(m))] != level[Idx(e)] + 1) continue;
              if (static_cast<int>(held_[Idx(m)].size()) < p_.mentor_capacity[Idx(m)]) {
                path.push_back({e, a});
                augmented = true;
                moved = true;
                break;
              }
              // Through a mentee the mentor holds, on the level after it.
              int next = -1;
              for (const Held& h : held_[Idx(m)]) {
                if (level[Idx(h.mentee)] == level[Idx(e)] + 2) {
                  next = h.mentee;
                  break;
                }
              }
              if (next < 0) {
                level[Idx(MentorNode(m))] = -1;
                continue;
              }
              path.push_back({e, a});
              e = next;
              moved = true;
              break;
            }
            if (augmented) break;
            if (!moved) {
              level[Idx(e)] = -1;  // dead end
              if (path.empty()) break;
              e = path.back().mentee;
              path.pop_back();
            }
          }
          if (!augmented) break;
          // Flip the path: each step's arc is used; the arc the next mentee held at that
          // mentor is released.
          for (size_t i = 0; i < path.size(); ++i) {
            const std::int64_t a = path[i].arc;
            const int m = p_.arc_mentor[Idx(a)];
            if (i + 1 < path.size()) {
              const int next = path[i + 1].mentee;
              std::vector<Held>& held = held_[Idx(m)];
              for (size_t k = 0; k < held.size(); ++k) {
                if (held[k].mentee == next) {
                  used_[Idx(held[k].arc)] = 0;
                  --mentee_load_[Idx(next)];
                  held[k] = held.back();
                  held.pop_back();
                  break;
                }
              }
            }
            Use(a, path[i].mentee, m);
          }
        }
      }
    }
  }

  // One ε phase: from an ε·kAlpha-optimal flow to an ε-optimal one.
  void Refine(std::int64_t epsilon) {
    epsilon_ = epsilon;
    // Saturate every residual arc whose reduced cost is below -ε: the pseudoflow is then
    // ε-optimal, and the arcs that only ε-accurate prices put between -ε and 0 keep their flow.
    for (std::vector<Held>& held : held_) held.clear();
    const std::int64_t ps = price_[Idx(source_)], pt = price_[Idx(sink_)];
    for (int e = 0; e < num_mentees_; ++e) {
      const std::int64_t pe = price_[Idx(e)];
      for (std::int64_t a = p_.arc_begin[Idx(e)]; a < p_.arc_begin[Idx(e) + 1]; ++a) {
        const int m = p_.arc_mentor[Idx(a)];
        const std::int64_t reduced = Cost(a) + pe - price_[Idx(MentorNode(m))];
        if (!used_[Idx(a)] && reduced < -epsilon) {
          used_[Idx(a)] = 1;
          ++mentee_load_[Idx(e)];
        } else if (used_[Idx(a)] && reduced > epsilon) {
          used_[Idx(a)] = 0;
          --mentee_load_[Idx(e)];
        }
        if (used_[Idx(a)]) held_[Idx(m)].push_back({a, Cost(a), e});
      }
      int& flow = mentee_flow_[Idx(e)];
      const std::int64_t reduced = ps - pe;  // of s -> e
      if (reduced < -epsilon) {
        flow = p_.mentee_capacity[Idx(e)];
      } else if (reduced > epsilon) {
        flow = 0;
      }
    }
    for (int m = 0; m < num_mentors_; ++m) {
      const std::int64_t reduced = price_[Idx(MentorNode(m))] - pt;  // of m -> t
      int& flow = mentor_flow_[Idx(m)];
      if (reduced < -epsilon) {
        flow = p_.mentor_capacity[Idx(m)];
      } else if (reduced > epsilon) {
        flow = 0;
      }
    }
    // Excesses from the flows.
    std::int64_t out_of_source = 0, into_sink = 0;
    for (int e = 0; e < num_mentees_; ++e) {
      excess_[Idx(e)] = mentee_flow_[Idx(e)] - mentee_load_[Idx(e)];
      out_of_source += mentee_flow_[Idx(e)];
    }
    for (int m = 0; m < num_mentors_; ++m) {
      excess_[Idx(MentorNode(m))] =
          static_cast<std::int64_t>(held_[Idx(m)].size()) - mentor_flow_[Idx(m)];
      into_sink += mentor_flow_[Idx(m)];
    }
    excess_[Idx(source_)] = flow_value_ - out_of_source;
    excess_[Idx(sink_)] = into_sink - flow_value_;

    active_.assign(Idx(sink_) + 1, 0);
    queue_.clear();
    source_cursor_ = 0;
    sink_cursor_ = 0;
    for (int v = 0; v <= sink_; ++v) Activate(v);
    ReserveHuge(&cache_, Idx(num_mentees_) * kSlots);
    cache_.resize(Idx(num_mentees_) * kSlots);
    rest_bound_.resize(Idx(num_mentees_));
    cache_valid_.assign(Idx(num_mentees_), 0);
    work_since_update_ = 0;
    while (!queue_.empty()) {
      if (update_interval_ > 0 && work_since_update_ > update_interval_) {
        UpdatePrices();
        if (queue_.empty()) break;
      }
      const int v = queue_.front();
      queue_.pop_front();
      active_[Idx(v)] = 0;
      if (v < num_mentees_) {
        DischargeMentee(v);
      } else if (v < source_) {
        DischargeMentor(v - num_mentees_);
      } else if (v == source_) {
        DischargeSource();
      } else {
        DischargeSink();
      }
    }
  }

  // Arcs by mentor, for the price updates' backward search.
  void BuildMentorArcs() {
    ReserveHuge(&arc_mentee_, Idx(p_.num_arcs()));
    arc_mentee_.resize(Idx(p_.num_arcs()));
    mentor_arc_begin_.assign(Idx(num_mentors_) + 1, 0);
    for (int e = 0; e < num_mentees_; ++e) {
      for (std::int64_t a = p_.arc_begin[Idx(e)]; a < p_.arc_begin[Idx(e) + 1]; ++a) {
        arc_mentee_[Idx(a)] = e;
        ++mentor_arc_begin_[Idx(p_.arc_mentor[Idx(a)]) + 1];
      }
    }
    for (size_t m = 0; m < Idx(num_mentors_); ++m) mentor_arc_begin_[m + 1] += mentor_arc_begin_[m];
    mentor_arc_.resize(Idx(p_.num_arcs()));
    std::vector<std::int64_t> fill(mentor_arc_begin_.begin(), mentor_arc_begin_.end() - 1);
    for (std::int64_t a = 0; a < p_.num_arcs(); ++a) {
      mentor_arc_[Idx(fill[Idx(p_.arc_mentor[Idx(a)])]++)] = a;
    }
  }

  // Goldberg's global price update: d(v) is the length of a shortest residual path from v to
  // a node in deficit, each arc counting floor(reduced cost / ε) + 1 (0 when admissible), found
  // by a bucket search backwards from the deficits. Lowering every price by ε * d(v) keeps the
  // flow ε-optimal and points every excess at a deficit along admissible arcs, which ends the
  // long runs of ε-sized relabels that ties between equally good arcs cause. Nodes the search
  // did not reach (it stops once every active node is labelled) take the last distance reached.
  void UpdatePrices() {
    work_since_update_ = 0;
    if (mentor_arc_begin_.empty()) BuildMentorArcs();
    const size_t nodes = Idx(sink_) + 1;
    const std::int64_t limit = static_cast<std::int64_t>(nodes);
    constexpr std::int64_t kUnlabelled = std::numeric_limits<std::int64_t>::max();
    distance_.assign(nodes, kUnlabelled);
    scanned_.assign(nodes, 0);
    if (buckets_.size() < Idx(limit) + 1) buckets_.resize(Idx(limit) + 1);
    std::int64_t active_left = 0;
    for (size_t v = 0; v < nodes; ++v) {
      if (excess_[v] < 0) {
        distance_[v] = 0;
        buckets_[0].push_back(static_cast<int>(v));
      } else if (excess_[v] > 0) {
        ++active_left;
      }
    }
    auto label = [&](int v, std::int64_t reduced, std::int64_t dw) {
      if (scanned_[Idx(v)]) return;
      // Reduced costs are >= -ε, so the length is >= 0.
      const std::int64_t length = reduced < 0 ? 0 : reduced / epsilon_ + 1;
      if (length > limit) return;
      const std::int64_t dv = dw + length;
      if (dv < distance_[Idx(v)] && dv <= limit) {
        distance_[Idx(v)] = dv;
        buckets_[Idx(dv)].push_back(v);
      }
    };
    std::int64_t level = 0;
    for (; level <= limit && active_left > 0; ++level) {
      std::vector<int>& bucket = buckets_[Idx(level)];
      while (!bucket.empty() && active_left > 0) {
        const int w = bucket.back();
        bucket.pop_back();
        if (scanned_[Idx(w)] || distance_[Idx(w)] != level) continue;
        scanned_[Idx(w)] = 1;
        if (excess_[Idx(w)] > 0) --active_left;
        const std::int64_t pw = price_[Idx(w)];
        if (w < num_mentees_) {
          // Into e: m -> e for each held arc, s -> e while e has room.
          for (std::int64_t a = p_.arc_begin[Idx(w)]; a < p_.arc_begin[Idx(w) + 1]; ++a) {
            if (!used_[Idx(a)]) continue;
            const int v = MentorNode(p_.arc_mentor[Idx(a)]);
            label(v, -Cost(a) + price_[Idx(v)] - pw, level);
          }
          if (mentee_flow_[Idx(w)] < p_.mentee_capacity[Idx(w)]) {
            label(source_, price_[Idx(source_)] - pw, level);
          }
        } else if (w < source_) {
          // Into m: e -> m for each unused arc, t -> m while m sends flow to t.
          const int m = w - num_mentees_;
          for (std::int64_t k = mentor_arc_begin_[Idx(m)]; k < mentor_arc_begin_[Idx(m) + 1]; ++k) {
            const std::int64_t a = mentor_arc_[Idx(k)];
            if (used_[Idx(a)]) continue;
            const int v = arc_mentee_[Idx(a)];
            label(v, Cost(a) + price_[Idx(v)] - pw, level);
          }
          if (mentor_flow_[Idx(m)] > 0) label(sink_, price_[Idx(sink_)] - pw, level);
        } else if (w == source_) {
          for (int e = 0; e < num_mentees_; ++e) {
            if (mentee_flow_[Idx(e)] > 0) label(e, price_[Idx(e)] - pw, level);
          }
        } else {
          for (int m = 0; m < num_mentors_; ++m) {
            if (mentor_flow_[Idx(m)] < p_.mentor_capacity[Idx(m)]) {
              label(MentorNode(m), price_[Idx(MentorNode(m))] - pw, level);
            }
          }
        }
      }
      if (active_left > 0) bucket.clear();
    }
    // `level` is now one past the last level scanned; every node not scanned gets it.
    const std::int64_t rest = std::min(level, limit + 1);
    for (size_t v = 0; v < nodes; ++v) {
      const std::int64_t d = scanned_[v] ? distance_[v] : rest;
      price_[v] -= d * epsilon_;
    }
    for (std::vector<int>& bucket : buckets_) bucket.clear();
    source_cursor_ = 0;
    sink_cursor_ = 0;
  }

  // Relabel and push in one scan (Goldberg and Kennedy's "double push"): the arc of highest
  // p(w) - c(e, w) takes a unit, and e's price drops to the second highest less ε, which keeps
  // every other residual arc at reduced cost -ε or more. The mentor then passes its excess on.
  static int LowestOf(const std::int64_t (&values)[kSlots]) {
    int low = 0;
    for (int k = 1; k < kCached; ++k) {
      if (values[k] < values[low]) low = k;
    }
    return low;
  }

  std::int64_t Value(std::int64_t a) const {
    return price_[Idx(MentorNode(p_.arc_mentor[Idx(a)]))] - Cost(a);
  }

  // A cached arc with what its value needs, so that a mentee's cache is read without touching
  // the arc arrays. `used` mirrors used_[arc]: only the mentee itself and its mentors' pushes
  // back change that while the cache is valid.
  struct Slot {
    std::int64_t arc = -1;  // -1: empty
    std::int64_t cost = 0;
    int node = 0;
    bool used = false;
  };

  Slot MakeSlot(std::int64_t a) const {
    return {a, Cost(a), MentorNode(p_.arc_mentor[Idx(a)]), false};
  }

  std::int64_t SlotValue(const Slot& slot) const { return price_[Idx(slot.node)] - slot.cost; }

  // Goldberg and Kennedy's quick-min: each mentee keeps its kCached residual arcs of highest
  // value p(m) - c(e, m) and a bound on the value of every other one. Prices only fall, so the
  // bound stays a bound; a full scan is needed only when the best cached arc drops below it.
  void BuildCache(int e) {
    work_since_update_ += p_.arc_begin[Idx(e) + 1] - p_.arc_begin[Idx(e)];
    Slot* slots = &cache_[Idx(e) * kSlots];
    std::int64_t values[kSlots];
    int count = 0;
    std::int64_t rest = kNoValue;
    int low = 0;  // the lowest cached value, once the cache is full
    for (std::int64_t a = p_.arc_begin[Idx(e)]; a < p_.arc_begin[Idx(e) + 1]; ++a) {
      if (used_[Idx(a)]) continue;
      const std::int64_t value = Value(a);
      if (count < kCached) {
        slots[count] = MakeSlot(a);
        values[count++] = value;
        if (count == kCached) low = LowestOf(values);
      } else if (value > values[low]) {
        rest = std::max(rest, values[low]);
        slots[low] = MakeSlot(a);
        values[low] = value;
        low = LowestOf(values);
      } else {
        rest = std::max(rest, value);
      }
    }
    for (int k = count; k < kCached; ++k) slots[k] = Slot{};
    rest_bound_[Idx(e)] = rest;
    cache_valid_[Idx(e)] = 1;
  }

  // Arc a of mentee e has just become residual again (its mentor sent the unit back).
  void OnArcFreed(int e, std::int64_t a) {
    if (!cache_valid_[Idx(e)]) return;
    Slot* slots = &cache_[Idx(e) * kSlots];
    for (size_t k = 0; k < kSlots; ++k) {
      if (slots[k].arc == a) {
        slots[k].used = false;
        return;
      }
    }
    const std::int64_t value = Value(a);
    if (value <= rest_bound_[Idx(e)]) return;  // the bound covers it
    size_t victim = 0;
    std::int64_t victim_value = std::numeric_limits<std::int64_t>::max();
    for (size_t k = 0; k < kSlots; ++k) {
      if (slots[k].arc < 0 || slots[k].used) {
        victim = k;
        victim_value = kNoValue;
        break;
      }
      const std::int64_t v = SlotValue(slots[k]);
      if (v < victim_value) {
        victim = k;
        victim_value = v;
      }
    }
    if (victim_value != kNoValue) {
      rest_bound_[Idx(e)] = std::max(rest_bound_[Idx(e)], victim_value);
    }
    slots[victim] = MakeSlot(a);
  }

  // Relabel and push in one step (Goldberg and Kennedy's "double push"): the arc of highest
  // p(w) - c(e, w) takes a unit, and e's price drops to the second highest less ε, which keeps
  // every other residual arc at reduced cost -ε or more. The mentor then passes its excess on.
  void DischargeMentee(int e) {
    while (excess_[Idx(e)] > 0) {
      if (!cache_valid_[Idx(e)]) BuildCache(e);
      std::int64_t best = kNoValue, second = kNoValue;
      std::int64_t best_arc = -1;  // -1 stands for e -> s
      Slot* slots = nullptr;
      size_t best_k = 0;
      for (int pass = 0; pass < 2; ++pass) {
        slots = &cache_[Idx(e) * kSlots];
        best = second = kNoValue;
        best_arc = -1;
        for (size_t k = 0; k < kSlots; ++k) {
          if (slots[k].arc < 0 || slots[k].used) continue;
          const std::int64_t value = SlotValue(slots[k]);
          if (value > best) {
            second = best;
            best = value;
            best_arc = slots[k].arc;
            best_k = k;
          } else if (value > second) {
            second = value;
          }
        }
        if (best >= rest_bound_[Idx(e)]) break;
        BuildCache(e);  // the cache fell below the bound: rescan
      }
      second = std::max(second, rest_bound_[Idx(e)]);
      if (mentee_flow_[Idx(e)] > 0) {
        const std::int64_t value = price_[Idx(source_)];
        if (value > best) {
          second = best;
          best = value;
          best_arc = -1;
        } else if (value > second) {
          second = value;
        }
      }
      work_since_update_ += kCached;
      if (best_arc < 0) {
        // Back to s, as much as the arc takes; e's price makes it admissible.
        price_[Idx(e)] = std::min(price_[Idx(e)], best - epsilon_);
        const std::int64_t delta = std::min<std::int64_t>(excess_[Idx(e)], mentee_flow_[Idx(e)]);
        mentee_flow_[Idx(e)] -= static_cast<int>(delta);
        excess_[Idx(e)] -= delta;
        excess_[Idx(source_)] += delta;
        Activate(source_);
        continue;
      }
      // After the push the best arc is saturated; the rest must stay at -ε or more.
      const std::int64_t next = second == kNoValue ? best : second;
      price_[Idx(e)] = std::min(price_[Idx(e)], next - epsilon_);
      const int m = p_.arc_mentor[Idx(best_arc)];
      slots[best_k].used = true;
      Use(best_arc, e, m);
      --excess_[Idx(e)];
      ++excess_[Idx(MentorNode(m))];
      DischargeMentor(m);
    }
  }

  void DischargeMentor(int m) {
    const int node = MentorNode(m);
    std::vector<Held>& held = held_[Idx(m)];
    constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
    while (excess_[Idx(node)] > 0) {
      // The residual arcs: back to each held mentee, and m -> t while there is room.
      const std::int64_t pm = price_[Idx(node)];
      std::int64_t best = kNone, second = kNone;
      size_t best_k = held.size();  // held.size() stands for m -> t
      const bool room = mentor_flow_[Idx(m)] < p_.mentor_capacity[Idx(m)];
      if (room) best = pm - price_[Idx(sink_)];
      for (size_t k = 0; k < held.size(); ++k) {
        const std::int64_t reduced = -held[k].cost + pm - price_[Idx(held[k].mentee)];
        if (reduced < best) {
          second = best;
          best = reduced;
          best_k = k;
        } else if (reduced < second) {
          second = reduced;
        }
      }
      if (best_k == held.size()) {
        if (best >= 0) price_[Idx(node)] = pm - best - epsilon_;  // relabel
        const std::int64_t delta = std::min<std::int64_t>(
            excess_[Idx(node)], p_.mentor_capacity[Idx(m)] - mentor_flow_[Idx(m)]);
        mentor_flow_[Idx(m)] += static_cast<int>(delta);
        excess_[Idx(node)] -= delta;
        excess_[Idx(sink_)] += delta;
        Activate(sink_);
        continue;
      }
      // Push back to the held mentee; the price drops as far as the other arcs allow.
      const std::int64_t next = second == kNone ? best : second;
      if (next + epsilon_ > 0) price_[Idx(node)] = pm - next - epsilon_;
      const Held h = held[best_k];
      held[best_k] = held.back();
      held.pop_back();
      used_[Idx(h.arc)] = 0;
      --mentee_load_[Idx(h.mentee)];
      --excess_[Idx(node)];
      ++excess_[Idx(h.mentee)];
      OnArcFreed(h.mentee, h.arc);
      Activate(h.mentee);
    }
  }

  void DischargeSource() {
    std::int64_t& e = source_cursor_;
    while (excess_[Idx(source_)] > 0) {
      const std::int64_t ps = price_[Idx(source_)];
      for (; e < num_mentees_; ++e) {
        if (mentee_flow_[Idx(e)] < p_.mentee_capacity[Idx(e)] && ps - price_[Idx(e)] < 0) break;
      }
      if (e < num_mentees_) {
        const std::int64_t delta = std::min<std::int64_t>(
            excess_[Idx(source_)], p_.mentee_capacity[Idx(e)] - mentee_flow_[Idx(e)]);
        mentee_flow_[Idx(e)] += static_cast<int>(delta);
        excess_[Idx(source_)] -= delta;
        excess_[Idx(e)] += delta;
        Activate(static_cast<int>(e));
        continue;
      }
      std::int64_t best = std::numeric_limits<std::int64_t>::min();
      for (int f = 0; f < num_mentees_; ++f) {
        if (mentee_flow_[Idx(f)] < p_.mentee_capacity[Idx(f)]) {
          best = std::max(best, price_[Idx(f)]);
        }
      }
      price_[Idx(source_)] = best - epsilon_;
      e = 0;
    }
  }

  void DischargeSink() {
    std::int64_t& m = sink_cursor_;
    while (excess_[Idx(sink_)] > 0) {
      const std::int64_t pt = price_[Idx(sink_)];
      for (; m < num_mentors_; ++m) {
        if (mentor_flow_[Idx(m)] > 0 && pt - price_[Idx(MentorNode(static_cast<int>(m)))] < 0) {
          break;
        }
      }
      if (m < num_mentors_) {
        const int node = MentorNode(static_cast<int>(m));
        const std::int64_t delta =
            std::min<std::int64_t>(excess_[Idx(sink_)], mentor_flow_[Idx(m)]);
        mentor_flow_[Idx(m)] -= static_cast<int>(delta);
        excess_[Idx(sink_)] -= delta;
        excess_[Idx(node)] += delta;
        Activate(node);
        continue;
      }
      std::int64_t best = std::numeric_limits<std::int64_t>::min();
      for (int f = 0; f < num_mentors_; ++f) {
        if (mentor_flow_[Idx(f)] > 0) best = std::max(best, price_[Idx(MentorNode(f))]);
      }
      price_[Idx(sink_)] = best - epsilon_;
      m = 0;
    }
  }

  const Bipartite& p_;
  const int num_mentees_;
  const int num_mentors_;
  const int source_;
  const int sink_;
  const int smax_;
  const std::int64_t scale_;  // K: costs are K * (smax - score)
  std::int64_t epsilon_ = 0;
  std::int64_t flow_value_ = 0;
  std::vector<std::int64_t> price_;
  std::vector<std::int64_t> excess_;
  std::int64_t source_cursor_ = 0;  // current arc of s (a mentee) and of t (a mentor)
  std::int64_t sink_cursor_ = 0;
  std::vector<std::uint8_t> used_;       // flow on each tandem arc
  std::vector<int> mentee_flow_;         // on s -> e
  std::vector<int> mentee_load_;         // tandem arcs used by each mentee
  std::vector<int> mentor_flow_;         // on m -> t
  std::vector<std::vector<Held>> held_;  // tandem arcs used into each mentor
  std::vector<char> active_;
  std::vector<Slot> cache_;               // kCached arcs per mentee
  std::vector<std::int64_t> rest_bound_;  // per mentee: no uncached residual arc is worth more
  std::vector<char> cache_valid_;
  // Price updates.
  std::vector<int> arc_mentee_;
  std::vector<std::int64_t> mentor_arc_begin_, mentor_arc_;
  std::vector<std::int64_t> distance_;
  std::vector<char> scanned_;
  std::vector<std::vector<int>> buckets_;
  std::int64_t work_since_update_ = 0;
  std::int64_t update_interval_ = 0;
  std::deque<int> queue_;
};

template <int kCached>
Selection Solve(const Bipartite& problem, const Progress& progress, Duals* duals) {
  CostScaling<kCached> solver(problem);
  Selection selection = solver.Run(progress);
  if (duals != nullptr) solver.ExportDuals(duals);
  return selection;
}

constexpr std::int64_t kManyArcs = 256;

// Cost scaling on `problem` as it is. A larger cache pays off where mentees have many arcs
// to scan on each rebuild and many of them tie (as where mentors were merged, `merged`), and
// costs more than it saves where they have few arcs or few ties (bench/, docs/matching.md).
Selection SolveByCostScaling(const Bipartite& problem, const Progress& progress, Duals* duals,
                             bool merged) {
  const std::int64_t arcs_per_mentee = problem.num_arcs() / std::max(1, problem.num_mentees);
  if (merged && arcs_per_mentee >= kManyArcs) return Solve<16>(problem, progress, duals);
  return Solve<4>(problem, progress, duals);
}

}  // namespace

Selection SolveOptimal(const Bipartite& problem, const Progress& progress, Duals* duals) {
  // Scaled costs, prices and the certificate's D grow like K * smax * nodes; where that could
  // leave 64 bits (scores far above a cohort's), the primal-dual solver, in unscaled costs,
  // takes over.
  const long double nodes = static_cast<long double>(problem.num_mentees) + problem.num_mentors + 3;
  if (nodes * nodes * (static_cast<long double>(problem.MaxScore()) + 1) > 1e18L) {
    return SolveOptimalPrimalDual(problem, progress, duals);
  }
  // Interchangeable mentors become one (mentor_classes.h): fewer arcs, and no price war
  // between equally good mentors.
  MentorClasses classes;
  Bipartite collapsed;
  if (CollapseMentors(problem, &classes, &collapsed)) {
    Duals collapsed_duals;
    const Selection selection =
        SolveByCostScaling(collapsed, progress, duals != nullptr ? &collapsed_duals : nullptr,
                           /*merged=*/true);
    if (duals != nullptr) *duals = ExpandDuals(classes, collapsed_duals);
    return ExpandSelection(problem, collapsed, classes, selection);
  }
  // A perfect assignment has a faster solver of its own (assignment.h); it gives no duals.
  if (duals == nullptr) {
    if (std::optional<Selection> selection = SolvePerfectAssignment(problem, progress)) {
      return *std::move(selection);
    }
  }
  return SolveByCostScaling(problem, progress, duals, /*merged=*/false);
}

}  // namespace tandem
