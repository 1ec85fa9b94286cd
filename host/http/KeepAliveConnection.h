#pragma once

#include <Poco/Mutex.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>

#include "http/RequestRouter.h"

namespace switchboard::http {

/// Serves the requests of one connection on one worker thread, as Poco's
/// HTTPServerConnection does, with Poco's own session, request and response classes, but
/// waits for each next keep-alive request with a single poll(2).
///
/// Poco 1.11's session waits with Socket::poll, which creates an epoll instance, registers
/// the socket, waits and closes the instance: four system calls per request where one does
/// (measured: a fifth less CPU per request; bench/README.md). The first request's wait is
/// still the session's own, once per connection, and returns at once: the ConnectionGate
/// dispatches a connection only when its headers have arrived.
class KeepAliveConnection : public Poco::Net::TCPServerConnection {
public:
    KeepAliveConnection(const Poco::Net::StreamSocket& socket,
                        Poco::Net::HTTPServerParams::Ptr params,
                        Poco::SharedPtr<RequestRouter> router);
    ~KeepAliveConnection() override;

    void run() override;

private:
    /// Registered on the router's stop event, as Poco's connections are: the current request
    /// finishes and the connection closes, or (abortCurrent) the connection closes at once.
    void onServerStopped(const bool& abortCurrent);

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<RequestRouter> router_;
    std::atomic<bool> stopped_{false};
    Poco::FastMutex serving_;  // held while a request is served
};

class KeepAliveConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
public:
    KeepAliveConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                               Poco::SharedPtr<RequestRouter> router)
        : params_(std::move(params)), router_(std::move(router)) {}

    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override {
        return new KeepAliveConnection(socket, params_, router_);
    }

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::SharedPtr<RequestRouter> router_;
};

}  // namespace switchboard::http
