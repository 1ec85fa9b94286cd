#include "http/WebhookServer.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Thread.h>

#include <chrono>

#include "http/KeepAliveConnection.h"

namespace switchboard::http {
namespace {

Poco::Net::HTTPServerParams::Ptr serverParams(const config::HostSettings& settings) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    // A worker thread serves one connection at a time, for as long as it is kept alive:
    // maxThreads bounds both concurrency and memory; see conf/switchboard.properties.
    params->setMaxThreads(settings.maxThreads);
    params->setMaxQueued(settings.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(settings.keepAliveTimeoutMs * 1000LL));
    params->setTimeout(Poco::Timespan(settings.timeoutMs * 1000LL));
    params->setServerName("switchboard");
    params->setSoftwareVersion("switchboard");
    return params;
}

GateLimits gateLimits(const config::HostSettings& settings) {
    GateLimits limits;
    limits.headerTimeout = std::chrono::milliseconds(settings.headerTimeoutMs);
    limits.maxRequestLineBytes = settings.maxRequestLineBytes;
    limits.maxHeaderBytes = settings.maxHeaderBytes;
    limits.maxHeaderCount = settings.maxHeaderCount;
    limits.maxPendingConnections = settings.maxPendingConnections;
    return limits;
}

}  // namespace

WebhookServer::WebhookServer(const config::HostSettings& settings, plugins::PluginManager& plugins,
                             admin::Metrics& metrics)
    : processor_(settings, plugins, metrics), params_(serverParams(settings)) {
    // No SO_REUSEPORT: a second host on the same port must fail, not share the traffic.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(settings.httpAddress,
                                         static_cast<Poco::UInt16>(settings.httpPort)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(/*backlog=*/1024);
    port_ = socket.address().port();
    // A pool of its own, so the admin listener can never starve webhook requests.
    pool_ = std::make_unique<Poco::ThreadPool>(2, settings.maxThreads + 1);
    router_ = new RequestRouter(processor_, settings, metrics);
    dispatcher_ = new Poco::Net::TCPServerDispatcher(
        new KeepAliveConnectionFactory(params_, router_), *pool_, params_);
    gate_ =
        std::make_unique<ConnectionGate>(socket, gateLimits(settings), *dispatcher_, gateCounters_);
}

WebhookServer::~WebhookServer() { stop(0); }

void WebhookServer::start() { gate_->start(); }

void WebhookServer::stop(int drainTimeoutMs) {
    if (stopped_) return;
    stopped_ = true;
    gate_->stop();
    // What HTTPServer::stopAll does: connections end after their current request...
    router_->stopConnections(false);
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(drainTimeoutMs);
    while (dispatcher_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
        Poco::Thread::sleep(20);
    }
    // ...and those still running past the deadline are cut off.
    router_->stopConnections(true);
    dispatcher_->stop();
    pool_->joinAll();
}

}  // namespace switchboard::http
