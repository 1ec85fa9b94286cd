#include "twilio/JsonDecoder.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "twilio/DecodeError.h"
#include "twilio/Utf8.h"

namespace switchboard::twilio {
namespace {

// Numbers arrive as their text (kParseNumbersAsStringsFlag): what was signed and sent, with
// no round trip through a double that could lose digits or overflow.
std::string scalarText(const rapidjson::Value& value, const std::string& field) {
    std::string text;
    if (value.IsString()) {
        text.assign(value.GetString(), value.GetStringLength());
    } else if (value.IsBool()) {
        text = value.GetBool() ? "true" : "false";
    } else {
        throw DecodeError("JSON member must be a string, number or boolean", field);
    }
    // RapidJSON decodes a lone surrogate escape ("\udc00") into bytes that are not UTF-8.
    if (!isValidUtf8(text)) throw DecodeError("JSON member is not valid UTF-8", field);
    return text;
}

}  // namespace

Parameters decodeJson(std::string_view body) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag>(
        body.data(), body.size());
    if (document.HasParseError()) {
        throw DecodeError(std::string("malformed JSON: ") +
                          rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                          std::to_string(document.GetErrorOffset()));
    }
    if (!document.IsObject()) throw DecodeError("JSON body must be an object");

    Parameters parameters;
    parameters.reserve(document.MemberCount());
    // By index: C++20 finds RapidJSON 1.1's iterator comparisons ambiguous (clang warns).
    for (rapidjson::SizeType index = 0; index < document.MemberCount(); ++index) {
        const auto& member = document.MemberBegin()[index];
        std::string key(member.name.GetString(), member.name.GetStringLength());
        if (!isValidUtf8(key)) throw DecodeError("JSON member name is not valid UTF-8");
        std::string value = scalarText(member.value, key);
        parameters.emplace_back(std::move(key), std::move(value));
    }
    return parameters;
}

}  // namespace switchboard::twilio
