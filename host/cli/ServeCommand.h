#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include "cli/Command.h"

namespace switchboard::cli {

/// `switchboard serve`: loads the configuration and the plugins, serves the webhook and the
/// admin API until SIGTERM or SIGINT, reloads plugins on SIGHUP.
class ServeCommand : public Command {
public:
    ServeCommand();

protected:
    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int runCommand(const std::vector<std::string>& words) override;

private:
    std::string configFile_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> overrides_ = new Poco::Util::MapConfiguration;
};

}  // namespace switchboard::cli
