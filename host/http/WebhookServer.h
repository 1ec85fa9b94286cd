#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/ThreadPool.h>

#include <memory>

#include "http/ConnectionGate.h"
#include "http/RequestRouter.h"
#include "http/WebhookProcessor.h"

namespace switchboard::http {

/// The public listener. A ConnectionGate accepts connections and lets them take a worker only
/// once their headers are complete, so slow or silent clients cannot hold threads; Poco's
/// dispatcher and worker pool then run a KeepAliveConnection per connection, which serves its
/// requests with Poco's HTTP session, request and response classes.
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
    unsigned short port() const { return port_; }
    /// Connections being served by a worker thread now.
    int busyConnections() const { return dispatcher_->currentConnections(); }
    /// Connections closed because the worker queue was full.
    int refusedConnections() const { return dispatcher_->refusedConnections(); }
    const GateCounters& gateCounters() const { return gateCounters_; }

private:
    WebhookProcessor processor_;
    Poco::Net::HTTPServerParams::Ptr params_;
    std::unique_ptr<Poco::ThreadPool> pool_;
    Poco::SharedPtr<RequestRouter> router_;
    Poco::AutoPtr<Poco::Net::TCPServerDispatcher> dispatcher_;
    GateCounters gateCounters_;
    std::unique_ptr<ConnectionGate> gate_;
    unsigned short port_ = 0;
    bool stopped_ = false;
};

}  // namespace switchboard::http
