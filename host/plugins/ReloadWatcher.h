#pragma once

#include <Poco/DirectoryWatcher.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "plugins/PluginManager.h"

namespace switchboard::plugins {

/// Reloads plugins when plugins.dir changes (inotify through Poco's DirectoryWatcher), on
/// request (SIGHUP, the admin API), and on a periodic rescan as a safety net for changes a
/// watch can miss. Reloads run on one worker thread, never on a request's thread.
class ReloadWatcher {
public:
    explicit ReloadWatcher(PluginManager& plugins,
                           std::chrono::milliseconds rescanInterval = std::chrono::seconds(2),
                           std::chrono::milliseconds debounce = std::chrono::milliseconds(50));
    ~ReloadWatcher();

    ReloadWatcher(const ReloadWatcher&) = delete;
    ReloadWatcher& operator=(const ReloadWatcher&) = delete;

    /// Asks the worker for a reload that also retries files that failed before.
    void requestReload();
    void stop();

private:
    void onDirectoryEvent(const Poco::DirectoryWatcher::DirectoryEvent& event);
    void work();

    PluginManager& plugins_;
    const std::chrono::milliseconds rescanInterval_;
    const std::chrono::milliseconds debounce_;
    std::unique_ptr<Poco::DirectoryWatcher> directoryWatcher_;

    std::mutex lock_;
    std::condition_variable wake_;
    bool changed_ = false;  // the directory changed: reload without retrying failures
    bool forced_ = false;   // an operator asked: retry failures too
    bool stopping_ = false;
    std::thread worker_;
};

}  // namespace switchboard::plugins
