#pragma once

#include <array>
#include <memory>
#include <vector>

#include "plugins/LoadedPlugin.h"
#include "twilio/EventType.h"

namespace switchboard::plugins {

/// One hook of one plugin, bound for a given event.
struct BeforeHook {
    const LoadedPlugin* plugin;
    switchboard_on_before_fn call;
};
struct AfterHook {
    const LoadedPlugin* plugin;
    switchboard_on_after_fn call;
};

/// An immutable, ordered generation of plugins with each event's hooks laid out in call
/// order. A request holds the set it started with until it ends, which keeps every plugin in
/// it loaded; a reload builds a new set and swaps it in.
class PluginSet {
public:
    PluginSet() = default;
    explicit PluginSet(std::vector<std::shared_ptr<const LoadedPlugin>> plugins);

    const std::vector<std::shared_ptr<const LoadedPlugin>>& plugins() const { return plugins_; }
    const std::vector<BeforeHook>& beforeHooks(twilio::EventType event) const {
        return before_[twilio::eventIndex(event)];
    }
    const std::vector<AfterHook>& afterHooks(twilio::EventType event) const {
        return after_[twilio::eventIndex(event)];
    }
    const LoadedPlugin* find(const std::string& name) const;

private:
    std::vector<std::shared_ptr<const LoadedPlugin>> plugins_;
    std::array<std::vector<BeforeHook>, twilio::kEventTypeCount> before_;
    std::array<std::vector<AfterHook>, twilio::kEventTypeCount> after_;
};

}  // namespace switchboard::plugins
