#include "log/Logging.h"

#include <Poco/AutoPtr.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/PatternFormatter.h>

#include <stdexcept>

#include "log/JsonLogFormatter.h"

namespace switchboard::log {

void configureLogging(const std::string& level, const std::string& format) {
    Poco::AutoPtr<Poco::Formatter> formatter;
    if (format == "json") {
        formatter = new JsonLogFormatter;
    } else if (format == "text") {
        formatter = new Poco::PatternFormatter("%Y-%m-%dT%H:%M:%S.%iZ %p %s: %t");
    } else {
        throw std::invalid_argument("log.format must be text or json, got '" + format + "'");
    }
    Poco::AutoPtr<Poco::Channel> console = new Poco::ConsoleChannel;  // standard error
    Poco::AutoPtr<Poco::FormattingChannel> channel =
        new Poco::FormattingChannel(formatter, console);
    int priority;
    try {
        priority = Poco::Logger::parseLevel(level);
    } catch (const std::exception&) {
        throw std::invalid_argument("log.level '" + level +
                                    "' is not one of error, warning, notice, information, debug");
    }
    Poco::Logger::root().setChannel(channel);
    Poco::Logger::root().setLevel(priority);
    // Loggers made before this call keep their own copies; bring them in line.
    Poco::Logger::setChannel("", channel);
    Poco::Logger::setLevel("", priority);
}

}  // namespace switchboard::log
