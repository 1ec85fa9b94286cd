#pragma once

#include <Poco/Net/HTTPServerParams.h>

#include <atomic>
#include <memory>

#include "http/Connection.h"
#include "http/ConnectionGate.h"
#include "http/RequestRouter.h"
#include "http/WebhookProcessor.h"
#include "http/WorkerPool.h"

namespace switchboard::http {

/// The public listener. Every connection waits for each of its requests in the
/// ConnectionGate, which holds no thread for it; once a request's headers are complete, a
/// worker from a FIFO pool serves it with Poco's HTTP session, request and response classes
/// and hands the connection back to the gate.
class WebhookServer {
public:
    WebhookServer(const config::HostSettings& settings, plugins::PluginManager& plugins,
                  admin::Metrics& metrics);
    ~WebhookServer();

    void start();
    /// Stops accepting, lets requests in flight and queued finish for up to `drainTimeoutMs`,
    /// then cuts short what is left.
    void stop(int drainTimeoutMs);

    /// The port actually bound (useful with http.port=0).
    unsigned short port() const { return port_; }
    /// Worker threads serving requests now (or just woken to).
    std::size_t busyWorkers() const { return pool_->running(); }
    /// Requests whose headers are complete, waiting for a worker.
    std::size_t queuedRequests() const { return pool_->queued(); }
    const GateCounters& gateCounters() const { return gateCounters_; }

private:
    void serve(Connection* connection);

    WebhookProcessor processor_;
    Poco::Net::HTTPServerParams::Ptr params_;
    RequestRouter router_;
    std::atomic<bool> stopping_{false};
    std::unique_ptr<ConnectionGate::Pool> pool_;
    GateCounters gateCounters_;
    std::unique_ptr<ConnectionGate> gate_;
    unsigned short port_ = 0;
    bool stopped_ = false;
};

}  // namespace switchboard::http
