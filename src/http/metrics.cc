#include "http/metrics.h"

#include <fmt/format.h>

#include <chrono>

namespace tandem::http {
namespace {

template <typename Fn>
Status Timed(Metrics& metrics, Fn&& fn) {
  const auto start = std::chrono::steady_clock::now();
  Status status = fn();
  metrics.AddDatabaseTime(std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - start)
                              .count());
  return status;
}

}  // namespace

void Metrics::Record(const std::string& route, int status, double seconds) {
  const std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  ++buckets_[bucket];
  latency_sum_ += seconds;
  ++latency_count_;
}

std::string Metrics::Render(std::int64_t mail_queue) const {
  std::string out;
  out += "# HELP tandem_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE tandem_http_requests_total counter\n";
  const std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [key, count] : requests_) {
    out += fmt::format("tandem_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, count);
  }
  out += "# HELP tandem_http_request_duration_seconds Time from request to response.\n";
  out += "# TYPE tandem_http_request_duration_seconds histogram\n";
  std::int64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i];
    out += fmt::format("tandem_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i],
                       cumulative);
  }
  cumulative += buckets_[kBuckets.size()];
  out += fmt::format("tandem_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("tandem_http_request_duration_seconds_sum {}\n", latency_sum_);
  out += fmt::format("tandem_http_request_duration_seconds_count {}\n", latency_count_);
  out += "# HELP tandem_database_seconds_total Time spent in database transactions.\n";
  out += "# TYPE tandem_database_seconds_total counter\n";
  out += fmt::format("tandem_database_seconds_total {}\n",
                     static_cast<double>(database_micros_.load()) / 1e6);
  out += "# HELP tandem_mail_queue_length E-mails waiting in the outbox.\n";
  out += "# TYPE tandem_mail_queue_length gauge\n";
  out += fmt::format("tandem_mail_queue_length {}\n", mail_queue);
  return out;
}

Status TimedStore::Write(const TxFunction& fn, WriteLock lock) {
  return Timed(metrics_, [&] { return inner_.Write(fn, lock); });
}

Status TimedStore::Read(const TxFunction& fn) {
  return Timed(metrics_, [&] { return inner_.Read(fn); });
}

}  // namespace tandem::http
