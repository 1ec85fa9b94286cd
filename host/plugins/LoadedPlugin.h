#pragma once

#include <switchboard/plugin.h>

#include <array>
#include <atomic>
#include <boost/dll/shared_library.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "admin/LatencyHistogram.h"
#include "twilio/EventType.h"

namespace switchboard::plugins {

/// Where a loaded generation came from and how it is configured.
struct PluginOrigin {
    std::filesystem::path file;         // the operator's file in plugins.dir
    std::filesystem::path privateCopy;  // what was actually mapped
    std::string sha256;
    unsigned generation = 1;  // how many times a plugin of this name was loaded
    /// plugins.<name>.* without the prefix, sorted by key.
    std::vector<std::pair<std::string, std::string>> config;
};

/// A plugin generation's hooks for one event; null where it implements none.
struct EventHooks {
    switchboard_on_before_fn before = nullptr;
    switchboard_on_after_fn after = nullptr;
};

/// Calls, failures and latency of one plugin's hooks for one event.
struct HookStats {
    std::atomic<std::uint64_t> errors{0};
    std::atomic<std::uint64_t> slow{0};  // calls over plugins.hookTimeoutMs
    admin::LatencyHistogram latency;
};

/// One initialised generation of a plugin: its mapped library, descriptor and state.
/// Destroying it calls the plugin's destroy, unmaps the library and deletes the private copy,
/// so the last holder of a shared_ptr to it (a request in flight, or the current plugin set)
/// decides when a replaced generation goes away.
class LoadedPlugin {
public:
    /// Takes a library whose descriptor was already checked; calls init. Throws
    /// std::runtime_error with the plugin's own reason when init fails.
    LoadedPlugin(boost::dll::shared_library library,
                 const switchboard_plugin_descriptor_t& descriptor, PluginOrigin origin);
    ~LoadedPlugin();

    LoadedPlugin(const LoadedPlugin&) = delete;
    LoadedPlugin& operator=(const LoadedPlugin&) = delete;

    const std::string& name() const { return name_; }
    const std::string& version() const { return version_; }
    const std::string& description() const { return description_; }
    const PluginOrigin& origin() const { return origin_; }
    const std::string& configJson() const { return configJson_; }
    bool concurrent() const { return concurrent_; }
    std::chrono::system_clock::time_point loadedAt() const { return loadedAt_; }
    const EventHooks& hooks(twilio::EventType event) const {
        return hooks_[twilio::eventIndex(event)];
    }
    /// "message.received:before" style names of the hooks it implements.
    std::vector<std::string> hookNames() const;

    void* state() const { return state_; }
    /// "sha256 name file": what the crash guard writes when this generation's code crashes.
    const char* crashRecord() const { return crashRecord_.c_str(); }
    /// Serialises the hooks of a plugin that did not declare itself concurrent.
    std::mutex& serialLock() const { return serialLock_; }

    /// Called by the host API while init runs or by a failing after hook.
    void reportError(std::string message) const;
    std::string lastError() const;

    void recordCall(twilio::EventType event, double seconds) const;
    void recordError(twilio::EventType event, std::string message) const;
    void recordSlowCall(twilio::EventType event) const {
        stats_[twilio::eventIndex(event)].slow.fetch_add(1, std::memory_order_relaxed);
    }
    const HookStats& stats(twilio::EventType event) const {
        return stats_[twilio::eventIndex(event)];
    }
    /// Over all events, before and after hooks alike.
    std::uint64_t calls() const;
    std::uint64_t errors() const;

    /// The plugin's own counters (host_api->metric_add).
    void addMetric(std::string_view name, std::uint64_t delta) const;
    std::map<std::string, std::uint64_t> metrics() const;

private:
    boost::dll::shared_library library_;  // declared first: unmapped last
    std::string name_;
    std::string version_;
    std::string description_;
    switchboard_on_destroy_fn destroy_;
    bool concurrent_;
    std::array<EventHooks, twilio::kEventTypeCount> hooks_{};
    PluginOrigin origin_;
    std::string configJson_;
    std::string crashRecord_;
    std::chrono::system_clock::time_point loadedAt_;
    void* state_ = nullptr;

    mutable std::mutex serialLock_;
    mutable std::array<HookStats, twilio::kEventTypeCount> stats_;
    mutable std::mutex mutableStateLock_;
    mutable std::string lastError_;
    mutable std::map<std::string, std::uint64_t, std::less<>> metrics_;
};

}  // namespace switchboard::plugins
