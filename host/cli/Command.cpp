#include "cli/Command.h"

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/OptionException.h>

#include <iostream>

namespace switchboard::cli {

Command::Command(std::string name, std::string usage, std::string summary)
    : name_(std::move(name)), usage_(std::move(usage)), summary_(std::move(summary)) {
    setUnixOptions(true);
}

void Command::defineOptions(Poco::Util::OptionSet& options) {
    Poco::Util::Application::defineOptions(options);
    options.addOption(Poco::Util::Option("help", "h", "print this help and exit"));
}

void Command::handleOption(const std::string& name, const std::string& value) {
    Poco::Util::Application::handleOption(name, value);
    if (name == "help") {
        helpRequested_ = true;
        stopOptionsProcessing();
    }
}

void Command::printHelp() {
    Poco::Util::HelpFormatter help(options());
    help.setUnixStyle(true);
    help.setCommand("switchboard " + name_);
    help.setUsage(usage_);
    help.setHeader(summary_);
    help.format(std::cout);
}

int Command::main(const std::vector<std::string>& words) {
    if (helpRequested_) {
        printHelp();
        return kOk;
    }
    try {
        return runCommand(words);
    } catch (const Poco::Util::OptionException& error) {
        std::cerr << "switchboard " << name_ << ": " << error.message() << "\nRun `switchboard "
                  << name_ << " --help` for usage.\n";
        return kUsage;
    } catch (const std::invalid_argument& error) {
        std::cerr << "switchboard " << name_ << ": " << error.what() << "\nRun `switchboard "
                  << name_ << " --help` for usage.\n";
        return kUsage;
    }
}

int Command::execute(int argc, char** argv) {
    try {
        init(argc, argv);
    } catch (const Poco::Util::OptionException& error) {
        std::cerr << "switchboard " << name_ << ": " << error.displayText() << "\nRun `switchboard "
                  << name_ << " --help` for usage.\n";
        return kUsage;
    }
    return Poco::Util::Application::run();
}

void Command::require(const std::string& value, const std::string& option) {
    if (value.empty()) throw Poco::Util::MissingOptionException("--" + option + " is required");
}

std::vector<std::pair<std::string, std::string>> keyValuePairs(
    const std::vector<std::string>& words) {
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const std::string& word : words) {
        const auto equals = word.find('=');
        if (equals == std::string::npos || equals == 0) {
            throw std::invalid_argument("expected Key=Value, got '" + word + "'");
        }
        pairs.emplace_back(word.substr(0, equals), word.substr(equals + 1));
    }
    return pairs;
}

}  // namespace switchboard::cli
