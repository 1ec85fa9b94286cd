#include "plugins/ReloadWatcher.h"

#include <Poco/Delegate.h>
#include <Poco/Logger.h>

namespace switchboard::plugins {
namespace {

// Looked up once: Logger::get takes a global lock and searches a map.
Poco::Logger& logger() {
    static Poco::Logger& instance = Poco::Logger::get("switchboard.plugins");
    return instance;
}

}  // namespace

ReloadWatcher::ReloadWatcher(PluginManager& plugins, std::chrono::milliseconds rescanInterval,
                             std::chrono::milliseconds debounce)
    : plugins_(plugins), rescanInterval_(rescanInterval), debounce_(debounce) {
    try {
        directoryWatcher_ = std::make_unique<Poco::DirectoryWatcher>(
            plugins.settings().directory.string(), Poco::DirectoryWatcher::DW_FILTER_ENABLE_ALL);
        directoryWatcher_->itemAdded += Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemRemoved += Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemModified += Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemMovedFrom += Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemMovedTo += Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
    } catch (const Poco::Exception& error) {
        logger().warning("cannot watch %s (%s); relying on the periodic rescan",
                         plugins.settings().directory.string(), error.displayText());
    }
    worker_ = std::thread([this] { work(); });
}

ReloadWatcher::~ReloadWatcher() { stop(); }

void ReloadWatcher::onDirectoryEvent(const Poco::DirectoryWatcher::DirectoryEvent&) {
    // Called on the watcher's own thread: only note the change, the worker does the rest.
    {
        std::lock_guard guard(lock_);
        changed_ = true;
    }
    wake_.notify_one();
}

void ReloadWatcher::requestReload() {
    {
        std::lock_guard guard(lock_);
        forced_ = true;
    }
    wake_.notify_one();
}

void ReloadWatcher::stop() {
    {
        std::lock_guard guard(lock_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_one();
    if (directoryWatcher_) {
        directoryWatcher_->itemAdded -= Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemRemoved -= Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemModified -= Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemMovedFrom -= Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_->itemMovedTo -= Poco::delegate(this, &ReloadWatcher::onDirectoryEvent);
        directoryWatcher_.reset();
    }
    if (worker_.joinable()) worker_.join();
}

void ReloadWatcher::work() {
    std::unique_lock guard(lock_);
    while (!stopping_) {
        wake_.wait_for(guard, rescanInterval_, [this] { return stopping_ || changed_ || forced_; });
        if (stopping_) break;
        // A deploy is often several events (write, chmod, rename): let them settle.
        if (changed_ || forced_) {
            wake_.wait_for(guard, debounce_, [this] { return stopping_; });
            if (stopping_) break;
        }
        const bool retryFailed = forced_;
        changed_ = forced_ = false;
        guard.unlock();
        try {
            plugins_.reload(retryFailed);
        } catch (const std::exception& error) {
            logger().error("plugin reload failed: %s", std::string(error.what()));
        }
        guard.lock();
    }
}

}  // namespace switchboard::plugins
