#pragma once

#include <string>
#include <string_view>

#include "http/Response.h"

namespace switchboard::http {

/// An error answer with the short JSON body `{"error": ..., "field": ...}` that tells a
/// client (or whoever reads Twilio's debugger) what was wrong; `field` is left out when empty.
Response jsonError(int status, std::string_view message, std::string_view field = {});

}  // namespace switchboard::http
