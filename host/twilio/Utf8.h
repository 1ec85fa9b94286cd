#pragma once

#include <string_view>

namespace switchboard::twilio {

/// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or truncated sequences).
bool isValidUtf8(std::string_view text);

}  // namespace switchboard::twilio
