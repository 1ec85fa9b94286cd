#pragma once

#include "cli/Command.h"
#include "twilio/SignatureValidator.h"

namespace switchboard::cli {

/// What `sign` and `verify` sign over: a URL and either form fields (from --body-file or
/// K=V words) or, for any other --content-type, the raw body.
struct SignatureInput {
    std::string authToken;
    std::string url;
    std::string bodyFile;
    std::string contentType = "application/x-www-form-urlencoded";
};

/// Shared options of the two signature commands.
class SignatureCommand : public Command {
protected:
    using Command::Command;
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;

    /// Reads the body and builds what Twilio signs; `fields` and `rawBody` own the storage
    /// the returned content points at.
    twilio::SignedContent content(const std::vector<std::string>& words, twilio::Parameters& fields,
                                  std::string& rawBody) const;

    SignatureInput input_;
};

/// `switchboard sign`: prints the X-Twilio-Signature Twilio would send.
class SignCommand : public SignatureCommand {
public:
    SignCommand();

protected:
    int runCommand(const std::vector<std::string>& words) override;
};

/// `switchboard verify`: checks a signature the way the host does and explains a mismatch.
class VerifyCommand : public SignatureCommand {
public:
    VerifyCommand();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int runCommand(const std::vector<std::string>& words) override;

private:
    std::string signature_;
};

}  // namespace switchboard::cli
