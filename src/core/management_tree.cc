#include "core/management_tree.h"

#include <string_view>
#include <unordered_map>

namespace tandem {

ManagementTree ManagementTree::Build(const std::vector<Person>& people,
                                     std::vector<Problem>* problems) {
  const size_t n = people.size();
  ManagementTree tree;
  tree.parent_.assign(n, -1);
  std::unordered_map<std::string_view, int> index;
  index.reserve(n);
  for (size_t i = 0; i < n; ++i) index.emplace(people[i].id, static_cast<int>(i));
  for (size_t i = 0; i < n; ++i) {
    const std::string& m = people[i].manager_id;
    if (m.empty()) continue;
    auto it = index.find(m);
    if (it == index.end()) {
      problems->push_back({static_cast<int>(i), "unknown manager '" + m + "'"});
    } else if (it->second == static_cast<int>(i)) {
      problems->push_back({static_cast<int>(i), "a person cannot be their own manager"});
    } else {
      tree.parent_[i] = it->second;
    }
  }

  // Cycle detection by colouring: 0 = unseen, 1 = on the current chain, 2 = done.
  std::vector<char> colour(n, 0);
  std::vector<int> chain;
  for (size_t start = 0; start < n; ++start) {
    if (colour[start] != 0) continue;
    chain.clear();
    int v = static_cast<int>(start);
    while (v != -1 && colour[static_cast<size_t>(v)] == 0) {
      colour[static_cast<size_t>(v)] = 1;
      chain.push_back(v);
      v = tree.parent_[static_cast<size_t>(v)];
    }
    if (v != -1 && colour[static_cast<size_t>(v)] == 1) {
      // v is on the current chain: the chain from v onwards is a cycle.
      bool in_cycle = false;
      std::string path;
      for (int u : chain) {
        if (u == v) in_cycle = true;
        if (in_cycle) path += people[static_cast<size_t>(u)].id + " -> ";
      }
      path += people[static_cast<size_t>(v)].id;
      in_cycle = false;
      for (int u : chain) {
        if (u == v) in_cycle = true;
        if (in_cycle) problems->push_back({u, "management cycle: " + path});
      }
      // Break the cycle so that the Euler tour below terminates.
      tree.parent_[static_cast<size_t>(v)] = -1;
    }
    for (int u : chain) colour[static_cast<size_t>(u)] = 2;
  }

  // Iterative Euler tour over the forest.
  std::vector<int> first_child(n, -1), next_sibling(n, -1);
  for (size_t i = n; i-- > 0;) {
    int p = tree.parent_[i];
    if (p == -1) continue;
    next_sibling[i] = first_child[static_cast<size_t>(p)];
    first_child[static_cast<size_t>(p)] = static_cast<int>(i);
  }
  tree.enter_.assign(n, 0);
  tree.exit_.assign(n, 0);
  int clock = 0;
  std::vector<int> stack;
  for (size_t root = 0; root < n; ++root) {
    if (tree.parent_[root] != -1) continue;
    stack.push_back(static_cast<int>(root));
    tree.enter_[root] = clock++;
    while (!stack.empty()) {
      int v = stack.back();
      int& child = first_child[static_cast<size_t>(v)];
      if (child != -1) {
        int c = child;
        child = next_sibling[static_cast<size_t>(c)];
        tree.enter_[static_cast<size_t>(c)] = clock++;
        stack.push_back(c);
      } else {
        tree.exit_[static_cast<size_t>(v)] = clock++;
        stack.pop_back();
      }
    }
  }
  return tree;
}

}  // namespace tandem
