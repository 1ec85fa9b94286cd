#include "cli/SignatureCommands.h"

#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <iostream>

#include "twilio/DecodeError.h"
#include "twilio/FormDecoder.h"

namespace switchboard::cli {

void SignatureCommand::defineOptions(Poco::Util::OptionSet& options) {
    Command::defineOptions(options);
    options.addOption(Poco::Util::Option("auth-token", "t",
                                         "the account's auth token (default: $TWILIO_AUTH_TOKEN)")
                          .argument("TOKEN"));
    options.addOption(
        Poco::Util::Option("url", "u", "the webhook URL exactly as configured in Twilio")
            .argument("URL"));
    options.addOption(
        Poco::Util::Option("body-file", "b", "the raw request body (instead of K=V words)")
            .argument("FILE"));
    options.addOption(Poco::Util::Option("content-type", "",
                                         "the body's content type (default "
                                         "application/x-www-form-urlencoded)")
                          .argument("TYPE"));
}

void SignatureCommand::handleOption(const std::string& name, const std::string& value) {
    Command::handleOption(name, value);
    if (name == "auth-token") input_.authToken = value;
    if (name == "url") input_.url = value;
    if (name == "body-file") input_.bodyFile = value;
    if (name == "content-type") input_.contentType = value;
}

twilio::SignedContent SignatureCommand::content(const std::vector<std::string>& words,
                                                twilio::Parameters& fields,
                                                std::string& rawBody) const {
    require(input_.url, "url");
    const bool form = Poco::icompare(input_.contentType.substr(0, input_.contentType.find(';')),
                                     "application/x-www-form-urlencoded") == 0;
    if (!input_.bodyFile.empty()) {
        if (!words.empty()) throw std::invalid_argument("give either --body-file or K=V words");
        Poco::FileInputStream in(input_.bodyFile);
        Poco::StreamCopier::copyToString(in, rawBody);
    }
    twilio::SignedContent signedContent{input_.url, nullptr, std::nullopt};
    if (form) {
        try {
            fields = input_.bodyFile.empty() ? twilio::Parameters{} : twilio::decodeForm(rawBody);
        } catch (const twilio::DecodeError& error) {
            throw std::invalid_argument(std::string("the body is not a valid form: ") +
                                        error.what());
        }
        for (auto& pair : keyValuePairs(words)) fields.push_back(std::move(pair));
        signedContent.formParameters = &fields;
    } else {
        signedContent.rawBody = rawBody;
    }
    return signedContent;
}

namespace {

std::string tokenOrEnvironment(const std::string& token) {
    if (!token.empty()) return token;
    const char* fromEnvironment = std::getenv("TWILIO_AUTH_TOKEN");
    if (!fromEnvironment || !*fromEnvironment) {
        throw Poco::Util::MissingOptionException(
            "--auth-token is required (or set TWILIO_AUTH_TOKEN)");
    }
    return fromEnvironment;
}

}  // namespace

SignCommand::SignCommand()
    : SignatureCommand("sign", "--url URL [--auth-token T] [--body-file F | Key=Value ...]",
                       "Print the X-Twilio-Signature Twilio would send for this request.") {}

int SignCommand::runCommand(const std::vector<std::string>& words) {
    twilio::Parameters fields;
    std::string rawBody;
    const twilio::SignedContent signedContent = content(words, fields, rawBody);
    twilio::SignatureValidator validator(tokenOrEnvironment(input_.authToken));
    if (signedContent.rawBody && input_.url.find("bodySHA256=") == std::string::npos) {
        std::cerr << "note: Twilio appends bodySHA256="
                  << twilio::SignatureValidator::sha256Hex(rawBody)
                  << " to the URL's query for this body; include it in --url\n";
    }
    std::cout << validator.sign(signedContent) << '\n';
    return kOk;
}

VerifyCommand::VerifyCommand()
    : SignatureCommand("verify",
                       "--url URL --signature SIG [--auth-token T] [--body-file F | Key=Value ...] "
                       "[--content-type CT]",
                       "Check an X-Twilio-Signature the way the host does; exit 0 when it is "
                       "valid, 1 when not, printing every string that was signed.") {}

void VerifyCommand::defineOptions(Poco::Util::OptionSet& options) {
    SignatureCommand::defineOptions(options);
    options.addOption(Poco::Util::Option("signature", "s", "the X-Twilio-Signature header's value")
                          .argument("SIG"));
}

void VerifyCommand::handleOption(const std::string& name, const std::string& value) {
    SignatureCommand::handleOption(name, value);
    if (name == "signature") signature_ = value;
}

int VerifyCommand::runCommand(const std::vector<std::string>& words) {
    twilio::Parameters fields;
    std::string rawBody;
    const twilio::SignedContent signedContent = content(words, fields, rawBody);
    require(signature_, "signature");
    twilio::SignatureValidator validator(tokenOrEnvironment(input_.authToken));
    const twilio::SignatureVerdict verdict =
        validator.validate(signedContent, signature_, /*collectAttempts=*/true);
    if (verdict.valid) {
        std::cout << "valid: the signature matches the URL " << verdict.matchedUrl << '\n';
        return kOk;
    }
    std::cout << "INVALID: " << verdict.failure << '\n';
    for (const auto& attempt : verdict.attempts) {
        std::cout << "  tried URL     " << attempt.url << "\n"
                  << "  signed string " << attempt.stringToSign << "\n"
                  << "  signature     "
                  << validator.sign(
                         {attempt.url, signedContent.formParameters, signedContent.rawBody})
                  << "\n";
    }
    std::cout << "Check that --url is exactly the URL in the Twilio console (scheme, host, "
                 "port, path, query), that every parameter is present (blank ones too), and "
                 "that the token is the one of the account (or sub-account) that sent it.\n";
    return kFailure;
}

}  // namespace switchboard::cli
