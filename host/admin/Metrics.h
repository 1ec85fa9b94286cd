#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>

#include "twilio/EventType.h"

namespace switchboard::admin {

/// Fixed-size latency buckets (seconds) shared by the request and hook histograms.
inline constexpr std::array<double, 12> kLatencyBuckets = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};

/// A Prometheus histogram with lock-free recording.
class LatencyHistogram {
public:
    void observe(double seconds);
    /// Writes the _bucket, _sum and _count lines of `name` with `labels` (e.g. `a="b",`).
    void write(std::ostream& out, const char* name, const std::string& labels) const;

private:
    std::array<std::atomic<std::uint64_t>, kLatencyBuckets.size() + 1> buckets_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sumMicros_{0};
};

/// The host's request counters, updated on the request path without locks and read by
/// GET /metrics.
class Metrics {
public:
    /// The HTTP statuses the host answers webhooks with; anything else is counted as "other".
    static constexpr std::array<int, 12> kStatuses = {200, 204, 400, 403, 404, 405,
                                                      413, 415, 431, 500, 503, 0};

    /// `event` is nullopt for requests that never became one of the three events.
    void recordRequest(std::optional<twilio::EventType> event, int status, double seconds);
    void countSignatureFailure() { signatureFailures_.fetch_add(1, std::memory_order_relaxed); }
    void countUnhandled() { unhandled_.fetch_add(1, std::memory_order_relaxed); }

    std::uint64_t signatureFailures() const { return signatureFailures_.load(); }
    std::uint64_t unhandled() const { return unhandled_.load(); }

    /// Writes this object's families in Prometheus text format.
    void write(std::ostream& out) const;

private:
    static constexpr std::size_t kEventSlots = twilio::kEventTypeCount + 1;  // + "none"

    std::array<std::array<std::atomic<std::uint64_t>, kStatuses.size()>, kEventSlots> requests_{};
    LatencyHistogram latency_;
    std::atomic<std::uint64_t> signatureFailures_{0};
    std::atomic<std::uint64_t> unhandled_{0};
};

}  // namespace switchboard::admin
