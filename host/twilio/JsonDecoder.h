#pragma once

#include <string_view>

#include "twilio/Parameters.h"

namespace switchboard::twilio {

/// Decodes an application/json body: an object whose members are strings, in order.
/// Numbers and booleans are kept as their JSON text, since some Twilio products send them
/// unquoted; nested objects, arrays, nulls, malformed JSON and invalid UTF-8 throw DecodeError.
Parameters decodeJson(std::string_view body);

}  // namespace switchboard::twilio
