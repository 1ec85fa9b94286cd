// Fuzz target: twilio::renderTwiml (host/twilio/TwimlRenderer.cpp).
//
// Input: the replies hooks added, as bytes. Replies are separated by 0x1E (record separator);
// within a reply, 0x1F (unit separator) separates the text from each media URL:
//     text 0x1F url 0x1F url 0x1E text 0x1E ...
// An empty input is no reply at all; at most 32 replies and 10 media URLs each are used (the
// rest of the input is ignored).
//
// Properties checked, for replies whose strings are UTF-8 (the plugin ABI's contract; for
// other bytes the renderer is only run, under the sanitizers):
//  1. renderTwiml does not throw, and its answer is a well-formed XML document (Poco's DOM
//     parser, i.e. expat, reads it) whose root is <Response>.
//  2. The document says what the replies say: one <Message> per reply, in order; without media
//     the text is the <Message>'s only content; with media, a <Body> holding the text (only when
//     the text is not empty) and then one <Media> per URL, in order; every text reads back
//     exactly (CR included), but for the characters XML 1.0 cannot carry (C0 controls other
//     than tab, LF and CR; U+FFFE, U+FFFF), which read back as U+FFFD.
#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/XML/XMLException.h>

#include <vector>

#include "FuzzSupport.h"
#include "twilio/TwimlRenderer.h"

using switchboard::fuzz::printable;
using switchboard::twilio::ReplyMessage;

namespace {

constexpr std::size_t kMaxReplies = 32;
constexpr std::size_t kMaxMedia = 10;

// What an XML reader must hand back for `text`: the same characters, but those XML cannot
// carry, which the renderer sends as U+FFFD.
std::string readBack(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        const bool nonCharacter = c == 0xef && (text.substr(i + 1, 2) == "\xbf\xbe" ||
                                                text.substr(i + 1, 2) == "\xbf\xbf");
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || nonCharacter) {
            out += "\xef\xbf\xbd";
            if (nonCharacter) i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::vector<Poco::XML::Element*> childElements(Poco::XML::Node* parent) {
    std::vector<Poco::XML::Element*> children;
    for (Poco::XML::Node* child = parent->firstChild(); child; child = child->nextSibling()) {
        if (child->nodeType() == Poco::XML::Node::ELEMENT_NODE) {
            children.push_back(static_cast<Poco::XML::Element*>(child));
        }
    }
    return children;
}

void checkText(Poco::XML::Element* element, const std::string& expected, const std::string& xml) {
    const std::string actual = element->innerText();
    FUZZ_CHECK(actual == readBack(expected),
               "<" + element->nodeName() + "> reads back as [" + printable(actual) +
                   "], expected [" + printable(expected) + "] in: " + printable(xml, 2000));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = switchboard::fuzz::asText(data, size);
    std::vector<ReplyMessage> replies;
    bool utf8 = true;
    if (!input.empty()) {
        for (std::string_view record : switchboard::fuzz::split(input, '\x1e', kMaxReplies + 1)) {
            if (replies.size() == kMaxReplies) break;
            const auto parts = switchboard::fuzz::split(record, '\x1f', kMaxMedia + 2);
            ReplyMessage reply{std::string(parts[0]), {}};
            for (std::size_t i = 1; i < parts.size() && reply.mediaUrls.size() < kMaxMedia; ++i) {
                reply.mediaUrls.emplace_back(parts[i]);
            }
            utf8 = utf8 && switchboard::fuzz::isStrictUtf8(reply.text);
            for (const std::string& url : reply.mediaUrls) {
                utf8 = utf8 && switchboard::fuzz::isStrictUtf8(url);
            }
            replies.push_back(std::move(reply));
        }
    }

    if (!utf8) {
        // Outside the ABI's contract: no promise about the answer, but no memory error either.
        try {
            (void)switchboard::twilio::renderTwiml(replies);
        } catch (const Poco::Exception&) {
        }
        return 0;
    }

    std::string xml;
    try {
        xml = switchboard::twilio::renderTwiml(replies);
    } catch (const Poco::XML::XMLException& error) {
        FUZZ_CHECK(false, std::string("renderTwiml threw ") + error.displayText() +
                              " for: " + printable(input));
        return 0;
    }

    Poco::AutoPtr<Poco::XML::Document> document;
    try {
        Poco::XML::DOMParser parser;
        document = parser.parseString(xml);
    } catch (const Poco::Exception& error) {
        FUZZ_CHECK(false, "renderTwiml's answer is not well-formed XML (" + error.displayText() +
                              "): " + printable(xml, 2000));
        return 0;
    }

    Poco::XML::Element* root = document->documentElement();
    FUZZ_CHECK(root && root->nodeName() == "Response",
               "the root is not <Response>: " + printable(xml, 2000));
    const auto messages = childElements(root);
    FUZZ_CHECK(messages.size() == replies.size(),
               std::to_string(messages.size()) + " elements for " + std::to_string(replies.size()) +
                   " replies: " + printable(xml, 2000));
    for (std::size_t i = 0; i < replies.size(); ++i) {
        Poco::XML::Element* message = messages[i];
        const ReplyMessage& reply = replies[i];
        FUZZ_CHECK(
            message->nodeName() == "Message",
            "<" + message->nodeName() + "> where a <Message> belongs: " + printable(xml, 2000));
        const auto children = childElements(message);
        if (reply.mediaUrls.empty()) {
            FUZZ_CHECK(children.empty(),
                       "a reply without media has child elements: " + printable(xml, 2000));
            checkText(message, reply.text, xml);
            continue;
        }
        std::size_t next = 0;
        if (!reply.text.empty()) {
            FUZZ_CHECK(
                !children.empty() && children[0]->nodeName() == "Body",
                "a reply with media and text has no leading <Body>: " + printable(xml, 2000));
            checkText(children[next++], reply.text, xml);
        }
        FUZZ_CHECK(children.size() - next == reply.mediaUrls.size(),
                   "a reply with " + std::to_string(reply.mediaUrls.size()) + " media URLs has " +
                       std::to_string(children.size()) +
                       " child elements: " + printable(xml, 2000));
        for (const std::string& url : reply.mediaUrls) {
            Poco::XML::Element* media = children[next++];
            FUZZ_CHECK(
                media->nodeName() == "Media",
                "<" + media->nodeName() + "> where a <Media> belongs: " + printable(xml, 2000));
            checkText(media, url, xml);
        }
        // Nothing but whitespace-free structure: no stray text beside the elements.
        for (Poco::XML::Node* child = message->firstChild(); child; child = child->nextSibling()) {
            FUZZ_CHECK(child->nodeType() == Poco::XML::Node::ELEMENT_NODE,
                       "stray text beside <Body>/<Media>: " + printable(xml, 2000));
        }
    }
    return 0;
}
