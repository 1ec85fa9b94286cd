#include "http/WebhookServer.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <thread>

namespace switchboard::http {
namespace {

Poco::Net::HTTPServerParams::Ptr serverParams(const config::HostSettings& settings) {
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    // The keep-alive timeout is the gate's (GateLimits): Poco's session never waits itself.
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(settings.timeoutMs * 1000LL));
    params->setSoftwareVersion("switchboard");
    return params;
}

GateLimits gateLimits(const config::HostSettings& settings) {
    GateLimits limits;
    limits.headerTimeout = std::chrono::milliseconds(settings.headerTimeoutMs);
    limits.keepAliveTimeout = std::chrono::milliseconds(settings.keepAliveTimeoutMs);
    limits.maxRequestLineBytes = settings.maxRequestLineBytes;
    limits.maxHeaderBytes = settings.maxHeaderBytes;
    limits.maxHeaderCount = settings.maxHeaderCount;
    limits.maxPendingConnections = settings.maxPendingConnections;
    return limits;
}

// The CPUs this process may run on (its affinity, e.g. under taskset or a cpuset).
std::size_t usableCpus() {
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0) {
        return static_cast<std::size_t>(std::max(1, CPU_COUNT(&cpus)));
    }
    return std::max(1U, std::thread::hardware_concurrency());
}

WorkerPoolLimits poolLimits(const config::HostSettings& settings) {
    WorkerPoolLimits limits;
    limits.maxThreads = static_cast<std::size_t>(settings.maxThreads);
    limits.maxQueued = static_cast<std::size_t>(settings.maxQueued);
    // Two per CPU: a worker is often preempted as its answer wakes the client, and another
    // then takes the next request (measured against one per CPU and three: bench/README.md).
    limits.runningTarget = 2 * usableCpus();
    return limits;
}

}  // namespace

WebhookServer::WebhookServer(const config::HostSettings& settings, plugins::PluginManager& plugins,
                             admin::Metrics& metrics)
    : processor_(settings, plugins, metrics),
      params_(serverParams(settings)),
      router_(processor_, settings, metrics),
      pool_(std::make_unique<ConnectionGate::Pool>(
          poolLimits(settings), [this](Connection* connection) { serve(connection); },
          "webhook-worker")) {
    // No SO_REUSEPORT: a second host on the same port must fail, not share the traffic.
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(settings.httpAddress,
                                         static_cast<Poco::UInt16>(settings.httpPort)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(/*backlog=*/1024);
    port_ = socket.address().port();
    gate_ = std::make_unique<ConnectionGate>(socket, gateLimits(settings), params_, *pool_,
                                             gateCounters_);
}

WebhookServer::~WebhookServer() { stop(0); }

void WebhookServer::start() { gate_->start(); }

void WebhookServer::serve(Connection* connection) {
    if (connection->serve(router_, stopping_)) {
        gate_->handBack(connection);
    } else {
        gate_->release(connection);
    }
}

void WebhookServer::stop(int drainTimeoutMs) {
    if (stopped_) return;
    stopped_ = true;
    // Requests in flight and queued are answered, and their connections then closed...
    stopping_ = true;
    gate_->stop();
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(drainTimeoutMs);
    while ((pool_->running() > 0 || pool_->queued() > 0) &&
           std::chrono::steady_clock::now() < deadline) {
        pool_->wakeIfStalled();  // the gate no longer does it
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // ...and past the deadline, requests not begun are dropped and those running cut off.
    for (Connection* queued : pool_->takeQueued()) gate_->release(queued);
    gate_->abortServing();
    pool_->stop();
    gate_->closeAll();
}

}  // namespace switchboard::http
