#pragma once

#include <memory>
#include <optional>

#include "http/Response.h"
#include "plugins/HookContext.h"
#include "plugins/PluginSet.h"
#include "twilio/EventType.h"
#include "twilio/Parameters.h"

namespace switchboard::http {

/// One webhook request from decoding to its `after` hooks: the answer, and what the `after`
/// hooks need once it was sent. Pinned in memory because the hook context points into it.
struct Delivery {
    Delivery() = default;
    Delivery(const Delivery&) = delete;
    Delivery& operator=(const Delivery&) = delete;

    Response response;
    std::optional<twilio::EventType> event;
    twilio::Parameters fields;
    std::optional<plugins::HookContext> context;        // set once the event passed its checks
    std::shared_ptr<const plugins::PluginSet> plugins;  // the generation this request started on
};

}  // namespace switchboard::http
