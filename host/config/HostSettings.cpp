#include "config/HostSettings.h"

#include <Poco/Exception.h>
#include <Poco/StringTokenizer.h>

#include <cstdlib>

namespace switchboard::config {
namespace {

template <typename Read>
auto readKey(const std::string& key, Read&& read) {
    try {
        return read();
    } catch (const Poco::Exception& error) {
        throw ConfigError("configuration key " + key + ": " + error.displayText());
    }
}

int intInRange(const Poco::Util::AbstractConfiguration& config, const std::string& key,
               int fallback, int low, int high) {
    const int value = readKey(key, [&] { return config.getInt(key, fallback); });
    if (value < low || value > high) {
        throw ConfigError("configuration key " + key + " is " + std::to_string(value) +
                          ", expected " + std::to_string(low) + ".." + std::to_string(high));
    }
    return value;
}

bool boolean(const Poco::Util::AbstractConfiguration& config, const std::string& key,
             bool fallback) {
    return readKey(key, [&] { return config.getBool(key, fallback); });
}

std::vector<std::string> list(const Poco::Util::AbstractConfiguration& config,
                              const std::string& key) {
    std::vector<std::string> items;
    Poco::StringTokenizer tokens(
        config.getString(key, ""), ",",
        Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    items.assign(tokens.begin(), tokens.end());
    return items;
}

}  // namespace

HostSettings HostSettings::from(const Poco::Util::AbstractConfiguration& config) {
    HostSettings settings;
    settings.httpAddress = config.getString("http.address", settings.httpAddress);
    settings.httpPort = static_cast<unsigned>(
        intInRange(config, "http.port", static_cast<int>(settings.httpPort), 0, 65535));
    settings.webhookPath = config.getString("webhook.path", settings.webhookPath);
    if (settings.webhookPath.empty() || settings.webhookPath.front() != '/') {
        throw ConfigError("configuration key webhook.path must start with '/', got '" +
                          settings.webhookPath + "'");
    }
    settings.authToken = config.getString("twilio.authToken", "");
    settings.publicUrl = config.getString("twilio.publicUrl", "");
    settings.trustForwardedHeaders =
        boolean(config, "http.trustForwardedHeaders", settings.trustForwardedHeaders);
    settings.validateSignatures =
        boolean(config, "twilio.validateSignatures", settings.validateSignatures);
    if (settings.validateSignatures && settings.authToken.empty()) {
        throw ConfigError(
            "no Twilio auth token: set twilio.authToken in the configuration or the "
            "TWILIO_AUTH_TOKEN environment variable (twilio.validateSignatures=false turns "
            "signature checking off, for local experiments only)");
    }
    settings.maxBodyBytes = static_cast<std::size_t>(intInRange(
        config, "http.maxBodyBytes", static_cast<int>(settings.maxBodyBytes), 1, 64 * 1024 * 1024));
    settings.maxThreads = intInRange(config, "http.maxThreads", settings.maxThreads, 1, 4096);
    settings.maxQueued = intInRange(config, "http.maxQueued", settings.maxQueued, 1, 65536);
    settings.keepAliveTimeoutMs =
        intInRange(config, "http.keepAliveTimeoutMs", settings.keepAliveTimeoutMs, 1, 3600000);
    settings.timeoutMs = intInRange(config, "http.timeoutMs", settings.timeoutMs, 1, 3600000);
    settings.headerTimeoutMs =
        intInRange(config, "http.headerTimeoutMs", settings.headerTimeoutMs, 1, 3600000);
    settings.maxRequestLineBytes = static_cast<std::size_t>(
        intInRange(config, "http.maxRequestLineBytes",
                   static_cast<int>(settings.maxRequestLineBytes), 64, 1 << 20));
    settings.maxHeaderBytes = static_cast<std::size_t>(intInRange(
        config, "http.maxHeaderBytes", static_cast<int>(settings.maxHeaderBytes), 256, 1 << 20));
    settings.maxHeaderCount = static_cast<std::size_t>(intInRange(
        config, "http.maxHeaderCount", static_cast<int>(settings.maxHeaderCount), 1, 1000));
    settings.maxPendingConnections = static_cast<std::size_t>(
        intInRange(config, "http.maxPendingConnections",
                   static_cast<int>(settings.maxPendingConnections), 1, 1000000));

    settings.idempotencyTtlSeconds =
        intInRange(config, "idempotency.ttlSeconds", settings.idempotencyTtlSeconds, 0, 7 * 86400);
    settings.idempotencyMaxEntries = static_cast<std::size_t>(
        intInRange(config, "idempotency.maxEntries",
                   static_cast<int>(settings.idempotencyMaxEntries), 0, 10000000));

    settings.pluginsDir = config.getString("plugins.dir", settings.pluginsDir);
    settings.pluginsOrder = list(config, "plugins.order");
    settings.strictPermissions =
        boolean(config, "plugins.strictPermissions", settings.strictPermissions);
    settings.hookTimeoutMs =
        intInRange(config, "plugins.hookTimeoutMs", settings.hookTimeoutMs, 1, 3600000);
    // systemd's StateDirectory= sets $STATE_DIRECTORY; elsewhere the working directory.
    const char* stateDirectory = std::getenv("STATE_DIRECTORY");
    settings.stateDir = config.getString("state.dir", stateDirectory ? stateDirectory : ".");

    settings.adminEnabled = boolean(config, "admin.enabled", settings.adminEnabled);
    settings.adminAddress = config.getString("admin.address", settings.adminAddress);
    settings.adminPort = static_cast<unsigned>(
        intInRange(config, "admin.port", static_cast<int>(settings.adminPort), 0, 65535));
    return settings;
}

}  // namespace switchboard::config
