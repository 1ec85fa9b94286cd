#include "admin/Metrics.h"

#include <algorithm>
#include <string>

#include "admin/PrometheusText.h"

namespace switchboard::admin {

void Metrics::recordRequest(std::optional<twilio::EventType> event, int status, double seconds) {
    const std::size_t eventSlot = event ? twilio::eventIndex(*event) : twilio::kEventTypeCount;
    const auto known = std::find(kStatuses.begin(), kStatuses.end() - 1, status);
    requests_[eventSlot][static_cast<std::size_t>(known - kStatuses.begin())].fetch_add(
        1, std::memory_order_relaxed);
    latency_.observe(seconds);
}

void Metrics::write(std::ostream& out) const {
    out << "# HELP switchboard_requests_total Webhook requests answered, by event and status.\n"
           "# TYPE switchboard_requests_total counter\n";
    for (std::size_t eventSlot = 0; eventSlot < kEventSlots; ++eventSlot) {
        const std::string event =
            eventSlot < twilio::kEventTypeCount
                ? std::string(twilio::eventName(twilio::kAllEventTypes[eventSlot]))
                : "none";
        for (std::size_t statusSlot = 0; statusSlot < kStatuses.size(); ++statusSlot) {
            const std::uint64_t count = requests_[eventSlot][statusSlot].load();
            if (count == 0) continue;
            const std::string status =
                kStatuses[statusSlot] ? std::to_string(kStatuses[statusSlot]) : "other";
            out << "switchboard_requests_total{event=\"" << event << "\",status=\"" << status
                << "\"} " << count << '\n';
        }
    }
    writeCounter(out, "switchboard_signature_failures_total",
                 "Requests refused for their signature.", signatureFailures_.load());
    writeCounter(out, "switchboard_unhandled_events_total",
                 "Signed payloads that are none of the three events.", unhandled_.load());
    writeCounter(out, "switchboard_idempotent_replays_total",
                 "Redeliveries answered from the first delivery, without running hooks.",
                 replays_.load());
    out << "# HELP switchboard_request_duration_seconds Time from request to answer.\n"
           "# TYPE switchboard_request_duration_seconds histogram\n";
    latency_.write(out, "switchboard_request_duration_seconds", "");
}

}  // namespace switchboard::admin
