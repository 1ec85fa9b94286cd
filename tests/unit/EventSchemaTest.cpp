#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "twilio/EventSchema.h"
#include "twilio/FormDecoder.h"

using namespace switchboard::twilio;

namespace {

Parameters payload(const std::string& name) {
    std::ifstream file(std::string(SWITCHBOARD_PAYLOADS_DIR) + "/" + name);
    std::stringstream text;
    text << file.rdbuf();
    return decodeForm(text.str());
}

Parameters without(Parameters parameters, const std::string& key) {
    std::erase_if(parameters, [&](const Parameter& p) { return p.first == key; });
    return parameters;
}

}  // namespace

TEST(EventSchema, ClassifiesEverySamplePayload) {
    EXPECT_EQ(classify(payload("call.statusUpdate.form")), EventType::CallStatusUpdate);
    EXPECT_EQ(classify(payload("call.statusUpdate.ringing.form")), EventType::CallStatusUpdate);
    EXPECT_EQ(classify(payload("message.received.form")), EventType::MessageReceived);
    EXPECT_EQ(classify(payload("message.received.mms.form")), EventType::MessageReceived);
    EXPECT_EQ(classify(payload("message.received.whatsapp.form")), EventType::MessageReceived);
    EXPECT_EQ(classify(payload("message.statusUpdate.form")), EventType::MessageStatusUpdate);
    EXPECT_EQ(classify(payload("message.statusUpdate.failed.form")),
              EventType::MessageStatusUpdate);
}

TEST(EventSchema, EverySamplePayloadSatisfiesItsSchema) {
    for (const char* name : {"call.statusUpdate.form", "message.received.form",
                             "message.received.mms.form", "message.statusUpdate.failed.form"}) {
        const Parameters parameters = payload(name);
        EXPECT_EQ(checkSchema(*classify(parameters), parameters), std::nullopt) << name;
    }
}

TEST(EventSchema, AVoiceTwimlRequestIsNoneOfTheEvents) {
    EXPECT_EQ(classify({{"CallSid", "CA1"}, {"CallStatus", "ringing"}, {"From", "+1"}}),
              std::nullopt);
    EXPECT_EQ(classify({{"Foo", "bar"}}), std::nullopt);
}

TEST(EventSchema, AMessageCarryingACallSidIsStillAMessage) {
    EXPECT_EQ(classify({{"CallSid", "CA1"},
                        {"CallStatus", "in-progress"},
                        {"SequenceNumber", "1"},
                        {"MessageSid", "SM1"},
                        {"Body", "hi"}}),
              EventType::MessageReceived);
    EXPECT_EQ(classify({{"CallSid", "CA1"}, {"MessageSid", "SM1"}, {"MessageStatus", "sent"}}),
              EventType::MessageStatusUpdate);
}

TEST(EventSchema, NamesAMissingRequiredField) {
    const auto violation = checkSchema(EventType::MessageReceived,
                                       without(payload("message.received.form"), "NumMedia"));
    ASSERT_TRUE(violation);
    EXPECT_EQ(violation->field, "NumMedia");
}

TEST(EventSchema, NamesAnEnumValueOutsideTheList) {
    Parameters call = payload("call.statusUpdate.form");
    for (auto& [key, value] : call) {
        if (key == "CallStatus") value = "exploded";
    }
    const auto violation = checkSchema(EventType::CallStatusUpdate, call);
    ASSERT_TRUE(violation);
    EXPECT_EQ(violation->field, "CallStatus");
    EXPECT_NE(violation->message.find("exploded"), std::string::npos);
}

TEST(EventSchema, AcceptsEveryDocumentedStatus) {
    Parameters message = payload("message.statusUpdate.form");
    for (const char* status :
         {"accepted", "read", "scheduled", "canceled", "partially_delivered"}) {
        for (auto& [key, value] : message) {
            if (key == "MessageStatus") value = status;
        }
        EXPECT_EQ(checkSchema(EventType::MessageStatusUpdate, message), std::nullopt) << status;
    }
}
