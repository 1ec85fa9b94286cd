#pragma once

#include <Poco/Util/Application.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <string>
#include <vector>

namespace switchboard::cli {

/// Exit codes, following sysexits(3) where one fits.
enum ExitCode : int { kOk = 0, kFailure = 1, kUsage = 64, kUnavailable = 69, kConfig = 78 };

/// A `switchboard <command>`: Poco's Application parses its options (--name=value or
/// --name value), prints --help, and hands the remaining words (K=V pairs) to run().
class Command : public Poco::Util::Application {
public:
    Command(std::string name, std::string usage, std::string summary);

    /// Parses `argv` (argv[0] being the command name) and runs it; prints a clear message
    /// and returns kUsage for unknown or malformed options.
    int execute(int argc, char** argv);

    const std::string& summary() const { return summary_; }

protected:
    /// The command itself, after options were handled; `words` are the non-option arguments.
    virtual int runCommand(const std::vector<std::string>& words) = 0;

    void defineOptions(Poco::Util::OptionSet& options) override;
    void handleOption(const std::string& name, const std::string& value) override;
    int main(const std::vector<std::string>& words) override;

    /// Throws a Poco::Util::MissingOptionException-like usage error naming the option.
    static void require(const std::string& value, const std::string& option);

private:
    void printHelp();

    std::string name_;
    std::string usage_;
    std::string summary_;
    bool helpRequested_ = false;
};

/// Splits "Key=Value" words; throws std::invalid_argument naming a word without '='.
std::vector<std::pair<std::string, std::string>> keyValuePairs(
    const std::vector<std::string>& words);

}  // namespace switchboard::cli
