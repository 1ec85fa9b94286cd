#include "plugins/HookChain.h"

#include <Poco/Logger.h>

#include <chrono>
#include <mutex>
#include <optional>

#include "plugins/HostApi.h"

namespace switchboard::plugins {
namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
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

BeforeOutcome HookChain::runBefore(const PluginSet& plugins, HookContext& context) {
    context.phase = HookPhase::Before;
    for (const BeforeHook& hook : plugins.beforeHooks(context.event)) {
        context.plugin = hook.plugin;
        context.failure.clear();
        switchboard_before_action_t action;
        const auto started = std::chrono::steady_clock::now();
        {
            SerialGuard guard(*hook.plugin);
            action = hook.call(hook.plugin->state(), toContext(&context), toEvent(&context));
        }
        hook.plugin->recordCall(context.event, secondsSince(started));
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
                         const http::Response& response) {
    context.phase = HookPhase::After;
    const switchboard_response_t view{
        sizeof(switchboard_response_t),
        static_cast<uint32_t>(response.status),
        {response.contentType.data(), response.contentType.size()},
        {response.body.data(), response.body.size()}};
    for (const AfterHook& hook : plugins.afterHooks(context.event)) {
        context.plugin = hook.plugin;
        context.failure.clear();
        int status;
        const auto started = std::chrono::steady_clock::now();
        {
            SerialGuard guard(*hook.plugin);
            status = hook.call(hook.plugin->state(), toContext(&context), toEvent(&context), &view);
        }
        hook.plugin->recordCall(context.event, secondsSince(started));
        if (status == 0) continue;
        const std::string message = context.failure.empty() ? "after hook failed" : context.failure;
        hook.plugin->recordError(context.event, message);
        Poco::Logger::get("switchboard.hooks")
            .warning("plugin %s: after hook of %s failed for request %s: %s",
                     hook.plugin->name(), std::string(twilio::eventName(context.event)),
                     std::string(context.requestId), message);
    }
}

}  // namespace switchboard::plugins
