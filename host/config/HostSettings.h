#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::config {

/// A configuration the host cannot start with; the message names the key and the fix.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// The host's settings, read and checked once at start-up so that the request path never
/// parses configuration.
struct HostSettings {
    std::string httpAddress = "127.0.0.1";
    unsigned httpPort = 8080;
    std::string webhookPath = "/webhooks/twilio";
    std::string authToken;
    std::string publicUrl;  // the URL as configured in Twilio; empty: derived from the request
    bool trustForwardedHeaders = false;
    bool validateSignatures = true;
    std::size_t maxBodyBytes = 65536;
    int maxThreads = 128;
    int maxQueued = 256;
    int keepAliveTimeoutMs = 10000;
    int timeoutMs = 10000;
    int headerTimeoutMs = 5000;
    std::size_t maxRequestLineBytes = 8192;
    std::size_t maxHeaderBytes = 16384;
    std::size_t maxHeaderCount = 64;
    std::size_t maxPendingConnections = 10000;

    int idempotencyTtlSeconds = 3600;
    std::size_t idempotencyMaxEntries = 10000;

    std::string pluginsDir = "plugins";
    std::vector<std::string> pluginsOrder;
    bool strictPermissions = true;
    int hookTimeoutMs = 1000;
    /// Where the host keeps what must survive a restart (the crash journal).
    std::string stateDir;

    bool adminEnabled = true;
    std::string adminAddress = "127.0.0.1";
    unsigned adminPort = 9090;  // 0: an ephemeral port, logged at start-up

    /// Reads every key; throws ConfigError naming the key for a value of the wrong type or
    /// out of range, and for a missing auth token while signatures are checked.
    static HostSettings from(const Poco::Util::AbstractConfiguration& config);
};

}  // namespace switchboard::config
