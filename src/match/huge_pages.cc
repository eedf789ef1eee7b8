#include "match/huge_pages.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>

namespace tandem {

void AdviseHugePages(void* data, std::size_t bytes) {
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  if (data == nullptr || bytes < 2 * kHugePage) return;  // too small to hold a whole huge page
  const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  // madvise wants a page-aligned start: skip to the first page boundary inside the range.
  const std::size_t skip = (page - reinterpret_cast<std::uintptr_t>(data) % page) % page;
  const std::size_t length = (bytes - skip) / page * page;
  // Advice only: a kernel without transparent huge pages refuses it, and nothing changes.
  (void)madvise(static_cast<char*>(data) + skip, length, MADV_HUGEPAGE);
}

}  // namespace tandem
