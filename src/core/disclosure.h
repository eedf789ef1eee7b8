// The minimum-group-size rule: what a report may show of figures about people.
//
// Every figure over people (a count, a mean, a score, a list of free-text answers) describes a
// group. A group of fewer than k people is never shown, neither directly nor as the difference
// of figures that are shown. docs/reports.md explains the rules with examples; this file is
// their one implementation. Everything here is pure: counts in, what may be shown out.
//
// A hidden figure is returned as std::nullopt. Callers present it as "too few to show" and never
// say why it is hidden: "too few" and "hidden so that another figure cannot be recovered" look
// the same, because telling them apart would tell that a group of 1..k-1 people exists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tandem {

// The minimum group size when a programme sets none.
inline constexpr int kDefaultMinGroupSize = 5;
// The smallest minimum group size a programme may set. Smaller values are refused, not raised:
// a setting that silently means something else than it says would mislead the works council.
inline constexpr int kLowestMinGroupSize = 3;

class DisclosurePolicy {
 public:
  // k = kDefaultMinGroupSize.
  DisclosurePolicy() = default;

  // Returns the policy for minimum group size `k`, or InvalidArgument naming
  // "min_group_size" when k < kLowestMinGroupSize.
  static Result<DisclosurePolicy> WithMinGroupSize(int k);

  int min_group_size() const { return k_; }

  // An aggregate (mean, score, texts) over `n` people may be shown: n >= k. An aggregate over
  // nobody has no value, so n == 0 is not shown either.
  bool MayShowAggregate(std::int64_t n) const { return n >= k_; }

  // A count of `n` people may be shown on its own: n == 0 (it reveals nobody) or n >= k.
  bool MayShowCount(std::int64_t n) const { return n == 0 || n >= k_; }

 private:
  explicit DisclosurePolicy(int k) : k_(k) {}

  int k_ = kDefaultMinGroupSize;
};

// A count that is either shown or hidden ("too few to show").
using DisclosedCount = std::optional<std::int64_t>;

// Returns `value` when an aggregate over `n` people may be shown, otherwise std::nullopt.
template <typename T>
std::optional<T> DiscloseAggregate(const DisclosurePolicy& policy, std::int64_t n, T value) {
  if (!policy.MayShowAggregate(n)) return std::nullopt;
  return std::optional<T>(std::move(value));
}

// A table of counts (rows x columns, each >= 0) with its row, column and grand totals, as it
// may be shown. Hidden entries are std::nullopt.
struct DisclosedTable {
  std::vector<std::vector<DisclosedCount>> cells;  // [row][column]
  std::vector<DisclosedCount> row_totals;
  std::vector<DisclosedCount> column_totals;
  DisclosedCount grand_total;
};

// Applies the table rule to `cells` (rows of equal length, every count >= 0; a table with no
// rows or no columns is allowed):
//  1. primary suppression: every cell and total with 0 < n < k is hidden; zeros are shown;
//  2. complementary suppression, repeated until nothing changes:
//     - in every line (a row with its total, a column with its total, the row of column totals
//       with the grand total, the column of row totals with the grand total) that hides
//       anything, at least two members are hidden;
//     - in every line whose total is shown, the hidden cells together hold 0 or >= k people
//       (so "total minus the shown cells" never describes 1..k-1 people);
//     - no hidden entry can be computed exactly from the shown ones by combining lines (in the
//       graph of hidden entries, rows and columns as vertices, no hidden entry is a bridge);
//     each time the smallest shown non-zero cell of the line is hidden (then a zero cell, then
//     the line's total).
// Returns InvalidArgument when rows differ in length or a count is negative.
Result<DisclosedTable> DiscloseTable(const DisclosurePolicy& policy,
                                     const std::vector<std::vector<std::int64_t>>& cells);

// A list of counts with their total, as it may be shown (the table rule on one row).
struct DisclosedCounts {
  std::vector<DisclosedCount> cells;
  DisclosedCount total;
};

// The table rule for one line of categories with their total, e.g. the answers to a
// single-choice question or the people of each department. Returns InvalidArgument when a
// count is negative.
Result<DisclosedCounts> DiscloseCounts(const DisclosurePolicy& policy,
                                       const std::vector<std::int64_t>& cells);

// Counts of nested groups, largest first (a funnel: invited >= enrolled >= matched >= ...),
// as they may be shown. The difference of two shown counts is the group between them, so a
// stage is shown only when it holds 0 or >= k people and lies 0 or >= k below the previous
// shown stage; stages are checked from the first. Returns InvalidArgument when a count is
// negative or larger than the one before it.
Result<std::vector<DisclosedCount>> DiscloseNestedCounts(const DisclosurePolicy& policy,
                                                         const std::vector<std::int64_t>& counts);

// Whether an aggregate over the `filtered` people of a group of `population` people may be
// shown next to the aggregate over the whole group: the filtered group and its complement
// (population - filtered) each hold 0 or >= k people, and the filtered group is not empty.
// Then the difference of the two figures never describes 1..k-1 people.
// REQUIRES: 0 <= filtered <= population.
bool MayShowFiltered(const DisclosurePolicy& policy, std::int64_t filtered,
                     std::int64_t population);

// For a breakdown of one population into disjoint groups (e.g. one figure per department),
// returns per group whether its aggregate may be shown: the group's count is shown by
// DiscloseCounts (with the whole population as the total) and the group is not empty.
// Together with the aggregate over the whole population, the shown aggregates never let a
// hidden group's figure be computed on its own: hidden groups always come at least two at a
// time and together hold >= k people. Returns InvalidArgument when a size is negative.
Result<std::vector<bool>> DiscloseBreakdown(const DisclosurePolicy& policy,
                                            const std::vector<std::int64_t>& group_sizes);

// Filters over several dimensions of one population (e.g. department, location, role), of
// which a report shows the aggregate of any one filter value next to the aggregate of the
// whole population. people[p][d] is person p's category in dimension d (0 <=
// value < categories[d]). Returns, per dimension and category, whether the filter's aggregate
// may be shown.
//
// The rule: combine one shown category or "the rest" (the hidden categories merged) of every
// dimension; each such combination ("atom") holds 0 or >= k people. Every shown group is a
// union of atoms, so any sum or difference of shown groups that forms a group of people at all
// forms a union of atoms: never 1..k-1 people. (Two single-dimension rules are not enough:
// with a 7-person department X among 12 people of whom 6 are mentees and all outside X are
// mentees, "X" + "mentees" - "everyone" is the one mentee of X.) Categories with 1..k-1
// people are hidden first; then, while an atom holds 1..k-1 people, the smallest shown
// category of that atom is hidden (or, when all of its parts are "the rest", the smallest
// shown category of any dimension). Empty categories are not shown (they have no aggregate);
// nothing is shown when the population holds fewer than k people.
// Returns InvalidArgument when a person's row has the wrong length or a value is out of range.
Result<std::vector<std::vector<bool>>> DiscloseFilters(const DisclosurePolicy& policy,
                                                       const std::vector<int>& categories,
                                                       const std::vector<std::vector<int>>& people);

// Nested counts (a funnel) in every atom of a set of filters (DiscloseFilters: each
// combination of a shown category or "the rest" per dimension). atom_counts[a][s] is how many
// people of atom a reached stage s; each atom's counts are nested (largest first) and have
// `stages` entries. A report shows, for the whole population and for each shown filter value
// (a union of atoms), the sum of the atoms' counts at the stages this returns true for.
//
// A stage is shown only when, in every atom, its count and its gap to the previous shown stage
// are 0 or >= k (the first stage: its count). Then every group that a sum or difference of shown
// figures can describe is a union of (atom, between two neighbouring shown stages) parts of 0 or
// >= k people. Checking the stages on the whole population alone is not enough: with atoms X
// and R, a stage s shown overall (X 10 + R 2 = 12) but hidden per atom, and the next stage shown
// per atom (X 10, R 0), "all at s" - "X at s+1" - "R at s+1" is the 2 people of R at s.
// The filtered and the unfiltered funnel must therefore both use this rule; with one atom it is
// DiscloseNestedCounts. Returns InvalidArgument when an atom has the wrong number of stages, a
// count is negative or larger than the one before it.
Result<std::vector<bool>> DiscloseNestedCountsInAtoms(
    const DisclosurePolicy& policy, std::size_t stages,
    const std::vector<std::vector<std::int64_t>>& atom_counts);

// A binary split of a group in every atom (see DiscloseNestedCountsInAtoms): parts[a] is
// {people of atom a with the property, people of atom a}. Returns whether the count of people
// with the property may be shown for the whole population and for every shown filter value:
// in every atom, the people with the property and those without are each 0 or >= k. Then every
// sum or difference of these counts and the groups' sizes describes 0 or >= k people. (Used for
// the demand and supply per topic: mentees interested in a topic out of the enrolled mentees.)
// Returns false when a part is negative or larger than its atom.
bool MayShowSplitInAtoms(const DisclosurePolicy& policy,
                         const std::vector<std::pair<std::int64_t, std::int64_t>>& parts);

// Free-text answers of a group, as they may be shown: without empty answers (after trimming
// white space), only when at least k people wrote one, in an order that depends only on the
// set of texts and `seed` (never on who answered or when). The caller strips names and any
// other link to the author before the call and keeps `seed` fixed per question, so that the
// same answers always come in the same order. Returns std::nullopt when fewer than k people
// wrote an answer.
std::optional<std::vector<std::string>> DiscloseTexts(const DisclosurePolicy& policy,
                                                      const std::vector<std::string>& texts,
                                                      std::uint64_t seed);

}  // namespace tandem
