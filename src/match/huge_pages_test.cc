#include "match/huge_pages.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace tandem {
namespace {

TEST(HugePages, HugeVectorHoldsItsValuesWhateverTheSize) {
  // Below and above the size where the advice is given (two huge pages).
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{3} << 20}) {
    const std::vector<std::int32_t> v = HugeVector<std::int32_t>(n, 7);
    ASSERT_EQ(v.size(), n);
    for (size_t i = 0; i < n; i += 4099) EXPECT_EQ(v[i], 7) << i;
    if (n > 0) {
      EXPECT_EQ(v.back(), 7);
    }
  }
  const std::vector<std::int64_t> zeros = HugeVector<std::int64_t>(size_t{1} << 20);
  EXPECT_EQ(zeros.front(), 0);
  EXPECT_EQ(zeros.back(), 0);
}

TEST(HugePages, ReserveHugeReservesEmptyVectorsAndLeavesFilledOnesAlone) {
  std::vector<int> empty;
  ReserveHuge(&empty, size_t{2} << 20);
  EXPECT_TRUE(empty.empty());
  EXPECT_GE(empty.capacity(), size_t{2} << 20);

  std::vector<int> filled{1, 2, 3};
  ReserveHuge(&filled, size_t{2} << 20);
  EXPECT_EQ(filled, (std::vector<int>{1, 2, 3}));
  EXPECT_LT(filled.capacity(), size_t{2} << 20);
}

TEST(HugePages, AdviceOnAnyRangeIsHarmless) {
  AdviseHugePages(nullptr, 1 << 30);
  std::vector<char> small(100, 'x');
  AdviseHugePages(small.data(), small.size());
  std::vector<char> odd((size_t{5} << 20) + 3, 'y');
  AdviseHugePages(odd.data() + 1, odd.size() - 1);  // not page-aligned at either end
  EXPECT_EQ(small[99], 'x');
  EXPECT_EQ(odd.back(), 'y');
}

}  // namespace
}  // namespace tandem
