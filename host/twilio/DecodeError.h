#pragma once

#include <stdexcept>
#include <string>

namespace switchboard::twilio {

/// A body that cannot be decoded: the request is answered 400 with `what()` and `field()`.
class DecodeError : public std::runtime_error {
public:
    DecodeError(const std::string& message, std::string field = {})
        : std::runtime_error(message), field_(std::move(field)) {}

    const std::string& field() const { return field_; }

private:
    std::string field_;
};

}  // namespace switchboard::twilio
