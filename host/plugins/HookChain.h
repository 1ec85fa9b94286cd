#pragma once

#include <chrono>
#include <string>

#include "http/Response.h"
#include "plugins/HookContext.h"
#include "plugins/PluginSet.h"

namespace switchboard::plugins {

/// How the `before` hooks of a request ended.
struct BeforeOutcome {
    enum class Kind { Completed, Stopped, Failed } kind = Kind::Completed;
    /// The plugin that stopped or failed the chain.
    std::string plugin;
    /// Its message, when it failed.
    std::string message;
};

/// Runs the hooks of one request through the C ABI, in the set's order, timing each call.
class HookChain {
public:
    /// Hook calls slower than `slowCall` are logged and counted against their plugin.
    explicit HookChain(std::chrono::microseconds slowCall) : slowCall_(slowCall) {}

    /// Calls each `before` hook until one stops or fails. A failure (SWITCHBOARD_FAIL or an
    /// unknown action) is counted against the plugin.
    BeforeOutcome runBefore(const PluginSet& plugins, HookContext& context) const;

    /// Calls every `after` hook with the answer that was sent; failures are logged and counted,
    /// and never stop the others.
    void runAfter(const PluginSet& plugins, HookContext& context,
                  const http::Response& response) const;

private:
    using Clock = std::chrono::steady_clock;

    /// Calls one hook the way every hook is called: context set for the plugin, its serial
    /// lock held if it has one, the crash guard told whose code runs, the call timed.
    ///
    /// A call is timed from `clock` (the end of the previous call, or the chain's start) to
    /// its own end, which becomes the next call's start: one clock read per hook instead of
    /// two, a third of what a no-op hook costs. A call's time thus includes the host's few
    /// nanoseconds of bookkeeping before it; anything slower (a log line) resets the clock.
    template <typename Call>
    auto invoke(const LoadedPlugin& plugin, HookContext& context, const char* phase,
                Clock::time_point& clock, Call&& call) const;
    void reportSlowCall(const LoadedPlugin& plugin, const HookContext& context, const char* phase,
                        std::chrono::steady_clock::duration elapsed) const;

    std::chrono::microseconds slowCall_;
};

}  // namespace switchboard::plugins
