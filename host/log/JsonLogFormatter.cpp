#include "log/JsonLogFormatter.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Message.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::log {
namespace {

const char* levelName(Poco::Message::Priority priority) {
    switch (priority) {
        case Poco::Message::PRIO_FATAL:
            return "fatal";
        case Poco::Message::PRIO_CRITICAL:
            return "critical";
        case Poco::Message::PRIO_ERROR:
            return "error";
        case Poco::Message::PRIO_WARNING:
            return "warning";
        case Poco::Message::PRIO_NOTICE:
            return "notice";
        case Poco::Message::PRIO_INFORMATION:
            return "info";
        case Poco::Message::PRIO_DEBUG:
            return "debug";
        default:
            return "trace";
    }
}

}  // namespace

void JsonLogFormatter::format(const Poco::Message& message, std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("time");
    writer.String(Poco::DateTimeFormatter::format(message.getTime(),
                                                  Poco::DateTimeFormat::ISO8601_FRAC_FORMAT)
                      .c_str());
    writer.Key("level");
    writer.String(levelName(message.getPriority()));
    writer.Key("logger");
    writer.String(message.getSource().c_str());
    writer.Key("message");
    writer.String(message.getText().c_str(),
                  static_cast<rapidjson::SizeType>(message.getText().size()));
    writer.EndObject();
    text.assign(buffer.GetString(), buffer.GetSize());
}

}  // namespace switchboard::log
