// The programme's matching rules: who may form a tandem with whom, and how well they fit.
//
//   score(m, e) = sum over topics t of weight(t) * interest(e, t) * skill(m, t)
//
// A pair (mentor m, mentee e) is eligible when m != e, m has mentor capacity and e mentee
// capacity, neither is in the other's management line, in reverse mode level(m) < level(e),
// they share a language when both state languages, the pair is not excluded, and the score
// is positive. See docs/matching.md.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/cohort.h"
#include "core/management_tree.h"

namespace tandem {

enum class MatchMode { kReverse, kOpen };

// Why a pair is not eligible; kEligible when it is.
enum class Ineligibility {
  kEligible,
  kSamePerson,
  kNoCapacity,
  kManagementLine,
  kLevel,
  kLanguage,
  kExcluded,
  kNoScore,
};

const char* IneligibilityText(Ineligibility why);

struct TopicContribution {
  int topic = 0;
  int points = 0;  // weight * interest * skill
};

// Evaluates the rules for one validated cohort. Borrows the cohort and the tree, which must
// outlive it. Thread-compatible: const methods may run concurrently.
class Rules {
 public:
  // `excluded` holds (mentor index, mentee index) pairs.
  Rules(const Cohort& cohort, const ManagementTree& tree, MatchMode mode,
        const std::vector<std::pair<int, int>>& excluded);

  Ineligibility Check(int mentor, int mentee) const;
  bool Eligible(int mentor, int mentee) const {
    return Check(mentor, mentee) == Ineligibility::kEligible;
  }
  int Score(int mentor, int mentee) const;

  // The topics that contribute to score(mentor, mentee), largest first, ties by topic key.
  std::vector<TopicContribution> Contributions(int mentor, int mentee) const;

  // Bit i set when the person states language i of languages(); 0 when none stated.
  std::uint64_t LanguageMask(int person) const {
    return language_mask_[static_cast<size_t>(person)];
  }
  bool LanguagesCompatible(std::uint64_t a, std::uint64_t b) const {
    return a == 0 || b == 0 || (a & b) != 0;
  }
  bool LevelAllows(int mentor_level, int mentee_level) const {
    return mode_ == MatchMode::kOpen || mentor_level < mentee_level;
  }
  bool IsExcluded(int mentor, int mentee) const {
    return excluded_.count(PairKey(mentor, mentee)) != 0;
  }
  // Language codes in order of first appearance; index i is bit i of LanguageMask().
  const std::vector<std::string>& languages() const { return languages_; }

  MatchMode mode() const { return mode_; }
  const Cohort& cohort() const { return cohort_; }
  const ManagementTree& tree() const { return tree_; }

 private:
  static std::uint64_t PairKey(int mentor, int mentee) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(mentor)) << 32) |
           static_cast<std::uint32_t>(mentee);
  }

  const Cohort& cohort_;
  const ManagementTree& tree_;
  const MatchMode mode_;
  std::vector<std::string> languages_;
  std::vector<std::uint64_t> language_mask_;
  std::unordered_set<std::uint64_t> excluded_;
};

// Human name of a language code ("de" -> "German"); the code itself when unknown.
std::string LanguageName(const std::string& code);

}  // namespace tandem
