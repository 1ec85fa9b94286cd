#pragma once

#include <string_view>

#include "twilio/Parameters.h"

namespace switchboard::twilio {

/// Decodes an application/x-www-form-urlencoded body into its fields, in order, keeping
/// blank values and repeated keys. Throws DecodeError on malformed percent-encoding or on
/// a key or value that is not UTF-8 once decoded.
Parameters decodeForm(std::string_view body);

}  // namespace switchboard::twilio
