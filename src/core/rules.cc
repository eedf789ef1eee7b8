#include "core/rules.h"

#include <algorithm>

namespace tandem {

const char* IneligibilityText(Ineligibility why) {
  switch (why) {
    case Ineligibility::kEligible:
      return "eligible";
    case Ineligibility::kSamePerson:
      return "same person";
    case Ineligibility::kNoCapacity:
      return "no capacity for this role";
    case Ineligibility::kManagementLine:
      return "in each other's management line";
    case Ineligibility::kLevel:
      return "mentor is not below the mentee's level";
    case Ineligibility::kLanguage:
      return "no shared language";
    case Ineligibility::kExcluded:
      return "pair is excluded";
    case Ineligibility::kNoScore:
      return "no topic in common";
  }
  return "unknown";
}

Rules::Rules(const Cohort& cohort, const ManagementTree& tree, MatchMode mode,
             const std::vector<std::pair<int, int>>& excluded)
    : cohort_(cohort), tree_(tree), mode_(mode) {
  language_mask_.assign(cohort.people.size(), 0);
  for (size_t i = 0; i < cohort.people.size(); ++i) {
    std::uint64_t mask = 0;
    for (const std::string& lang : cohort.people[i].languages) {
      auto it = std::find(languages_.begin(), languages_.end(), lang);
      size_t bit = static_cast<size_t>(it - languages_.begin());
      if (it == languages_.end()) {
        languages_.push_back(lang);
      }
      // More than 64 distinct languages share the last bit: compatible, never wrongly apart.
      mask |= std::uint64_t{1} << std::min<size_t>(bit, 63);
    }
    language_mask_[i] = mask;
  }
  excluded_.reserve(excluded.size());
  for (const auto& [m, e] : excluded) excluded_.insert(PairKey(m, e));
}

Ineligibility Rules::Check(int mentor, int mentee) const {
  const Person& m = cohort_.people[static_cast<size_t>(mentor)];
  const Person& e = cohort_.people[static_cast<size_t>(mentee)];
  if (mentor == mentee) return Ineligibility::kSamePerson;
  if (m.mentor_capacity <= 0 || e.mentee_capacity <= 0) return Ineligibility::kNoCapacity;
  if (!LevelAllows(m.level, e.level)) return Ineligibility::kLevel;
  if (!LanguagesCompatible(LanguageMask(mentor), LanguageMask(mentee))) {
    return Ineligibility::kLanguage;
  }
  if (tree_.InLine(mentor, mentee)) return Ineligibility::kManagementLine;
  if (IsExcluded(mentor, mentee)) return Ineligibility::kExcluded;
  if (Score(mentor, mentee) <= 0) return Ineligibility::kNoScore;
  return Ineligibility::kEligible;
}

int Rules::Score(int mentor, int mentee) const {
  const Person& m = cohort_.people[static_cast<size_t>(mentor)];
  const Person& e = cohort_.people[static_cast<size_t>(mentee)];
  int score = 0;
  for (size_t t = 0; t < cohort_.topics.size(); ++t) {
    score += cohort_.topics[t].weight * e.interest[t] * m.skill[t];
  }
  return score;
}

std::vector<TopicContribution> Rules::Contributions(int mentor, int mentee) const {
  const Person& m = cohort_.people[static_cast<size_t>(mentor)];
  const Person& e = cohort_.people[static_cast<size_t>(mentee)];
  std::vector<TopicContribution> out;
  for (size_t t = 0; t < cohort_.topics.size(); ++t) {
    int points = cohort_.topics[t].weight * e.interest[t] * m.skill[t];
    if (points > 0) out.push_back({static_cast<int>(t), points});
  }
  std::sort(out.begin(), out.end(), [this](const TopicContribution& a, const TopicContribution& b) {
    if (a.points != b.points) return a.points > b.points;
    return cohort_.topics[static_cast<size_t>(a.topic)].key <
           cohort_.topics[static_cast<size_t>(b.topic)].key;
  });
  return out;
}

std::string LanguageName(const std::string& code) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"de", "German"},  {"en", "English"}, {"fr", "French"},  {"es", "Spanish"},
      {"it", "Italian"}, {"pl", "Polish"},  {"tr", "Turkish"}, {"zh", "Chinese"},
  };
  for (const auto& [c, name] : kNames) {
    if (code == c) return name;
  }
  return code;
}

}  // namespace tandem
