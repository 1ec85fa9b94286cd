#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "plugins/CrashGuard.h"
#include "plugins/PluginSet.h"

namespace switchboard::plugins {

struct PluginManagerSettings {
    std::filesystem::path directory;
    /// Plugin names whose hooks run first, in this order; the rest follow by file name.
    std::vector<std::string> order;
    /// Refuse files and directories writable by group or others, as sshd does with keys.
    bool strictPermissions = true;
    /// Where private copies are made; a fresh 0700 directory is created inside it.
    std::filesystem::path privateRoot = std::filesystem::temp_directory_path();
    /// The crash journal (see CrashGuard): files that crashed the host are refused. Empty: none.
    std::filesystem::path crashJournal;
};

/// A plugin file that could not be loaded (or was refused); the previous generation of the
/// same plugin, if any, keeps serving.
struct LoadFailure {
    std::filesystem::path file;
    std::string sha256;
    std::string reason;
    std::chrono::system_clock::time_point at;
};

/// What a scan of the plugin directory changed.
struct ReloadReport {
    std::vector<std::string> loaded;    // "name generation N from file"
    std::vector<std::string> unloaded;  // names whose file disappeared or was disabled
    std::vector<LoadFailure> failed;
    bool changed() const { return !loaded.empty() || !unloaded.empty(); }
};

/// Owns the plugins found in plugins.dir: loads them, keeps the current PluginSet, and on
/// reload builds the next set from the files now there, reusing every generation whose file
/// did not change.
class PluginManager {
public:
    /// `config` gives each plugin's plugins.<name>.* values; it must outlive the manager.
    PluginManager(PluginManagerSettings settings, const Poco::Util::AbstractConfiguration& config);
    ~PluginManager();

    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;

    /// The set new requests should use; they keep it until they end.
    std::shared_ptr<const PluginSet> current() const;

    /// Scans the directory now and swaps in the new set. Serialised: concurrent callers wait.
    /// Without `retryFailed`, a file whose exact bytes already failed is not tried again.
    ReloadReport reload(bool retryFailed = true);

    /// The most recent failure of each file that failed and was not loaded since.
    std::vector<LoadFailure> failures() const;
    /// Scans of the directory, and the scans among them that changed the plugins serving.
    std::uint64_t scanCount() const { return scans_.load(); }
    std::uint64_t reloadCount() const { return reloads_.load(); }
    std::uint64_t failedLoadCount() const { return failedLoads_.load(); }

    const PluginManagerSettings& settings() const { return settings_; }
    const std::filesystem::path& privateDirectory() const { return privateDir_; }

private:
    std::vector<std::pair<std::string, std::string>> pluginConfig(const std::string& name) const;
    bool enabled(const std::string& name) const;
    /// The .so files of the directory; nullopt when the directory itself is refused (writable
    /// by group or others), in which case nothing in it may be loaded.
    std::optional<std::vector<std::filesystem::path>> pluginFiles(ReloadReport& report);
    void recordFailure(ReloadReport& report, const std::filesystem::path& file,
                       const std::string& sha256, const std::string& reason);
    std::vector<std::shared_ptr<const LoadedPlugin>> ordered(
        std::vector<std::shared_ptr<const LoadedPlugin>> plugins) const;

    PluginManagerSettings settings_;
    const Poco::Util::AbstractConfiguration& config_;
    std::filesystem::path privateDir_;
    // Not std::atomic<std::shared_ptr>: libstdc++ implements it with a spin lock, and with
    // more runnable threads than cores a preempted holder leaves every reader spinning
    // (measured with a thread per connection: p99 from ~10 ms to ~150 ms). Readers of a
    // shared_mutex sleep instead.
    void publish(std::shared_ptr<const PluginSet> next);
    mutable std::shared_mutex currentLock_;
    std::shared_ptr<const PluginSet> current_;

    mutable std::mutex reloadLock_;  // one reload at a time; guards the maps below
    std::map<std::string, unsigned> generations_;
    std::map<std::filesystem::path, LoadFailure> failures_;
    std::map<std::filesystem::path, std::string> disabled_;
    std::map<std::string, CrashRecord>
        crashed_;  // by sha256, read once at start  // file -> sha256 of a disabled plugin
    std::atomic<std::uint64_t> scans_{0};
    std::atomic<std::uint64_t> reloads_{0};
    std::atomic<std::uint64_t> failedLoads_{0};
};

}  // namespace switchboard::plugins
