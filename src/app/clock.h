// The time seen by use cases: the seam that lets tests move time on (session expiry,
// throttling, link expiry) without waiting.
#pragma once

#include <atomic>
#include <chrono>

#include "app/store.h"

namespace tandem {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Millis Now() const = 0;  // thread-safe
};

class SystemClock final : public Clock {
 public:
  Millis Now() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that tests (and `tandem serve --test-clock`, never in production) set by hand.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Millis start) : now_(start) {}
  Millis Now() const override { return now_.load(); }
  void Advance(Millis by) { now_ += by; }

 private:
  std::atomic<Millis> now_;
};

}  // namespace tandem
