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
/// `<Message>` per reply with its text and `<Media>` children, all XML-escaped.
std::string renderTwiml(const std::vector<ReplyMessage>& replies);

}  // namespace switchboard::twilio
