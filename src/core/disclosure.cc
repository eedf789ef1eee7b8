#include "core/disclosure.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace tandem {

Result<DisclosurePolicy> DisclosurePolicy::WithMinGroupSize(int k) {
  if (k < kLowestMinGroupSize) {
    return Status::InvalidArgument("min_group_size: must be at least " +
                                   std::to_string(kLowestMinGroupSize) + ", got " +
                                   std::to_string(k));
  }
  return DisclosurePolicy(k);
}

namespace {

// The table with its totals as one (rows + 1) x (columns + 1) grid: row `rows` holds the column
// totals, column `columns` the row totals, and the corner the grand total. Every row and every
// column of the grid is a "line": its last entry is the sum of the others.
class Grid {
 public:
  Grid(const std::vector<std::vector<std::int64_t>>& cells, std::size_t columns)
      : rows_(cells.size()),
        columns_(columns),
        value_((rows_ + 1) * (columns_ + 1), 0),
        hidden_(value_.size(), false) {
    for (std::size_t r = 0; r < rows_; ++r) {
      for (std::size_t c = 0; c < columns_; ++c) {
        const std::int64_t n = cells[r][c];
        At(r, c) = n;
        At(r, columns_) += n;
        At(rows_, c) += n;
        At(rows_, columns_) += n;
      }
    }
  }

  std::size_t rows() const { return rows_; }
  std::size_t columns() const { return columns_; }
  std::size_t Index(std::size_t r, std::size_t c) const { return r * (columns_ + 1) + c; }
  std::int64_t& At(std::size_t r, std::size_t c) { return value_[Index(r, c)]; }
  std::int64_t Value(std::size_t i) const { return value_[i]; }
  bool Hidden(std::size_t i) const { return hidden_[i]; }
  void Hide(std::size_t i) { hidden_[i] = true; }
  std::size_t size() const { return value_.size(); }
  std::size_t RowOf(std::size_t i) const { return i / (columns_ + 1); }
  std::size_t ColumnOf(std::size_t i) const { return i % (columns_ + 1); }

  DisclosedCount Shown(std::size_t r, std::size_t c) const {
    const std::size_t i = Index(r, c);
    if (hidden_[i]) return std::nullopt;
    return value_[i];
  }

  // The entries of every line; the line's total is last.
  std::vector<std::vector<std::size_t>> Lines() const {
    std::vector<std::vector<std::size_t>> lines;
    for (std::size_t r = 0; r <= rows_; ++r) {
      std::vector<std::size_t> line;
      for (std::size_t c = 0; c <= columns_; ++c) line.push_back(Index(r, c));
      lines.push_back(std::move(line));
    }
    for (std::size_t c = 0; c <= columns_; ++c) {
      std::vector<std::size_t> line;
      for (std::size_t r = 0; r <= rows_; ++r) line.push_back(Index(r, c));
      lines.push_back(std::move(line));
    }
    return lines;
  }

 private:
  const std::size_t rows_;
  const std::size_t columns_;
  std::vector<std::int64_t> value_;
  std::vector<bool> hidden_;
};

// Among `candidates`, the shown entry to hide next: the smallest non-zero one (ties by
// position, so the result is deterministic). Returns false when there is none.
//
// Zeros are never hidden. A hidden entry that is >= 1 can always be moved by one, up or down,
// together with the other hidden entries on a cycle (rows and columns as vertices, hidden
// entries as edges) without changing any shown sum; a hidden zero could not go down, and a
// cycle through it would no longer hide anything.
bool PickSmallestShown(const Grid& grid, const std::vector<std::size_t>& candidates,
                       std::size_t* picked) {
  bool found = false;
  for (const std::size_t i : candidates) {
    if (grid.Hidden(i) || grid.Value(i) == 0) continue;
    if (!found || grid.Value(i) < grid.Value(*picked)) {
      *picked = i;
      found = true;
    }
  }
  return found;
}

// Applies the two line rules once to every line; returns whether anything was hidden.
bool ApplyLineRules(const DisclosurePolicy& policy, Grid& grid,
                    const std::vector<std::vector<std::size_t>>& lines) {
  bool changed = false;
  for (const std::vector<std::size_t>& line : lines) {
    const std::size_t total = line.back();
    const std::vector<std::size_t> cells(line.begin(), line.end() - 1);
    std::size_t hidden_members = 0;
    std::int64_t hidden_cell_sum = 0;
    for (const std::size_t i : cells) {
      if (!grid.Hidden(i)) continue;
      ++hidden_members;
      hidden_cell_sum += grid.Value(i);
    }
    if (grid.Hidden(total)) ++hidden_members;
    // While the total is shown, "total minus shown cells" is the hidden cells' sum. The
    // total is then >= that sum > 0, so it can be hidden when no non-zero cell is left.
    while (!grid.Hidden(total) && hidden_members > 0 && !policy.MayShowCount(hidden_cell_sum)) {
      std::size_t next = total;
      if (PickSmallestShown(grid, cells, &next)) hidden_cell_sum += grid.Value(next);
      grid.Hide(next);
      ++hidden_members;
      changed = true;
    }
    // One hidden member alone would be "total minus the others" (or their sum). If it is a
    // cell, the total is >= it > 0; if it is the total, some cell is > 0.
    if (hidden_members == 1) {
      std::size_t next = total;
      if (!PickSmallestShown(grid, cells, &next) && grid.Hidden(total)) continue;
      grid.Hide(next);
      changed = true;
    }
  }
  return changed;
}

// Finds a hidden entry that is a bridge in the graph whose vertices are the grid's rows and
// columns and whose edges are the hidden entries. A bridge lies on no cycle, and only entries
// on no cycle can be computed exactly from the line sums (the sums fix every edge except for
// flows around cycles). Returns false when there is none.
bool FindBridge(const Grid& grid, std::size_t* bridge) {
  const std::size_t row_vertices = grid.rows() + 1;
  const std::size_t vertices = row_vertices + grid.columns() + 1;
  // Adjacency: (neighbour, entry).
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> adjacent(vertices);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (!grid.Hidden(i)) continue;
    const std::size_t r = grid.RowOf(i);
    const std::size_t c = row_vertices + grid.ColumnOf(i);
    adjacent[r].emplace_back(c, i);
    adjacent[c].emplace_back(r, i);
  }
  // Iterative Tarjan: discovery order and low-link; tables are small, but recursion depth
  // should not depend on input size.
  constexpr std::size_t kUnseen = static_cast<std::size_t>(-1);
  std::vector<std::size_t> order(vertices, kUnseen);
  std::vector<std::size_t> low(vertices, 0);
  std::size_t counter = 0;
  struct Frame {
    std::size_t vertex;
    std::size_t via_entry;  // the entry used to reach it; kUnseen for a root
    std::size_t next = 0;   // index into adjacent[vertex]
  };
  for (std::size_t root = 0; root < vertices; ++root) {
    if (order[root] != kUnseen) continue;
    std::vector<Frame> stack{{root, kUnseen, 0}};
    order[root] = low[root] = counter++;
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (f.next < adjacent[f.vertex].size()) {
        const auto [to, entry] = adjacent[f.vertex][f.next++];
        if (entry == f.via_entry) continue;
        if (order[to] == kUnseen) {
          order[to] = low[to] = counter++;
          stack.push_back({to, entry, 0});
        } else {
          low[f.vertex] = std::min(low[f.vertex], order[to]);
        }
        continue;
      }
      const Frame done = f;
      stack.pop_back();
      if (stack.empty()) continue;
      const std::size_t parent = stack.back().vertex;
      low[parent] = std::min(low[parent], low[done.vertex]);
      if (low[done.vertex] > order[parent]) {
        *bridge = done.via_entry;
        return true;
      }
    }
  }
  return false;
}

// Hides one more entry so that `bridge` lies on a cycle: an entry joining the two parts the
// bridge separates (a row of one part with a column of the other). Returns whether it did.
bool CloseBridge(Grid& grid, std::size_t bridge) {
  const std::size_t row_vertices = grid.rows() + 1;
  const std::size_t vertices = row_vertices + grid.columns() + 1;
  // The part reachable from the bridge's row without the bridge.
  std::vector<bool> in_part(vertices, false);
  std::vector<std::size_t> queue{grid.RowOf(bridge)};
  in_part[queue.front()] = true;
  while (!queue.empty()) {
    const std::size_t v = queue.back();
    queue.pop_back();
    for (std::size_t i = 0; i < grid.size(); ++i) {
      if (!grid.Hidden(i) || i == bridge) continue;
      const std::size_t r = grid.RowOf(i);
      const std::size_t c = row_vertices + grid.ColumnOf(i);
      const std::size_t other = v == r ? c : (v == c ? r : vertices);
      if (other == vertices || in_part[other]) continue;
      in_part[other] = true;
      queue.push_back(other);
    }
  }
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < grid.size(); ++i) {
    const bool row_in = in_part[grid.RowOf(i)];
    const bool column_in = in_part[row_vertices + grid.ColumnOf(i)];
    if (row_in != column_in) candidates.push_back(i);
  }
  // There is always a shown non-zero candidate: a hidden one would join the parts, so
  // `bridge` would not be a bridge; and the bridge is >= 1, so its row's total (if the totals
  // column lies in the other part), its column's total (if the totals row does) or else the
  // grand total is a non-zero candidate.
  std::size_t next = 0;
  if (!PickSmallestShown(grid, candidates, &next)) return false;
  grid.Hide(next);
  return true;
}

}  // namespace

Result<DisclosedTable> DiscloseTable(const DisclosurePolicy& policy,
                                     const std::vector<std::vector<std::int64_t>>& cells) {
  const std::size_t columns = cells.empty() ? 0 : cells.front().size();
  for (std::size_t r = 0; r < cells.size(); ++r) {
    if (cells[r].size() != columns) {
      return Status::InvalidArgument("table: row " + std::to_string(r) + " has " +
                                     std::to_string(cells[r].size()) + " cells, expected " +
                                     std::to_string(columns));
    }
    for (std::size_t c = 0; c < columns; ++c) {
      if (cells[r][c] < 0) {
        return Status::InvalidArgument("table: cell (" + std::to_string(r) + ", " +
                                       std::to_string(c) + ") is negative");
      }
    }
  }
  Grid grid(cells, columns);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (!policy.MayShowCount(grid.Value(i))) grid.Hide(i);
  }
  const std::vector<std::vector<std::size_t>> lines = grid.Lines();
  // Every step hides one more entry, so this ends after at most grid.size() steps.
  while (true) {
    if (ApplyLineRules(policy, grid, lines)) continue;
    std::size_t bridge = 0;
    if (!FindBridge(grid, &bridge)) break;
    if (!CloseBridge(grid, bridge)) {
      // Cannot happen (see CloseBridge); should it, hiding every non-zero entry is safe.
      for (std::size_t i = 0; i < grid.size(); ++i) {
        if (grid.Value(i) != 0) grid.Hide(i);
      }
      break;
    }
  }

  DisclosedTable table;
  for (std::size_t r = 0; r < grid.rows(); ++r) {
    std::vector<DisclosedCount> row;
    for (std::size_t c = 0; c < columns; ++c) row.push_back(grid.Shown(r, c));
    table.cells.push_back(std::move(row));
    table.row_totals.push_back(grid.Shown(r, columns));
  }
  for (std::size_t c = 0; c < columns; ++c) {
    table.column_totals.push_back(grid.Shown(grid.rows(), c));
  }
  table.grand_total = grid.Shown(grid.rows(), columns);
  return table;
}

Result<DisclosedCounts> DiscloseCounts(const DisclosurePolicy& policy,
                                       const std::vector<std::int64_t>& cells) {
  Result<DisclosedTable> table = DiscloseTable(policy, {cells});
  if (!table.ok()) return table.status();
  DisclosedCounts counts;
  counts.cells = std::move(table.value().cells.front());
  counts.total = table.value().grand_total;
  return counts;
}

Result<std::vector<DisclosedCount>> DiscloseNestedCounts(const DisclosurePolicy& policy,
                                                         const std::vector<std::int64_t>& counts) {
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < 0) {
      return Status::InvalidArgument("stage " + std::to_string(i) + " is negative");
    }
    if (i > 0 && counts[i] > counts[i - 1]) {
      return Status::InvalidArgument("stage " + std::to_string(i) +
                                     " is larger than the stage before it");
    }
  }
  std::vector<DisclosedCount> shown;
  std::optional<std::int64_t> previous;  // the last shown stage
  for (const std::int64_t n : counts) {
    const bool may =
        policy.MayShowCount(n) && (!previous.has_value() || policy.MayShowCount(*previous - n));
    if (may) previous = n;
    shown.push_back(may ? DisclosedCount(n) : std::nullopt);
  }
  return shown;
}

bool MayShowFiltered(const DisclosurePolicy& policy, std::int64_t filtered,
                     std::int64_t population) {
  if (filtered < 0 || filtered > population) return false;
  return policy.MayShowAggregate(filtered) && policy.MayShowCount(population - filtered);
}

Result<std::vector<bool>> DiscloseBreakdown(const DisclosurePolicy& policy,
                                            const std::vector<std::int64_t>& group_sizes) {
  Result<DisclosedCounts> counts = DiscloseCounts(policy, group_sizes);
  if (!counts.ok()) return counts.status();
  std::vector<bool> shown;
  for (std::size_t g = 0; g < group_sizes.size(); ++g) {
    shown.push_back(counts.value().cells[g].has_value() && group_sizes[g] > 0 &&
                    counts.value().total.has_value());
  }
  return shown;
}

Result<std::vector<std::vector<bool>>> DiscloseFilters(
    const DisclosurePolicy& policy, const std::vector<int>& categories,
    const std::vector<std::vector<int>>& people) {
  const std::size_t dimensions = categories.size();
  std::vector<std::vector<std::int64_t>> size(dimensions);
  for (std::size_t d = 0; d < dimensions; ++d) {
    if (categories[d] < 0) {
      return Status::InvalidArgument("filters: dimension " + std::to_string(d) +
                                     " has a negative number of categories");
    }
    size[d].assign(static_cast<std::size_t>(categories[d]), 0);
  }
  for (std::size_t p = 0; p < people.size(); ++p) {
    if (people[p].size() != dimensions) {
      return Status::InvalidArgument("filters: person " + std::to_string(p) + " has " +
                                     std::to_string(people[p].size()) + " values, expected " +
                                     std::to_string(dimensions));
    }
    for (std::size_t d = 0; d < dimensions; ++d) {
      const int v = people[p][d];
      if (v < 0 || v >= categories[d]) {
        return Status::InvalidArgument("filters: person " + std::to_string(p) + ", dimension " +
                                       std::to_string(d) + ": category " + std::to_string(v) +
                                       " is out of range");
      }
      ++size[d][static_cast<std::size_t>(v)];
    }
  }
  std::vector<std::vector<bool>> hidden(dimensions);
  for (std::size_t d = 0; d < dimensions; ++d) {
    hidden[d].assign(size[d].size(), false);
    for (std::size_t v = 0; v < size[d].size(); ++v) {
      hidden[d][v] = !policy.MayShowCount(size[d][v]);
    }
  }
  const auto population = static_cast<std::int64_t>(people.size());
  if (policy.MayShowAggregate(population)) {
    constexpr int kRest = -1;
    // Each round hides one more category, so this ends after at most all categories.
    while (true) {
      std::map<std::vector<int>, std::int64_t> atoms;
      for (const std::vector<int>& person : people) {
        std::vector<int> atom(dimensions);
        for (std::size_t d = 0; d < dimensions; ++d) {
          const int v = person[d];
          atom[d] = hidden[d][static_cast<std::size_t>(v)] ? kRest : v;
        }
        ++atoms[atom];
      }
      const std::vector<int>* small = nullptr;
      for (const auto& [atom, n] : atoms) {
        if (!policy.MayShowCount(n)) {
          small = &atom;
          break;
        }
      }
      if (small == nullptr) break;
      // The smallest shown category of the atom, else the smallest shown one anywhere.
      std::size_t best_d = dimensions;
      std::size_t best_v = 0;
      for (int pass = 0; pass < 2 && best_d == dimensions; ++pass) {
        for (std::size_t d = 0; d < dimensions; ++d) {
          for (std::size_t v = 0; v < size[d].size(); ++v) {
            if (hidden[d][v] || size[d][v] == 0) continue;
            if (pass == 0 && (*small)[d] != static_cast<int>(v)) continue;
            if (best_d == dimensions || size[d][v] < size[best_d][best_v]) {
              best_d = d;
              best_v = v;
            }
          }
        }
      }
      if (best_d == dimensions) break;  // everything is hidden: only the population remains
      hidden[best_d][best_v] = true;
    }
  }
  std::vector<std::vector<bool>> shown(dimensions);
  for (std::size_t d = 0; d < dimensions; ++d) {
    for (std::size_t v = 0; v < size[d].size(); ++v) {
      shown[d].push_back(policy.MayShowAggregate(population) && !hidden[d][v] && size[d][v] > 0);
    }
  }
  return shown;
}

Result<std::vector<bool>> DiscloseNestedCountsInAtoms(
    const DisclosurePolicy& policy, std::size_t stages,
    const std::vector<std::vector<std::int64_t>>& atom_counts) {
  for (std::size_t a = 0; a < atom_counts.size(); ++a) {
    const std::vector<std::int64_t>& counts = atom_counts[a];
    if (counts.size() != stages) {
      return Status::InvalidArgument("atom " + std::to_string(a) + " has " +
                                     std::to_string(counts.size()) + " stages, expected " +
                                     std::to_string(stages));
    }
    for (std::size_t s = 0; s < stages; ++s) {
      if (counts[s] < 0 || (s > 0 && counts[s] > counts[s - 1])) {
        return Status::InvalidArgument("atom " + std::to_string(a) + ", stage " +
                                       std::to_string(s) +
                                       " is negative or larger than the stage before it");
      }
    }
  }
  std::vector<bool> shown(stages, false);
  std::optional<std::size_t> previous;  // the last shown stage
  for (std::size_t s = 0; s < stages; ++s) {
    bool may = true;
    for (const std::vector<std::int64_t>& counts : atom_counts) {
      if (!policy.MayShowCount(counts[s]) ||
          (previous.has_value() && !policy.MayShowCount(counts[*previous] - counts[s]))) {
        may = false;
        break;
      }
    }
    shown[s] = may;
    if (may) previous = s;
  }
  return shown;
}

bool MayShowSplitInAtoms(const DisclosurePolicy& policy,
                         const std::vector<std::pair<std::int64_t, std::int64_t>>& parts) {
  for (const auto& [part, whole] : parts) {
    if (part < 0 || part > whole) return false;
    if (!policy.MayShowCount(part) || !policy.MayShowCount(whole - part)) return false;
  }
  return true;
}

namespace {

std::string Trimmed(const std::string& s) {
  const char* const kSpace = " \t\r\n\f\v";
  const std::size_t first = s.find_first_not_of(kSpace);
  if (first == std::string::npos) return {};
  const std::size_t last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

// SplitMix64: small, fixed by its definition (unlike std::shuffle, whose results differ
// between standard libraries), good enough to hide an order.
std::uint64_t NextRandom(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A uniform draw from [0, bound) without modulo bias. REQUIRES: bound > 0.
std::uint64_t Below(std::uint64_t bound, std::uint64_t& state) {
  const std::uint64_t limit = -bound % bound;  // 2^64 mod bound
  while (true) {
    const std::uint64_t x = NextRandom(state);
    if (x >= limit) return x % bound;
  }
}

}  // namespace

std::optional<std::vector<std::string>> DiscloseTexts(const DisclosurePolicy& policy,
                                                      const std::vector<std::string>& texts,
                                                      std::uint64_t seed) {
  std::vector<std::string> kept;
  for (const std::string& text : texts) {
    std::string t = Trimmed(text);
    if (!t.empty()) kept.push_back(std::move(t));
  }
  if (!policy.MayShowAggregate(static_cast<std::int64_t>(kept.size()))) return std::nullopt;
  // Sorting first makes the result independent of the input order (which may follow the time
  // of answering or a row id); the seeded shuffle then hides the alphabetical order.
  std::sort(kept.begin(), kept.end());
  std::uint64_t state = seed;
  for (std::size_t i = kept.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(Below(i, state));
    std::swap(kept[i - 1], kept[j]);
  }
  return kept;
}

}  // namespace tandem
