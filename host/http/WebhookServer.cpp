#include "http/WebhookServer.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Thread.h>

#include <chrono>

#include "http/RequestRouter.h"

namespace switchboard::http {
namespace {

Poco::Net::HTTPServerParams::Ptr serverParams(const config::HostSettings& settings) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    // Poco holds a thread per keep-alive connection and closes connections it cannot queue,
    // so these bound both concurrency and memory; see conf/switchboard.properties.
    params->setMaxThreads(settings.maxThreads);
    params->setMaxQueued(settings.maxQueued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(settings.keepAliveTimeoutMs * 1000LL));
    params->setTimeout(Poco::Timespan(settings.timeoutMs * 1000LL));
    params->setServerName("switchboard");
    params->setSoftwareVersion("switchboard");
    return params;
}

}  // namespace

WebhookServer::WebhookServer(const config::HostSettings& settings,
                             plugins::PluginManager& plugins, admin::Metrics& metrics)
    : processor_(settings, plugins, metrics) {
    Poco::Net::ServerSocket socket(
        Poco::Net::SocketAddress(settings.httpAddress, static_cast<Poco::UInt16>(settings.httpPort)),
        /*backlog=*/1024);
    // A pool of its own, so the admin listener can never starve webhook requests.
    pool_ = std::make_unique<Poco::ThreadPool>(2, settings.maxThreads + 1);
    server_ = std::make_unique<Poco::Net::HTTPServer>(
        new RequestRouter(processor_, settings, metrics), *pool_, socket, serverParams(settings));
}

WebhookServer::~WebhookServer() {
    if (server_) server_->stopAll(true);
}

void WebhookServer::start() { server_->start(); }

void WebhookServer::stop(int drainTimeoutMs) {
    server_->stopAll(false);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drainTimeoutMs);
    while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
        Poco::Thread::sleep(20);
    }
    server_->stopAll(true);
}

unsigned short WebhookServer::port() const { return server_->port(); }

}  // namespace switchboard::http
