#include "twilio/EventSchema.h"

#include <algorithm>
#include <vector>

namespace switchboard::twilio {
namespace {

struct EnumeratedField {
    std::string_view name;
    std::vector<std::string_view> allowed;
};

struct Schema {
    std::vector<std::string_view> required;
    std::optional<EnumeratedField> enumerated;
};

// The optional fields of each schema (Direction, SmsSid, ErrorCode, ...; listed in the
// README) need no check: any field outside the schema is accepted and reaches plugins.
const Schema& schemaFor(EventType type) {
    static const Schema callStatusUpdate{
        {"CallSid", "AccountSid", "From", "To", "CallStatus"},
        EnumeratedField{"CallStatus",
                        {"queued", "initiated", "ringing", "in-progress", "completed", "busy",
                         "no-answer", "canceled", "failed"}}};
    static const Schema messageReceived{
        {"MessageSid", "AccountSid", "From", "To", "Body", "NumMedia"}, std::nullopt};
    static const Schema messageStatusUpdate{
        {"MessageSid", "AccountSid", "From", "To", "MessageStatus"},
        EnumeratedField{
            "MessageStatus",
            {"accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed",
             "receiving", "received", "read", "scheduled", "canceled", "partially_delivered"}}};
    switch (type) {
        case EventType::CallStatusUpdate:
            return callStatusUpdate;
        case EventType::MessageReceived:
            return messageReceived;
        case EventType::MessageStatusUpdate:
            break;
    }
    return messageStatusUpdate;
}

std::string joined(const std::vector<std::string_view>& values) {
    std::string text;
    for (std::string_view value : values) {
        if (!text.empty()) text += ", ";
        text += value;
    }
    return text;
}

}  // namespace

std::optional<EventType> classify(const Parameters& parameters) {
    bool hasMessageStatus = false, hasMessageSid = false, hasBody = false;
    bool hasCallSid = false, hasCallStatus = false;
    bool isStatusCallback = false;  // what separates a call status event from a TwiML request
    for (const auto& [key, value] : parameters) {
        if (key == "MessageStatus")
            hasMessageStatus = true;
        else if (key == "MessageSid")
            hasMessageSid = true;
        else if (key == "Body")
            hasBody = true;
        else if (key == "CallSid")
            hasCallSid = true;
        else if (key == "CallStatus")
            hasCallStatus = true;
        else if (key == "SequenceNumber" || key == "CallbackSource")
            isStatusCallback = true;
    }
    // Message fields win over call fields: a message sent during a call carries a CallSid
    // too, and a message must never be routed as a call.
    if (hasMessageStatus) return EventType::MessageStatusUpdate;
    if (hasMessageSid && hasBody) return EventType::MessageReceived;
    if (hasMessageSid) return std::nullopt;
    if (hasCallSid && hasCallStatus && isStatusCallback) return EventType::CallStatusUpdate;
    return std::nullopt;
}

std::optional<SchemaViolation> checkSchema(EventType type, const Parameters& parameters) {
    const Schema& schema = schemaFor(type);
    for (std::string_view field : schema.required) {
        if (!findParameter(parameters, field)) {
            return SchemaViolation{std::string(field), "required field is missing"};
        }
    }
    if (schema.enumerated) {
        const std::string& value = *findParameter(parameters, schema.enumerated->name);
        const auto& allowed = schema.enumerated->allowed;
        if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
            return SchemaViolation{std::string(schema.enumerated->name),
                                   "'" + value + "' is not one of: " + joined(allowed)};
        }
    }
    return std::nullopt;
}

}  // namespace switchboard::twilio
