#include "cli/SamplePayloads.h"

#include <Poco/Random.h>
#include <Poco/URI.h>

namespace switchboard::cli {
namespace {

constexpr std::string_view kAccountSid = "AC3b4e7e4d1f1a4c2b9d8e6f5a4b3c2d1e";
constexpr std::string_view kTwilioNumber = "+14155550100";
constexpr std::string_view kCustomerNumber = "+14155550123";

std::string sid(std::string_view prefix) {
    static constexpr char kHex[] = "0123456789abcdef";
    thread_local Poco::Random random = [] {
        Poco::Random seeded;
        seeded.seed();
        return seeded;
    }();
    std::string id(prefix);
    for (int i = 0; i < 32; ++i) id += kHex[random.next(16)];
    return id;
}

}  // namespace

twilio::Parameters samplePayload(twilio::EventType event) {
    const std::string account(kAccountSid), ours(kTwilioNumber), theirs(kCustomerNumber);
    switch (event) {
        case twilio::EventType::MessageReceived: {
            const std::string messageSid = sid("SM");
            return {{"ToCountry", "US"},
                    {"ToState", "CA"},
                    {"SmsMessageSid", messageSid},
                    {"NumMedia", "0"},
                    {"ToCity", "SAN FRANCISCO"},
                    {"FromZip", ""},
                    {"SmsSid", messageSid},
                    {"FromState", ""},
                    {"SmsStatus", "received"},
                    {"FromCity", ""},
                    {"Body", "Is my order ready?"},
                    {"FromCountry", "US"},
                    {"To", ours},
                    {"MessagingServiceSid", sid("MG")},
                    {"ToZip", "94105"},
                    {"NumSegments", "1"},
                    {"MessageSid", messageSid},
                    {"AccountSid", account},
                    {"From", theirs},
                    {"ApiVersion", "2010-04-01"}};
        }
        case twilio::EventType::MessageStatusUpdate: {
            const std::string messageSid = sid("SM");
            return {{"SmsSid", messageSid},
                    {"SmsStatus", "delivered"},
                    {"MessageStatus", "delivered"},
                    {"To", theirs},
                    {"MessagingServiceSid", sid("MG")},
                    {"MessageSid", messageSid},
                    {"AccountSid", account},
                    {"From", ours},
                    {"ApiVersion", "2010-04-01"},
                    {"RawDlrDoneDate", "2612041530"}};
        }
        case twilio::EventType::CallStatusUpdate:
            break;
    }
    return {{"Called", theirs},
            {"ToState", "CA"},
            {"CallerCountry", "US"},
            {"Direction", "outbound-api"},
            {"Timestamp", "Fri, 04 Dec 2026 15:30:00 +0000"},
            {"CallbackSource", "call-progress-events"},
            {"SequenceNumber", "3"},
            {"CallStatus", "completed"},
            {"CallDuration", "42"},
            {"Duration", "1"},
            {"From", ours},
            {"CallSid", sid("CA")},
            {"To", theirs},
            {"Caller", ours},
            {"AccountSid", account},
            {"ApiVersion", "2010-04-01"}};
}

std::string encodeForm(const twilio::Parameters& fields) {
    std::string body;
    for (const auto& [key, value] : fields) {
        if (!body.empty()) body += '&';
        // Reserved characters as Twilio encodes them: '+' in phone numbers becomes %2B.
        Poco::URI::encode(key, "!#$&'()*+,/:;=?@[]", body);
        body += '=';
        Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]", body);
    }
    return body;
}

}  // namespace switchboard::cli
