#include "core/disclosure.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace tandem {
namespace {

using Table = std::vector<std::vector<std::int64_t>>;

DisclosurePolicy K(int k) { return DisclosurePolicy::WithMinGroupSize(k).value(); }

// A draw from [0, bound).
int Draw(std::mt19937& random, int bound) {
  return static_cast<int>(random() % static_cast<std::mt19937::result_type>(bound));
}

DisclosedTable Disclose(const DisclosurePolicy& policy, const Table& t) {
  Result<DisclosedTable> r = DiscloseTable(policy, t);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.value();
}

// ---- The policy ----------------------------------------------------------------------------

TEST(DisclosurePolicy, DefaultsToFive) {
  EXPECT_EQ(DisclosurePolicy().min_group_size(), 5);
  EXPECT_EQ(kDefaultMinGroupSize, 5);
}

TEST(DisclosurePolicy, RefusesMinimumBelowThreeNamingTheSetting) {
  for (const int k : {-1, 0, 1, 2}) {
    Result<DisclosurePolicy> r = DisclosurePolicy::WithMinGroupSize(k);
    ASSERT_FALSE(r.ok()) << k;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("min_group_size"), std::string::npos);
    EXPECT_NE(r.status().message().find("at least 3"), std::string::npos);
  }
  EXPECT_EQ(K(3).min_group_size(), 3);
  EXPECT_EQ(K(10).min_group_size(), 10);
}

// Given k from 3 to 9, a group of 1 to k-1 people is never shown, k or more always.
TEST(DisclosurePolicy, AggregatesOfGroupsBelowKAreNeverShown) {
  for (int k = 3; k <= 9; ++k) {
    const DisclosurePolicy p = K(k);
    EXPECT_FALSE(DiscloseAggregate(p, 0, 4.2).has_value());
    for (int n = 1; n < k; ++n) {
      EXPECT_FALSE(p.MayShowAggregate(n)) << k << " " << n;
      EXPECT_FALSE(p.MayShowCount(n)) << k << " " << n;
      EXPECT_FALSE(DiscloseAggregate(p, n, 4.2).has_value()) << k << " " << n;
    }
    for (int n = k; n < k + 5; ++n) {
      EXPECT_EQ(DiscloseAggregate(p, n, 4.2), std::optional<double>(4.2));
      EXPECT_TRUE(p.MayShowCount(n));
    }
    EXPECT_TRUE(p.MayShowCount(0));  // "nobody" reveals nobody
  }
}

// ---- Counts and tables ---------------------------------------------------------------------

TEST(DiscloseCounts, HidesTheSmallCellAndTheNextSmallestSoTheTotalCannotRecoverIt) {
  // 12 + 3 + 10 = 25: hiding only the 3 would leave 25 - 12 - 10 = 3.
  const DisclosedCounts c = DiscloseCounts(DisclosurePolicy(), {12, 3, 10}).value();
  EXPECT_EQ(c.cells[0], std::optional<std::int64_t>(12));
  EXPECT_FALSE(c.cells[1].has_value());
  EXPECT_FALSE(c.cells[2].has_value());
  EXPECT_EQ(c.total, std::optional<std::int64_t>(25));
}

TEST(DiscloseCounts, ZerosAreShownAndNeverUsedToProtectACell) {
  // Hiding the 0 next to the 3 would leave 3 = 25 - 12 - 10 for the pair: still a group of 3.
  const DisclosedCounts c = DiscloseCounts(DisclosurePolicy(), {12, 3, 0, 10}).value();
  EXPECT_EQ(c.cells[0], std::optional<std::int64_t>(12));
  EXPECT_FALSE(c.cells[1].has_value());
  EXPECT_EQ(c.cells[2], std::optional<std::int64_t>(0));
  EXPECT_FALSE(c.cells[3].has_value());
  EXPECT_EQ(c.total, std::optional<std::int64_t>(25));
}

TEST(DiscloseCounts, TwoSmallCellsTogetherBelowKNeedAThird) {
  // 2 + 2 = 4 < 5: "total minus shown" would describe 4 people.
  const DisclosedCounts c = DiscloseCounts(DisclosurePolicy(), {2, 2, 20, 30}).value();
  EXPECT_FALSE(c.cells[0].has_value());
  EXPECT_FALSE(c.cells[1].has_value());
  EXPECT_FALSE(c.cells[2].has_value());
  EXPECT_EQ(c.cells[3], std::optional<std::int64_t>(30));
  EXPECT_EQ(c.total, std::optional<std::int64_t>(54));
}

TEST(DiscloseCounts, ASmallTotalHidesEverything) {
  const DisclosedCounts c = DiscloseCounts(DisclosurePolicy(), {3, 0, 1}).value();
  EXPECT_FALSE(c.cells[0].has_value());
  EXPECT_EQ(c.cells[1], std::optional<std::int64_t>(0));
  EXPECT_FALSE(c.cells[2].has_value());
  EXPECT_FALSE(c.total.has_value());
}

TEST(DiscloseCounts, NothingToHide) {
  const DisclosedCounts c = DiscloseCounts(DisclosurePolicy(), {0, 5, 9}).value();
  EXPECT_EQ(c.cells, (std::vector<DisclosedCount>{0, 5, 9}));
  EXPECT_EQ(c.total, std::optional<std::int64_t>(14));
  const DisclosedCounts empty = DiscloseCounts(DisclosurePolicy(), {}).value();
  EXPECT_TRUE(empty.cells.empty());
  EXPECT_EQ(empty.total, std::optional<std::int64_t>(0));
}

TEST(DiscloseTable, RefusesNegativeCountsAndRaggedRows) {
  EXPECT_EQ(DiscloseCounts(DisclosurePolicy(), {4, -1}).status().code(),
            StatusCode::kInvalidArgument);
  Result<DisclosedTable> ragged = DiscloseTable(DisclosurePolicy(), {{1, 2}, {3}});
  ASSERT_FALSE(ragged.ok());
  EXPECT_NE(ragged.status().message().find("row 1"), std::string::npos);
}

// The example of docs/reports.md: departments by answer.
TEST(DiscloseTable, DocumentedExample) {
  //            yes  no  | total
  // Sales       12   3  |  15
  // IT           9   8  |  17
  // total       21  11  |  32
  const DisclosedTable t = Disclose(DisclosurePolicy(), {{12, 3}, {9, 8}});
  // The 3 is hidden; alone in its row and column, so 12 (row) and 8 (column) go too; then
  // the IT row has one hidden cell, so the 9 goes: the four cells hide each other.
  EXPECT_FALSE(t.cells[0][0].has_value());
  EXPECT_FALSE(t.cells[0][1].has_value());
  EXPECT_FALSE(t.cells[1][0].has_value());
  EXPECT_FALSE(t.cells[1][1].has_value());
  EXPECT_EQ(t.row_totals, (std::vector<DisclosedCount>{15, 17}));
  EXPECT_EQ(t.column_totals, (std::vector<DisclosedCount>{21, 11}));
  EXPECT_EQ(t.grand_total, std::optional<std::int64_t>(32));
}

// Two 4-cycles of hidden cells joined by one hidden cell: every line hides two or more, yet
// the joining cell is the sum of two row remainders minus two column remainders.
TEST(DiscloseTable, ACellJoiningTwoProtectedBlocksIsProtectedToo) {
  const Table t = {
      {2, 2, 40, 40, 40},  //
      {2, 2, 1, 40, 40},   // (1, 2) joins the two blocks
      {40, 40, 2, 2, 40},  //
      {40, 40, 2, 2, 40},  //
  };
  const DisclosedTable d = Disclose(K(3), t);
  // Whatever is hidden, the joining cell must not be computable; the brute-force audit below
  // checks that for every hidden entry.
  EXPECT_FALSE(d.cells[1][2].has_value());
}

// ---- The attacker's audit: everything one can compute from a disclosed table ----------------

// All tables of non-negative integers (cells up to `bound`) that agree with every shown
// figure, searched one hidden cell at a time in row-major order.
class TableAudit {
 public:
  TableAudit(const Table& truth, const DisclosedTable& shown, std::int64_t bound)
      : truth_(truth), shown_(shown), bound_(bound) {
    rows_ = truth.size();
    columns_ = rows_ == 0 ? 0 : truth[0].size();
    for (std::size_t r = 0; r < rows_; ++r) {
      for (std::size_t c = 0; c < columns_; ++c) {
        if (!shown.cells[r][c].has_value()) hidden_.emplace_back(r, c);
      }
    }
  }

  // Whether some table agreeing with everything shown differs from the truth in the hidden
  // entry: cell (r, c), a row total (c == columns), a column total (r == rows), or the grand
  // total (both).
  bool CanDiffer(std::size_t r, std::size_t c) {
    target_r_ = r;
    target_c_ = c;
    x_ = truth_;
    for (const auto& [hr, hc] : hidden_) x_[hr][hc] = 0;
    return Search(0);
  }

 private:
  std::int64_t RowSum(std::size_t r) const {
    std::int64_t s = 0;
    for (std::size_t c = 0; c < columns_; ++c) s += x_[r][c];
    return s;
  }
  std::int64_t ColumnSum(std::size_t c) const {
    std::int64_t s = 0;
    for (std::size_t r = 0; r < rows_; ++r) s += x_[r][c];
    return s;
  }
  std::int64_t Value(std::size_t r, std::size_t c) const {
    if (r < rows_ && c < columns_) return x_[r][c];
    if (r < rows_) return RowSum(r);
    if (c < columns_) return ColumnSum(c);
    std::int64_t s = 0;
    for (std::size_t i = 0; i < rows_; ++i) s += RowSum(i);
    return s;
  }
  std::int64_t TrueValue(std::size_t r, std::size_t c) const {
    std::int64_t s = 0;
    for (std::size_t i = 0; i < rows_; ++i) {
      for (std::size_t j = 0; j < columns_; ++j) {
        if ((r == rows_ || r == i) && (c == columns_ || c == j)) s += truth_[i][j];
      }
    }
    return s;
  }

  // Shown totals are upper bounds while cells are still zero.
  bool WithinShownTotals() const {
    std::int64_t grand = 0;
    for (std::size_t r = 0; r < rows_; ++r) {
      const std::int64_t s = RowSum(r);
      grand += s;
      if (shown_.row_totals[r].has_value() && s > *shown_.row_totals[r]) return false;
    }
    for (std::size_t c = 0; c < columns_; ++c) {
      if (shown_.column_totals[c].has_value() && ColumnSum(c) > *shown_.column_totals[c]) {
        return false;
      }
    }
    return !shown_.grand_total.has_value() || grand <= *shown_.grand_total;
  }

  bool MatchesShownTotals() const {
    std::int64_t grand = 0;
    for (std::size_t r = 0; r < rows_; ++r) {
      const std::int64_t s = RowSum(r);
      grand += s;
      if (shown_.row_totals[r].has_value() && s != *shown_.row_totals[r]) return false;
    }
    for (std::size_t c = 0; c < columns_; ++c) {
      if (shown_.column_totals[c].has_value() && ColumnSum(c) != *shown_.column_totals[c]) {
        return false;
      }
    }
    return !shown_.grand_total.has_value() || grand == *shown_.grand_total;
  }

  bool Search(std::size_t next) {
    if (!WithinShownTotals()) return false;
    if (next == hidden_.size()) {
      return MatchesShownTotals() && Value(target_r_, target_c_) != TrueValue(target_r_, target_c_);
    }
    const auto [r, c] = hidden_[next];
    for (std::int64_t v = 0; v <= bound_; ++v) {
      x_[r][c] = v;
      if (!WithinShownTotals()) break;
      if (Search(next + 1)) return true;
    }
    x_[r][c] = 0;
    return false;
  }

  const Table truth_;
  const DisclosedTable shown_;
  const std::int64_t bound_;
  std::size_t rows_ = 0;
  std::size_t columns_ = 0;
  std::vector<std::pair<std::size_t, std::size_t>> hidden_;
  Table x_;
  std::size_t target_r_ = 0;
  std::size_t target_c_ = 0;
};

// Checks every promise of DiscloseTable on one table; `what` names the table in failures.
void ExpectProtected(const DisclosurePolicy& policy, const Table& t, const std::string& what) {
  const int k = policy.min_group_size();
  const DisclosedTable d = Disclose(policy, t);
  const std::size_t rows = t.size();
  const std::size_t columns = rows == 0 ? 0 : t[0].size();
  // The entry (r, c) of the grid with totals, as shown.
  auto shown = [&](std::size_t r, std::size_t c) -> DisclosedCount {
    if (r < rows && c < columns) return d.cells[r][c];
    if (r < rows) return d.row_totals[r];
    if (c < columns) return d.column_totals[c];
    return d.grand_total;
  };
  auto truth = [&](std::size_t r, std::size_t c) {
    std::int64_t s = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      for (std::size_t j = 0; j < columns; ++j) {
        if ((r == rows || r == i) && (c == columns || c == j)) s += t[i][j];
      }
    }
    return s;
  };
  // 1. Shown figures are true; groups of 1..k-1 are never shown; zeros are always shown.
  for (std::size_t r = 0; r <= rows; ++r) {
    for (std::size_t c = 0; c <= columns; ++c) {
      const std::int64_t v = truth(r, c);
      if (shown(r, c).has_value()) {
        EXPECT_EQ(*shown(r, c), v) << what;
      }
      if (v > 0 && v < k) {
        EXPECT_FALSE(shown(r, c).has_value()) << what << " at " << r << c;
      }
      if (v == 0) {
        EXPECT_TRUE(shown(r, c).has_value()) << what << " at " << r << c;
      }
    }
  }
  // 2. "Total minus the shown cells" of any line: never one hidden cell, never 1..k-1 people.
  auto check_line = [&](const std::vector<std::pair<std::size_t, std::size_t>>& cells,
                        std::pair<std::size_t, std::size_t> total) {
    int hidden = shown(total.first, total.second).has_value() ? 0 : 1;
    std::int64_t hidden_sum = 0;
    for (const auto& [r, c] : cells) {
      if (shown(r, c).has_value()) continue;
      ++hidden;
      hidden_sum += truth(r, c);
    }
    EXPECT_NE(hidden, 1) << what;
    if (shown(total.first, total.second).has_value()) {
      EXPECT_TRUE(hidden_sum == 0 || hidden_sum >= k) << what << " line sum " << hidden_sum;
    }
  };
  for (std::size_t r = 0; r <= rows; ++r) {
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    for (std::size_t c = 0; c < columns; ++c) cells.emplace_back(r, c);
    check_line(cells, {r, columns});
  }
  for (std::size_t c = 0; c <= columns; ++c) {
    std::vector<std::pair<std::size_t, std::size_t>> cells;
    for (std::size_t r = 0; r < rows; ++r) cells.emplace_back(r, c);
    check_line(cells, {rows, c});
  }
  // 3. Combining all lines at once (any sums and differences, with every count >= 0): no
  //    hidden entry has only one possible value.
  TableAudit audit(t, d, truth(rows, columns) + k);
  for (std::size_t r = 0; r <= rows; ++r) {
    for (std::size_t c = 0; c <= columns; ++c) {
      if (shown(r, c).has_value()) continue;
      EXPECT_TRUE(audit.CanDiffer(r, c)) << what << ": hidden entry (" << r << ", " << c
                                         << ") = " << truth(r, c) << " can be computed";
    }
  }
}

std::string Describe(const Table& t, int k) {
  std::string s = "k=" + std::to_string(k) + " {";
  for (const auto& row : t) {
    s += "{";
    for (const std::int64_t v : row) s += std::to_string(v) + ",";
    s += "}";
  }
  return s + "}";
}

TEST(DiscloseTable, DocumentedExamplesAreProtected) {
  ExpectProtected(DisclosurePolicy(), {{12, 3}, {9, 8}}, "departments");
  ExpectProtected(DisclosurePolicy(), {{12, 3, 10}}, "one line");
  ExpectProtected(DisclosurePolicy(), {{12, 3, 0, 10}}, "one line with a zero");
  ExpectProtected(K(3), {{2, 2, 9, 9, 9}, {2, 2, 1, 9, 9}, {9, 9, 2, 2, 9}},
                  "blocks joined by a cell");
}

// Tables (found by a random search) where the two line rules leave a hidden cell that joins
// two otherwise separate groups of hidden cells, so that it could be computed from the line
// sums: the bridge rule has to hide one more cell.
TEST(DiscloseTable, TablesWhereLineRulesAloneLeaveAComputableCell) {
  ExpectProtected(K(3), {{0, 1, 0}, {3, 1, 2}, {0, 3, 0}}, "a");
  ExpectProtected(K(4), {{0, 0, 4, 1}, {0, 0, 4, 0}, {2, 0, 0, 5}}, "b");
  ExpectProtected(K(4), {{1, 0, 3}, {4, 2, 0}, {0, 0, 7}}, "c");
  ExpectProtected(K(4), {{1, 0, 0}, {1, 3, 5}, {2, 0, 0}, {2, 0, 0}}, "d");
  ExpectProtected(K(3), {{1, 2, 0, 0}, {0, 0, 3, 2}, {2, 0, 3, 3}}, "e");
}

// Given many small random tables (many small cells and zeros, where protection is hardest),
// an attacker who combines every shown figure can never compute a hidden one, never finds a
// line whose hidden part holds 1..k-1 people, and never sees a group of 1..k-1.
TEST(DiscloseTable, RandomTablesResistTheSubtractionAttack) {
  std::mt19937 random(20261205);
  for (int round = 0; round < 400; ++round) {
    const int k = 3 + Draw(random, 3);
    const auto rows = static_cast<std::size_t>(Draw(random, 3)) + 1;
    const auto columns = static_cast<std::size_t>(Draw(random, 3)) + 1;
    Table t(rows, std::vector<std::int64_t>(columns));
    for (auto& row : t) {
      for (auto& v : row) {
        const int draw = Draw(random, 10);
        v = draw < 3 ? 0 : (draw < 8 ? 1 + Draw(random, k) : Draw(random, 9));
      }
    }
    ExpectProtected(K(k), t, Describe(t, k));
  }
}

// ---- Nested counts (a funnel) --------------------------------------------------------------

TEST(DiscloseNestedCounts, NeighbouringShownStagesDifferByZeroOrAtLeastK) {
  // invited 40, enrolled 30, matched 28 (2 unmatched: hidden), accepted 26, active 20, done 0.
  const std::vector<DisclosedCount> shown =
      DiscloseNestedCounts(DisclosurePolicy(), {40, 30, 28, 26, 20, 0}).value();
  EXPECT_EQ(shown, (std::vector<DisclosedCount>{40, 30, std::nullopt, std::nullopt, 20, 0}));
  EXPECT_EQ(DiscloseNestedCounts(DisclosurePolicy(), {4, 4, 0}).value(),
            (std::vector<DisclosedCount>{std::nullopt, std::nullopt, 0}));
  EXPECT_FALSE(DiscloseNestedCounts(DisclosurePolicy(), {4, 5}).ok());
  EXPECT_FALSE(DiscloseNestedCounts(DisclosurePolicy(), {4, -1}).ok());
}

// Given random funnels, the difference of any two shown stages is 0 or >= k people.
TEST(DiscloseNestedCounts, NoDifferenceOfShownStagesIsASmallGroup) {
  std::mt19937 random(3);
  for (int round = 0; round < 500; ++round) {
    const int k = 3 + Draw(random, 4);
    std::vector<std::int64_t> counts{Draw(random, 40)};
    for (int i = 0; i < 6; ++i)
      counts.push_back(counts.back() - Draw(random, 7) % (counts.back() + 1));
    const std::vector<DisclosedCount> shown = DiscloseNestedCounts(K(k), counts).value();
    for (std::size_t i = 0; i < counts.size(); ++i) {
      if (!shown[i].has_value()) continue;
      EXPECT_TRUE(*shown[i] == 0 || *shown[i] >= k);
      for (std::size_t j = i + 1; j < counts.size(); ++j) {
        if (!shown[j].has_value()) continue;
        const std::int64_t gap = *shown[i] - *shown[j];
        EXPECT_TRUE(gap == 0 || gap >= k) << round;
      }
    }
  }
}

// ---- Nested counts and binary splits in the atoms of filters -------------------------------

// People grouped into classes (e.g. atom x last stage reached x withdrawn); every shown figure is
// the number of people of a set of classes. The attacker may combine the shown figures with any
// real coefficients; a combination describes a group of people when it is 0 or 1 on every
// non-empty class. Fails when some such combination describes 1..k-1 people.
class SpanAttack {
 public:
  explicit SpanAttack(std::vector<std::int64_t> class_sizes) : sizes_(std::move(class_sizes)) {
    for (std::size_t c = 0; c < sizes_.size(); ++c) {
      if (sizes_[c] > 0) present_.push_back(c);
    }
  }
  // A shown figure: the classes it counts (one flag per class).
  void AddFigure(const std::vector<bool>& classes) {
    std::vector<double> row;
    row.reserve(present_.size());
    for (const std::size_t c : present_) row.push_back(classes[c] ? 1.0 : 0.0);
    Reduce(row);
    std::size_t pivot = 0;
    while (pivot < row.size() && std::abs(row[pivot]) < 1e-9) ++pivot;
    if (pivot == row.size()) return;  // already derivable
    const double scale = row[pivot];
    for (double& x : row) x /= scale;
    for (auto& [p, r] : basis_) {  // keep the basis reduced
      const double f = r[pivot];
      if (std::abs(f) < 1e-12) continue;
      for (std::size_t i = 0; i < r.size(); ++i) r[i] -= f * row[i];
    }
    basis_.emplace_back(pivot, std::move(row));
  }
  // The smallest group of 1..k-1 people derivable, or 0 when there is none. Each non-empty
  // class holds at least one person, so such a group has at most k-1 classes.
  std::int64_t SmallestDerivableGroup(int k) const {
    std::int64_t smallest = 0;
    std::vector<std::size_t> chosen;
    Search(0, 0, k, chosen, smallest);
    return smallest;
  }

 private:
  void Reduce(std::vector<double>& row) const {
    for (const auto& [p, r] : basis_) {
      const double f = row[p];
      if (std::abs(f) < 1e-12) continue;
      for (std::size_t i = 0; i < row.size(); ++i) row[i] -= f * r[i];
    }
  }
  bool Derivable(const std::vector<std::size_t>& chosen) const {
    std::vector<double> row(present_.size(), 0.0);
    for (const std::size_t i : chosen) row[i] = 1.0;
    Reduce(row);
    return std::all_of(row.begin(), row.end(), [](double x) { return std::abs(x) < 1e-7; });
  }
  void Search(std::size_t from, std::int64_t people, int k, std::vector<std::size_t>& chosen,
              std::int64_t& smallest) const {
    if (people > 0 && Derivable(chosen) && (smallest == 0 || people < smallest)) {
      smallest = people;
    }
    for (std::size_t i = from; i < present_.size(); ++i) {
      const std::int64_t more = people + sizes_[present_[i]];
      if (more >= k) continue;
      chosen.push_back(i);
      Search(i + 1, more, k, chosen, smallest);
      chosen.pop_back();
    }
  }

  std::vector<std::int64_t> sizes_;
  std::vector<std::size_t> present_;                                // non-empty classes
  std::vector<std::pair<std::size_t, std::vector<double>>> basis_;  // pivot, reduced row
};

// The funnel of a population given per class (atom a, last stage reached d), as the dashboard
// shows it: for every union of atoms (every filter view, and more), the shown stages' counts.
// `withdrawn` (optional, same shape) splits every class by withdrawal; the withdrawn count is
// shown when, in every atom and between every two neighbouring shown stages, the withdrawn and
// the others are each 0 or >= k (as app/reports.cc does).
struct Funnel {
  std::size_t atoms = 0;
  std::size_t stages = 0;
  std::vector<std::int64_t> people;     // [atom * stages + depth]: not withdrawn
  std::vector<std::int64_t> withdrawn;  // [atom * stages + depth]: withdrawn

  std::size_t Class(std::size_t a, std::size_t d, bool w) const {
    return (a * stages + d) * 2 + (w ? 1 : 0);
  }
  std::int64_t Size(std::size_t a, std::size_t d, bool w) const {
    return (w ? withdrawn : people)[a * stages + d];
  }
  std::vector<std::vector<std::int64_t>> AtomCounts() const {
    std::vector<std::vector<std::int64_t>> counts(atoms, std::vector<std::int64_t>(stages, 0));
    for (std::size_t a = 0; a < atoms; ++a) {
      for (std::size_t s = 0; s < stages; ++s) {
        for (std::size_t d = s; d < stages; ++d)
          counts[a][s] += Size(a, d, false) + Size(a, d, true);
      }
    }
    return counts;
  }
};

// Whether the withdrawn count may be shown beside the funnel's shown stages.
bool WithdrawnShown(const DisclosurePolicy& policy, const Funnel& f,
                    const std::vector<bool>& shown) {
  std::vector<std::pair<std::int64_t, std::int64_t>> parts;
  for (std::size_t a = 0; a < f.atoms; ++a) {
    std::pair<std::int64_t, std::int64_t> part{0, 0};
    for (std::size_t d = 0; d < f.stages; ++d) {
      if (d > 0 && shown[d]) {  // a new part starts at each shown stage
        parts.push_back(part);
        part = {0, 0};
      }
      part.first += f.Size(a, d, true);
      part.second += f.Size(a, d, true) + f.Size(a, d, false);
    }
    parts.push_back(part);
  }
  return MayShowSplitInAtoms(policy, parts);
}

// Every figure of every union of atoms; returns the smallest derivable group of 1..k-1 (0: none).
std::int64_t AttackFunnel(int k, const Funnel& f, const std::vector<bool>& shown,
                          bool withdrawn_shown) {
  std::vector<std::int64_t> sizes(f.atoms * f.stages * 2, 0);
  for (std::size_t a = 0; a < f.atoms; ++a) {
    for (std::size_t d = 0; d < f.stages; ++d) {
      for (const bool w : {false, true}) sizes[f.Class(a, d, w)] = f.Size(a, d, w);
    }
  }
  SpanAttack attack(sizes);
  for (std::size_t mask = 1; mask < (std::size_t{1} << f.atoms); ++mask) {
    for (std::size_t s = 0; s < f.stages; ++s) {
      if (!shown[s]) continue;
      std::vector<bool> figure(sizes.size(), false);
      for (std::size_t a = 0; a < f.atoms; ++a) {
        if ((mask >> a & 1U) == 0) continue;
        for (std::size_t d = s; d < f.stages; ++d) {
          figure[f.Class(a, d, false)] = figure[f.Class(a, d, true)] = true;
        }
      }
      attack.AddFigure(figure);
    }
    if (!withdrawn_shown) continue;
    std::vector<bool> figure(sizes.size(), false);
    for (std::size_t a = 0; a < f.atoms; ++a) {
      if ((mask >> a & 1U) == 0) continue;
      for (std::size_t d = 0; d < f.stages; ++d) figure[f.Class(a, d, true)] = true;
    }
    attack.AddFigure(figure);
  }
  return attack.SmallestDerivableGroup(k);
}

TEST(DiscloseNestedCountsInAtoms, OneAtomIsTheNestedCountsRule) {
  std::mt19937 random(11);
  for (int round = 0; round < 300; ++round) {
    const int k = 3 + Draw(random, 4);
    std::vector<std::int64_t> counts{Draw(random, 40)};
    for (int i = 0; i < 5; ++i)
      counts.push_back(counts.back() - Draw(random, 7) % (counts.back() + 1));
    const std::vector<DisclosedCount> nested = DiscloseNestedCounts(K(k), counts).value();
    const std::vector<bool> shown = DiscloseNestedCountsInAtoms(K(k), 6, {counts}).value();
    for (std::size_t s = 0; s < counts.size(); ++s) EXPECT_EQ(shown[s], nested[s].has_value());
  }
  // No atom (nobody invited): every stage is 0 and shown.
  EXPECT_EQ(DiscloseNestedCountsInAtoms(K(5), 3, {}).value(),
            (std::vector<bool>{true, true, true}));
}

TEST(DiscloseNestedCountsInAtoms, RefusesBadInput) {
  EXPECT_FALSE(DiscloseNestedCountsInAtoms(K(5), 3, {{5, 5}}).ok());
  EXPECT_FALSE(DiscloseNestedCountsInAtoms(K(5), 2, {{5, 6}}).ok());
  EXPECT_FALSE(DiscloseNestedCountsInAtoms(K(5), 2, {{5, -1}}).ok());
}

// The documented counterexample: checking the stages on the whole population alone lets
// "all at stage 1" - "X at stage 2" - "R at stage 2" describe the 2 people of R at stage 1.
TEST(DiscloseNestedCountsInAtoms, TheWholePopulationAloneIsNotEnough) {
  // X: 5 stop at stage 0, 10 reach stage 2; R: 13 stop at stage 0, 2 stop at stage 1.
  Funnel f{2, 3, {5, 0, 10, 13, 2, 0}, {0, 0, 0, 0, 0, 0}};
  const std::vector<std::vector<std::int64_t>> counts = f.AtomCounts();
  EXPECT_EQ(counts, (std::vector<std::vector<std::int64_t>>{{15, 10, 10}, {15, 2, 0}}));
  const std::vector<bool> shown = DiscloseNestedCountsInAtoms(K(5), 3, counts).value();
  EXPECT_EQ(shown, (std::vector<bool>{true, false, true}));
  EXPECT_EQ(AttackFunnel(5, f, shown, false), 0);
  // The whole population's rule would show stages 0 and 1 (30, 12; 10 lies 2 below 12).
  EXPECT_EQ(DiscloseNestedCounts(K(5), {30, 12, 10}).value(),
            (std::vector<DisclosedCount>{30, 12, std::nullopt}));
  // Showing stage 1 overall beside the per-atom stage 2 gives the 2 people away.
  std::vector<std::int64_t> sizes(12, 0);
  for (std::size_t a = 0; a < 2; ++a) {
    for (std::size_t d = 0; d < 3; ++d) sizes[f.Class(a, d, false)] = f.Size(a, d, false);
  }
  SpanAttack attack(sizes);
  auto figure = [&](std::size_t mask, std::size_t stage) {
    std::vector<bool> classes(sizes.size(), false);
    for (std::size_t a = 0; a < 2; ++a) {
      for (std::size_t d = stage; d < 3 && (mask >> a & 1U) != 0; ++d) {
        classes[f.Class(a, d, false)] = true;
      }
    }
    return classes;
  };
  attack.AddFigure(figure(3, 1));  // everyone at stage 1: 12
  attack.AddFigure(figure(1, 2));  // X at stage 2: 10
  attack.AddFigure(figure(2, 2));  // R at stage 2: 0
  EXPECT_EQ(attack.SmallestDerivableGroup(5), 2);
}

// Every population of two atoms over three stages with 0..4 people per (atom, last stage), k = 3
// and 4: no sum or difference of the shown stages of any union of atoms (the whole population,
// each atom) describes 1..k-1 people.
TEST(DiscloseNestedCountsInAtoms, ExhaustiveTwoAtomsThreeStages) {
  int later_stage_shown = 0;
  int attackable_unprotected = 0;
  for (const int k : {3, 4}) {
    std::vector<std::int64_t> sizes(6, 0);
    for (int code = 0; code < 15625; ++code) {
      int rest = code;
      for (std::int64_t& n : sizes) {
        n = rest % 5;
        rest /= 5;
      }
      Funnel f{2, 3, sizes, std::vector<std::int64_t>(6, 0)};
      const std::vector<bool> shown = DiscloseNestedCountsInAtoms(K(k), 3, f.AtomCounts()).value();
      ASSERT_EQ(AttackFunnel(k, f, shown, false), 0) << "k " << k << " code " << code;
      later_stage_shown += shown[1] || shown[2] ? 1 : 0;
      // The attacker is not toothless: showing every stage usually gives someone away.
      attackable_unprotected += AttackFunnel(k, f, {true, true, true}, false) > 0 ? 1 : 0;
    }
  }
  EXPECT_GT(later_stage_shown, 1000);
  EXPECT_GT(attackable_unprotected, 10000);
}

// Random populations of one to three atoms over four stages, with withdrawals: the shown stages
// and the withdrawn count of every union of atoms never combine to 1..k-1 people.
TEST(DiscloseNestedCountsInAtoms, RandomFunnelsWithWithdrawnResistEveryCombination) {
  std::mt19937 random(12);
  int withdrawn_shown = 0;
  int later_stage_shown = 0;
  for (int round = 0; round < 400; ++round) {
    const int k = 3 + Draw(random, 3);
    Funnel f;
    f.atoms = 1 + static_cast<std::size_t>(Draw(random, 3));
    f.stages = 4;
    for (std::size_t i = 0; i < f.atoms * f.stages; ++i) {
      f.people.push_back(Draw(random, 3) == 0 ? 0 : Draw(random, 2 * k));
      f.withdrawn.push_back(Draw(random, 2) == 0 ? 0 : Draw(random, 2 * k));
    }
    const std::vector<bool> shown =
        DiscloseNestedCountsInAtoms(K(k), f.stages, f.AtomCounts()).value();
    const bool w = WithdrawnShown(K(k), f, shown);
    withdrawn_shown += w ? 1 : 0;
    later_stage_shown += std::count(shown.begin() + 1, shown.end(), true) > 0 ? 1 : 0;
    ASSERT_EQ(AttackFunnel(k, f, shown, w), 0) << "round " << round;
  }
  // The test exercised the withdrawn figure and the later stages.
  EXPECT_GT(withdrawn_shown, 20);
  EXPECT_GT(later_stage_shown, 100);
}

TEST(MayShowSplitInAtoms, BothSidesOfEveryAtomNeedZeroOrK) {
  EXPECT_TRUE(MayShowSplitInAtoms(K(5), {}));
  EXPECT_TRUE(MayShowSplitInAtoms(K(5), {{0, 7}, {7, 7}, {5, 10}, {0, 0}}));
  EXPECT_FALSE(MayShowSplitInAtoms(K(5), {{5, 10}, {5, 9}}));  // 4 without
  EXPECT_FALSE(MayShowSplitInAtoms(K(5), {{5, 10}, {4, 9}}));  // 4 with
  EXPECT_FALSE(MayShowSplitInAtoms(K(5), {{6, 5}}));
  EXPECT_FALSE(MayShowSplitInAtoms(K(5), {{-1, 5}}));
}

// Random populations of atoms split by a property (a topic's interested mentees among the
// enrolled mentees): when the split is shown, the counts with the property and the group sizes of
// every union of atoms never combine to 1..k-1 people; when the attacker has only the group
// sizes, nothing is shown beyond them.
TEST(MayShowSplitInAtoms, RandomSplitsResistEveryCombination) {
  std::mt19937 random(13);
  int shown_rounds = 0;
  for (int round = 0; round < 1000; ++round) {
    const int k = 3 + Draw(random, 3);
    const auto atoms = 1 + static_cast<std::size_t>(Draw(random, 3));
    std::vector<std::int64_t> sizes;  // [atom * 2 + has property]
    std::vector<std::pair<std::int64_t, std::int64_t>> parts;
    for (std::size_t a = 0; a < atoms; ++a) {
      // Atoms of 0 or >= k people, as DiscloseFilters makes them.
      const std::int64_t with = Draw(random, 2) == 0 ? 0 : Draw(random, 2 * k);
      std::int64_t without = Draw(random, 3) == 0 ? 0 : Draw(random, 2 * k);
      if (with + without > 0 && with + without < k) without = k - with;
      sizes.push_back(without);
      sizes.push_back(with);
      parts.emplace_back(with, with + without);
    }
    if (!MayShowSplitInAtoms(K(k), parts)) continue;
    ++shown_rounds;
    SpanAttack attack(sizes);
    for (std::size_t mask = 1; mask < (std::size_t{1} << atoms); ++mask) {
      std::vector<bool> with(sizes.size(), false);
      std::vector<bool> all(sizes.size(), false);
      for (std::size_t a = 0; a < atoms; ++a) {
        if ((mask >> a & 1U) == 0) continue;
        with[a * 2 + 1] = all[a * 2] = all[a * 2 + 1] = true;
      }
      attack.AddFigure(with);
      attack.AddFigure(all);
    }
    ASSERT_EQ(attack.SmallestDerivableGroup(k), 0) << "round " << round;
  }
  EXPECT_GT(shown_rounds, 50);
}

// ---- Filters -------------------------------------------------------------------------------

TEST(MayShowFiltered, BothTheFilteredGroupAndItsComplementNeedK) {
  const DisclosurePolicy p;  // k = 5
  EXPECT_TRUE(MayShowFiltered(p, 5, 10));
  EXPECT_TRUE(MayShowFiltered(p, 10, 10));   // the complement is empty: nothing to subtract
  EXPECT_FALSE(MayShowFiltered(p, 4, 20));   // the filtered group is too small
  EXPECT_FALSE(MayShowFiltered(p, 16, 20));  // 20 - 16 = 4 would be "all minus filter"
  EXPECT_FALSE(MayShowFiltered(p, 0, 20));   // an aggregate over nobody
  EXPECT_FALSE(MayShowFiltered(p, 3, 2));
  for (int k = 3; k <= 7; ++k) {
    for (int population = 0; population <= 3 * k; ++population) {
      for (int filtered = 0; filtered <= population; ++filtered) {
        if (!MayShowFiltered(K(k), filtered, population)) continue;
        EXPECT_GE(filtered, k);
        const int complement = population - filtered;
        EXPECT_TRUE(complement == 0 || complement >= k) << k << " " << population;
      }
    }
  }
}

TEST(DiscloseBreakdown, HiddenGroupsComeTogetherAndHoldAtLeastK) {
  const DisclosurePolicy p;
  EXPECT_EQ(DiscloseBreakdown(p, {12, 3, 10}).value(), (std::vector<bool>{true, false, false}));
  EXPECT_EQ(DiscloseBreakdown(p, {12, 0, 10}).value(), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(DiscloseBreakdown(p, {2, 2}).value(), (std::vector<bool>{false, false}));
  EXPECT_FALSE(DiscloseBreakdown(p, {1, -1}).ok());
}

// Indicator vectors of the groups whose aggregates a report shows; an attacker adds and
// subtracts up to all of them. Any result that is a set of people must hold 0 or >= k.
void ExpectNoSmallGroupDerivable(const std::vector<std::vector<int>>& groups, int k,
                                 const std::string& what) {
  const std::size_t n = groups.size();
  std::size_t combinations = 1;
  for (std::size_t i = 0; i < n; ++i) combinations *= 3;
  ASSERT_LE(combinations, 600000U) << "too many groups to try all combinations";
  for (std::size_t code = 1; code < combinations; ++code) {
    std::vector<int> sum(groups.empty() ? 0 : groups[0].size(), 0);
    std::size_t rest = code;
    for (std::size_t g = 0; g < n; ++g) {
      const int coefficient = static_cast<int>(rest % 3) - 1;  // -1, 0, +1
      rest /= 3;
      if (coefficient == 0) continue;
      for (std::size_t p = 0; p < sum.size(); ++p) sum[p] += coefficient * groups[g][p];
    }
    const bool is_set = std::all_of(sum.begin(), sum.end(), [](int v) { return v == 0 || v == 1; });
    if (!is_set) continue;
    const auto size = std::count(sum.begin(), sum.end(), 1);
    EXPECT_TRUE(size == 0 || size >= k)
        << what << ": combination " << code << " singles out " << size;
  }
}

// 1 for every person whose category in dimension `d` is `v`, else 0.
std::vector<int> Indicator(const std::vector<std::vector<int>>& people, std::size_t d, int v) {
  std::vector<int> g;
  g.reserve(people.size());
  for (const auto& person : people) g.push_back(person[d] == v ? 1 : 0);
  return g;
}

// The counter-example of the header: two single-dimension rules let "X + mentees - everyone"
// single out the one mentee of department X.
TEST(DiscloseFilters, TwoDimensionsCannotBeCombinedToSingleOutAPerson) {
  // 12 people: department 0 (X) holds people 0..6, department 1 holds 7..11; mentees (role 0)
  // are person 6 (in X) and 7..11 (all outside X).
  std::vector<std::vector<int>> people;
  people.reserve(12);
  for (int p = 0; p < 12; ++p) people.push_back({p < 7 ? 0 : 1, p >= 6 ? 0 : 1});
  // Each filter passes the single-filter rule on its own ...
  EXPECT_TRUE(MayShowFiltered(DisclosurePolicy(), 7, 12));
  EXPECT_TRUE(MayShowFiltered(DisclosurePolicy(), 6, 12));
  // ... but not together.
  const std::vector<std::vector<bool>> shown =
      DiscloseFilters(DisclosurePolicy(), {2, 2}, people).value();
  std::vector<std::vector<int>> groups{std::vector<int>(12, 1)};
  for (std::size_t d = 0; d < 2; ++d) {
    for (std::size_t v = 0; v < 2; ++v) {
      if (!shown[d][v]) continue;
      groups.push_back(Indicator(people, d, static_cast<int>(v)));
    }
  }
  EXPECT_LT(groups.size(), 5U);
  ExpectNoSmallGroupDerivable(groups, 5, "department x role");
}

TEST(DiscloseFilters, RefusesBadInputNamingThePerson) {
  Result<std::vector<std::vector<bool>>> r = DiscloseFilters(DisclosurePolicy(), {2}, {{0}, {2}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("person 1"), std::string::npos);
  EXPECT_FALSE(DiscloseFilters(DisclosurePolicy(), {2}, {{0, 1}}).ok());
}

TEST(DiscloseFilters, ASmallPopulationShowsNothing) {
  const auto shown = DiscloseFilters(DisclosurePolicy(), {1}, {{0}, {0}, {0}, {0}}).value();
  EXPECT_EQ(shown, (std::vector<std::vector<bool>>{{false}}));
}

// Given random populations with two or three filter dimensions, an attacker who adds and
// subtracts the aggregates of every shown filter value and of the whole population never
// obtains the aggregate of 1..k-1 people.
TEST(DiscloseFilters, RandomPopulationsResistEveryCombinationOfFilters) {
  std::mt19937 random(8);
  for (int round = 0; round < 150; ++round) {
    const int k = 3 + Draw(random, 3);
    const auto n = static_cast<std::size_t>(Draw(random, 30)) + 4;
    std::vector<int> categories;
    const auto dimensions = static_cast<std::size_t>(Draw(random, 3)) + 1;
    for (std::size_t d = 0; d < dimensions; ++d) categories.push_back(2 + Draw(random, 3));
    std::vector<std::vector<int>> people;
    for (std::size_t p = 0; p < n; ++p) {
      std::vector<int> person;
      person.reserve(categories.size());
      for (const int c : categories) person.push_back(Draw(random, c));
      people.push_back(person);
    }
    const auto shown = DiscloseFilters(K(k), categories, people).value();
    std::vector<std::vector<int>> groups;
    if (K(k).MayShowAggregate(static_cast<std::int64_t>(n))) {
      groups.emplace_back(n, 1);
    }
    for (std::size_t d = 0; d < dimensions; ++d) {
      for (std::size_t v = 0; v < shown[d].size(); ++v) {
        if (!shown[d][v]) continue;
        std::vector<int> g = Indicator(people, d, static_cast<int>(v));
        EXPECT_TRUE(K(k).MayShowAggregate(std::count(g.begin(), g.end(), 1)));
        groups.push_back(std::move(g));
      }
    }
    if (groups.size() > 11) continue;  // 3^12 combinations: enough is covered below that
    ExpectNoSmallGroupDerivable(groups, k, "round " + std::to_string(round));
  }
}

// The single-filter rules alone, the same attack: a filter with its complement, and the
// groups of one breakdown with the total.
TEST(DiscloseBreakdown, RandomBreakdownsResistEveryCombination) {
  std::mt19937 random(77);
  for (int round = 0; round < 200; ++round) {
    const int k = 3 + Draw(random, 4);
    const auto groups_count = static_cast<std::size_t>(Draw(random, 6)) + 1;
    std::vector<std::int64_t> sizes;
    std::vector<int> person_group;
    for (std::size_t g = 0; g < groups_count; ++g) {
      sizes.push_back(Draw(random, 9));
      for (std::int64_t i = 0; i < sizes.back(); ++i) person_group.push_back(static_cast<int>(g));
    }
    const std::vector<bool> shown = DiscloseBreakdown(K(k), sizes).value();
    std::vector<std::vector<int>> groups;
    const auto n = static_cast<std::int64_t>(person_group.size());
    if (K(k).MayShowAggregate(n)) groups.emplace_back(person_group.size(), 1);
    for (std::size_t g = 0; g < groups_count; ++g) {
      if (!shown[g]) continue;
      std::vector<int> indicator;
      indicator.reserve(person_group.size());
      for (const int pg : person_group) indicator.push_back(pg == static_cast<int>(g) ? 1 : 0);
      groups.push_back(indicator);
      // The same group as a filter against the whole population.
      EXPECT_TRUE(MayShowFiltered(K(k), sizes[g], n)) << round;
    }
    ExpectNoSmallGroupDerivable(groups, k, "breakdown round " + std::to_string(round));
  }
}

// ---- Free text -----------------------------------------------------------------------------

TEST(DiscloseTexts, FewerThanKWritersShowNothing) {
  const DisclosurePolicy p;
  EXPECT_FALSE(DiscloseTexts(p, {"a", "b", "c", "d"}, 1).has_value());
  // Blank answers do not count as writers.
  EXPECT_FALSE(DiscloseTexts(p, {"a", "b", "c", "d", "  ", ""}, 1).has_value());
  const auto shown = DiscloseTexts(p, {"a", "b", " c ", "d", "e", "\n"}, 1);
  ASSERT_TRUE(shown.has_value());
  EXPECT_EQ(std::multiset<std::string>(shown->begin(), shown->end()),
            (std::multiset<std::string>{"a", "b", "c", "d", "e"}));
}

TEST(DiscloseTexts, OrderDependsOnlyOnTheTextsAndTheSeed) {
  const std::vector<std::string> texts{"first answer", "second", "third",  "fourth",
                                       "fifth",        "sixth",  "seventh"};
  std::vector<std::string> reversed(texts.rbegin(), texts.rend());
  const auto a = DiscloseTexts(DisclosurePolicy(), texts, 42);
  const auto b = DiscloseTexts(DisclosurePolicy(), reversed, 42);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a, b);
  // The order is not the order of answering, and other seeds give other orders.
  EXPECT_NE(*a, texts);
  std::set<std::vector<std::string>> orders;
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    orders.insert(*DiscloseTexts(DisclosurePolicy(), texts, seed));
  }
  EXPECT_GT(orders.size(), 15U);
}

}  // namespace
}  // namespace tandem
