#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "twilio/EventType.h"
#include "twilio/Parameters.h"

namespace switchboard::twilio {

/// Why a delivery does not satisfy its event's schema: answered 400 naming the field.
struct SchemaViolation {
    std::string field;
    std::string message;
};

/// Tells which of the three events a delivery is, as PROTOCOL.md describes; nullopt for a
/// validly signed payload that is none of them (a voice call asking for TwiML, say).
std::optional<EventType> classify(const Parameters& parameters);

/// Checks the event's required fields and enumerations. Fields outside the schema are
/// allowed: Twilio adds parameters without notice.
std::optional<SchemaViolation> checkSchema(EventType type, const Parameters& parameters);

}  // namespace switchboard::twilio
