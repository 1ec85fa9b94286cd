#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <sys/epoll.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/Connection.h"
#include "http/WorkerPool.h"

namespace switchboard::http {

/// What the gate allows: how long and how much a client may take to send a request's headers
/// before it gets a worker thread, how long a kept-alive connection may stay idle, and how
/// many connections may wait at once.
struct GateLimits {
    std::chrono::milliseconds headerTimeout{5000};
    std::chrono::milliseconds keepAliveTimeout{10000};
    std::size_t maxRequestLineBytes = 8192;
    std::size_t maxHeaderBytes = 16384;
    std::size_t maxHeaderCount = 64;
    std::size_t maxPendingConnections = 10000;
};

/// Counters of what the gate turned away.
struct GateCounters {
    std::atomic<std::uint64_t> timedOut{0};            // 408: headers not complete in time
    std::atomic<std::uint64_t> headersTooLarge{0};     // 431
    std::atomic<std::uint64_t> requestLineTooLong{0};  // 414
    std::atomic<std::uint64_t> overflowed{0};          // closed: too many waiting connections
    std::atomic<std::uint64_t> refused{0};             // closed: the worker queue was full
    std::atomic<std::int64_t> pending{0};              // connections waiting in the gate
};

/// Where every connection waits for each of its requests, on one thread, holding no worker:
/// accepted ones for their first request, kept-alive ones for their next. A connection goes to
/// the worker pool only once its request headers have arrived in full, and comes back when its
/// answer is sent.
///
/// A thread per connection would let clients that trickle headers, connect and stay silent,
/// or keep idle connections open occupy every thread. Here they cost a file descriptor and a
/// small record: the gate only peeks (MSG_PEEK) at what the kernel holds, answers 408, 414 or
/// 431 itself when a client is too slow or sends too much, and closes kept-alive connections
/// idle for longer than the keep-alive timeout.
class ConnectionGate {
public:
    using Pool = WorkerPool<Connection*>;

    ConnectionGate(Poco::Net::ServerSocket socket, GateLimits limits,
                   Poco::Net::HTTPServerParams::Ptr params, Pool& pool, GateCounters& counters);
    ~ConnectionGate();

    void start();
    /// Stops accepting and closes the connections waiting in the gate. Connections on a
    /// worker finish their request; they are closed then (`release`), not handed back.
    void stop();

    /// Worker side, after an answer: the connection waits here for its next request.
    void handBack(Connection* connection);
    /// Worker side: the connection is done; closes it.
    void release(Connection* connection);
    /// Cuts short the requests being served (the drain ran out of time).
    void abortServing();
    /// Closes every connection left; once no worker runs.
    void closeAll();

private:
    enum class Verdict {
        Nothing,          // no byte to read now
        Incomplete,       // part of a request's headers
        Complete,         // one request's headers (and as much of its body as came), no more
        CompleteAndMore,  // and bytes past that request, or a body of unknown length, or more
                          // than one peek shows
        RequestLineTooLong,
        HeadersTooLarge,
        Closed
    };

    void run();
    void serveEvents(const epoll_event* events, int count);
    void acceptAll();
    /// Out of descriptors: stops watching the listener for a while instead of spinning on it.
    void pauseAccepting();
    void resumeAccepting();
    bool watchListener(int operation, std::uint32_t events);
    void onReadable(Connection* connection, std::uint32_t events);
    /// Looks at what the connection has sent, and dispatches, parks, answers or drops it.
    /// `recheckOnReturn`: the client is closing, or sent bytes while it was parked: look at
    /// the connection again when the worker hands it back.
    void inspect(Connection* connection, bool recheckOnReturn);
    Verdict verdict(const Connection& connection);
    void dispatch(Connection* connection, bool recheckOnReturn);
    void reject(Connection* connection, int status);
    void expire();
    void park(Connection* connection);
    /// Looks again at parked connections whose time came.
    void unparkDue();
    void watch(Connection* connection, int operation);
    /// Closes and forgets a connection the gate holds.
    void drop(Connection* connection);
    /// Forgets the connections workers released.
    void reapReleased();
    std::chrono::milliseconds pollTimeout() const;

    Poco::Net::ServerSocket listener_;
    GateLimits limits_;
    Poco::Net::HTTPServerParams::Ptr params_;
    Pool& pool_;
    GateCounters& counters_;
    int epoll_ = -1;
    std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
    std::vector<Connection*> parked_;
    std::mutex releasedLock_;
    std::vector<Connection*> released_;
    std::vector<char> peekBuffer_;
    std::chrono::steady_clock::time_point nextExpiry_{};
    bool acceptPaused_ = false;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

}  // namespace switchboard::http
