#include "cli/SendCommand.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>

#include <iostream>

#include "cli/SamplePayloads.h"
#include "twilio/SignatureValidator.h"

namespace switchboard::cli {

SendCommand::SendCommand()
    : Command("send",
              "EVENT --url URL [--auth-token T] [--public-url URL] [Key=Value ...]\n"
              "EVENT is call.statusUpdate, message.received or message.statusUpdate",
              "Post a signed sample event to a running host and print its answer. Key=Value "
              "words replace or add fields of the sample payload.") {}

void SendCommand::defineOptions(Poco::Util::OptionSet& options) {
    Command::defineOptions(options);
    options.addOption(
        Poco::Util::Option("url", "u", "where to post (the host's webhook URL)").argument("URL"));
    options.addOption(
        Poco::Util::Option("auth-token", "t", "token to sign with (default: $TWILIO_AUTH_TOKEN)")
            .argument("TOKEN"));
    options.addOption(Poco::Util::Option("public-url", "",
                                         "the URL to sign, when the host has twilio.publicUrl "
                                         "(default: --url)")
                          .argument("URL"));
}

void SendCommand::handleOption(const std::string& name, const std::string& value) {
    Command::handleOption(name, value);
    if (name == "url") url_ = value;
    if (name == "auth-token") authToken_ = value;
    if (name == "public-url") publicUrl_ = value;
}

int SendCommand::runCommand(const std::vector<std::string>& words) {
    if (words.empty()) throw std::invalid_argument("name the EVENT to send");
    const auto event = twilio::eventTypeFromName(words.front());
    if (!event) {
        throw std::invalid_argument("unknown event '" + words.front() +
                                    "': use call.statusUpdate, message.received or "
                                    "message.statusUpdate");
    }
    require(url_, "url");
    if (authToken_.empty()) {
        if (const char* token = std::getenv("TWILIO_AUTH_TOKEN")) authToken_ = token;
    }
    if (authToken_.empty()) {
        throw Poco::Util::MissingOptionException(
            "--auth-token is required (or set TWILIO_AUTH_TOKEN)");
    }

    twilio::Parameters payload = samplePayload(*event);
    for (const auto& [key, value] :
         keyValuePairs(std::vector<std::string>(words.begin() + 1, words.end()))) {
        twilio::setParameter(payload, key, value);
    }
    const std::string body = encodeForm(payload);
    const std::string signedUrl = publicUrl_.empty() ? url_ : publicUrl_;
    const std::string signature =
        twilio::SignatureValidator(authToken_).sign({signedUrl, &payload, std::nullopt});

    try {
        const Poco::URI uri(url_);
        if (uri.getScheme() != "http") {
            std::cerr << "switchboard send: only http:// URLs can be posted to directly; to "
                         "test a public https URL, post to the host's local address and pass "
                         "the public one as --public-url\n";
            return kUsage;
        }
        Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
        session.setTimeout(Poco::Timespan(15, 0));  // what Twilio allows in total
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/x-www-form-urlencoded");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("X-Twilio-Signature", signature);
        request.set("I-Twilio-Idempotency-Token",
                    Poco::UUIDGenerator::defaultGenerator().createRandom().toString());
        request.set("User-Agent", "TwilioProxy/1.1");
        session.sendRequest(request) << body;

        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        std::string answer;
        Poco::StreamCopier::copyToString(in, answer);
        std::cout << "POST " << url_ << " (" << words.front() << ", " << body.size()
                  << " bytes, signed for " << signedUrl << ")\n"
                  << response.getStatus() << ' ' << response.getReason() << '\n';
        if (response.has("Content-Type"))
            std::cout << "Content-Type: " << response.getContentType() << '\n';
        if (!answer.empty()) std::cout << '\n' << answer << '\n';
        return response.getStatus() < 400 ? kOk : kFailure;
    } catch (const Poco::Exception& error) {
        std::cerr << "switchboard send: cannot post to " << url_ << ": " << error.displayText()
                  << '\n';
        return kUnavailable;
    }
}

}  // namespace switchboard::cli
