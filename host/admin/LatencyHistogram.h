#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>

namespace switchboard::admin {

/// Fixed-size latency buckets (seconds) shared by the request and hook histograms.
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};

/// A Prometheus histogram with lock-free recording.
class LatencyHistogram {
public:
    void observe(double seconds);
    /// Observations so far: the sum of the buckets, so always equal to the +Inf bucket.
    std::uint64_t count() const;
    /// Writes the _bucket, _sum and _count lines of `name` with `labels` (e.g. `a="b",`).
    void write(std::ostream& out, const char* name, const std::string& labels) const;

private:
    // Two atomic additions per observation and no separate count: hook calls are recorded
    // from every worker thread at once, and each shared counter is a contended cache line.
    std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> buckets_{};
    std::atomic<std::uint64_t> sumNanos_{0};
};

}  // namespace switchboard::admin
