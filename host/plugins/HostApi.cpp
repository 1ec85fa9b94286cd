#include "plugins/HostApi.h"

#include <Poco/Logger.h>

#include <algorithm>
#include <cstddef>

#include "plugins/HookContext.h"
#include "plugins/LoadedPlugin.h"
#include "twilio/Utf8.h"

namespace switchboard::plugins {
namespace {

// Every function here is called from plugin code through a C function pointer: nothing may
// throw out of it, so each one that allocates catches and reports failure instead.

std::string_view view(switchboard_str_t text) {
    return text.size == 0 ? std::string_view{} : std::string_view(text.data, text.size);
}
switchboard_str_t str(std::string_view text) { return {text.data(), text.size()}; }

const LoadedPlugin& plugin(const switchboard_plugin_handle_t* handle) {
    return *reinterpret_cast<const LoadedPlugin*>(handle);
}
HookContext& context(switchboard_context_t* handle) {
    return *reinterpret_cast<HookContext*>(handle);
}
const HookContext& context(const switchboard_context_t* handle) {
    return *reinterpret_cast<const HookContext*>(handle);
}
HookContext& event(switchboard_event_t* handle) { return *reinterpret_cast<HookContext*>(handle); }
const HookContext& event(const switchboard_event_t* handle) {
    return *reinterpret_cast<const HookContext*>(handle);
}

template <typename Action>
switchboard_result_t guarded(Action&& action) noexcept {
    try {
        return action();
    } catch (...) {
        return SWITCHBOARD_INVALID;
    }
}

Poco::Logger& pluginLogger(const LoadedPlugin& loaded) {
    return Poco::Logger::get("plugin." + loaded.name());
}

void log(const switchboard_plugin_handle_t* handle, switchboard_log_level_t level,
         switchboard_str_t message) {
    guarded([&] {
        Poco::Logger& logger = pluginLogger(plugin(handle));
        const std::string text(view(message));
        switch (level) {
            case SWITCHBOARD_LOG_DEBUG:
                if (logger.debug()) logger.debug(text);
                break;
            case SWITCHBOARD_LOG_INFO:
                if (logger.information()) logger.information(text);
                break;
            case SWITCHBOARD_LOG_WARNING:
                logger.warning(text);
                break;
            default:
                logger.error(text);
                break;
        }
        return SWITCHBOARD_OK;
    });
}

void reportError(const switchboard_plugin_handle_t* handle, switchboard_str_t message) {
    guarded([&] {
        plugin(handle).reportError(std::string(view(message)));
        return SWITCHBOARD_OK;
    });
}

const std::pair<std::string, std::string>* configEntry(const LoadedPlugin& loaded,
                                                       std::string_view key) {
    const auto& config = loaded.origin().config;
    const auto found = std::lower_bound(
        config.begin(), config.end(), key,
        [](const auto& entry, std::string_view wanted) { return entry.first < wanted; });
    return found != config.end() && found->first == key ? &*found : nullptr;
}

switchboard_result_t configGet(const switchboard_plugin_handle_t* handle, switchboard_str_t key,
                               switchboard_str_t* value) {
    const auto* entry = configEntry(plugin(handle), view(key));
    if (!entry) return SWITCHBOARD_NOT_FOUND;
    *value = str(entry->second);
    return SWITCHBOARD_OK;
}

size_t configCount(const switchboard_plugin_handle_t* handle) {
    return plugin(handle).origin().config.size();
}

switchboard_result_t configAt(const switchboard_plugin_handle_t* handle, size_t index,
                              switchboard_str_t* key, switchboard_str_t* value) {
    const auto& config = plugin(handle).origin().config;
    if (index >= config.size()) return SWITCHBOARD_NOT_FOUND;
    *key = str(config[index].first);
    *value = str(config[index].second);
    return SWITCHBOARD_OK;
}

void metricAdd(const switchboard_plugin_handle_t* handle, switchboard_str_t name, uint64_t delta) {
    guarded([&] {
        plugin(handle).addMetric(view(name), delta);
        return SWITCHBOARD_OK;
    });
}

switchboard_str_t contextEventName(const switchboard_context_t* handle) {
    return str(twilio::eventName(context(handle).event));
}
switchboard_str_t contextRequestId(const switchboard_context_t* handle) {
    return str(context(handle).requestId);
}
int64_t contextReceivedAtUs(const switchboard_context_t* handle) {
    return context(handle).receivedAtUs;
}
switchboard_str_t contextAccountSid(const switchboard_context_t* handle) {
    return str(context(handle).accountSid);
}
switchboard_str_t contextIdempotencyToken(const switchboard_context_t* handle) {
    return str(context(handle).idempotencyToken);
}

switchboard_result_t contextHeader(const switchboard_context_t* handle, switchboard_str_t name,
                                   switchboard_str_t* value) {
    return guarded([&] {
        const auto* headers = context(handle).headers;
        if (!headers) return SWITCHBOARD_NOT_FOUND;
        const auto found = headers->find(std::string(view(name)));  // case-insensitive
        if (found == headers->end()) return SWITCHBOARD_NOT_FOUND;
        *value = str(found->second);
        return SWITCHBOARD_OK;
    });
}

switchboard_str_t contextPluginConfig(const switchboard_context_t* handle) {
    const LoadedPlugin* current = context(handle).plugin;
    return current ? str(current->configJson()) : str("{}");
}

auto findStored(auto& state, std::string_view key) {  // const or not, as the caller
    return std::find_if(state.store.begin(), state.store.end(),
                        [&](const auto& entry) { return entry.first == key; });
}

switchboard_result_t contextGet(const switchboard_context_t* handle, switchboard_str_t key,
                                switchboard_str_t* value) {
    const HookContext& state = context(handle);
    const auto found = findStored(state, view(key));
    if (found == state.store.end()) return SWITCHBOARD_NOT_FOUND;
    *value = str(found->second);
    return SWITCHBOARD_OK;
}

switchboard_result_t contextSet(switchboard_context_t* handle, switchboard_str_t key,
                                switchboard_str_t value) {
    return guarded([&] {
        HookContext& state = context(handle);
        if (state.phase != HookPhase::Before) return SWITCHBOARD_INVALID;
        const auto found = findStored(state, view(key));
        if (found != state.store.end()) {
            found->second.assign(view(value));
        } else {
            state.store.emplace_back(view(key), view(value));
        }
        return SWITCHBOARD_OK;
    });
}

size_t eventFieldCount(const switchboard_event_t* handle) { return event(handle).fields->size(); }

switchboard_result_t eventFieldAt(const switchboard_event_t* handle, size_t index,
                                  switchboard_str_t* key, switchboard_str_t* value) {
    const auto& fields = *event(handle).fields;
    if (index >= fields.size()) return SWITCHBOARD_NOT_FOUND;
    *key = str(fields[index].first);
    *value = str(fields[index].second);
    return SWITCHBOARD_OK;
}

switchboard_result_t eventGet(const switchboard_event_t* handle, switchboard_str_t key,
                              switchboard_str_t* value) {
    const std::string* found = twilio::findParameter(*event(handle).fields, view(key));
    if (!found) return SWITCHBOARD_NOT_FOUND;
    *value = str(*found);
    return SWITCHBOARD_OK;
}

switchboard_result_t eventSet(switchboard_event_t* handle, switchboard_str_t key,
                              switchboard_str_t value) {
    return guarded([&] {
        HookContext& state = event(handle);
        if (state.phase != HookPhase::Before) return SWITCHBOARD_INVALID;
        twilio::setParameter(*state.fields, view(key), view(value));
        return SWITCHBOARD_OK;
    });
}

switchboard_result_t eventAdd(switchboard_event_t* handle, switchboard_str_t key,
                              switchboard_str_t value) {
    return guarded([&] {
        HookContext& state = event(handle);
        if (state.phase != HookPhase::Before) return SWITCHBOARD_INVALID;
        state.fields->emplace_back(view(key), view(value));
        return SWITCHBOARD_OK;
    });
}

switchboard_result_t eventRemove(switchboard_event_t* handle, switchboard_str_t key) {
    HookContext& state = event(handle);
    if (state.phase != HookPhase::Before) return SWITCHBOARD_INVALID;
    const std::string_view name = view(key);
    const auto removed =
        std::erase_if(*state.fields, [&](const auto& field) { return field.first == name; });
    return removed > 0 ? SWITCHBOARD_OK : SWITCHBOARD_NOT_FOUND;
}

switchboard_result_t replyMessage(switchboard_context_t* handle, switchboard_str_t text,
                                  const switchboard_str_t* mediaUrls, size_t mediaCount) {
    return guarded([&] {
        HookContext& state = context(handle);
        if (state.phase != HookPhase::Before || state.event != twilio::EventType::MessageReceived ||
            (mediaCount > 0 && mediaUrls == nullptr) || !twilio::isValidUtf8(view(text))) {
            return SWITCHBOARD_INVALID;
        }
        twilio::ReplyMessage reply{std::string(view(text)), {}};
        reply.mediaUrls.reserve(mediaCount);
        for (size_t i = 0; i < mediaCount; ++i) reply.mediaUrls.emplace_back(view(mediaUrls[i]));
        state.replies.push_back(std::move(reply));
        return SWITCHBOARD_OK;
    });
}

switchboard_result_t respond(switchboard_context_t* handle, uint32_t status,
                             switchboard_str_t contentType, switchboard_str_t body) {
    return guarded([&] {
        HookContext& state = context(handle);
        if (state.phase != HookPhase::Before || status < 100 || status > 599) {
            return SWITCHBOARD_INVALID;
        }
        state.customAnswer = http::Response{
            static_cast<int>(status), std::string(view(contentType)), std::string(view(body))};
        return SWITCHBOARD_OK;
    });
}

void fail(const switchboard_context_t* handle, switchboard_str_t message) {
    guarded([&] {
        // The failure belongs to the request's bookkeeping, not to what hooks may change.
        const_cast<HookContext&>(context(handle)).failure.assign(view(message));
        return SWITCHBOARD_OK;
    });
}

const switchboard_host_api_t kHostApi = {
    sizeof(switchboard_host_api_t),
    SWITCHBOARD_ABI_VERSION_MAJOR,
    SWITCHBOARD_ABI_VERSION_MINOR,
    log,
    reportError,
    configGet,
    configCount,
    configAt,
    metricAdd,
    contextEventName,
    contextRequestId,
    contextReceivedAtUs,
    contextAccountSid,
    contextIdempotencyToken,
    contextHeader,
    contextPluginConfig,
    contextGet,
    contextSet,
    eventFieldCount,
    eventFieldAt,
    eventGet,
    eventSet,
    eventAdd,
    eventRemove,
    replyMessage,
    respond,
    fail,
};

}  // namespace

const switchboard_host_api_t& hostApi() { return kHostApi; }

}  // namespace switchboard::plugins
