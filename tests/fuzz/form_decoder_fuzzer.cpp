// Fuzz target: twilio::decodeForm (host/twilio/FormDecoder.cpp).
//
// Input: an application/x-www-form-urlencoded body, as the webhook handler receives it.
//
// Properties checked:
//  1. decodeForm returns or throws DecodeError; nothing else escapes.
//  2. It agrees with a reference decoder written from the specification (WHATWG
//     application/x-www-form-urlencoded plus the host's stricter rules): pairs split at '&',
//     empty pairs skipped, the key runs to the first '=', '+' is a space, '%' must be followed
//     by two hex digits, and every decoded key and value must be well-formed UTF-8 (else the
//     body is refused). Same verdict, same fields in the same order.
//  3. Encoding the decoded fields again (Poco::URI::encode of each key and value, reserving the
//     characters the form syntax gives meaning to) and decoding that gives the same fields;
//     so does cli::encodeForm, which `switchboard send` and the integration tests post.
#include <Poco/URI.h>

#include <optional>

#include "FuzzSupport.h"
#include "cli/SamplePayloads.h"
#include "twilio/DecodeError.h"
#include "twilio/FormDecoder.h"

using switchboard::fuzz::printable;
using switchboard::twilio::Parameters;

namespace {

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> referenceComponent(std::string_view encoded) {
    std::string decoded;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '+') {
            decoded += ' ';
        } else if (c == '%') {
            if (encoded.size() - i < 3) return std::nullopt;
            const int high = hexValue(encoded[i + 1]), low = hexValue(encoded[i + 2]);
            if (high < 0 || low < 0) return std::nullopt;
            decoded += static_cast<char>(high * 16 + low);
            i += 2;
        } else {
            decoded += c;
        }
    }
    if (!switchboard::fuzz::isStrictUtf8(decoded)) return std::nullopt;
    return decoded;
}

std::optional<Parameters> referenceDecode(std::string_view body) {
    Parameters fields;
    for (std::string_view pair : switchboard::fuzz::split(body, '&')) {
        if (pair.empty()) continue;
        const auto equals = pair.find('=');
        auto key = referenceComponent(pair.substr(0, equals));
        auto value = referenceComponent(equals == std::string_view::npos ? std::string_view{}
                                                                         : pair.substr(equals + 1));
        if (!key || !value) return std::nullopt;
        fields.emplace_back(std::move(*key), std::move(*value));
    }
    return fields;
}

std::string encode(const Parameters& fields) {
    std::string body;
    for (const auto& [key, value] : fields) {
        if (!body.empty()) body += '&';
        Poco::URI::encode(key, "&=+%#", body);
        body += '=';
        Poco::URI::encode(value, "&=+%#", body);
    }
    return body;
}

std::string describe(const Parameters& fields) {
    std::string text = "{";
    for (const auto& [key, value] : fields) {
        text += " [" + printable(key, 60) + "]=[" + printable(value, 60) + "]";
    }
    return text + " }";
}

std::optional<Parameters> decodeOrNothing(std::string_view body) {
    try {
        return switchboard::twilio::decodeForm(body);
    } catch (const switchboard::twilio::DecodeError&) {
        return std::nullopt;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = switchboard::fuzz::asText(data, size);

    const std::optional<Parameters> decoded = decodeOrNothing(body);
    const std::optional<Parameters> expected = referenceDecode(body);
    FUZZ_CHECK(decoded.has_value() == expected.has_value(),
               std::string(decoded ? "decodeForm accepted" : "decodeForm refused") +
                   " a body the reference decoder " + (expected ? "accepts" : "refuses") + ": " +
                   printable(body));
    if (!decoded) return 0;
    FUZZ_CHECK(*decoded == *expected, "decodeForm gave " + describe(*decoded) + ", the reference " +
                                          describe(*expected) + " for: " + printable(body));

    const std::string reencoded = encode(*decoded);
    const std::optional<Parameters> again = decodeOrNothing(reencoded);
    FUZZ_CHECK(again && *again == *decoded,
               "re-encoded fields do not decode to themselves: " + printable(reencoded));

    const std::string sent = switchboard::cli::encodeForm(*decoded);
    const std::optional<Parameters> received = decodeOrNothing(sent);
    FUZZ_CHECK(received && *received == *decoded,
               "cli::encodeForm output does not decode to its fields: " + printable(sent));
    return 0;
}
