#pragma once

#include <string>
#include <vector>

namespace switchboard::twilio {

/// A reply message a hook added to an incoming message's answer.
struct ReplyMessage {
    std::string text;
    std::vector<std::string> mediaUrls;
};

/// The TwiML answer to an incoming message: `<Response/>` with no replies, else one
/// `<Message>` per reply with its text and `<Media>` children, all XML-escaped. Always
/// well-formed: characters XML cannot carry, and bytes that are not UTF-8, become U+FFFD.
std::string renderTwiml(const std::vector<ReplyMessage>& replies);

}  // namespace switchboard::twilio
