#include "plugins/LoadedPlugin.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>
#include <system_error>

#include "plugins/CrashGuard.h"
#include "plugins/HostApi.h"

namespace switchboard::plugins {
namespace {

std::string toJson(const std::vector<std::pair<std::string, std::string>>& config) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [key, value] : config) {
        writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

LoadedPlugin::LoadedPlugin(boost::dll::shared_library library,
                           const switchboard_plugin_descriptor_t& descriptor, PluginOrigin origin)
    : library_(std::move(library)),
      name_(descriptor.name),
      version_(descriptor.version ? descriptor.version : ""),
      description_(descriptor.description ? descriptor.description : ""),
      destroy_(descriptor.destroy),
      concurrent_((descriptor.flags & SWITCHBOARD_PLUGIN_CONCURRENT) != 0),
      origin_(std::move(origin)),
      configJson_(toJson(origin_.config)),
      crashRecord_(origin_.sha256 + " " + name_ + " " + origin_.file.string()),
      loadedAt_(std::chrono::system_clock::now()) {
    for (size_t i = 0; i < descriptor.hook_count; ++i) {
        const switchboard_hook_t& hook = descriptor.hooks[i];
        if (!hook.event_name) continue;
        if (const auto event = twilio::eventTypeFromName(hook.event_name)) {
            hooks_[twilio::eventIndex(*event)] = {hook.before, hook.after};
        }
    }
    CrashGuard::Scope running(crashRecord());
    const int status = descriptor.init(&hostApi(), toHandle(this),
                                       {configJson_.data(), configJson_.size()}, &state_);
    if (status != 0) {
        std::string reason = lastError();
        throw std::runtime_error("init failed (returned " + std::to_string(status) + ")" +
                                 (reason.empty() ? "" : ": " + reason));
    }
}

LoadedPlugin::~LoadedPlugin() {
    {
        CrashGuard::Scope running(crashRecord());
        destroy_(state_);
    }
    library_.unload();
    std::error_code ignored;
    std::filesystem::remove(origin_.privateCopy, ignored);
}

std::vector<std::string> LoadedPlugin::hookNames() const {
    std::vector<std::string> names;
    for (twilio::EventType event : twilio::kAllEventTypes) {
        const EventHooks& eventHooks = hooks(event);
        if (eventHooks.before) names.push_back(std::string(twilio::eventName(event)) + ":before");
        if (eventHooks.after) names.push_back(std::string(twilio::eventName(event)) + ":after");
    }
    return names;
}

void LoadedPlugin::reportError(std::string message) const {
    std::lock_guard lock(mutableStateLock_);
    lastError_ = std::move(message);
}

std::string LoadedPlugin::lastError() const {
    std::lock_guard lock(mutableStateLock_);
    return lastError_;
}

void LoadedPlugin::recordCall(twilio::EventType event, double seconds) const {
    stats_[twilio::eventIndex(event)].latency.observe(seconds);
}

void LoadedPlugin::recordError(twilio::EventType event, std::string message) const {
    stats_[twilio::eventIndex(event)].errors.fetch_add(1, std::memory_order_relaxed);
    reportError(std::move(message));
}

std::uint64_t LoadedPlugin::calls() const {
    std::uint64_t total = 0;
    for (const HookStats& hook : stats_) total += hook.latency.count();
    return total;
}

std::uint64_t LoadedPlugin::errors() const {
    std::uint64_t total = 0;
    for (const HookStats& hook : stats_) total += hook.errors.load(std::memory_order_relaxed);
    return total;
}

void LoadedPlugin::addMetric(std::string_view name, std::uint64_t delta) const {
    std::lock_guard lock(mutableStateLock_);
    const auto found = metrics_.find(name);
    if (found != metrics_.end()) {
        found->second += delta;
    } else {
        metrics_.emplace(std::string(name), delta);
    }
}

std::map<std::string, std::uint64_t> LoadedPlugin::metrics() const {
    std::lock_guard lock(mutableStateLock_);
    return {metrics_.begin(), metrics_.end()};
}

}  // namespace switchboard::plugins
