#include "twilio/FormDecoder.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>

#include "twilio/DecodeError.h"
#include "twilio/Utf8.h"

namespace switchboard::twilio {
namespace {

std::string decodeComponent(std::string_view encoded, std::string_view fieldForErrors) {
    // Poco's plusAsSpace only applies after a '?', so the form's '+' is turned into a space
    // here; a literal plus arrives as %2B and is unaffected.
    std::string text(encoded);
    std::replace(text.begin(), text.end(), '+', ' ');
    if (text.find('%') != std::string::npos) {
        std::string decoded;
        try {
            Poco::URI::decode(text, decoded);
        } catch (const Poco::SyntaxException&) {
            throw DecodeError("malformed percent-encoding in form body",
                              std::string(fieldForErrors));
        }
        text.swap(decoded);
    }
    const bool ascii = std::all_of(text.begin(), text.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii && !isValidUtf8(text)) {
        throw DecodeError("form field is not valid UTF-8", std::string(fieldForErrors));
    }
    return text;
}

}  // namespace

Parameters decodeForm(std::string_view body) {
    Parameters parameters;
    while (!body.empty()) {
        const auto ampersand = body.find('&');
        const std::string_view pair = body.substr(0, ampersand);
        body =
            ampersand == std::string_view::npos ? std::string_view{} : body.substr(ampersand + 1);
        if (pair.empty()) continue;  // "a=1&&b=2": browsers and Twilio's libraries skip these

        const auto equals = pair.find('=');
        const std::string_view rawKey = pair.substr(0, equals);
        const std::string_view rawValue =
            equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
        std::string key = decodeComponent(rawKey, {});
        std::string value = decodeComponent(rawValue, key);
        parameters.emplace_back(std::move(key), std::move(value));
    }
    return parameters;
}

}  // namespace switchboard::twilio
