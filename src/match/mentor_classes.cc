#include "match/mentor_classes.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

#include "match/huge_pages.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

// SplitMix64's finaliser: spreads every input bit over the whole word.
std::uint64_t Mix(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Whether the values of `keys` are pairwise distinct.
bool AllDistinct(std::vector<std::uint64_t> keys) {
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

// Groups mentors by a hash of their capacity and arcs, mentee by mentee. Returns false when
// every mentor is alone. Mentors whose keys differ after some mentees differ in the end, so
// when all keys are distinct early (as with random scores) the search stops there. Mentors
// that share a key may still differ: Collapse() checks.
bool GroupByHash(const Bipartite& p, MentorClasses* out, std::vector<std::int64_t>* degree) {
  const size_t mentors = Idx(p.num_mentors);
  std::vector<std::uint64_t> key(mentors);
  degree->assign(mentors, 0);
  for (size_t m = 0; m < mentors; ++m) {
    key[m] = Mix(static_cast<std::uint64_t>(p.mentor_capacity[m]) + 1);
  }
  std::int64_t checkpoint = 4 * static_cast<std::int64_t>(mentors);
  for (int e = 0; e < p.num_mentees; ++e) {
    for (std::int64_t a = p.arc_begin[Idx(e)]; a < p.arc_begin[Idx(e) + 1]; ++a) {
      const size_t m = Idx(p.arc_mentor[Idx(a)]);
      ++(*degree)[m];
      std::uint64_t& h = key[m];
      h = (h + ((static_cast<std::uint64_t>(e) << 32) |
                static_cast<std::uint32_t>(p.arc_score[Idx(a)]))) *
          0x9E3779B97F4A7C15ULL;
    }
    if (p.arc_begin[Idx(e) + 1] >= checkpoint) {
      if (AllDistinct(key)) return false;
      checkpoint *= 2;
    }
  }
  MentorClasses& c = *out;
  c.count = 0;
  c.of.assign(mentors, 0);
  std::unordered_map<std::uint64_t, int> class_of_key;
  class_of_key.reserve(mentors);
  for (size_t m = 0; m < mentors; ++m) {
    const auto [it, added] = class_of_key.emplace(key[m], c.count);
    c.of[m] = it->second;
    if (added) ++c.count;
  }
  if (Idx(c.count) == mentors) return false;
  c.begin.assign(Idx(c.count) + 1, 0);
  for (int k : c.of) ++c.begin[Idx(k) + 1];
  for (size_t k = 0; k < Idx(c.count); ++k) c.begin[k + 1] += c.begin[k];
  c.members.resize(mentors);
  std::vector<int> fill(c.begin.begin(), c.begin.end() - 1);
  for (size_t m = 0; m < mentors; ++m) c.members[Idx(fill[Idx(c.of[m])]++)] = static_cast<int>(m);
  return true;
}

// Builds the collapsed problem of CollapseMentors() and checks on the way that every mentee
// has all members of a class or none, at one score, and no mentor twice: with equal
// capacities (part of the key) the members are then interchangeable. Returns false if not.
class Collapser {
 public:
  Collapser(const Bipartite& p, const MentorClasses& c, Bipartite* out)
      : p_(p),
        c_(c),
        q_(*out),
        row_of_class_(Idx(c.count), -1),
        seen_(Idx(c.count), 0),
        score_(Idx(c.count), 0),
        mark_(Idx(p.num_mentors), 0) {}

  bool Run() {
    q_.num_mentees = p_.num_mentees;
    q_.num_mentors = c_.count;
    q_.mentee_capacity = p_.mentee_capacity;
    q_.mentor_capacity.resize(Idx(c_.count));
    for (int k = 0; k < c_.count; ++k) {
      q_.mentor_capacity[Idx(k)] = c_.Size(k) * p_.mentor_capacity[Idx(c_.First(k))];
    }
    q_.arc_begin.assign(Idx(p_.num_mentees) + 1, 0);
    for (int e = 0; e < p_.num_mentees; ++e) {
      const std::int64_t degree = p_.arc_begin[Idx(e) + 1] - p_.arc_begin[Idx(e)];
      const bool ok = 4 * degree >= c_.count ? DenseRow(e) : SparseRow(e);
      if (!ok) return false;
      q_.arc_begin[Idx(e) + 1] = q_.num_arcs();
    }
    return true;
  }

 private:
  void Emit(int e, int k, int score) {
    for (int copies = std::min(std::max(1, p_.mentee_capacity[Idx(e)]), c_.Size(k)); copies > 0;
         --copies) {
      q_.arc_mentor.push_back(k);
      q_.arc_score.push_back(score);
    }
  }

  // A row with arcs to a good share of the mentors: marks each mentor with (row, score), then
  // visits every class, which branches predictably. Arcs come in class order.
  bool DenseRow(int e) {
    const std::int64_t begin = p_.arc_begin[Idx(e)], end = p_.arc_begin[Idx(e) + 1];
    const std::uint64_t row = static_cast<std::uint64_t>(e) + 1;
    for (std::int64_t a = begin; a < end; ++a) {
      mark_[Idx(p_.arc_mentor[Idx(a)])] =
          (row << 32) | static_cast<std::uint32_t>(p_.arc_score[Idx(a)]);
    }
    std::int64_t present = 0;
    for (int k = 0; k < c_.count; ++k) {
      const int* member = &c_.members[Idx(c_.begin[Idx(k)])];
      const int size = c_.Size(k);
      const std::uint64_t first = mark_[Idx(member[0])];
      if (first >> 32 == row) {
        for (int i = 1; i < size; ++i) {
          if (mark_[Idx(member[i])] != first) return false;
        }
        present += size;
        Emit(e, k, static_cast<int>(first & 0xFFFFFFFFU));
      } else {
        for (int i = 1; i < size; ++i) {
          if (mark_[Idx(member[i])] >> 32 == row) return false;
        }
      }
    }
    return present == end - begin;  // otherwise a mentor is listed twice
  }

  // A row with arcs to few mentors: counts the members of each class it meets.
  bool SparseRow(int e) {
    touched_.clear();
    const std::uint64_t row = static_cast<std::uint64_t>(e) + 1;
    for (std::int64_t a = p_.arc_begin[Idx(e)]; a < p_.arc_begin[Idx(e) + 1]; ++a) {
      const int m = p_.arc_mentor[Idx(a)];
      if (mark_[Idx(m)] >> 32 == row) return false;
      mark_[Idx(m)] = row << 32;
      const int k = c_.of[Idx(m)];
      const int s = p_.arc_score[Idx(a)];
      if (row_of_class_[Idx(k)] != e) {
        row_of_class_[Idx(k)] = e;
        seen_[Idx(k)] = 0;
        score_[Idx(k)] = s;
        touched_.push_back(k);
        Emit(e, k, s);
      } else if (score_[Idx(k)] != s) {
        return false;
      }
      ++seen_[Idx(k)];
    }
    for (int k : touched_) {
      if (seen_[Idx(k)] != c_.Size(k)) return false;
    }
    return true;
  }

  const Bipartite& p_;
  const MentorClasses& c_;
  Bipartite& q_;
  std::vector<int> row_of_class_, seen_, score_;  // per class, for sparse rows
  std::vector<std::uint64_t> mark_;               // per mentor: (row + 1) << 32 | score
  std::vector<int> touched_;
};

}  // namespace

int MentorClasses::Size(int c) const { return begin[Idx(c) + 1] - begin[Idx(c)]; }

int MentorClasses::First(int c) const { return members[Idx(begin[Idx(c)])]; }

bool CollapseMentors(const Bipartite& p, MentorClasses* classes, Bipartite* collapsed) {
  std::vector<std::int64_t> degree;
  if (!GroupByHash(p, classes, &degree)) return false;
  // Collapsing costs a copy of the arcs: it is worth it only when it saves a good share.
  const MentorClasses& c = *classes;
  int most_places = 1;
  for (int places : p.mentee_capacity) most_places = std::max(most_places, places);
  std::int64_t bound = 0;
  for (int k = 0; k < c.count; ++k) {
    bound += degree[Idx(c.First(k))] * std::min(most_places, c.Size(k));
  }
  if (bound > p.num_arcs() - p.num_arcs() / 10) return false;
  *collapsed = Bipartite();
  ReserveHuge(&collapsed->arc_mentor, Idx(bound));
  ReserveHuge(&collapsed->arc_score, Idx(bound));
  return Collapser(p, c, collapsed).Run();
}

Selection ExpandSelection(const Bipartite& p, const Bipartite& q, const MentorClasses& c,
                          const Selection& selection) {
  std::vector<int> turn(Idx(c.count), 0);  // the member each class hands out next
  std::vector<int> taken_by(Idx(p.num_mentors), -1);
  Selection out;
  out.arcs.reserve(selection.arcs.size());
  size_t next = 0;
  for (int e = 0; e < p.num_mentees; ++e) {
    for (; next < selection.arcs.size() && selection.arcs[next] < q.arc_begin[Idx(e) + 1]; ++next) {
      const int k = q.arc_mentor[Idx(selection.arcs[next])];
      int& t = turn[Idx(k)];
      taken_by[Idx(c.members[Idx(c.begin[Idx(k)] + t)])] = e;
      t = t + 1 == c.Size(k) ? 0 : t + 1;
    }
    for (std::int64_t a = p.arc_begin[Idx(e)]; a < p.arc_begin[Idx(e) + 1]; ++a) {
      if (taken_by[Idx(p.arc_mentor[Idx(a)])] != e) continue;
      out.arcs.push_back(a);
      out.total_score += p.arc_score[Idx(a)];
    }
  }
  return out;
}

Duals ExpandDuals(const MentorClasses& c, const Duals& collapsed) {
  Duals out;
  out.smax = collapsed.smax;
  out.mentee = collapsed.mentee;
  out.mentor.resize(c.of.size());
  for (size_t m = 0; m < c.of.size(); ++m) out.mentor[m] = collapsed.mentor[Idx(c.of[m])];
  return out;
}

}  // namespace tandem
