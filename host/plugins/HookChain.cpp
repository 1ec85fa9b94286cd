#include "plugins/HookChain.h"

#include <Poco/Logger.h>

#include <chrono>
#include <mutex>
#include <optional>

#include "plugins/CrashGuard.h"
#include "plugins/HostApi.h"

namespace switchboard::plugins {
namespace {

// Looked up once: Logger::get takes a global lock and searches a map.
Poco::Logger& hooksLogger() {
    static Poco::Logger& instance = Poco::Logger::get("switchboard.hooks");
    return instance;
}

// Holds a serial plugin's lock for the duration of one hook call; concurrent plugins are
// called without any lock.
class SerialGuard {
public:
    explicit SerialGuard(const LoadedPlugin& plugin) {
        if (!plugin.concurrent()) lock_.emplace(plugin.serialLock());
    }

private:
    std::optional<std::unique_lock<std::mutex>> lock_;
};

}  // namespace

template <typename Call>
auto HookChain::invoke(const LoadedPlugin& plugin, HookContext& context, const char* phase,
                       Clock::time_point& clock, Call&& call) const {
    context.plugin = &plugin;
    context.failure.clear();
    const auto result = [&] {
        SerialGuard guard(plugin);
        CrashGuard::Scope running(plugin.crashRecord());
        return call(plugin.state(), toContext(&context), toEvent(&context));
    }();
    const auto finished = Clock::now();
    const auto elapsed = finished - clock;
    clock = finished;
    plugin.recordCall(context.event, std::chrono::duration<double>(elapsed).count());
    if (elapsed > slowCall_) {
        reportSlowCall(plugin, context, phase, elapsed);
        clock = Clock::now();  // the report is the host's time, not the next hook's
    }
    return result;
}

void HookChain::reportSlowCall(const LoadedPlugin& plugin, const HookContext& context,
                               const char* phase,
                               std::chrono::steady_clock::duration elapsed) const {
    plugin.recordSlowCall(context.event);
    hooksLogger().warning(
        "plugin %s: %s hook of %s took %.1f ms for request %s (plugins.hookTimeoutMs=%.0f)",
        plugin.name(), std::string(phase), std::string(twilio::eventName(context.event)),
        std::chrono::duration<double, std::milli>(elapsed).count(), std::string(context.requestId),
        std::chrono::duration<double, std::milli>(slowCall_).count());
}

BeforeOutcome HookChain::runBefore(const PluginSet& plugins, HookContext& context) const {
    context.phase = HookPhase::Before;
    Clock::time_point clock = Clock::now();
    for (const BeforeHook& hook : plugins.beforeHooks(context.event)) {
        const switchboard_before_action_t action =
            invoke(*hook.plugin, context, "before", clock, hook.call);
        // An answer set with respond() belongs to the hook that stops with it.
        if (action == SWITCHBOARD_CONTINUE) {
            context.customAnswer.reset();
            continue;
        }
        if (action == SWITCHBOARD_STOP) {
            return {BeforeOutcome::Kind::Stopped, hook.plugin->name(), {}};
        }
        std::string message = context.failure.empty()
                                  ? "before hook failed (action " + std::to_string(action) + ")"
                                  : context.failure;
        hook.plugin->recordError(context.event, message);
        return {BeforeOutcome::Kind::Failed, hook.plugin->name(), std::move(message)};
    }
    return {};
}

void HookChain::runAfter(const PluginSet& plugins, HookContext& context,
                         const http::Response& response) const {
    context.phase = HookPhase::After;
    const switchboard_response_t view{sizeof(switchboard_response_t),
                                      static_cast<uint32_t>(response.status),
                                      {response.contentType.data(), response.contentType.size()},
                                      {response.body.data(), response.body.size()}};
    Clock::time_point clock = Clock::now();
    for (const AfterHook& hook : plugins.afterHooks(context.event)) {
        const int status =
            invoke(*hook.plugin, context, "after", clock,
                   [&](void* state, switchboard_context_t* ctx, switchboard_event_t* event) {
                       return hook.call(state, ctx, event, &view);
                   });
        if (status == 0) continue;
        const std::string message = context.failure.empty() ? "after hook failed" : context.failure;
        hook.plugin->recordError(context.event, message);
        hooksLogger().warning("plugin %s: after hook of %s failed for request %s: %s",
                              hook.plugin->name(), std::string(twilio::eventName(context.event)),
                              std::string(context.requestId), message);
        clock = Clock::now();
    }
}

}  // namespace switchboard::plugins
