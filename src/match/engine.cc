#include "match/engine.h"

#include <algorithm>
#include <string_view>

#include "match/candidate_graph.h"
#include "match/optimal_solver.h"
#include "match/stable_solver.h"

namespace tandem {
namespace {

template <typename T>
size_t Idx(T i) {
  return static_cast<size_t>(i);
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "'AI', 'Cloud' and 'IoT'" from the topics' display names, at most `most` of them.
std::string TopicList(const Cohort& cohort, const std::vector<int>& topics, size_t most = 3) {
  std::string out;
  const size_t n = std::min(topics.size(), most);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n && topics.size() <= most) ? " or " : ", ";
    out += Quoted(cohort.topics[Idx(topics[i])].name);
  }
  if (topics.size() > most) out += " or " + std::to_string(topics.size() - most) + " more";
  return out;
}

std::string LanguageList(const Person& p) {
  std::string out;
  for (size_t i = 0; i < p.languages.size(); ++i) {
    if (i > 0) out += i + 1 == p.languages.size() ? " or " : ", ";
    out += LanguageName(p.languages[i]);
  }
  return out;
}

// Topics a person rates above zero in `ratings`, highest rating first, then by key.
std::vector<int> RatedTopics(const Cohort& cohort, const std::vector<std::uint8_t>& ratings) {
  std::vector<int> out;
  for (size_t t = 0; t < ratings.size(); ++t) {
    if (ratings[t] > 0) out.push_back(static_cast<int>(t));
  }
  std::sort(out.begin(), out.end(), [&](int a, int b) {
    if (ratings[Idx(a)] != ratings[Idx(b)]) return ratings[Idx(a)] > ratings[Idx(b)];
    return cohort.topics[Idx(a)].key < cohort.topics[Idx(b)].key;
  });
  return out;
}

std::string TandemReasons(const Rules& rules, const Tandem& t) {
  const Cohort& cohort = rules.cohort();
  const Person& mentor = cohort.people[Idx(t.mentor)];
  const Person& mentee = cohort.people[Idx(t.mentee)];
  std::string out;
  for (const TopicContribution& c : t.contributions) {
    if (!out.empty()) out += "; ";
    const size_t topic = Idx(c.topic);
    out += cohort.topics[topic].name + ": interest " + std::to_string(mentee.interest[topic]) +
           ", skill " + std::to_string(mentor.skill[topic]);
    const std::string& experience = mentor.ExperienceFor(c.topic);
    if (!experience.empty()) out += " (\"" + experience + "\")";
  }
  if (!mentor.languages.empty() && !mentee.languages.empty()) {
    for (const std::string& lang : mentee.languages) {
      if (std::find(mentor.languages.begin(), mentor.languages.end(), lang) !=
          mentor.languages.end()) {
        out += "; both speak " + LanguageName(lang);
        break;
      }
    }
  }
  return out;
}

// Why a person who wants a mentor got none, narrowing the field rule by rule.
std::string MenteeReason(const Rules& rules, const MentorIndex& index, int e, bool had_candidates,
                         const MatchReport& report) {
  const Cohort& cohort = rules.cohort();
  const Person& mentee = cohort.people[Idx(e)];
  const std::vector<int> wanted = RatedTopics(cohort, mentee.interest);
  if (wanted.empty()) return "states no interest in any topic";
  if (had_candidates) {
    if (!report.exact) {
      return "every eligible mentor among their " + std::to_string(report.candidates) +
             " best candidates went to a better pair";
    }
    return "every eligible mentor went to a better pair";
  }
  std::vector<int> scores;
  index.ScoreGroups(e, &scores);
  bool offered = false, in_language = false, below_level = false, outside_line = false;
  const std::uint64_t langs = rules.LanguageMask(e);
  for (size_t g = 0; g < scores.size(); ++g) {
    if (scores[g] <= 0) continue;
    offered = true;
    for (const MentorIndex::Subgroup& sg : index.groups()[g].subgroups) {
      if (!rules.LanguagesCompatible(sg.languages, langs)) continue;
      in_language = true;
      if (!rules.LevelAllows(sg.level, mentee.level)) continue;
      for (int m : sg.members) {
        if (m == e) continue;  // the mentee offers it too, but cannot mentor themselves
        below_level = true;
        if (!rules.tree().InLine(m, e)) outside_line = true;
      }
    }
  }
  const std::string topics = TopicList(cohort, wanted);
  if (!offered) return "nobody offers " + topics;
  if (!in_language) return "nobody offers " + topics + " in " + LanguageList(mentee);
  if (!below_level) {
    if (rules.mode() == MatchMode::kOpen) return "nobody else offers " + topics;
    return "nobody who offers " + topics + " is below their level (" +
           std::to_string(mentee.level) + ")";
  }
  if (!outside_line) return "everyone who could mentor them is in their management line";
  return "every remaining mentor is excluded (earlier tandem or declined proposal)";
}

std::string MentorReason(const Rules& rules, int m, bool had_candidates,
                         const std::vector<std::int64_t>& demand, const MatchReport& report) {
  const Cohort& cohort = rules.cohort();
  const Person& mentor = cohort.people[Idx(m)];
  const std::vector<int> offered = RatedTopics(cohort, mentor.skill);
  if (offered.empty()) return "offers no topic (every skill is 0)";
  if (had_candidates) return "every mentee they could teach got a better pair";
  bool wanted = false;
  for (int t : offered) wanted = wanted || demand[Idx(t)] > 0;
  if (!wanted) return "no mentee wants to learn " + TopicList(cohort, offered);
  if (!report.exact) {
    return "not among any mentee's " + std::to_string(report.candidates) +
           " best candidates, or no mentee is eligible";
  }
  return "no eligible mentee wants " + TopicList(cohort, offered) +
         " (level, language, management line or exclusion)";
}

}  // namespace

MatchResult RunMatching(const Cohort& cohort, const ManagementTree& tree,
                        const std::vector<std::pair<int, int>>& excluded,
                        const MatchOptions& options, const PhasedProgress& progress) {
  const Rules rules(cohort, tree, options.mode, excluded);
  const MentorIndex index(rules);
  MatchResult result;
  MatchReport& report = result.report;

  std::int64_t mentee_count = 0, mentor_count = 0;
  for (const Person& p : cohort.people) {
    mentee_count += p.mentee_capacity > 0;
    mentor_count += p.mentor_capacity > 0;
  }
  // Candidate graph. With kAutoCandidates the optimal objective starts from a small graph and
  // adds every pair that could still improve the result (column generation, proved by the
  // solver's duals), so the result is exact without building the full graph.
  const bool auto_candidates = options.candidates == MatchOptions::kAutoCandidates;
  const bool price = auto_candidates && options.objective == Objective::kOptimal;
  int limit = options.candidates;
  if (price) {
    limit = MatchOptions::kLargeCohortCandidates;
  } else if (auto_candidates) {
    limit = mentee_count * mentor_count <= MatchOptions::kFullGraphPairs
                ? 0
                : MatchOptions::kLargeCohortCandidates;
  }

  struct PhaseContext {
    const PhasedProgress* outer;
    int phase;
  };
  auto forward = [](void* context, std::int64_t done, std::int64_t total) {
    auto* c = static_cast<PhaseContext*>(context);
    c->outer->fn(c->outer->context, c->phase, done, total);
  };
  PhaseContext graph_phase{&progress, 0}, solve_phase{&progress, 1};
  Progress graph_progress, solve_progress;
  if (progress.fn != nullptr) {
    graph_progress = {forward, &graph_phase};
    solve_progress = {forward, &solve_phase};
  }

  // The automatic graph is spread over several scores, which reaches less contended mentors.
  const bool spread = auto_candidates && limit > 0;
  CandidateGraph graph = BuildCandidateGraph(
      rules, index, limit, spread ? MatchOptions::kCandidatesPerScore : 0, graph_progress);
  Selection selection;
  if (options.objective == Objective::kStable) {
    selection = SolveStable(graph.problem, solve_progress);
  } else if (!price) {
    selection = SolveOptimal(graph.problem, solve_progress);
  } else {
    int max_rounds = options.max_pricing_rounds;
    if (max_rounds == MatchOptions::kAutoRounds) {
      max_rounds =
          mentee_count * mentor_count <= MatchOptions::kProofPairs ? MatchOptions::kProofRounds : 1;
    }
    // A solve whose duals price the next round uses the primal-dual solver: on these graphs,
    // where many arcs tie in reduced cost, its duals let fewer rounds prove the optimum. A solve
    // that ends the run uses cost scaling, faster on one large graph (see docs/matching.md).
    Duals duals;
    for (;;) {
      ++report.pricing_rounds;
      const bool may_price = graph.truncated && report.pricing_rounds < max_rounds;
      selection = may_price ? SolveOptimalPrimalDual(graph.problem, solve_progress, &duals)
                            : SolveOptimal(graph.problem, solve_progress);
      if (!may_price) break;  // complete, or not proved within the rounds; the report says so
      if (AddImprovingArcs(rules, index, duals, limit, &graph) == 0) {
        graph.truncated = false;  // proved: no pair outside the graph can improve the result
        break;
      }
    }
  }
  const Bipartite& problem = graph.problem;

  report.candidates = price && !graph.truncated ? 0 : limit;
  report.initial_candidates = limit;
  report.exact = !graph.truncated;
  report.candidate_arcs = problem.num_arcs();

  // Tandems, with the mentee node of each arc recovered from the CSR layout.
  std::vector<int> arc_mentee(Idx(problem.num_arcs()));
  for (int e = 0; e < problem.num_mentees; ++e) {
    for (std::int64_t a = problem.arc_begin[Idx(e)]; a < problem.arc_begin[Idx(e) + 1]; ++a) {
      arc_mentee[Idx(a)] = e;
    }
  }
  std::vector<int> tandems_of(cohort.people.size(), 0);
  for (std::int64_t a : selection.arcs) {
    Tandem t;
    t.mentor = graph.mentors[Idx(problem.arc_mentor[Idx(a)])];
    t.mentee = graph.mentees[Idx(arc_mentee[Idx(a)])];
    t.score = problem.arc_score[Idx(a)];
    t.contributions = rules.Contributions(t.mentor, t.mentee);
    t.reasons = TandemReasons(rules, t);
    ++tandems_of[Idx(t.mentor)];
    ++tandems_of[Idx(t.mentee)];
    result.tandems.push_back(std::move(t));
  }
  // People are indexed in id order, so index order is id order.
  std::sort(result.tandems.begin(), result.tandems.end(), [](const Tandem& a, const Tandem& b) {
    return std::tie(a.mentor, a.mentee) < std::tie(b.mentor, b.mentee);
  });

  // Summary figures.
  std::vector<int> mentee_tandems(cohort.people.size(), 0);
  for (const Tandem& t : result.tandems) ++mentee_tandems[Idx(t.mentee)];
  report.topics.resize(cohort.topics.size());
  for (size_t t = 0; t < cohort.topics.size(); ++t) report.topics[t].topic = static_cast<int>(t);
  std::vector<std::int64_t> demand(cohort.topics.size(), 0);
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    const Person& p = cohort.people[i];
    if (p.mentee_capacity > 0) {
      ++report.mentees_wanting;
      report.mentee_places_wanted += p.mentee_capacity;
      report.mentees_matched += mentee_tandems[i] > 0;
      for (size_t t = 0; t < cohort.topics.size(); ++t) report.topics[t].demand += p.interest[t];
    }
    if (p.mentor_capacity > 0) {
      ++report.mentors_offering;
      report.mentor_capacity_offered += p.mentor_capacity;
      for (size_t t = 0; t < cohort.topics.size(); ++t) {
        report.topics[t].supply += static_cast<std::int64_t>(p.skill[t]) * p.mentor_capacity;
      }
    }
  }
  for (size_t t = 0; t < cohort.topics.size(); ++t) demand[t] = report.topics[t].demand;
  report.tandems = static_cast<std::int64_t>(result.tandems.size());
  report.mentor_capacity_used = report.tandems;
  report.total_score = selection.total_score;
  if (report.tandems > 0) {
    report.mean_score =
        static_cast<double>(report.total_score) / static_cast<double>(report.tandems);
    report.lowest_score =
        std::min_element(result.tandems.begin(), result.tandems.end(),
                         [](const Tandem& a, const Tandem& b) { return a.score < b.score; })
            ->score;
  }

  // Unmatched people, in id order, mentees before mentors for the same person.
  std::vector<char> mentee_has_arcs(cohort.people.size(), 0),
      mentor_has_arcs(cohort.people.size(), 0);
  for (int e = 0; e < problem.num_mentees; ++e) {
    if (problem.arc_begin[Idx(e) + 1] > problem.arc_begin[Idx(e)]) {
      mentee_has_arcs[Idx(graph.mentees[Idx(e)])] = 1;
    }
  }
  for (int m : problem.arc_mentor) mentor_has_arcs[Idx(graph.mentors[Idx(m)])] = 1;
  std::vector<int> mentor_tandems(cohort.people.size(), 0);
  for (const Tandem& t : result.tandems) ++mentor_tandems[Idx(t.mentor)];
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    const Person& p = cohort.people[i];
    const int person = static_cast<int>(i);
    if (p.mentee_capacity > 0 && mentee_tandems[i] == 0) {
      report.unmatched.push_back(
          {person, "mentee", MenteeReason(rules, index, person, mentee_has_arcs[i] != 0, report)});
    }
    if (p.mentor_capacity > 0 && mentor_tandems[i] == 0) {
      report.unmatched.push_back(
          {person, "mentor", MentorReason(rules, person, mentor_has_arcs[i] != 0, demand, report)});
    }
  }

  const std::vector<std::int64_t> blocking = BlockingArcs(problem, selection);
  report.blocking_pair_count = static_cast<std::int64_t>(blocking.size());
  for (size_t i = 0; i < blocking.size() && i < MatchReport::kMaxListed; ++i) {
    const std::int64_t a = blocking[i];
    report.blocking_pairs.emplace_back(graph.mentors[Idx(problem.arc_mentor[Idx(a)])],
                                       graph.mentees[Idx(arc_mentee[Idx(a)])]);
  }
  return result;
}

}  // namespace tandem
