#pragma once

#include "cli/Command.h"

namespace switchboard::cli {

/// `switchboard send EVENT`: posts a realistic, signed sample event to a running host and
/// prints the answer, the way `stripe trigger` does.
class SendCommand : public Command {
public:
    SendCommand();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int runCommand(const std::vector<std::string>& words) override;

private:
    std::string url_;
    std::string authToken_;
    std::string publicUrl_;
};

}  // namespace switchboard::cli
