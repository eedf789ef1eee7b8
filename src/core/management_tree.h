// The management forest of a cohort: who reports to whom, at any depth.
#pragma once

#include <string>
#include <vector>

#include "core/cohort.h"

namespace tandem {

class ManagementTree {
 public:
  struct Problem {
    int person = 0;       // index into the people vector
    std::string message;  // e.g. "unknown manager 'x'"
  };

  // Builds the forest from each person's manager_id. Unknown managers and management cycles are
  // appended to *problems (one per person involved); people with an unknown manager become
  // roots and each cycle is cut at one link, so that the tree stays usable for further checks.
  // `people` must have unique ids.
  static ManagementTree Build(const std::vector<Person>& people, std::vector<Problem>* problems);

  // True when one of a, b is the other's manager at any depth (or a == b).
  bool InLine(int a, int b) const { return IsAncestor(a, b) || IsAncestor(b, a); }
  // True when a is b's manager at any depth, or a == b.
  bool IsAncestor(int a, int b) const {
    return enter_[static_cast<size_t>(a)] <= enter_[static_cast<size_t>(b)] &&
           exit_[static_cast<size_t>(b)] <= exit_[static_cast<size_t>(a)];
  }
  // The index of the person's manager, or -1.
  int Parent(int person) const { return parent_[static_cast<size_t>(person)]; }

 private:
  std::vector<int> parent_;
  std::vector<int> enter_;  // Euler-tour times: a is an ancestor of b iff b's interval nests in a's
  std::vector<int> exit_;
};

}  // namespace tandem
