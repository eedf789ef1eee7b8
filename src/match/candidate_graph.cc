#include "match/candidate_graph.h"

#include <algorithm>
#include <limits>
#include <map>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "match/huge_pages.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

// A deterministic, well-mixed hash of a (mentee, mentor) pair (splitmix64's finaliser).
std::uint64_t SpreadHash(int mentee, int mentor) {
  std::uint64_t x = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(mentee)) << 32) |
                    static_cast<std::uint32_t>(mentor);
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// FNV-1a over a skill vector: groups are looked up once per mentor.
struct SkillHash {
  size_t operator()(const std::vector<std::uint8_t>& skill) const {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (std::uint8_t s : skill) h = (h ^ s) * 0x100000001b3ULL;
    return static_cast<size_t>(h);
  }
};

}  // namespace

MentorIndex::MentorIndex(const Rules& rules) : rules_(rules) {
  const Cohort& cohort = rules.cohort();
  std::unordered_map<std::vector<std::uint8_t>, size_t, SkillHash> group_of;
  std::vector<std::map<std::pair<int, std::uint64_t>, size_t>> subgroup_of;
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    const Person& p = cohort.people[i];
    if (p.mentor_capacity <= 0) continue;
    if (std::all_of(p.skill.begin(), p.skill.end(), [](std::uint8_t s) { return s == 0; })) {
      continue;
    }
    auto [git, inserted] = group_of.try_emplace(p.skill, groups_.size());
    if (inserted) {
      groups_.push_back({p.skill, {}});
      subgroup_of.emplace_back();
    }
    Group& g = groups_[git->second];
    const std::uint64_t langs = rules.LanguageMask(static_cast<int>(i));
    auto [sit, sinserted] =
        subgroup_of[git->second].emplace(std::make_pair(p.level, langs), g.subgroups.size());
    if (sinserted) g.subgroups.push_back({p.level, langs, {}});
    g.subgroups[sit->second].members.push_back(static_cast<int>(i));
  }
  // Topic-major copy of the skills, so that scoring a mentee against every group is a few
  // contiguous multiply-adds per topic.
  // Padded with groups of no skill to whole blocks of kScoreBlock, so that the scoring loop
  // has a fixed trip count and is vectorised at -O2.
  const size_t padded = (groups_.size() + kScoreBlock - 1) / kScoreBlock * kScoreBlock;
  skill_by_topic_.assign(cohort.topics.size(), std::vector<int>(padded, 0));
  for (size_t g = 0; g < groups_.size(); ++g) {
    for (size_t t = 0; t < cohort.topics.size(); ++t) skill_by_topic_[t][g] = groups_[g].skill[t];
  }
  int weights = 0;
  for (const Topic& t : cohort.topics) weights += t.weight;
  max_score_ = weights * kMaxRating * kMaxRating;
}

void MentorIndex::ScoreGroups(int mentee, std::vector<int>* scores) const {
  const Cohort& cohort = rules_.cohort();
  const Person& e = cohort.people[Idx(mentee)];
  const size_t padded = skill_by_topic_.empty() ? 0 : skill_by_topic_[0].size();
  scores->assign(padded, 0);
  for (size_t t = 0; t < cohort.topics.size(); ++t) {
    const int want = cohort.topics[t].weight * e.interest[t];
    if (want == 0) continue;
    const int* skill = skill_by_topic_[t].data();
    int* out = scores->data();
    for (size_t g = 0; g < padded; g += kScoreBlock) {
      // Through a local block: the compiler cannot otherwise rule out `out` aliasing `skill`.
      int block[kScoreBlock];
      for (size_t k = 0; k < kScoreBlock; ++k) block[k] = out[g + k] + want * skill[g + k];
      std::copy(block, block + kScoreBlock, out + g);
    }
  }
  scores->resize(groups_.size());
}

CandidateGraph BuildCandidateGraph(const Rules& rules, const MentorIndex& index, int limit,
                                   int per_score, const Progress& progress, int threads) {
  const Cohort& cohort = rules.cohort();
  CandidateGraph graph;
  std::vector<int> mentor_node(cohort.people.size(), -1);
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    const Person& p = cohort.people[i];
    if (p.mentee_capacity > 0) graph.mentees.push_back(static_cast<int>(i));
  }
  for (const auto& g : index.groups()) {
    for (const auto& sg : g.subgroups) {
      for (int m : sg.members) mentor_node[Idx(m)] = 0;
    }
  }
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    if (mentor_node[i] == 0) {
      mentor_node[i] = static_cast<int>(graph.mentors.size());
      graph.mentors.push_back(static_cast<int>(i));
    }
  }
  Bipartite& p = graph.problem;
  p.num_mentees = static_cast<int>(graph.mentees.size());
  p.num_mentors = static_cast<int>(graph.mentors.size());
  for (int e : graph.mentees) p.mentee_capacity.push_back(cohort.people[Idx(e)].mentee_capacity);
  for (int m : graph.mentors) p.mentor_capacity.push_back(cohort.people[Idx(m)].mentor_capacity);
  p.arc_begin.reserve(graph.mentees.size() + 1);
  p.arc_begin.push_back(0);

  // Mentees are split into contiguous parts built on separate threads; each part keeps its
  // own arcs, which are then concatenated in mentee order, so the result does not depend on
  // the number of threads.
  struct Part {
    size_t begin = 0, end = 0;
    std::vector<int> arc_mentor, arc_score;  // by mentee in processing order
    std::vector<std::int64_t> arc_first;     // per mentee of the part, in mentee order
    std::vector<std::int64_t> arc_count;
    bool truncated = false;
  };
  auto build_part = [&](Part& part, bool report_progress) {
    const int max_score = index.max_score();
    std::vector<int> group_score;
    std::vector<int> bucket_count(Idx(max_score) + 2, 0);
    std::vector<int> by_score(index.groups().size());
    std::vector<std::pair<int, int>> bucket;      // (mentor person, score) of the current score
    std::vector<const std::vector<int>*> usable;  // members of the subgroups open to the mentee
    std::vector<int> start(bucket_count.size() + 1, 0), fill(bucket_count.size(), 0);
    // Scores against the groups depend on the interests alone: mentees are visited grouped by
    // interests, so that the scores and their order are computed once per distinct interests.
    const size_t part_size = part.end - part.begin;
    std::vector<size_t> order(part_size);
    for (size_t i = 0; i < part_size; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return cohort.people[Idx(graph.mentees[part.begin + a])].interest <
             cohort.people[Idx(graph.mentees[part.begin + b])].interest;
    });
    part.arc_first.assign(part_size, 0);
    part.arc_count.assign(part_size, 0);
    const std::vector<std::uint8_t>* scored = nullptr;  // interests of the scores at hand
    for (size_t visited = 0; visited < part_size; ++visited) {
      const size_t n = part.begin + order[visited];
      const size_t arcs_before = part.arc_mentor.size();
      const int e = graph.mentees[n];
      const Person& mentee = cohort.people[Idx(e)];
      const std::uint64_t mentee_langs = rules.LanguageMask(e);
      if (scored == nullptr || *scored != mentee.interest) {
        scored = &mentee.interest;
        index.ScoreGroups(e, &group_score);
        // Counting sort of the groups by score, highest first.
        std::fill(bucket_count.begin(), bucket_count.end(), 0);
        for (int s : group_score) ++bucket_count[Idx(s)];
        start.back() = 0;
        for (size_t s = bucket_count.size(); s-- > 0;) start[s] = start[s + 1] + bucket_count[s];
        std::copy(start.begin(), start.end() - 1, fill.begin());
        for (size_t g = 0; g < group_score.size(); ++g) {
          by_score[Idx(fill[Idx(group_score[g]) + 1]++)] = static_cast<int>(g);
        }
      }
      // Groups of score s occupy [start[s + 1], start[s + 1] + bucket_count[s]). Collects up
      // to `most` eligible mentors of score s into `bucket`. Equally good mentors compete for
      // the places: starting every mentee at the same member would hand all of them the same
      // few mentors, so each mentee starts at its own, hashed position in the groups and their
      // member lists (deterministic, independent of row order; see docs/matching.md).
      auto collect = [&](int s, size_t most) {
        bucket.clear();
        const int first = start[Idx(s) + 1];
        const int count = bucket_count[Idx(s)];
        // The members of the bucket's usable subgroups, laid end to end, are walked cyclically
        // from a hashed position, so that each member is equally likely to come first.
        size_t total = 0;
        usable.clear();
        for (int k = first; k < first + count; ++k) {
          for (const MentorIndex::Subgroup& sg : index.groups()[Idx(by_score[Idx(k)])].subgroups) {
            if (!rules.LevelAllows(sg.level, mentee.level)) continue;
            if (!rules.LanguagesCompatible(sg.languages, mentee_langs)) continue;
            usable.push_back(&sg.members);
            total += sg.members.size();
          }
        }
        if (total == 0) return;
        const size_t offset = SpreadHash(e, s) % total;
        for (size_t pass = 0; pass < 2; ++pass) {
          size_t position = 0;  // of the subgroup's first member in the cyclic walk
          for (const std::vector<int>* members : usable) {
            const size_t size = members->size();
            // Pass 0 walks [offset, total), pass 1 walks [0, offset).
            const size_t lo = pass == 0 ? std::max(offset, position) : position;
            const size_t hi = pass == 0 ? position + size : std::min(offset, position + size);
            for (size_t i = lo; i < hi; ++i) {
              const int m = (*members)[i - position];
              if (m == e || rules.tree().InLine(m, e) || rules.IsExcluded(m, e)) continue;
              bucket.emplace_back(m, s);
              if (bucket.size() >= most) return;
            }
            position += size;
          }
        }
      };
      constexpr size_t kAll = std::numeric_limits<size_t>::max();
      int kept = 0;
      for (int s = max_score; s > 0 && (limit == 0 || kept < limit); --s) {
        size_t room = limit > 0 ? Idx(limit - kept) : kAll;
        if (per_score > 0) room = std::min(room, Idx(per_score));
        collect(s, room == kAll ? kAll : room + 1);
        if (bucket.size() > room) {
          part.truncated = true;
          bucket.resize(room);
        }
        std::sort(bucket.begin(), bucket.end());
        for (const auto& [m, score] : bucket) {
          part.arc_mentor.push_back(mentor_node[Idx(m)]);
          part.arc_score.push_back(score);
        }
        kept += static_cast<int>(bucket.size());
        if (limit > 0 && kept >= limit) {
          // Stopped at the limit: the graph is truncated if an eligible mentor was left below.
          for (int lower = s - 1; lower > 0 && !part.truncated; --lower) {
            collect(lower, 1);
            part.truncated = !bucket.empty();
          }
          break;
        }
      }
      part.arc_first[order[visited]] = static_cast<std::int64_t>(arcs_before);
      part.arc_count[order[visited]] =
          static_cast<std::int64_t>(part.arc_mentor.size() - arcs_before);
      if (report_progress && (visited & 1023) == 0) {
        progress.Report(static_cast<std::int64_t>(visited), static_cast<std::int64_t>(part_size));
      }
    }
  };
  const size_t total = graph.mentees.size();
  std::vector<Part> parts(
      std::clamp<size_t>(total / kMenteesPerThread, 1, static_cast<size_t>(std::max(threads, 1))));
  for (size_t i = 0; i < parts.size(); ++i) {
    parts[i].begin = total * i / parts.size();
    parts[i].end = total * (i + 1) / parts.size();
  }
  {
    std::vector<std::thread> workers;
    for (size_t i = 1; i < parts.size(); ++i) {
      workers.emplace_back(build_part, std::ref(parts[i]), false);
    }
    build_part(parts[0], true);
    for (std::thread& w : workers) w.join();
  }
  size_t num_arcs = 0;
  for (const Part& part : parts) {
    for (std::int64_t count : part.arc_count) num_arcs += Idx(count);
  }
  ReserveHuge(&p.arc_mentor, num_arcs);
  ReserveHuge(&p.arc_score, num_arcs);
  for (const Part& part : parts) {
    graph.truncated = graph.truncated || part.truncated;
    for (size_t i = 0; i < part.arc_first.size(); ++i) {
      const auto first = part.arc_first[i], last = first + part.arc_count[i];
      p.arc_mentor.insert(p.arc_mentor.end(), part.arc_mentor.begin() + first,
                          part.arc_mentor.begin() + last);
      p.arc_score.insert(p.arc_score.end(), part.arc_score.begin() + first,
                         part.arc_score.begin() + last);
      p.arc_begin.push_back(p.arc_begin.back() + part.arc_count[i]);
    }
  }
  progress.Report(p.num_mentees, p.num_mentees);
  return graph;
}

}  // namespace tandem

namespace tandem {

std::int64_t AddImprovingArcs(const Rules& rules, const MentorIndex& index, const Duals& duals,
                              int per_mentee, CandidateGraph* graph, int threads) {
  const Cohort& cohort = rules.cohort();
  Bipartite& p = graph->problem;
  std::vector<int> mentor_node(cohort.people.size(), -1);
  for (size_t n = 0; n < graph->mentors.size(); ++n) {
    mentor_node[Idx(graph->mentors[n])] = static_cast<int>(n);
  }
  auto potential = [&](int person) { return duals.mentor[Idx(mentor_node[Idx(person)])]; };
  // Each subgroup's members by potential, highest first: the most promising come first, and
  // once one has a non-negative reduced cost all later ones do too.
  std::vector<std::vector<std::vector<int>>> by_potential(index.groups().size());
  for (size_t g = 0; g < index.groups().size(); ++g) {
    for (const MentorIndex::Subgroup& sg : index.groups()[g].subgroups) {
      std::vector<int> members = sg.members;
      std::stable_sort(members.begin(), members.end(),
                       [&](int a, int b) { return potential(a) > potential(b); });
      by_potential[g].push_back(std::move(members));
    }
  }

  std::int64_t highest = std::numeric_limits<std::int64_t>::min();
  for (std::int64_t pm : duals.mentor) highest = std::max(highest, pm);
  std::vector<std::vector<std::pair<int, int>>> added(graph->mentees.size());  // (node, score)
  // Mentees are priced on separate threads over contiguous ranges; each writes only its
  // own entries of `added`.
  auto price_range = [&](size_t begin, size_t end) {
    std::vector<int> group_score;
    std::vector<int> existing;
    for (size_t n = begin; n < end; ++n) {
      const int e = graph->mentees[n];
      const Person& mentee = cohort.people[Idx(e)];
      const std::int64_t pe = duals.mentee[n];
      // Reduced cost (smax - s) + pe - pm with pm <= highest: only scores above
      // smax + pe - highest can make it negative.
      if (duals.smax - index.max_score() + pe - highest >= 0) continue;
      existing.assign(p.arc_mentor.begin() + p.arc_begin[n],
                      p.arc_mentor.begin() + p.arc_begin[n + 1]);
      std::sort(existing.begin(), existing.end());
      index.ScoreGroups(e, &group_score);
      const std::uint64_t langs = rules.LanguageMask(e);
      std::vector<std::tuple<std::int64_t, int, int>> found;  // (reduced cost, mentor node, score)
      for (size_t g = 0; g < group_score.size(); ++g) {
        const int s = group_score[g];
        if (s <= 0 || duals.smax - s + pe - highest >= 0) continue;
        const auto& subgroups = index.groups()[g].subgroups;
        for (size_t k = 0; k < subgroups.size(); ++k) {
          if (!rules.LevelAllows(subgroups[k].level, mentee.level)) continue;
          if (!rules.LanguagesCompatible(subgroups[k].languages, langs)) continue;
          for (int m : by_potential[g][k]) {
            const std::int64_t reduced = duals.smax - s + pe - potential(m);
            if (reduced >= 0) break;
            const int node = mentor_node[Idx(m)];
            if (std::binary_search(existing.begin(), existing.end(), node)) continue;
            if (m == e || rules.tree().InLine(m, e) || rules.IsExcluded(m, e)) continue;
            found.emplace_back(reduced, node, s);
            if (found.size() >= Idx(per_mentee) * 4) break;
          }
        }
      }
      // Keep the most negative reduced costs.
      std::sort(found.begin(), found.end());
      if (found.size() > Idx(per_mentee)) found.resize(Idx(per_mentee));
      for (const auto& [reduced, node, score] : found) added[n].emplace_back(node, score);
    }
  };
  const size_t count = graph->mentees.size();
  const size_t parts =
      std::clamp<size_t>(count / kMenteesPerThread, 1, static_cast<size_t>(std::max(threads, 1)));
  std::vector<std::thread> workers;
  for (size_t i = 1; i < parts; ++i) {
    workers.emplace_back(price_range, count * i / parts, count * (i + 1) / parts);
  }
  price_range(0, count / parts);
  for (std::thread& w : workers) w.join();
  std::int64_t total_added = 0;
  for (const auto& arcs : added) total_added += static_cast<std::int64_t>(arcs.size());
  if (total_added == 0) return 0;

  // Rebuild the CSR with the new arcs merged in, each mentee's arcs by score then mentor.
  Bipartite merged;
  merged.num_mentees = p.num_mentees;
  merged.num_mentors = p.num_mentors;
  merged.mentee_capacity = p.mentee_capacity;
  merged.mentor_capacity = p.mentor_capacity;
  merged.arc_begin.push_back(0);
  std::vector<std::pair<int, int>> arcs;  // (-score, mentor node)
  for (size_t n = 0; n < graph->mentees.size(); ++n) {
    arcs.clear();
    for (std::int64_t a = p.arc_begin[n]; a < p.arc_begin[n + 1]; ++a) {
      arcs.emplace_back(-p.arc_score[Idx(a)], p.arc_mentor[Idx(a)]);
    }
    for (const auto& [node, score] : added[n]) arcs.emplace_back(-score, node);
    std::sort(arcs.begin(), arcs.end());
    for (const auto& [neg_score, node] : arcs) {
      merged.arc_mentor.push_back(node);
      merged.arc_score.push_back(-neg_score);
    }
    merged.arc_begin.push_back(static_cast<std::int64_t>(merged.arc_mentor.size()));
  }
  p = std::move(merged);
  return total_added;
}

}  // namespace tandem
