#pragma once

#include <switchboard/plugin.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "plugins/LoadedPlugin.h"

namespace switchboard::plugins {

/// Why a plugin file was refused; the message names the reason, the caller adds the file.
class PluginRefused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A plugin file mapped from a private copy and checked (ELF, entry symbol, ABI version,
/// descriptor), but not yet initialised: the host can still decide from its name whether it
/// wants it. Destroying a candidate that was never initialised unloads it and deletes the copy.
class PluginCandidate {
public:
    /// Copies `file` under a unique name into `privateDir` (which only the host can write),
    /// so that the operator overwriting or deleting it can never touch mapped code, and so that
    /// glibc's cache of loaded paths never hands back an older generation. Throws
    /// PluginRefused with the reason.
    static PluginCandidate open(const std::filesystem::path& file,
                                const std::filesystem::path& privateDir);

    /// The lowercase hex SHA-256 of a file's contents. Throws PluginRefused when unreadable.
    static std::string fileSha256(const std::filesystem::path& file);

    PluginCandidate(PluginCandidate&&) = default;
    PluginCandidate& operator=(PluginCandidate&&) = default;
    ~PluginCandidate();

    const std::string& name() const { return name_; }
    const std::string& sha256() const { return sha256_; }
    const std::filesystem::path& file() const { return file_; }

    /// Calls the plugin's init with its configuration. Throws PluginRefused when init fails.
    std::shared_ptr<LoadedPlugin> initialise(
        std::vector<std::pair<std::string, std::string>> config, unsigned generation) &&;

private:
    PluginCandidate() = default;

    std::filesystem::path file_;
    std::filesystem::path privateCopy_;
    std::string sha256_;
    std::string name_;
    boost::dll::shared_library library_;
    const switchboard_plugin_descriptor_t* descriptor_ = nullptr;
};

}  // namespace switchboard::plugins
