#include "twilio/TwimlRenderer.h"

#include <Poco/XML/XMLWriter.h>

#include <algorithm>
#include <sstream>
#include <string_view>

#include "twilio/Utf8.h"

namespace switchboard::twilio {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The length of the well-formed UTF-8 character at the start of `text`, 0 when it is not one.
std::size_t characterLength(std::string_view text) {
    const auto lead = static_cast<unsigned char>(text.front());
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    if (length > text.size() || !isValidUtf8(text.substr(0, length))) return 0;
    return length;
}

// Writes text XML 1.0 can carry and an XML reader gives back unchanged. Poco's writer escapes
// markup but passes the rest through, so the characters XML forbids (C0 controls but tab and
// LF, U+FFFE, U+FFFF) and bytes that are not UTF-8 become U+FFFD, and a CR is written as a
// reference, since a reader turns a raw CR into LF.
void writeText(Poco::XML::XMLWriter& writer, std::string_view text) {
    std::string plain;
    auto flush = [&] {
        if (!plain.empty()) writer.characters(plain);
        plain.clear();
    };
    while (!text.empty()) {
        const auto byte = static_cast<unsigned char>(text.front());
        const std::size_t length = characterLength(text);
        const std::string_view character = text.substr(0, std::max<std::size_t>(length, 1));
        text.remove_prefix(character.size());
        if (byte == '\r') {
            flush();
            writer.rawCharacters("&#13;");
        } else if (length == 0 || (byte < 0x20 && byte != '\t' && byte != '\n') ||
                   character == "\xEF\xBF\xBE" || character == "\xEF\xBF\xBF") {
            plain += kReplacement;
        } else {
            plain += character;
        }
    }
    flush();
}

void writeElement(Poco::XML::XMLWriter& writer, const std::string& name, std::string_view text) {
    writer.startElement("", "", name);
    writeText(writer, text);
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
            writeText(writer, reply.text);
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
