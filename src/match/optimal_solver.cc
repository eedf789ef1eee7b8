#include "match/optimal_solver.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace tandem {
namespace {

// The min-cost-flow network behind SolveOptimal():
//   nodes: mentees [0, E), mentors [E, E + M), the sink t = E + M;
//   mentee e has supply cap(e); t absorbs it all;
//   e -> m   capacity 1,      cost smax - score   (a tandem)
//   m -> t   capacity cap(m), cost 0
//   e -> t   capacity cap(e), cost D              (the unit stays unmatched)
// with D - smax > the largest possible total score, so a minimum-cost flow forms the most
// tandems first and the highest total score second. Every unit of supply is routed along a
// shortest path in the residual network; potentials keep reduced costs non-negative, which
// makes each search a Dijkstra that stops as soon as it reaches t.
class SuccessiveShortestPaths {
 public:
  explicit SuccessiveShortestPaths(const Bipartite& p)
      : p_(p),
        num_mentees_(p.num_mentees),
        sink_(p.num_mentees + p.num_mentors),
        smax_(p.MaxScore()) {
    std::int64_t supply = 0, demand = 0;
    for (int c : p.mentee_capacity) supply += c;
    for (int c : p.mentor_capacity) demand += c;
    const std::int64_t most_tandems = std::min(supply, demand);
    dummy_cost_ = smax_ + most_tandems * static_cast<std::int64_t>(smax_) + 1;

    const size_t nodes = static_cast<size_t>(sink_) + 1;
    potential_.assign(nodes, 0);
    dist_.assign(nodes, kInfinity);
    parent_.assign(nodes, kNoParent);
    settled_.assign(nodes, 0);
    arc_used_.assign(static_cast<size_t>(p.num_arcs()), 0);
    arc_mentee_.resize(static_cast<size_t>(p.num_arcs()));
    for (int e = 0; e < p.num_mentees; ++e) {
      for (std::int64_t a = p.arc_begin[Idx(e)]; a < p.arc_begin[Idx(e) + 1]; ++a) {
        arc_mentee_[static_cast<size_t>(a)] = e;
      }
    }
    slot_begin_.assign(static_cast<size_t>(p.num_mentors) + 1, 0);
    for (int m = 0; m < p.num_mentors; ++m) {
      slot_begin_[Idx(m) + 1] = slot_begin_[Idx(m)] + p.mentor_capacity[Idx(m)];
    }
    slots_.assign(static_cast<size_t>(slot_begin_.back()), -1);
    load_.assign(static_cast<size_t>(p.num_mentors), 0);
  }

  void ExportDuals(Duals* duals) const {
    const std::int64_t sink = potential_[Idx(sink_)];
    duals->smax = smax_;
    duals->mentee.assign(potential_.begin(), potential_.begin() + num_mentees_);
    duals->mentor.assign(potential_.begin() + num_mentees_, potential_.begin() + sink_);
    for (auto& v : duals->mentee) v -= sink;
    for (auto& v : duals->mentor) v -= sink;
  }

  Selection Run(const Progress& progress) {
    for (int e = 0; e < p_.num_mentees; ++e) {
      for (int unit = 0; unit < p_.mentee_capacity[Idx(e)]; ++unit) RouteOneUnit(e);
      if ((e & 1023) == 0) progress.Report(e, p_.num_mentees);
    }
    progress.Report(p_.num_mentees, p_.num_mentees);
    Selection out;
    for (std::int64_t a = 0; a < p_.num_arcs(); ++a) {
      if (arc_used_[static_cast<size_t>(a)]) {
        out.arcs.push_back(a);
        out.total_score += p_.arc_score[static_cast<size_t>(a)];
      }
    }
    return out;
  }

 private:
  static constexpr std::int64_t kInfinity = std::numeric_limits<std::int64_t>::max() / 4;
  // parent_ encodes how a node was reached: an arc index (forward when the node is a mentor,
  // backward when it is a mentee), or for the sink -1 (from a mentee's dummy arc: see
  // dummy_from_) or -2 (from a mentor's sink arc: see sink_from_).
  static constexpr std::int64_t kNoParent = -3;
  static constexpr std::int64_t kViaDummy = -1;
  static constexpr std::int64_t kViaMentor = -2;

  template <typename T>
  static size_t Idx(T i) { return static_cast<size_t>(i); }
  bool IsMentee(int v) const { return v < num_mentees_; }
  int MentorNode(int m) const { return num_mentees_ + m; }
  std::int64_t ArcCost(std::int64_t a) const { return smax_ - p_.arc_score[Idx(a)]; }

  void Relax(int v, std::int64_t d, std::int64_t via) {
    if (d < dist_[Idx(v)]) {
      if (dist_[Idx(v)] == kInfinity) touched_.push_back(v);
      dist_[Idx(v)] = d;
      parent_[Idx(v)] = via;
      heap_.emplace(d, v);
    }
  }

  void RouteOneUnit(int source) {
    touched_.clear();
    settled_list_.clear();
    Relax(source, 0, kNoParent);
    std::int64_t sink_dist = kInfinity;
    while (!heap_.empty()) {
      auto [d, v] = heap_.top();
      if (dist_[Idx(sink_)] <= d) {
        // Nothing left in the heap can reach the sink more cheaply: stop before exploring the
        // (often large) plateau of nodes at the same distance.
        sink_dist = dist_[Idx(sink_)];
        break;
      }
      heap_.pop();
      if (d != dist_[Idx(v)] || settled_[Idx(v)]) continue;
      settled_[Idx(v)] = 1;
      settled_list_.push_back(v);
      const std::int64_t pv = potential_[Idx(v)];
      if (IsMentee(v)) {
        for (std::int64_t a = p_.arc_begin[Idx(v)]; a < p_.arc_begin[Idx(v) + 1]; ++a) {
          if (arc_used_[Idx(a)]) continue;
          int m = MentorNode(p_.arc_mentor[Idx(a)]);
          if (settled_[Idx(m)]) continue;
          Relax(m, d + ArcCost(a) + pv - potential_[Idx(m)], a);
        }
        std::int64_t nd = d + dummy_cost_ + pv - potential_[Idx(sink_)];
        if (nd < dist_[Idx(sink_)]) {
          Relax(sink_, nd, kViaDummy);
          sink_from_ = v;
        }
      } else {
        int m = v - num_mentees_;
        for (std::int64_t s = slot_begin_[Idx(m)]; s < slot_begin_[Idx(m)] + load_[Idx(m)]; ++s) {
          std::int64_t a = slots_[Idx(s)];
          int e = arc_mentee_[Idx(a)];
          if (settled_[Idx(e)]) continue;
          Relax(e, d - ArcCost(a) + pv - potential_[Idx(e)], a);
        }
        if (load_[Idx(m)] < p_.mentor_capacity[Idx(m)]) {
          std::int64_t nd = d + pv - potential_[Idx(sink_)];
          if (nd < dist_[Idx(sink_)]) {
            Relax(sink_, nd, kViaMentor);
            sink_from_ = v;
          }
        }
      }
    }
    // The dummy arc always has room, so the sink is always reached.
    Augment();
    // Potentials: pi(v) += min(d(v), d(t)), shifted by -d(t) so untouched nodes keep theirs.
    for (int v : settled_list_) potential_[Idx(v)] += dist_[Idx(v)] - sink_dist;
    for (int v : touched_) {
      dist_[Idx(v)] = kInfinity;
      settled_[Idx(v)] = 0;
      parent_[Idx(v)] = kNoParent;
    }
    dist_[Idx(sink_)] = kInfinity;
    parent_[Idx(sink_)] = kNoParent;
    heap_ = {};
  }

  void Augment() {
    int v = sink_from_;
    // Walk back to the source, flipping each arc of the path.
    while (parent_[Idx(v)] != kNoParent) {
      std::int64_t a = parent_[Idx(v)];
      int m = p_.arc_mentor[Idx(a)];
      if (IsMentee(v)) {
        // v was reached backwards over a: the tandem (v, m) is dissolved.
        RemoveSlot(m, a);
        arc_used_[Idx(a)] = 0;
        v = MentorNode(m);
      } else {
        // v (a mentor) was reached over a: the tandem (mentee of a, v) is formed.
        AddSlot(m, a);
        arc_used_[Idx(a)] = 1;
        v = arc_mentee_[Idx(a)];
      }
    }
  }

  // The filled slots of mentor m are [slot_begin_[m], slot_begin_[m] + load_[m]).
  void AddSlot(int m, std::int64_t a) {
    slots_[Idx(slot_begin_[Idx(m)] + load_[Idx(m)])] = a;
    ++load_[Idx(m)];
  }
  void RemoveSlot(int m, std::int64_t a) {
    const std::int64_t begin = slot_begin_[Idx(m)];
    const std::int64_t last = begin + load_[Idx(m)] - 1;
    for (std::int64_t s = begin; s <= last; ++s) {
      if (slots_[Idx(s)] == a) {
        slots_[Idx(s)] = slots_[Idx(last)];
        slots_[Idx(last)] = -1;
        --load_[Idx(m)];
        return;
      }
    }
  }

  const Bipartite& p_;
  const int num_mentees_;
  const int sink_;
  const int smax_;
  std::int64_t dummy_cost_ = 0;
  std::vector<std::int64_t> potential_;
  std::vector<std::int64_t> dist_;
  std::vector<std::int64_t> parent_;
  std::vector<char> settled_;
  std::vector<int> touched_;
  std::vector<int> settled_list_;
  std::vector<char> arc_used_;
  std::vector<int> arc_mentee_;
  std::vector<std::int64_t> slot_begin_;
  std::vector<std::int64_t> slots_;  // arc per filled slot, -1 when free
  std::vector<int> load_;
  int sink_from_ = -1;
  std::priority_queue<std::pair<std::int64_t, int>, std::vector<std::pair<std::int64_t, int>>,
                      std::greater<>>
      heap_;
};

}  // namespace

Selection SolveOptimal(const Bipartite& problem, const Progress& progress, Duals* duals) {
  SuccessiveShortestPaths solver(problem);
  Selection selection = solver.Run(progress);
  if (duals != nullptr) solver.ExportDuals(duals);
  return selection;
}

}  // namespace tandem
