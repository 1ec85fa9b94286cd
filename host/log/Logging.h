#pragma once

#include <string>

namespace switchboard::log {

/// Sends every logger to standard error, as text (`time level logger: message`) or as JSON
/// lines, at `level` (Poco's names: error, warning, notice, information, debug, trace).
/// Throws std::invalid_argument naming a bad level or format.
void configureLogging(const std::string& level, const std::string& format);

}  // namespace switchboard::log
