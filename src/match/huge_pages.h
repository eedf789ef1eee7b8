// Large working arrays backed by transparent huge pages where the kernel offers them.
//
// A solver's arrays are written once from start to end and then read at random: with 4 KiB
// pages that is one page fault per 4 KiB on first touch (measured here at about 16 µs each in
// the virtual machine we run on: 0.24 s for 60 MB) and a TLB miss on most random reads. Asking
// the kernel for huge pages (madvise MADV_HUGEPAGE; honoured when transparent huge pages are
// set to "madvise" or "always", ignored otherwise) before the first touch cuts both.
#pragma once

#include <cstddef>
#include <vector>

namespace tandem {

// Advises the kernel to back [data, data + bytes) with huge pages; does nothing for small
// ranges or where the advice is not supported. Only memory not yet touched benefits.
void AdviseHugePages(void* data, std::size_t bytes);

// Reserves room for `n` elements in an empty vector and advises huge pages for it.
template <typename T>
void ReserveHuge(std::vector<T>* v, std::size_t n) {
  if (!v->empty() || v->capacity() >= n) return;
  v->reserve(n);
  AdviseHugePages(v->data(), n * sizeof(T));
}

// A vector of `n` copies of `value`, its memory advised before it is filled.
template <typename T>
std::vector<T> HugeVector(std::size_t n, const T& value = T()) {
  std::vector<T> v;
  ReserveHuge(&v, n);
  v.assign(n, value);
  return v;
}

}  // namespace tandem
