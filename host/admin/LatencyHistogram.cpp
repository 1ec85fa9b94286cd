#include "admin/LatencyHistogram.h"

#include <algorithm>

namespace switchboard::admin {

void LatencyHistogram::observe(double seconds) {
    const auto bucket = static_cast<std::size_t>(
        std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds) -
        kLatencyBuckets.begin());
    buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sumMicros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
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
    out << name << "_sum" << plainLabels << ' ' << sumMicros_.load() / 1e6 << '\n';
    out << name << "_count" << plainLabels << ' ' << count_.load() << '\n';
}

}  // namespace switchboard::admin
