#pragma once

#include <Poco/Net/PollSet.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerDispatcher.h>
#include <Poco/Runnable.h>
#include <Poco/Thread.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace switchboard::http {

/// Limits on what a client must send before it gets a worker thread.
struct GateLimits {
    std::chrono::milliseconds headerTimeout{5000};
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
    std::atomic<std::uint64_t> overflowed{0};          // closed: too many pending connections
    std::atomic<std::int64_t> pending{0};
};

/// Accepts connections on one thread and holds each until its request headers have arrived
/// in full, then hands it to Poco's dispatcher, whose worker threads parse and serve it.
///
/// Poco's HTTP server gives every connection a thread while it reads the headers, so clients
/// that trickle headers or connect and stay silent would occupy every thread. Here they wait
/// on no thread and no buffer: the gate only peeks (MSG_PEEK) at what the kernel holds, and
/// answers 408, 414 or 431 itself when a client is too slow or sends too much.
class ConnectionGate : public Poco::Runnable {
public:
    ConnectionGate(Poco::Net::ServerSocket socket, GateLimits limits,
                   Poco::Net::TCPServerDispatcher& dispatcher, GateCounters& counters);
    ~ConnectionGate() override;

    void start();
    /// Stops accepting and closes the connections still waiting for their headers.
    void stop();
    void run() override;

private:
    enum class Verdict { Incomplete, Complete, RequestLineTooLong, HeadersTooLarge, Closed };
    struct Pending {
        Poco::Net::StreamSocket socket;
        std::chrono::steady_clock::time_point since;
        // A partial request stays readable (peeking consumes nothing), so after each look the
        // socket leaves the poll set until this time instead of waking the gate at once again.
        std::optional<std::chrono::steady_clock::time_point> parkedUntil;
    };

    void acceptAll();
    Verdict inspect(const Poco::Net::StreamSocket& socket);
    void reject(Poco::Net::StreamSocket& socket, int status);
    void expire();
    void park(Pending& pending);
    /// Puts parked sockets whose time came back into the poll set; true when any stay parked.
    bool unparkDue();
    void drop(const Poco::Net::Socket& socket);

    Poco::Net::ServerSocket listener_;
    GateLimits limits_;
    Poco::Net::TCPServerDispatcher& dispatcher_;
    GateCounters& counters_;
    Poco::Net::PollSet pollSet_;
    std::map<Poco::Net::Socket, Pending> pending_;
    std::vector<char> peekBuffer_;
    std::atomic<bool> stopping_{false};
    Poco::Thread thread_;
};

}  // namespace switchboard::http
