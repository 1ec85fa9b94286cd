#include "twilio/JsonDecoder.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "twilio/DecodeError.h"

namespace switchboard::twilio {
namespace {

std::string scalarText(const rapidjson::Value& value, const std::string& field) {
    if (value.IsString()) return {value.GetString(), value.GetStringLength()};
    if (value.IsNumber() || value.IsBool()) {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        value.Accept(writer);
        return {buffer.GetString(), buffer.GetSize()};
    }
    throw DecodeError("JSON member must be a string, number or boolean", field);
}

}  // namespace

Parameters decodeJson(std::string_view body) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseValidateEncodingFlag>(body.data(), body.size());
    if (document.HasParseError()) {
        throw DecodeError(std::string("malformed JSON: ") +
                          rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                          std::to_string(document.GetErrorOffset()));
    }
    if (!document.IsObject()) throw DecodeError("JSON body must be an object");

    Parameters parameters;
    parameters.reserve(document.MemberCount());
    for (const auto& member : document.GetObject()) {
        std::string key(member.name.GetString(), member.name.GetStringLength());
        std::string value = scalarText(member.value, key);
        parameters.emplace_back(std::move(key), std::move(value));
    }
    return parameters;
}

}  // namespace switchboard::twilio
