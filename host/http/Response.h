#pragma once

#include <string>

namespace switchboard::http {

/// An HTTP answer as the host builds it and as `after` hooks see it.
struct Response {
    int status = 204;
    std::string contentType;
    std::string body;
};

}  // namespace switchboard::http
