// Fuzz target: twilio::classify and twilio::checkSchema (host/twilio/EventSchema.cpp).
//
// Input: a webhook body: a JSON object when it starts with '{', else a form body; decoded as
// the host decodes it (a body the decoder refuses is not classified, as in the host).
//
// Properties checked:
//  1. classify follows PROTOCOL.md section 3 "Telling them apart": MessageStatus present ->
//     message.statusUpdate; else MessageSid and Body -> message.received; else MessageSid ->
//     none (a message is never routed as a call); else CallSid, CallStatus and a status-callback
//     field (SequenceNumber or CallbackSource) -> call.statusUpdate; else none.
//  2. classify depends only on which field names are present: the same answer for the fields
//     reversed and for every field repeated.
//  3. For each of the three events (not only the classified one), checkSchema passes exactly
//     when every required field is present and the enumerated field's first value is one of
//     its values (the schemas of the SDK documentation, repeated below); a violation names a
//     required field that is missing or the enumerated field, with a message; repeating every
//     field changes nothing (the first value of a field is the one checked).
#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "FuzzSupport.h"
#include "twilio/DecodeError.h"
#include "twilio/EventSchema.h"
#include "twilio/FormDecoder.h"
#include "twilio/JsonDecoder.h"

using switchboard::fuzz::printable;
using namespace switchboard::twilio;

namespace {

struct ExpectedSchema {
    EventType type;
    std::vector<std::string_view> required;
    std::string_view enumerated;
    std::vector<std::string_view> allowed;
};

const std::vector<ExpectedSchema>& schemas() {
    static const std::vector<ExpectedSchema> all = {
        {EventType::CallStatusUpdate,
         {"CallSid", "AccountSid", "From", "To", "CallStatus"},
         "CallStatus",
         {"queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer",
          "canceled", "failed"}},
        {EventType::MessageReceived,
         {"MessageSid", "AccountSid", "From", "To", "Body", "NumMedia"},
         {},
         {}},
        {EventType::MessageStatusUpdate,
         {"MessageSid", "AccountSid", "From", "To", "MessageStatus"},
         "MessageStatus",
         {"accepted", "queued", "sending", "sent", "delivered", "undelivered", "failed",
          "receiving", "received", "read", "scheduled", "canceled", "partially_delivered"}},
    };
    return all;
}

std::optional<EventType> expectedEvent(const Parameters& fields) {
    std::set<std::string_view> names;
    for (const auto& field : fields) names.insert(field.first);
    const auto has = [&](std::string_view name) { return names.count(name) > 0; };
    if (has("MessageStatus")) return EventType::MessageStatusUpdate;
    if (has("MessageSid") && has("Body")) return EventType::MessageReceived;
    if (has("MessageSid")) return std::nullopt;
    if (has("CallSid") && has("CallStatus") && (has("SequenceNumber") || has("CallbackSource"))) {
        return EventType::CallStatusUpdate;
    }
    return std::nullopt;
}

std::string nameOf(std::optional<EventType> type) {
    return type ? std::string(eventName(*type)) : std::string("(none)");
}

std::optional<Parameters> decode(std::string_view body) {
    try {
        if (!body.empty() && body.front() == '{') return decodeJson(body);
        return decodeForm(body);
    } catch (const DecodeError&) {
        return std::nullopt;
    }
}

void checkSchemaOf(const ExpectedSchema& schema, const Parameters& fields, std::string_view body) {
    const std::optional<SchemaViolation> violation = checkSchema(schema.type, fields);
    const std::string event(eventName(schema.type));

    std::optional<std::string> missing;
    for (std::string_view name : schema.required) {
        if (!findParameter(fields, name)) {
            missing = std::string(name);
            break;
        }
    }
    bool enumerationHolds = true;
    if (!missing && !schema.enumerated.empty()) {
        const std::string& value = *findParameter(fields, schema.enumerated);
        enumerationHolds =
            std::find(schema.allowed.begin(), schema.allowed.end(), value) != schema.allowed.end();
    }

    if (!violation) {
        FUZZ_CHECK(!missing, event + " schema passed without its required field " + *missing +
                                 ": " + printable(body));
        FUZZ_CHECK(enumerationHolds, event + " schema passed with " +
                                         std::string(schema.enumerated) + "=" +
                                         printable(*findParameter(fields, schema.enumerated)) +
                                         ": " + printable(body));
    } else {
        FUZZ_CHECK(missing || !enumerationHolds,
                   event + " schema refused a delivery that satisfies it (" + violation->field +
                       ": " + violation->message + "): " + printable(body));
        const bool namesMissing = std::find(schema.required.begin(), schema.required.end(),
                                            violation->field) != schema.required.end() &&
                                  !findParameter(fields, violation->field);
        const bool namesEnumerated = !enumerationHolds && violation->field == schema.enumerated;
        FUZZ_CHECK(namesMissing || namesEnumerated,
                   event + " violation names " + printable(violation->field) +
                       ", neither a missing required field nor a bad enumerated value: " +
                       printable(body));
        FUZZ_CHECK(!violation->message.empty(), event + " violation without a message");
    }

    Parameters repeated = fields;
    repeated.insert(repeated.end(), fields.begin(), fields.end());
    const std::optional<SchemaViolation> again = checkSchema(schema.type, repeated);
    FUZZ_CHECK(
        again.has_value() == violation.has_value() &&
            (!again || (again->field == violation->field && again->message == violation->message)),
        event + " schema verdict changes when every field is repeated: " + printable(body));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = switchboard::fuzz::asText(data, size);
    const std::optional<Parameters> fields = decode(body);
    if (!fields) return 0;

    const std::optional<EventType> event = classify(*fields);
    const std::optional<EventType> expected = expectedEvent(*fields);
    FUZZ_CHECK(event == expected, "classified as " + nameOf(event) + ", PROTOCOL.md says " +
                                      nameOf(expected) + ": " + printable(body));

    Parameters reversed(fields->rbegin(), fields->rend());
    FUZZ_CHECK(classify(reversed) == event,
               "classify depends on the order of the fields: " + printable(body));
    Parameters repeated = *fields;
    repeated.insert(repeated.end(), fields->begin(), fields->end());
    FUZZ_CHECK(classify(repeated) == event,
               "classify changes when every field is repeated: " + printable(body));

    for (const ExpectedSchema& schema : schemas()) checkSchemaOf(schema, *fields, body);
    return 0;
}
