#include "HostProcess.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/Thread.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "cli/SamplePayloads.h"
#include "twilio/FormDecoder.h"
#include "twilio/SignatureValidator.h"

namespace switchboard::testing {

HttpResult sendHttp(unsigned short port, const HttpCall& call,
                    Poco::Net::HTTPClientSession* session) {
    std::unique_ptr<Poco::Net::HTTPClientSession> own;
    if (!session) {
        own = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port);
        session = own.get();
    }
    session->setTimeout(Poco::Timespan(10, 0));
    Poco::Net::HTTPRequest request(call.method, call.target, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!call.contentType.empty()) request.setContentType(call.contentType);
    if (call.chunked) {
        request.setChunkedTransferEncoding(true);
    } else if (call.method == "POST" || !call.body.empty()) {
        request.setContentLength(static_cast<std::streamsize>(call.body.size()));
    }
    for (const auto& [name, value] : call.headers) request.add(name, value);
    session->sendRequest(request) << call.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    HttpResult result;
    result.status = response.getStatus();
    result.contentType = response.has("Content-Type") ? response.getContentType() : "";
    for (const auto& [name, value] : response) result.headers[name] = value;
    Poco::StreamCopier::copyToString(in, result.body);
    return result;
}

HostProcess::HostProcess(Settings settings, const std::vector<std::filesystem::path>& plugins,
                         std::vector<std::string> extraArguments) {
    char pattern[] = "/tmp/switchboard-test-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    workDir_ = pattern;
    pluginDir_ = workDir_ / "plugins";
    std::filesystem::create_directory(pluginDir_);
    std::filesystem::permissions(pluginDir_, std::filesystem::perms(0755));
    for (const auto& plugin : plugins) {
        const auto target = pluginDir_ / plugin.filename();
        std::filesystem::copy_file(plugin, target);
        std::filesystem::permissions(target, std::filesystem::perms(0644));
    }

    // Both ports are the host's own choice, read back from its log: a port picked here and
    // handed over could be taken by a parallel test in between.
    std::map<std::string, std::string> config = {
        {"twilio.authToken", kAuthToken},
        {"http.port", "0"},
        {"admin.port", "0"},
        {"plugins.dir", pluginDir_.string()},
        {"state.dir", workDir_.string()},
        {"log.level", "information"},
    };
    for (auto& [key, value] : settings) config[key] = value;
    const auto adminEnabled = config.find("admin.enabled");
    adminEnabled_ = adminEnabled == config.end() || adminEnabled->second != "false";
    configFile_ = workDir_ / "switchboard.properties";
    {
        std::ofstream out(configFile_);
        for (const auto& [key, value] : config) out << key << " = " << value << '\n';
    }
    arguments_ = {"serve", "--config", configFile_.string()};
    arguments_.insert(arguments_.end(), extraArguments.begin(), extraArguments.end());
    launch();
}

void HostProcess::launch() {
    const std::size_t logStart = log().size();  // a restart keeps the earlier runs' log
    exited_ = false;
    errorPipe_ = std::make_unique<Poco::Pipe>();
    process_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(SWITCHBOARD_BINARY, arguments_, nullptr, nullptr, errorPipe_.get()));
    reader_ = std::thread([this] { readOutput(); });

    static const std::regex serving(R"(serving Twilio webhooks on http://[0-9.]+:([0-9]+))");
    static const std::regex admin(R"(admin API on http://[0-9.]+:([0-9]+))");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        std::smatch servingMatch, adminMatch;
        const std::string text = log().substr(logStart);
        if (std::regex_search(text, servingMatch, serving) &&
            (!adminEnabled_ || std::regex_search(text, adminMatch, admin))) {
            port_ = static_cast<unsigned short>(std::stoi(servingMatch[1]));
            adminPort_ = adminEnabled_ ? static_cast<unsigned short>(std::stoi(adminMatch[1])) : 0;
            return;
        }
        if (!running()) break;
        Poco::Thread::sleep(10);
    }
    const std::string text = log();
    stop(SIGKILL);
    throw std::runtime_error("the host did not start; its log:\n" + text);
}

void HostProcess::restart() {
    stop(SIGKILL);  // a no-op when it already exited
    launch();
}

int HostProcess::waitForExit() {
    if (!exited_) {
        exitCode_ = process_->wait();
        exited_ = true;
    }
    if (reader_.joinable()) reader_.join();
    return exitCode_;
}

HostProcess::~HostProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(workDir_, ignored);
}

void HostProcess::readOutput() {
    char buffer[4096];
    for (;;) {
        // readBytes returns what is there now (read(2)), so the log is seen as it is written.
        const int count = errorPipe_->readBytes(buffer, sizeof buffer);
        if (count <= 0) break;
        std::lock_guard lock(logLock_);
        log_.append(buffer, static_cast<std::size_t>(count));
    }
}

std::string HostProcess::webhookUrl() const {
    return "http://127.0.0.1:" + std::to_string(port_) + kWebhookPath;
}

HttpResult HostProcess::postForm(
    const twilio::Parameters& fields,
    std::vector<std::pair<std::string, std::string>> extraHeaders) const {
    HttpCall call;
    call.target = kWebhookPath;
    call.body = formBody(fields);
    const bool signatureGiven =
        std::any_of(extraHeaders.begin(), extraHeaders.end(),
                    [](const auto& h) { return h.first == "X-Twilio-Signature"; });
    if (!signatureGiven)
        call.headers.emplace_back("X-Twilio-Signature", signForm(webhookUrl(), fields));
    for (auto& header : extraHeaders) call.headers.push_back(std::move(header));
    return send(call);
}

HttpResult HostProcess::admin(const std::string& method, const std::string& path) const {
    HttpCall call;
    call.method = method;
    call.target = path;
    call.contentType.clear();
    return sendHttp(adminPort_, call);
}

bool HostProcess::running() const {
    // tryWait reaps an exited host: isRunning would still see its zombie as alive.
    if (!exited_) {
        const int exitCode = process_->tryWait();
        if (exitCode != -1) {
            exitCode_ = exitCode;
            exited_ = true;
        }
    }
    return !exited_;
}

void HostProcess::signal(int signal) const { ::kill(process_->id(), signal); }

int HostProcess::stop(int signal) {
    if (!exited_ && process_) {
        ::kill(process_->id(), signal);
        exitCode_ = process_->wait();
        exited_ = true;
    }
    if (reader_.joinable()) reader_.join();
    return exitCode_;
}

std::string HostProcess::log() const {
    std::lock_guard lock(logLock_);
    return log_;
}

bool HostProcess::waitForLog(const std::string& text, int timeoutMs) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (std::chrono::steady_clock::now() < deadline) {
        if (log().find(text) != std::string::npos) return true;
        Poco::Thread::sleep(10);
    }
    return false;
}

std::filesystem::path testPlugin(const std::string& name) {
    return std::filesystem::path(SWITCHBOARD_TEST_PLUGINS_DIR) / (name + ".so");
}

std::filesystem::path firstPartyPlugin(const std::string& name) {
    return std::filesystem::path(SWITCHBOARD_PLUGINS_DIR) / (name + ".so");
}

std::string formBody(const twilio::Parameters& fields) { return cli::encodeForm(fields); }

std::string signForm(const std::string& url, const twilio::Parameters& fields,
                     const std::string& token) {
    return twilio::SignatureValidator(token).sign({url, &fields, std::nullopt});
}

twilio::Parameters samplePayload(const std::string& fileName) {
    std::ifstream file(std::string(SWITCHBOARD_PAYLOADS_DIR) + "/" + fileName);
    std::stringstream text;
    text << file.rdbuf();
    return twilio::decodeForm(text.str());
}

twilio::Parameters with(twilio::Parameters fields, const std::string& key,
                        const std::string& value) {
    twilio::setParameter(fields, key, value);
    return fields;
}

twilio::Parameters without(twilio::Parameters fields, const std::string& key) {
    std::erase_if(fields, [&](const twilio::Parameter& field) { return field.first == key; });
    return fields;
}

CommandResult runCommand(const std::string& program, const std::vector<std::string>& arguments) {
    Poco::Pipe outPipe;
    Poco::ProcessHandle handle =
        Poco::Process::launch(program, arguments, nullptr, &outPipe, &outPipe);
    Poco::PipeInputStream in(outPipe);
    CommandResult result;
    Poco::StreamCopier::copyToString(in, result.output);
    result.exitCode = handle.wait();
    return result;
}

Poco::Net::StreamSocket rawConnection(const HostProcess& host) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", host.port()));
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    return socket;
}

}  // namespace switchboard::testing
