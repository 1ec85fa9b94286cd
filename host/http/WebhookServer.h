#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <memory>

#include "http/WebhookProcessor.h"

namespace switchboard::http {

/// The public listener: Poco's HTTPServer with the thread pool, queue and timeouts from the
/// settings, routing to the webhook handler.
class WebhookServer {
public:
    WebhookServer(const config::HostSettings& settings, plugins::PluginManager& plugins,
                  admin::Metrics& metrics);
    ~WebhookServer();

    void start();
    /// Stops accepting, lets requests in flight finish for up to `drainTimeoutMs`, then
    /// closes what is left.
    void stop(int drainTimeoutMs);

    /// The port actually bound (useful with http.port=0).
    unsigned short port() const;
    int currentConnections() const { return server_->currentConnections(); }
    int refusedConnections() const { return server_->refusedConnections(); }

private:
    WebhookProcessor processor_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;  // declared after the pool: stopped first
};

}  // namespace switchboard::http
