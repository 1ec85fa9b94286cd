#pragma once

#include <Poco/Net/NameValueCollection.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/Response.h"
#include "twilio/EventType.h"
#include "twilio/Parameters.h"
#include "twilio/TwimlRenderer.h"

namespace switchboard::plugins {

class LoadedPlugin;

enum class HookPhase { Before, After };

/// Everything the hooks of one request share: what the C ABI's switchboard_context_t and
/// switchboard_event_t point at. Lives on the request's stack; hooks of one request run one
/// after another on one thread, so it needs no lock.
struct HookContext {
    twilio::EventType event;
    std::string_view requestId;
    std::int64_t receivedAtUs = 0;
    std::string accountSid;
    std::string_view idempotencyToken;
    const Poco::Net::NameValueCollection* headers = nullptr;
    twilio::Parameters* fields = nullptr;

    /// The per-request key/value store that `before` hooks fill and later hooks read.
    std::vector<std::pair<std::string, std::string>> store;
    std::vector<twilio::ReplyMessage> replies;
    /// The exact answer a `before` hook set with respond(), used when it stops the chain.
    std::optional<http::Response> customAnswer;
    /// The message a hook gave with fail(); cleared before each hook call.
    std::string failure;

    /// Which hook is running, so that host functions know what is allowed and whose
    /// configuration to return.
    HookPhase phase = HookPhase::Before;
    const LoadedPlugin* plugin = nullptr;
};

}  // namespace switchboard::plugins
