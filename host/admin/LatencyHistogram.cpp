#include "admin/LatencyHistogram.h"

#include <sched.h>

#include <algorithm>

namespace switchboard::admin {

void LatencyHistogram::observe(double seconds) {
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
        kLatencyBuckets.begin());
    const int cpu = ::sched_getcpu();  // glibc answers from rseq: no system call
    Shard& shard = shards_[static_cast<std::size_t>(cpu < 0 ? 0 : cpu) % kShards];
    shard.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    shard.sumNanos.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::uint64_t LatencyHistogram::bucketTotal(std::size_t bucket) const {
    std::uint64_t total = 0;
    for (const Shard& shard : shards_)
        total += shard.buckets[bucket].load(std::memory_order_relaxed);
    return total;
}

std::uint64_t LatencyHistogram::count() const {
    std::uint64_t total = 0;
    for (std::size_t bucket = 0; bucket <= kLatencyBuckets.size(); ++bucket) {
        total += bucketTotal(bucket);
    }
    return total;
}

void LatencyHistogram::write(std::ostream& out, const char* name, const std::string& labels) const {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= kLatencyBuckets.size(); ++i) {
        cumulative += bucketTotal(i);
        const std::string bound =
            i < kLatencyBuckets.size() ? std::to_string(kLatencyBuckets[i]) : "+Inf";
        out << name << "_bucket{" << labels << "le=\"" << bound << "\"} " << cumulative << '\n';
    }
    const std::string plainLabels =
        labels.empty() ? "" : "{" + labels.substr(0, labels.size() - 1) + "}";
    std::uint64_t sumNanos = 0;
    for (const Shard& shard : shards_) sumNanos += shard.sumNanos.load(std::memory_order_relaxed);
    out << name << "_sum" << plainLabels << ' ' << sumNanos / 1e9 << '\n';
    out << name << "_count" << plainLabels << ' ' << cumulative << '\n';
}

}  // namespace switchboard::admin
