#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>

#include "admin/LatencyHistogram.h"
#include "twilio/EventType.h"

namespace switchboard::admin {

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
    void countReplay() { replays_.fetch_add(1, std::memory_order_relaxed); }

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
    std::atomic<std::uint64_t> replays_{0};
};

}  // namespace switchboard::admin
