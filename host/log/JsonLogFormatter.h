#pragma once

#include <Poco/Formatter.h>

namespace switchboard::log {

/// Formats each log message as one JSON object per line (log.format=json), for log
/// pipelines that parse fields rather than text.
class JsonLogFormatter : public Poco::Formatter {
public:
    void format(const Poco::Message& message, std::string& text) override;
};

}  // namespace switchboard::log
