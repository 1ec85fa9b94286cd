#include "plugins/PluginSet.h"

namespace switchboard::plugins {

PluginSet::PluginSet(std::vector<std::shared_ptr<const LoadedPlugin>> plugins)
    : plugins_(std::move(plugins)) {
    for (const auto& plugin : plugins_) {
        for (twilio::EventType event : twilio::kAllEventTypes) {
            const EventHooks& hooks = plugin->hooks(event);
            if (hooks.before)
                before_[twilio::eventIndex(event)].push_back({plugin.get(), hooks.before});
            if (hooks.after)
                after_[twilio::eventIndex(event)].push_back({plugin.get(), hooks.after});
        }
    }
}

const LoadedPlugin* PluginSet::find(const std::string& name) const {
    for (const auto& plugin : plugins_) {
        if (plugin->name() == name) return plugin.get();
    }
    return nullptr;
}

}  // namespace switchboard::plugins
