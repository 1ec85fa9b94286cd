#include <gtest/gtest.h>

#include "twilio/DecodeError.h"
#include "twilio/JsonDecoder.h"

using namespace switchboard::twilio;

TEST(JsonDecoder, KeepsMembersInOrder) {
    EXPECT_EQ(decodeJson(R"({"To":"+1","From":"+2","Body":""})"),
              (Parameters{{"To", "+1"}, {"From", "+2"}, {"Body", ""}}));
}

TEST(JsonDecoder, KeepsNumbersAndBooleansAsTheirText) {
    EXPECT_EQ(decodeJson(R"({"NumMedia":0,"boolean":true})"),
              (Parameters{{"NumMedia", "0"}, {"boolean", "true"}}));
}

TEST(JsonDecoder, RejectsWhatIsNotAFlatObject) {
    EXPECT_THROW(decodeJson("[]"), DecodeError);
    EXPECT_THROW(decodeJson(R"({"a":{"b":"c"}})"), DecodeError);
    EXPECT_THROW(decodeJson(R"({"a":null})"), DecodeError);
    EXPECT_THROW(decodeJson(R"({"a":"b"} trailing)"), DecodeError);
    EXPECT_THROW(decodeJson(R"({"a":)"), DecodeError);
    EXPECT_THROW(decodeJson(""), DecodeError);
}

TEST(JsonDecoder, RejectsInvalidUtf8) {
    EXPECT_THROW(decodeJson("{\"a\":\"\xc3\x28\"}"), DecodeError);
}

TEST(JsonDecoder, RejectsALoneSurrogateEscape) {
    EXPECT_THROW(decodeJson(R"({"Body":"\udc00"})"), DecodeError);
}

TEST(JsonDecoder, KeepsANumberAsItsOwnTextEvenBeyondADouble) {
    EXPECT_EQ(decodeJson(R"({"a":2e308,"b":0.10})"), (Parameters{{"a", "2e308"}, {"b", "0.10"}}));
}
