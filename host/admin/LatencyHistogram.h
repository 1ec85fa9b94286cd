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
///
/// Every worker thread records into the same histograms (one per plugin and event), so the
/// counters are kept per CPU: each observation adds to the shard of the CPU it runs on, whose
/// cache line then stays on that core instead of bouncing between cores on every hook call.
/// Readers add the shards up.
class LatencyHistogram {
public:
    void observe(double seconds);
    /// Observations so far: the sum of the buckets, so always equal to the +Inf bucket.
    std::uint64_t count() const;
    /// Writes the _bucket, _sum and _count lines of `name` with `labels` (e.g. `a="b",`).
    void write(std::ostream& out, const char* name, const std::string& labels) const;

private:
    // Two relaxed atomic additions per observation (a thread can move to another CPU between
    // choosing its shard and adding), and no separate count.
    struct alignas(64) Shard {
        std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> buckets{};
        std::atomic<std::uint64_t> sumNanos{0};
    };
    static constexpr std::size_t kShards = 8;  // CPUs beyond 8 share shards

    std::uint64_t bucketTotal(std::size_t bucket) const;

    std::array<Shard, kShards> shards_{};
};

}  // namespace switchboard::admin
