#pragma once

#include <optional>
#include <string_view>

namespace switchboard::twilio {

/// The three deliveries Switchboard handles; their names are the plugin contract.
enum class EventType { CallStatusUpdate, MessageReceived, MessageStatusUpdate };

inline constexpr EventType kAllEventTypes[] = {
    EventType::CallStatusUpdate, EventType::MessageReceived, EventType::MessageStatusUpdate};
inline constexpr std::size_t kEventTypeCount = std::size(kAllEventTypes);

constexpr std::string_view eventName(EventType type) {
    switch (type) {
        case EventType::CallStatusUpdate:
            return "call.statusUpdate";
        case EventType::MessageReceived:
            return "message.received";
        case EventType::MessageStatusUpdate:
            return "message.statusUpdate";
    }
    return {};
}

constexpr std::size_t eventIndex(EventType type) { return static_cast<std::size_t>(type); }

inline std::optional<EventType> eventTypeFromName(std::string_view name) {
    for (EventType type : kAllEventTypes) {
        if (eventName(type) == name) return type;
    }
    return std::nullopt;
}

}  // namespace switchboard::twilio
