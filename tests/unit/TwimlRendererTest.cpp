#include <gtest/gtest.h>

#include "twilio/TwimlRenderer.h"

using namespace switchboard::twilio;

TEST(TwimlRenderer, AnswersAnEmptyResponseWithoutReplies) {
    EXPECT_EQ(renderTwiml({}), R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
}

TEST(TwimlRenderer, EscapesReplyText) {
    const std::string twiml = renderTwiml({{"Tom & Jerry <3 \"quotes\"", {}}});
    EXPECT_NE(twiml.find("<Message>Tom &amp; Jerry &lt;3 &quot;quotes&quot;</Message>"),
              std::string::npos)
        << twiml;
}

TEST(TwimlRenderer, RendersMediaBesideTheBody) {
    const std::string twiml =
        renderTwiml({{"Look", {"https://x.example/a.png?x=1&y=2"}}, {"Second", {}}});
    EXPECT_NE(twiml.find("<Message><Body>Look</Body><Media>https://x.example/a.png?x=1&amp;y=2"
                         "</Media></Message><Message>Second</Message>"),
              std::string::npos)
        << twiml;
}

TEST(TwimlRenderer, StaysWellFormedForCharactersXmlCannotCarry) {
    const std::string twiml = renderTwiml({{"a\x01" "b\xEF\xBF\xBF" "c\r\nd", {}}});
    EXPECT_NE(twiml.find("<Message>a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c&#13;\nd</Message>"),
              std::string::npos)
        << twiml;
}
