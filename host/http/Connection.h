#pragma once

#include <Poco/Mutex.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <chrono>
#include <optional>

#include "http/RequestRouter.h"

namespace switchboard::http {

/// One client connection and its Poco HTTP session, kept from request to request. It waits
/// for each request in the ConnectionGate, holding no thread, and a worker serves the request
/// once its headers have arrived (`serve`), with Poco's session, request and response classes.
class Connection {
public:
    /// Who may touch the connection now: the gate's thread, or the worker serving it.
    /// WorkerRecheckOnReturn: the gate must look at it again when the worker hands it back,
    /// because bytes arrived while the worker held it, or may be in the socket past the
    /// request it was given; the edge-triggered epoll would not report them again.
    enum class Holder { Gate, Worker, WorkerRecheckOnReturn };

    /// The gate's bookkeeping while the connection waits there (read and written by the gate's
    /// thread, or by the worker handing the connection back, before it does).
    struct Waiting {
        std::chrono::steady_clock::time_point since;
        /// Kept alive after a request, and no byte of the next one has arrived yet.
        bool idle = false;
        /// Its events are ignored until then: a client trickling a request is looked at no
        /// more than once per park.
        std::optional<std::chrono::steady_clock::time_point> parkedUntil;
        /// Events came while parked (and were ignored).
        bool eventsWhileParked = false;
    };

    Connection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    int fd() const { return fd_; }

    /// Serves the request whose headers have arrived, then any pipelined request the session
    /// has already read. True when the connection stays open for a next request. Never throws.
    bool serve(RequestRouter& router, const std::atomic<bool>& serverStopping);

    /// Closes the socket, after taking it out of `epoll` when given; any thread, once. Waits
    /// for a hand-over in progress (handOverLock).
    void close(int epoll = -1);
    /// Cuts the request being served short (the server's drain ran out of time).
    void abort();

    /// Held by a worker while it hands the connection back to the gate, and by close(): the
    /// gate's thread cannot close (and free) a connection halfway through its hand-over.
    Poco::FastMutex& handOverLock() { return handOverLock_; }

    std::atomic<Holder> holder{Holder::Gate};
    Waiting waiting;

private:
    // Poco's server session, with what it has already read from the socket made visible:
    // bytes past the current request are a pipelined next request, already off the socket.
    class Session : public Poco::Net::HTTPServerSession {
    public:
        using HTTPServerSession::HTTPServerSession;
        bool hasBufferedBytes() const { return buffered() > 0; }
    };

    void serveOne(RequestRouter& router, bool serverStopping);
    void sendError(Poco::Net::HTTPResponse::HTTPStatus status);

    Poco::Net::StreamSocket socket_;
    const int fd_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Session session_;
    bool started_ = false;
    Poco::FastMutex handOverLock_;  // also serializes close() and abort()
    bool closed_ = false;
};

}  // namespace switchboard::http
