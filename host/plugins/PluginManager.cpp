#include "plugins/PluginManager.h"

#include <Poco/Logger.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>

#include "plugins/PluginCandidate.h"

namespace switchboard::plugins {
namespace {

// Looked up once: Logger::get takes a global lock and searches a map.
Poco::Logger& logger() {
    static Poco::Logger& instance = Poco::Logger::get("switchboard.plugins");
    return instance;
}

constexpr std::string_view kPrivatePrefix = "switchboard-plugins-";

// A host that was killed leaves its private copies behind: remove those of dead processes.
void removeStalePrivateDirectories(const std::filesystem::path& root) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrivatePrefix, 0) != 0) continue;
        const std::string rest = name.substr(kPrivatePrefix.size());
        const long pid = std::strtol(rest.c_str(), nullptr, 10);
        if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
        std::error_code ignored;
        std::filesystem::remove_all(entry.path(), ignored);
    }
}

std::filesystem::path makePrivateDirectory(const std::filesystem::path& root) {
    removeStalePrivateDirectories(root);
    std::string pattern =
        (root / (std::string(kPrivatePrefix) + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data())) {
        throw std::runtime_error("cannot create a private plugin directory under " + root.string());
    }
    return pattern;  // mkdtemp creates it 0700: only this user can write there
}

// Why a file or directory with these permissions must not be trusted, or empty.
std::string loosePermissions(const std::filesystem::path& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return "cannot stat " + path.string();
    if (info.st_mode & (S_IWGRP | S_IWOTH)) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
        return path.string() + " is writable by group or others (mode " + mode +
               "); run chmod go-w on it, or set plugins.strictPermissions=false";
    }
    return {};
}

void collectKeys(const Poco::Util::AbstractConfiguration& config, const std::string& prefix,
                 const std::string& relative,
                 std::vector<std::pair<std::string, std::string>>& into) {
    Poco::Util::AbstractConfiguration::Keys keys;
    config.keys(prefix, keys);
    for (const std::string& key : keys) {
        const std::string full = prefix + "." + key;
        const std::string name = relative.empty() ? key : relative + "." + key;
        if (config.hasProperty(full)) into.emplace_back(name, config.getRawString(full));
        collectKeys(config, full, name, into);
    }
}

}  // namespace

PluginManager::PluginManager(PluginManagerSettings settings,
                             const Poco::Util::AbstractConfiguration& config)
    : settings_(std::move(settings)),
      config_(config),
      privateDir_(makePrivateDirectory(settings_.privateRoot)),
      current_(std::make_shared<const PluginSet>()) {
    if (!settings_.crashJournal.empty()) crashed_ = CrashGuard::read(settings_.crashJournal);
}

PluginManager::~PluginManager() {
    publish(std::make_shared<const PluginSet>());  // destroys every generation
    std::error_code ignored;
    std::filesystem::remove_all(privateDir_, ignored);
}

std::vector<std::pair<std::string, std::string>> PluginManager::pluginConfig(
    const std::string& name) const {
    std::vector<std::pair<std::string, std::string>> values;
    collectKeys(config_, "plugins." + name, "", values);
    std::erase_if(values, [](const auto& entry) { return entry.first == "enabled"; });
    std::sort(values.begin(), values.end());
    return values;
}

bool PluginManager::enabled(const std::string& name) const {
    return config_.getBool("plugins." + name + ".enabled", true);
}

void PluginManager::recordFailure(ReloadReport& report, const std::filesystem::path& file,
                                  const std::string& sha256, const std::string& reason) {
    LoadFailure failure{file, sha256, reason, std::chrono::system_clock::now()};
    const auto previous = failures_.find(file);
    const bool alreadyReported = previous != failures_.end() && previous->second.sha256 == sha256 &&
                                 previous->second.reason == reason;
    failures_[file] = failure;
    if (alreadyReported) return;  // a periodic rescan must not repeat the same refusal
    ++failedLoads_;
    logger().error("plugin %s refused: %s", file.string(), reason);
    report.failed.push_back(std::move(failure));
}

std::optional<std::vector<std::filesystem::path>> PluginManager::pluginFiles(ReloadReport& report) {
    std::vector<std::filesystem::path> files;
    std::error_code error;
    if (settings_.strictPermissions) {
        if (std::string why = loosePermissions(settings_.directory); !why.empty()) {
            // Missing, unreadable or loose: the plugins loaded from it keep serving (it had to
            // exist at start, so this is most likely a deploy tool replacing it).
            recordFailure(report, settings_.directory, {}, why);
            return std::nullopt;
        }
    }
    for (const auto& entry : std::filesystem::directory_iterator(settings_.directory, error)) {
        // Temporary files of a "write, then rename" deploy do not end in .so.
        if (entry.path().extension() == ".so" && entry.is_regular_file(error)) {
            files.push_back(entry.path());
        }
    }
    if (error) {
        recordFailure(report, settings_.directory, {},
                      "cannot read the plugin directory: " + error.message());
        return std::nullopt;
    } else {
        failures_.erase(settings_.directory);  // a refusal of the directory was fixed
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<std::shared_ptr<const LoadedPlugin>> PluginManager::ordered(
    std::vector<std::shared_ptr<const LoadedPlugin>> plugins) const {
    auto rank = [this](const LoadedPlugin& plugin) {
        const auto& order = settings_.order;
        return static_cast<std::size_t>(std::find(order.begin(), order.end(), plugin.name()) -
                                        order.begin());
    };
    std::stable_sort(plugins.begin(), plugins.end(), [&](const auto& a, const auto& b) {
        return std::pair(rank(*a), a->origin().file) < std::pair(rank(*b), b->origin().file);
    });
    return plugins;
}

ReloadReport PluginManager::reload(bool retryFailed) {
    std::lock_guard lock(reloadLock_);
    ReloadReport report;
    const std::shared_ptr<const PluginSet> previous = current();
    std::vector<std::shared_ptr<const LoadedPlugin>> next;
    auto nameTaken = [&next](const std::string& name) {
        return std::any_of(next.begin(), next.end(),
                           [&](const auto& plugin) { return plugin->name() == name; });
    };
    auto previousFrom = [&previous](const std::filesystem::path& file) {
        std::shared_ptr<const LoadedPlugin> found;
        for (const auto& plugin : previous->plugins()) {
            if (plugin->origin().file == file) found = plugin;
        }
        return found;
    };

    const auto files = pluginFiles(report);
    if (!files) {
        // The directory is refused: load nothing from it, but keep the generations loaded
        // before (checked then, and mapped from private copies), as a refused file keeps its
        // previous generation serving.
        ++scans_;
        return report;
    }
    for (const std::filesystem::path& file : *files) {
        const std::shared_ptr<const LoadedPlugin> existing = previousFrom(file);
        std::string sha256;
        try {
            if (settings_.strictPermissions) {
                if (std::string why = loosePermissions(file); !why.empty())
                    throw PluginRefused(why);
            }
            sha256 = PluginCandidate::fileSha256(file);
            if (existing && existing->origin().sha256 == sha256) {
                if (enabled(existing->name()))
                    next.push_back(existing);  // unchanged: keeps serving
                failures_.erase(file);  // back to what serves: an earlier refusal is resolved
                continue;
            }
            if (const auto crash = crashed_.find(sha256); crash != crashed_.end()) {
                throw PluginRefused("this file (plugin " + crash->second.name +
                                    ") crashed the host with " + crash->second.signal + " at " +
                                    crash->second.at +
                                    "; it stays refused until a different file replaces it");
            }
            if (const auto off = disabled_.find(file);
                off != disabled_.end() && off->second == sha256) {
                continue;  // disabled in the configuration: not even mapped again
            }
            const auto failed = failures_.find(file);
            if (!retryFailed && failed != failures_.end() && failed->second.sha256 == sha256) {
                if (existing && !nameTaken(existing->name())) next.push_back(existing);
                continue;  // the same bytes failed before: wait for a new file or a forced reload
            }
            PluginCandidate candidate = PluginCandidate::open(file, privateDir_);
            sha256 = candidate.sha256();
            if (!enabled(candidate.name())) {
                disabled_[file] = sha256;
                continue;
            }
            if (nameTaken(candidate.name())) {
                throw PluginRefused("a plugin named '" + candidate.name() +
                                    "' is already loaded from another file");
            }
            const std::string name = candidate.name();
            const unsigned generation = generations_[name] + 1;
            auto loaded = std::move(candidate).initialise(pluginConfig(name), generation);
            generations_[name] = generation;
            report.loaded.push_back(name + " generation " + std::to_string(generation) + " from " +
                                    file.filename().string());
            logger().information("plugin %s %s loaded from %s (generation %u, sha256 %s)", name,
                                 loaded->version(), file.string(), generation, sha256);
            failures_.erase(file);
            next.push_back(std::move(loaded));
        } catch (const std::exception& error) {
            recordFailure(report, file, sha256, error.what());
            // The previous version keeps serving until a good file replaces it.
            if (existing && !nameTaken(existing->name())) next.push_back(existing);
        }
    }

    for (const auto& plugin : previous->plugins()) {
        if (std::find(next.begin(), next.end(), plugin) == next.end()) {
            report.unloaded.push_back(plugin->name());
            logger().information("plugin %s generation %u unloaded (%s)", plugin->name(),
                                 plugin->origin().generation,
                                 std::filesystem::exists(plugin->origin().file)
                                     ? std::string("replaced or disabled")
                                     : std::string("file removed"));
        }
    }
    // A file that failed and is now gone is no longer worth reporting (the directory is: it
    // is what is missing).
    std::erase_if(failures_, [this](const auto& entry) {
        return entry.first != settings_.directory && !std::filesystem::exists(entry.first);
    });
    if (report.changed() || previous->plugins().size() != next.size()) {
        publish(std::make_shared<const PluginSet>(ordered(std::move(next))));
        ++reloads_;
    }
    ++scans_;
    return report;
}

std::shared_ptr<const PluginSet> PluginManager::current() const {
    std::shared_lock guard(currentLock_);
    return current_;
}

void PluginManager::publish(std::shared_ptr<const PluginSet> next) {
    {
        std::unique_lock guard(currentLock_);
        current_.swap(next);
    }
    // `next` now holds the previous set: released here, outside the lock, so that a
    // generation's destroy never runs while requests wait for the new set.
}

std::vector<LoadFailure> PluginManager::failures() const {
    std::lock_guard lock(reloadLock_);
    std::vector<LoadFailure> list;
    for (const auto& [file, failure] : failures_) list.push_back(failure);
    return list;
}

}  // namespace switchboard::plugins
