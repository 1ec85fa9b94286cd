#include "admin/LatencyHistogram.h"

#include <algorithm>

namespace switchboard::admin {

void LatencyHistogram::observe(double seconds) {
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
        kLatencyBuckets.begin());
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    sumNanos_.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::uint64_t LatencyHistogram::count() const {
    std::uint64_t total = 0;
    for (const auto& bucket : buckets_) total += bucket.load(std::memory_order_relaxed);
    return total;
}

void LatencyHistogram::write(std::ostream& out, const char* name, const std::string& labels) const {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        const std::string bound =
            i < kLatencyBuckets.size() ? std::to_string(kLatencyBuckets[i]) : "+Inf";
        out << name << "_bucket{" << labels << "le=\"" << bound << "\"} " << cumulative << '\n';
    }
    const std::string plainLabels =
        labels.empty() ? "" : "{" + labels.substr(0, labels.size() - 1) + "}";
    out << name << "_sum" << plainLabels << ' ' << sumNanos_.load() / 1e9 << '\n';
    out << name << "_count" << plainLabels << ' ' << cumulative << '\n';
}

}  // namespace switchboard::admin
