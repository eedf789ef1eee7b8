// SolvePerfectAssignment(): a maximum matching (Hopcroft and Karp), then cost scaling for the
// assignment problem in the form of Goldberg and Kennedy's CSA-Q ("An efficient cost scaling
// algorithm for the assignment problem", 1995), which is also Bertsekas' ε-scaling auction.
//
// Costs are c(e, m) = K · (smax − score) with K = n + 1. Mentors carry prices p(m), which only
// rise; a mentee is happy with a mentor m when c(e, m) + p(m), its "value", is within ε of the
// lowest value among its arcs (ε-complementary slackness). A mentee without a mentor bids for the
// mentor of lowest value: it takes that mentor, whose price rises to the second-lowest value less
// the arc's cost plus ε (the mentee stays happy), and the mentor's previous mentee loses it and
// bids in turn. A perfect assignment in which every mentee is happy costs at most n · ε more than
// the cheapest one; costs being multiples of K > n, at ε = 1 it is the cheapest: exact.
//
// ε starts at the largest cost, where the maximum matching with zero prices is ε-happy, and
// falls by kAlpha per phase; a phase drops the mentees no longer happy under the smaller ε and
// lets them bid. Each mentee keeps its kSlots arcs of lowest value and a lower bound on the value
// of the others ("quick-min"): prices only rise, so the bound stays a bound and a mentee scans
// all its arcs only when its cached arcs have all risen above it.
#include "match/assignment.h"

#include <algorithm>
#include <limits>
#include <vector>

#include "match/huge_pages.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

constexpr std::int64_t kAlpha = 10;
constexpr std::int64_t kInfinite = std::numeric_limits<std::int64_t>::max() / 4;
constexpr int kSlots = 4;
constexpr int kNone = -1;

bool HasUnitCapacities(const Bipartite& p) {
  if (p.num_mentees == 0 || p.num_mentees != p.num_mentors) return false;
  const auto one = [](int c) { return c == 1; };
  return std::all_of(p.mentee_capacity.begin(), p.mentee_capacity.end(), one) &&
         std::all_of(p.mentor_capacity.begin(), p.mentor_capacity.end(), one);
}

class Assignment {
 public:
  explicit Assignment(const Bipartite& p)
      : p_(p),
        n_(p.num_mentees),
        scale_(static_cast<std::int64_t>(p.num_mentees) + 1),
        smax_(p.MaxScore()),
        price_(Idx(n_), 0),
        owner_(Idx(n_), kNone),
        arc_of_(Idx(n_), -1),
        slots_(HugeVector<Slot>(Idx(n_) * kSlots)),
        rest_(Idx(n_), kInfinite) {}

  // Pairs every mentee, keeping the pairs made so far and using only arcs of at least
  // `min_score`: greedy, then augmenting paths along BFS levels (Hopcroft and Karp). False when
  // that cannot be done.
  bool MatchEveryone(int min_score) {
    for (int e = 0; e < n_; ++e) {
      if (arc_of_[Idx(e)] >= 0) continue;
      std::int64_t best = -1;  // the best free mentor, the first such arc on ties
      for (std::int64_t a = Begin(e); a < End(e); ++a) {
        if (p_.arc_score[Idx(a)] >= min_score && owner_[Idx(p_.arc_mentor[Idx(a)])] == kNone &&
            (best < 0 || p_.arc_score[Idx(a)] > p_.arc_score[Idx(best)])) {
          best = a;
        }
      }
      if (best >= 0) Take(e, best);
    }
    std::vector<int> level(Idx(n_));
    std::vector<std::int64_t> next(Idx(n_));
    std::vector<int> queue, path;
    queue.reserve(Idx(n_));
    for (;;) {
      // Levels of mentees by alternating paths from the unmatched ones.
      constexpr int kUnreached = std::numeric_limits<int>::max();
      std::fill(level.begin(), level.end(), kUnreached);
      queue.clear();
      for (int e = 0; e < n_; ++e) {
        if (arc_of_[Idx(e)] < 0) {
          level[Idx(e)] = 0;
          queue.push_back(e);
        }
      }
      if (queue.empty()) return true;
      // Up to the first level that reaches a free mentor (Hopcroft and Karp: shortest paths).
      int free_level = kUnreached;
      for (size_t head = 0; head < queue.size(); ++head) {
        const int e = queue[head];
        if (level[Idx(e)] > free_level) break;
        for (std::int64_t a = Begin(e); a < End(e); ++a) {
          if (p_.arc_score[Idx(a)] < min_score) continue;
          const int holder = owner_[Idx(p_.arc_mentor[Idx(a)])];
          if (holder == kNone) {
            free_level = level[Idx(e)];
          } else if (level[Idx(holder)] == kUnreached) {
            level[Idx(holder)] = level[Idx(e)] + 1;
            queue.push_back(holder);
          }
        }
      }
      if (free_level == kUnreached) return false;
      // Augmenting paths along the levels (depth first, without recursion).
      for (int e = 0; e < n_; ++e) next[Idx(e)] = Begin(e);
      for (int root = 0; root < n_; ++root) {
        if (arc_of_[Idx(root)] >= 0 || level[Idx(root)] != 0) continue;
        path.assign(1, root);
        while (!path.empty()) {
          const int e = path.back();
          bool advanced = false;
          for (std::int64_t& a = next[Idx(e)]; a < End(e); ++a) {
            if (p_.arc_score[Idx(a)] < min_score) continue;
            const int holder = owner_[Idx(p_.arc_mentor[Idx(a)])];
            if (holder == kNone) {
              for (auto it = path.rbegin(); it != path.rend(); ++it) Take(*it, next[Idx(*it)]);
              path.clear();
              advanced = true;
              break;
            }
            if (level[Idx(holder)] == level[Idx(e)] + 1) {
              path.push_back(holder);
              advanced = true;
              break;
            }
          }
          if (advanced) continue;
          level[Idx(e)] = kUnreached;  // a dead end for the rest of this round
          path.pop_back();
          if (!path.empty()) ++next[Idx(path.back())];
        }
      }
    }
  }

  Selection Run(const Progress& progress) {
    for (int e = 0; e < n_; ++e) BuildCache(e);
    std::int64_t epsilon = scale_ * smax_;
    int phases = 1, done = 1;
    for (std::int64_t e = epsilon; e > 1; e = std::max<std::int64_t>(1, e / kAlpha)) ++phases;
    progress.Report(done, phases);
    while (epsilon > 1) {
      epsilon = std::max<std::int64_t>(1, epsilon / kAlpha);
      Refine(epsilon);
      progress.Report(++done, phases);
    }
    return Result();
  }

  Selection Result() const {
    Selection out;
    out.arcs.reserve(Idx(n_));
    for (int e = 0; e < n_; ++e) {
      out.arcs.push_back(arc_of_[Idx(e)]);
      out.total_score += p_.arc_score[Idx(arc_of_[Idx(e)])];
    }
    return out;
  }

 private:
  struct Slot {
    std::int64_t cost = 0;
    std::int64_t arc = -1;  // -1: empty
    int mentor = kNone;
  };

  std::int64_t Begin(int e) const { return p_.arc_begin[Idx(e)]; }
  std::int64_t End(int e) const { return p_.arc_begin[Idx(e) + 1]; }
  std::int64_t Cost(std::int64_t a) const { return scale_ * (smax_ - p_.arc_score[Idx(a)]); }

  void Take(int e, std::int64_t a) {
    owner_[Idx(p_.arc_mentor[Idx(a)])] = e;
    arc_of_[Idx(e)] = a;
  }

  // The kSlots arcs of lowest value, and the lowest value of the others.
  void BuildCache(int e) {
    Slot* slots = &slots_[Idx(e) * kSlots];
    std::int64_t values[kSlots];
    int count = 0, high = 0;  // high: the cached slot of highest value, once all are filled
    std::int64_t rest = kInfinite;
    for (std::int64_t a = Begin(e); a < End(e); ++a) {
      const int m = p_.arc_mentor[Idx(a)];
      const std::int64_t cost = Cost(a);
      const std::int64_t value = cost + price_[Idx(m)];
      if (count < kSlots) {
        slots[count] = {cost, a, m};
        values[count++] = value;
        if (count == kSlots) high = Highest(values);
      } else if (value < values[high]) {
        rest = std::min(rest, values[high]);
        slots[high] = {cost, a, m};
        values[high] = value;
        high = Highest(values);
      } else {
        rest = std::min(rest, value);
      }
    }
    for (int k = count; k < kSlots; ++k) slots[k] = Slot{};
    rest_[Idx(e)] = rest;
  }

  static int Highest(const std::int64_t (&values)[kSlots]) {
    int high = 0;
    for (int k = 1; k < kSlots; ++k) {
      if (values[k] > values[high]) high = k;
    }
    return high;
  }

  // The lowest and second-lowest value of e's arcs (the second may be a lower bound), and the
  // slot of the lowest.
  struct Best {
    std::int64_t lowest;
    std::int64_t second;
    int slot;
  };

  Best FindBest(int e) {
    for (;;) {
      const Slot* slots = &slots_[Idx(e) * kSlots];
      Best best{kInfinite, kInfinite, 0};
      for (int k = 0; k < kSlots; ++k) {
        if (slots[k].arc < 0) continue;
        const std::int64_t value = slots[k].cost + price_[Idx(slots[k].mentor)];
        if (value < best.lowest) {
          best.second = best.lowest;
          best.lowest = value;
          best.slot = k;
        } else if (value < best.second) {
          best.second = value;
        }
      }
      if (best.lowest <= rest_[Idx(e)]) {
        best.second = std::min(best.second, rest_[Idx(e)]);
        return best;
      }
      BuildCache(e);  // every cached arc rose above the others' bound: rescan
    }
  }

  // One phase: from a kAlpha·ε-happy assignment to a perfect ε-happy one.
  void Refine(std::int64_t epsilon) {
    active_.clear();
    for (int e = 0; e < n_; ++e) {
      const std::int64_t a = arc_of_[Idx(e)];
      const Best best = FindBest(e);
      const int m = p_.arc_mentor[Idx(a)];
      if (Cost(a) + price_[Idx(m)] > best.lowest + epsilon) {
        owner_[Idx(m)] = kNone;
        arc_of_[Idx(e)] = -1;
        active_.push_back(e);
      }
    }
    // Mentees bid in turn, last dropped first.
    while (!active_.empty()) {
      const int e = active_.back();
      active_.pop_back();
      const Best best = FindBest(e);
      const Slot& slot = slots_[Idx(e) * kSlots + Idx(best.slot)];
      // The price rises until the mentor is worth the second-best arc plus ε (a single arc
      // raises it by ε).
      const std::int64_t second = best.second >= kInfinite ? best.lowest : best.second;
      price_[Idx(slot.mentor)] = second - slot.cost + epsilon;
      const int previous = owner_[Idx(slot.mentor)];
      owner_[Idx(slot.mentor)] = e;
      arc_of_[Idx(e)] = slot.arc;
      if (previous != kNone) {
        arc_of_[Idx(previous)] = -1;
        active_.push_back(previous);
      }
    }
  }

  const Bipartite& p_;
  const int n_;
  const std::int64_t scale_;
  const int smax_;
  std::vector<std::int64_t> price_;   // per mentor
  std::vector<int> owner_;            // per mentor: its mentee, or kNone
  std::vector<std::int64_t> arc_of_;  // per mentee: its arc, or -1
  std::vector<Slot> slots_;           // per mentee, kSlots
  std::vector<std::int64_t> rest_;    // per mentee: a lower bound on its uncached arcs' values
  std::vector<int> active_;
};

}  // namespace

std::optional<Selection> SolvePerfectAssignment(const Bipartite& problem,
                                                const Progress& progress) {
  if (!HasUnitCapacities(problem)) return std::nullopt;
  // Prices rise by at most about (kAlpha + 2) · n · ε per phase (Goldberg and Kennedy's bound
  // for refine), about 13 · n · K · smax in all; where a wide margin over that could come near
  // kInfinite (scores far above a cohort's), the flow solver, which guards its own range, takes
  // the problem.
  const long double n = problem.num_mentees;
  if ((n + 1) * (n + 1) * (static_cast<long double>(problem.MaxScore()) + 1) * 240 > 1e18L) {
    return std::nullopt;
  }
  Assignment solver(problem);
  // When the arcs of the best score alone pair everyone, that costs nothing and is optimal
  // (as on dense problems with many best-scoring mentors per mentee).
  if (solver.MatchEveryone(problem.MaxScore())) return solver.Result();
  if (!solver.MatchEveryone(0)) return std::nullopt;
  return solver.Run(progress);
}

}  // namespace tandem
