// Fuzz target: twilio::decodeJson (host/twilio/JsonDecoder.cpp).
//
// Input: an application/json body, as the webhook handler receives it.
//
// Properties checked:
//  1. decodeJson returns or throws DecodeError; nothing else escapes.
//  2. What it returns is what its header promises: every key and value is well-formed UTF-8
//     (invalid UTF-8 throws), one field per member in document order (duplicates kept), string
//     members byte for byte, booleans as "true"/"false", numbers as text that reads back as a
//     JSON number.
//  3. Writing the fields back as a JSON object of strings and decoding that gives the same
//     fields.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>

#include "FuzzSupport.h"
#include "twilio/DecodeError.h"
#include "twilio/JsonDecoder.h"

using switchboard::fuzz::isStrictUtf8;
using switchboard::fuzz::printable;
using switchboard::twilio::Parameters;

namespace {

std::optional<Parameters> decodeOrNothing(std::string_view body) {
    try {
        return switchboard::twilio::decodeJson(body);
    } catch (const switchboard::twilio::DecodeError&) {
        return std::nullopt;
    }
}

// Every decoded key and value is UTF-8 (a lone surrogate escape is refused).
void checkWellFormed(std::string_view text) {
    FUZZ_CHECK(isStrictUtf8(text),
               "decodeJson returned a field that is not UTF-8: " + printable(text));
}

std::string writeAsStrings(const Parameters& fields) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [key, value] : fields) {
        writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = switchboard::fuzz::asText(data, size);
    const std::optional<Parameters> fields = decodeOrNothing(body);
    if (!fields) return 0;

    for (const auto& [key, value] : *fields) {
        checkWellFormed(key);
        checkWellFormed(value);
    }

    // The same body read independently: an object of scalars, member by member.
    rapidjson::Document document;
    document.Parse(body.data(), body.size());
    FUZZ_CHECK(!document.HasParseError() && document.IsObject(),
               "decodeJson accepted a body that is not a JSON object: " + printable(body));
    FUZZ_CHECK(document.MemberCount() == fields->size(),
               std::to_string(fields->size()) + " fields for " +
                   std::to_string(document.MemberCount()) + " members: " + printable(body));
    for (std::size_t index = 0; index < fields->size(); ++index) {
        // (Indexing, not `!=` on RapidJSON's member iterators: clang warns that C++20 finds
        // that comparison ambiguous.)
        const auto member = document.MemberBegin() + static_cast<std::ptrdiff_t>(index);
        const auto& [key, value] = (*fields)[index];
        const std::string_view name(member->name.GetString(), member->name.GetStringLength());
        FUZZ_CHECK(key == name, "field " + std::to_string(index) + " is named " + printable(key) +
                                    ", the member " + printable(name));
        const rapidjson::Value& memberValue = member->value;
        if (memberValue.IsString()) {
            FUZZ_CHECK(
                value == std::string_view(memberValue.GetString(), memberValue.GetStringLength()),
                "string member " + printable(key) + " decoded as " + printable(value));
        } else if (memberValue.IsBool()) {
            FUZZ_CHECK(value == (memberValue.GetBool() ? "true" : "false"),
                       "boolean member " + printable(key) + " decoded as " + printable(value));
        } else {
            FUZZ_CHECK(memberValue.IsNumber(),
                       "decodeJson accepted a member that is not a "
                       "scalar: " +
                           printable(key));
            rapidjson::Document number;
            number.Parse(value.data(), value.size());
            FUZZ_CHECK(!number.HasParseError() && number.IsNumber(),
                       "number member " + printable(key) + " decoded as " + printable(value));
        }
    }

    const std::string written = writeAsStrings(*fields);
    const std::optional<Parameters> again = decodeOrNothing(written);
    FUZZ_CHECK(
        again && *again == *fields,
        "the fields written as JSON strings do not decode to themselves: " + printable(written));
    return 0;
}
