#include <gtest/gtest.h>

#include "twilio/DecodeError.h"
#include "twilio/FormDecoder.h"

using namespace switchboard::twilio;

TEST(FormDecoder, KeepsOrderBlankValuesAndRepeatedKeys) {
    EXPECT_EQ(decodeForm("B=2&A=1&FromCity=&A=3&Flag"),
              (Parameters{{"B", "2"}, {"A", "1"}, {"FromCity", ""}, {"A", "3"}, {"Flag", ""}}));
}

TEST(FormDecoder, DecodesPlusAndPercentEscapes) {
    EXPECT_EQ(decodeForm("From=%2B14155550100&Body=Hello+w%C3%B6rld+%26+more"),
              (Parameters{{"From", "+14155550100"}, {"Body", "Hello wörld & more"}}));
}

TEST(FormDecoder, SkipsEmptyPairs) {
    EXPECT_EQ(decodeForm("&A=1&&B=2&"), (Parameters{{"A", "1"}, {"B", "2"}}));
    EXPECT_TRUE(decodeForm("").empty());
}

TEST(FormDecoder, RejectsMalformedPercentEncodingNamingTheField) {
    try {
        decodeForm("Good=1&Body=100%");
        FAIL() << "expected a DecodeError";
    } catch (const DecodeError& error) {
        EXPECT_EQ(error.field(), "Body");
    }
    EXPECT_THROW(decodeForm("Body=%zz"), DecodeError);
    EXPECT_THROW(decodeForm("%4=x"), DecodeError);
}

TEST(FormDecoder, RejectsInvalidUtf8) {
    EXPECT_THROW(decodeForm("Body=%C3%28"), DecodeError);     // bad continuation byte
    EXPECT_THROW(decodeForm("Body=%C0%AF"), DecodeError);     // overlong form
    EXPECT_THROW(decodeForm("Body=%ED%A0%80"), DecodeError);  // UTF-16 surrogate
    EXPECT_THROW(decodeForm("Body=%E2%82"), DecodeError);     // truncated sequence
    EXPECT_THROW(decodeForm("Body=\xff"), DecodeError);
    EXPECT_NO_THROW(decodeForm("Body=%F0%9F%98%80"));  // emoji
}
