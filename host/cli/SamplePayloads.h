#pragma once

#include <optional>
#include <string_view>

#include "twilio/EventType.h"
#include "twilio/Parameters.h"

namespace switchboard::cli {

/// A realistic payload of `event`, as Twilio posts it, with fresh SIDs so that repeated sends
/// are distinct deliveries.
twilio::Parameters samplePayload(twilio::EventType event);

/// Encodes fields as application/x-www-form-urlencoded, in order.
std::string encodeForm(const twilio::Parameters& fields);

}  // namespace switchboard::cli
