// What /metrics reports (Prometheus text format): requests by route and status, a latency
// histogram, time spent in the database, and the mail queue length.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "app/store.h"

namespace tandem::http {

class Metrics {
 public:
  // Bucket upper bounds in seconds, as Prometheus histograms count them.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  // Thread-safe.
  void Record(const std::string& route, int status, double seconds);
  void AddDatabaseTime(std::int64_t micros) { database_micros_ += micros; }
  // The exposition text; `mail_queue` is the number of mails waiting (or -1 if unknown).
  std::string Render(std::int64_t mail_queue) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::int64_t> requests_;  // GUARDED_BY(mutex_)
  std::array<std::int64_t, kBuckets.size() + 1> buckets_{};       // GUARDED_BY(mutex_)
  double latency_sum_ = 0;                                        // GUARDED_BY(mutex_)
  std::int64_t latency_count_ = 0;                                // GUARDED_BY(mutex_)
  std::atomic<std::int64_t> database_micros_{0};
};

// A Store that measures the time spent in transactions for the metrics; everything else is
// the wrapped store's. `inner` and `metrics` must outlive it.
class TimedStore final : public Store {
 public:
  TimedStore(Store& inner, Metrics& metrics) : inner_(inner), metrics_(metrics) {}
  using Store::Write;
  Status Write(const TxFunction& fn, WriteLock lock) override;
  Status Read(const TxFunction& fn) override;
  std::string_view backend() const override { return inner_.backend(); }
  Result<int> SchemaVersion() override { return inner_.SchemaVersion(); }
  int LatestSchemaVersion() const override { return inner_.LatestSchemaVersion(); }
  Result<int> Migrate(int up_to) override { return inner_.Migrate(up_to); }

 private:
  Store& inner_;
  Metrics& metrics_;
};

}  // namespace tandem::http
