// The candidate graph: for each mentee, the eligible mentors worth considering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/rules.h"
#include "match/bipartite.h"

namespace tandem {

// Mentors grouped by what the score and the cheap rules look at: the skill vector, then level
// and languages. The score of a mentee against a group is computed once for all its members,
// so building the graph never scores every pair one by one. Borrows `rules`.
class MentorIndex {
 public:
  explicit MentorIndex(const Rules& rules);

  struct Subgroup {
    int level = 0;
    std::uint64_t languages = 0;
    std::vector<int> members;  // person indices, ascending (= id order)
  };
  struct Group {
    std::vector<std::uint8_t> skill;  // per topic
    std::vector<Subgroup> subgroups;
  };

  const std::vector<Group>& groups() const { return groups_; }
  // Score of `mentee` against each group, written into *scores (resized to groups().size()).
  void ScoreGroups(int mentee, std::vector<int>* scores) const;
  int max_score() const { return max_score_; }

 private:
  const Rules& rules_;
  std::vector<Group> groups_;
  static constexpr size_t kScoreBlock = 8;
  std::vector<std::vector<int>> skill_by_topic_;  // [topic][group], padded to whole blocks
  int max_score_ = 0;
};

// Threads used to build and price the candidate graph. Work is split into contiguous ranges
// of mentees (at least kMenteesPerThread each) and joined in order, so the result never depends
// on the number of threads.
inline constexpr int kMatchThreads = 2;
inline constexpr size_t kMenteesPerThread = 1024;

struct CandidateGraph {
  std::vector<int> mentees;  // person index of each mentee node (mentee capacity > 0)
  std::vector<int> mentors;  // person index of each mentor node (mentor capacity > 0, a skill)
  Bipartite problem;         // arcs of each mentee by score descending, then mentor id
  bool truncated = false;    // some mentee had more than `limit` eligible mentors
};

// Builds the graph of eligible pairs. With limit > 0 each mentee keeps its `limit` best
// mentors by score; among equal scores at the cut, a per-mentee hashed starting point decides,
// so that mentees do not all keep the same few mentors. limit == 0 keeps all eligible pairs.
// With per_score > 0 at most that many mentors are kept from each score, so that the graph
// also reaches less contended mentors (the starting graph of column generation).
CandidateGraph BuildCandidateGraph(const Rules& rules, const MentorIndex& index, int limit,
                                   int per_score = 0, const Progress& progress = {},
                                   int threads = kMatchThreads);

// Column generation for exactness at scale: adds to graph->problem every eligible pair that is
// not yet an arc and whose reduced cost under `duals` (from SolveOptimal on graph->problem) is
// negative, at most `per_mentee` per mentee, keeping each mentee's arcs sorted. Returns the
// number of arcs added. 0 proves the selection behind `duals` optimal over all eligible pairs.
std::int64_t AddImprovingArcs(const Rules& rules, const MentorIndex& index, const Duals& duals,
                              int per_mentee, CandidateGraph* graph, int threads = kMatchThreads);

}  // namespace tandem
