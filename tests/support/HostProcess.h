#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "twilio/Parameters.h"

namespace switchboard::testing {

/// An HTTP answer as a test sees it.
struct HttpResult {
    int status = 0;
    std::string contentType;
    std::string body;
    std::map<std::string, std::string> headers;
};

/// One request to send; the headers are sent as given (signature included).
struct HttpCall {
    std::string method = "POST";
    std::string target;
    std::string body;
    std::string contentType = "application/x-www-form-urlencoded";
    std::vector<std::pair<std::string, std::string>> headers;
    bool chunked = false;
};

/// Sends `call` to 127.0.0.1:`port` on a fresh connection (or on `session` when given).
HttpResult sendHttp(unsigned short port, const HttpCall& call,
                    Poco::Net::HTTPClientSession* session = nullptr);

/// Configuration keys written over a test host's defaults.
using Settings = std::map<std::string, std::string>;

/// The real `switchboard serve` binary, started as a child process on ephemeral ports with a
/// private plugin directory and configuration file; stopped with SIGTERM when destroyed.
class HostProcess {
public:
    static constexpr const char* kAuthToken = "0123456789abcdef0123456789abcdef";
    static constexpr const char* kWebhookPath = "/webhooks/twilio";

    /// `settings` are written to the configuration file, over the defaults the tests use
    /// (token, ephemeral webhook and admin ports, plugins.dir); `plugins` are .so files copied into
    /// the plugin directory before the start.
    explicit HostProcess(Settings settings = {},
                         const std::vector<std::filesystem::path>& plugins = {},
                         std::vector<std::string> extraArguments = {});
    ~HostProcess();

    HostProcess(const HostProcess&) = delete;
    HostProcess& operator=(const HostProcess&) = delete;

    unsigned short port() const { return port_; }
    /// The host's process id, to read /proc/<pid>/maps or send it signals.
    int pid() const { return process_->id(); }
    unsigned short adminPort() const { return adminPort_; }
    const std::filesystem::path& pluginDir() const { return pluginDir_; }
    const std::filesystem::path& workDir() const { return workDir_; }
    /// The URL the host signs against when twilio.publicUrl is unset.
    std::string webhookUrl() const;

    /// Posts a form body of `fields`, signed for webhookUrl() unless `signature` is given.
    HttpResult postForm(const twilio::Parameters& fields,
                        std::vector<std::pair<std::string, std::string>> extraHeaders = {}) const;
    HttpResult send(const HttpCall& call) const { return sendHttp(port_, call); }
    HttpResult admin(const std::string& method, const std::string& path) const;

    /// Starts the host again with the same configuration, plugin directory and state
    /// directory, after it stopped or died (what systemd's Restart=on-failure does).
    void restart();
    /// Waits for the host to exit by itself; its exit code (256 + N when killed by signal N).
    int waitForExit();

    /// Sends SIGTERM (or `signal`) and waits for the exit code.
    int stop(int signal = 15);
    bool running() const;
    /// Sends a signal without waiting (SIGHUP, say).
    void signal(int signal) const;
    /// Everything the host wrote to standard error so far.
    std::string log() const;
    /// Waits until the log contains `text`; false after `timeoutMs`.
    bool waitForLog(const std::string& text, int timeoutMs = 5000) const;

private:
    void launch();
    void readOutput();

    std::filesystem::path workDir_;
    std::filesystem::path pluginDir_;
    std::filesystem::path configFile_;
    std::vector<std::string> arguments_;
    unsigned short port_ = 0;
    unsigned short adminPort_ = 0;
    bool adminEnabled_ = true;
    std::unique_ptr<Poco::ProcessHandle> process_;
    std::unique_ptr<Poco::Pipe> errorPipe_;
    std::thread reader_;
    mutable std::mutex logLock_;
    std::string log_;
    mutable int exitCode_ = -1;  // set by whichever call first sees the host exit
    mutable bool exited_ = false;
};

/// A plain TCP connection to `host`'s webhook port whose reads time out after 5 s, for tests
/// that write raw bytes.
Poco::Net::StreamSocket rawConnection(const HostProcess& host);

/// A plugin built by the test build (tests/plugins/), and a first-party one (plugins/).
std::filesystem::path testPlugin(const std::string& name);
std::filesystem::path firstPartyPlugin(const std::string& name);

/// Builds the form body of `fields` as Twilio does.
std::string formBody(const twilio::Parameters& fields);
/// The signature Twilio would send for `fields` posted to `url`.
std::string signForm(const std::string& url, const twilio::Parameters& fields,
                     const std::string& token = HostProcess::kAuthToken);
/// A sample payload from samples/payloads/, decoded.
twilio::Parameters samplePayload(const std::string& fileName);
/// Replaces (or adds) `key` in a copy of `fields`.
twilio::Parameters with(twilio::Parameters fields, const std::string& key,
                        const std::string& value);
twilio::Parameters without(twilio::Parameters fields, const std::string& key);

/// Runs a command to completion and returns its exit code and standard output.
struct CommandResult {
    int exitCode = -1;
    std::string output;
};
CommandResult runCommand(const std::string& program, const std::vector<std::string>& arguments);

}  // namespace switchboard::testing
