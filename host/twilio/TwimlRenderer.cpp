#include "twilio/TwimlRenderer.h"

#include <Poco/XML/XMLWriter.h>

#include <sstream>

namespace switchboard::twilio {
namespace {

void writeElement(Poco::XML::XMLWriter& writer, const std::string& name, const std::string& text) {
    writer.startElement("", "", name);
    writer.characters(text);
    writer.endElement("", "", name);
}

}  // namespace

std::string renderTwiml(const std::vector<ReplyMessage>& replies) {
    static const std::string kEmpty = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";
    if (replies.empty()) return kEmpty;

    std::ostringstream out;
    Poco::XML::XMLWriter writer(out, Poco::XML::XMLWriter::WRITE_XML_DECLARATION);
    writer.startDocument();
    writer.startElement("", "", "Response");
    for (const ReplyMessage& reply : replies) {
        writer.startElement("", "", "Message");
        if (reply.mediaUrls.empty()) {
            writer.characters(reply.text);
        } else {
            // With media, Twilio wants the text in its own <Body> beside the <Media> elements.
            if (!reply.text.empty()) writeElement(writer, "Body", reply.text);
            for (const std::string& url : reply.mediaUrls) writeElement(writer, "Media", url);
        }
        writer.endElement("", "", "Message");
    }
    writer.endElement("", "", "Response");
    writer.endDocument();
    return out.str();
}

}  // namespace switchboard::twilio
