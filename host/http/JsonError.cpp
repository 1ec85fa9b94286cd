#include "http/JsonError.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::http {

Response jsonError(int status, std::string_view message, std::string_view field) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("error");
    writer.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
    if (!field.empty()) {
        writer.Key("field");
        writer.String(field.data(), static_cast<rapidjson::SizeType>(field.size()));
    }
    writer.EndObject();
    return {status, "application/json", std::string(buffer.GetString(), buffer.GetSize())};
}

}  // namespace switchboard::http
