#include "http/ConnectionGate.h"

#include <Poco/Logger.h>
#include <Poco/Net/NetException.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

namespace switchboard::http {
namespace {

// Looked up once: Logger::get takes a global lock and searches a map.
Poco::Logger& logger() {
    static Poco::Logger& instance = Poco::Logger::get("switchboard.http");
    return instance;
}

std::string rawAnswer(int status) {
    const char* reason = status == 408   ? "Request Timeout"
                         : status == 414 ? "URI Too Long"
                                         : "Request Header Fields Too Large";
    const std::string body = status == 408   ? R"({"error":"request headers not received in time"})"
                             : status == 414 ? R"({"error":"request line too long"})"
                                             : R"({"error":"request headers too large"})";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason +
           "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n\r\n" + body;
}

const Poco::Timespan kPollInterval(0, 100 * 1000);  // also the expiry granularity
// How long a connection with a partial request waits before the gate looks at it again: a
// client trickling its headers costs at most 40 peeks a second.
constexpr std::chrono::milliseconds kRecheckDelay(25);
const Poco::Timespan kRecheckInterval(0, 25 * 1000);

}  // namespace

ConnectionGate::ConnectionGate(Poco::Net::ServerSocket socket, GateLimits limits,
                               Poco::Net::TCPServerDispatcher& dispatcher, GateCounters& counters)
    : listener_(std::move(socket)),
      limits_(limits),
      dispatcher_(dispatcher),
      counters_(counters),
      peekBuffer_(std::max(limits.maxHeaderBytes, limits.maxRequestLineBytes) + 1) {
    thread_.setName("connection-gate");
}

ConnectionGate::~ConnectionGate() { stop(); }

void ConnectionGate::start() {
    listener_.setBlocking(false);
    pollSet_.add(listener_, Poco::Net::PollSet::POLL_READ);
    thread_.start(*this);
}

void ConnectionGate::stop() {
    stopping_ = true;
    if (thread_.isRunning()) thread_.join();
}

void ConnectionGate::run() {
    while (!stopping_) {
        const bool parked = unparkDue();
        Poco::Net::PollSet::SocketModeMap ready;
        try {
            ready = pollSet_.poll(parked ? kRecheckInterval : kPollInterval);
        } catch (const Poco::Exception& error) {
            logger().error("connection gate: poll failed: %s", error.displayText());
            continue;
        }
        for (const auto& [socket, mode] : ready) {
            if (socket == listener_) {
                acceptAll();
                continue;
            }
            const auto found = pending_.find(socket);
            if (found == pending_.end()) continue;
            switch (inspect(found->second.socket)) {
                case Verdict::Incomplete:
                    park(found->second);
                    break;
                case Verdict::Complete: {
                    Poco::Net::StreamSocket complete = found->second.socket;
                    drop(socket);
                    dispatcher_.enqueue(complete);  // Poco's worker reads the request from here
                    break;
                }
                case Verdict::RequestLineTooLong:
                    ++counters_.requestLineTooLong;
                    reject(found->second.socket, 414);
                    drop(socket);
                    break;
                case Verdict::HeadersTooLarge:
                    ++counters_.headersTooLarge;
                    reject(found->second.socket, 431);
                    drop(socket);
                    break;
                case Verdict::Closed:
                    drop(socket);
                    break;
            }
        }
        expire();
    }
    for (auto& [socket, pending] : pending_) pending.socket.close();
    pending_.clear();
    counters_.pending = 0;
}

void ConnectionGate::acceptAll() {
    for (;;) {
        Poco::Net::StreamSocket socket;
        try {
            socket = listener_.acceptConnection();
        } catch (const Poco::Exception&) {
            return;  // EAGAIN: nothing more to accept now (or a transient accept error)
        }
        if (pending_.size() >= limits_.maxPendingConnections) {
            // Make room by closing the connection that has waited longest.
            const auto oldest = std::min_element(
                pending_.begin(), pending_.end(),
                [](const auto& a, const auto& b) { return a.second.since < b.second.since; });
            ++counters_.overflowed;
            Poco::Net::StreamSocket victim = oldest->second.socket;
            drop(oldest->first);
            victim.close();
        }
        socket.setBlocking(true);
        socket.setNoDelay(true);
        pollSet_.add(socket, Poco::Net::PollSet::POLL_READ);
        pending_.emplace(socket, Pending{socket, std::chrono::steady_clock::now(), std::nullopt});
        ++counters_.pending;
    }
}

ConnectionGate::Verdict ConnectionGate::inspect(const Poco::Net::StreamSocket& socket) {
    const ssize_t size = ::recv(socket.impl()->sockfd(), peekBuffer_.data(), peekBuffer_.size(),
                                MSG_PEEK | MSG_DONTWAIT);
    if (size == 0) return Verdict::Closed;
    if (size < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Verdict::Incomplete
                                                                         : Verdict::Closed;
    }
    const std::string_view head(peekBuffer_.data(), static_cast<std::size_t>(size));
    const std::size_t firstLineEnd = head.find('\n');
    if ((firstLineEnd == std::string_view::npos ? head.size() : firstLineEnd) >
        limits_.maxRequestLineBytes) {
        return Verdict::RequestLineTooLong;
    }
    std::size_t end = head.find("\r\n\r\n");
    if (end == std::string_view::npos) end = head.find("\n\n");
    if (end == std::string_view::npos) {
        return head.size() > limits_.maxHeaderBytes ? Verdict::HeadersTooLarge
                                                    : Verdict::Incomplete;
    }
    if (end > limits_.maxHeaderBytes) return Verdict::HeadersTooLarge;
    const auto lines = static_cast<std::size_t>(
        std::count(head.begin(), head.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
    return lines > limits_.maxHeaderCount ? Verdict::HeadersTooLarge : Verdict::Complete;
}

void ConnectionGate::reject(Poco::Net::StreamSocket& socket, int status) {
    const std::string answer = rawAnswer(status);
    // Best effort and never blocking: a client that cannot take a few hundred bytes now
    // simply sees the connection close.
    const int fd = socket.impl()->sockfd();
    (void)::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    // Closing with unread bytes makes the kernel reset the connection, which can destroy the
    // answer before the client reads it: discard what already arrived first.
    char discard[4096];
    for (int reads = 0; reads < 16 && ::recv(fd, discard, sizeof discard, MSG_DONTWAIT) > 0;
         ++reads) {
    }
    try {
        socket.shutdownSend();
    } catch (const Poco::Exception&) {
    }
}

void ConnectionGate::expire() {
    const auto deadline = std::chrono::steady_clock::now() - limits_.headerTimeout;
    std::vector<Poco::Net::Socket> expired;
    for (const auto& [socket, pending] : pending_) {
        if (pending.since < deadline) expired.push_back(socket);
    }
    for (const auto& socket : expired) {
        ++counters_.timedOut;
        Poco::Net::StreamSocket stream = pending_.at(socket).socket;
        reject(stream, 408);
        drop(socket);
    }
}

void ConnectionGate::park(Pending& pending) {
    pollSet_.remove(pending.socket);
    pending.parkedUntil = std::chrono::steady_clock::now() + kRecheckDelay;
}

bool ConnectionGate::unparkDue() {
    const auto now = std::chrono::steady_clock::now();
    bool stillParked = false;
    for (auto& [socket, pending] : pending_) {
        if (!pending.parkedUntil) continue;
        if (*pending.parkedUntil <= now) {
            pending.parkedUntil.reset();
            pollSet_.add(pending.socket, Poco::Net::PollSet::POLL_READ);
        } else {
            stillParked = true;
        }
    }
    return stillParked;
}

void ConnectionGate::drop(const Poco::Net::Socket& socket) {
    const auto found = pending_.find(socket);
    if (found == pending_.end()) return;
    if (!found->second.parkedUntil) pollSet_.remove(socket);
    pending_.erase(found);
    --counters_.pending;
}

}  // namespace switchboard::http
