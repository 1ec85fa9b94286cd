#include "http/ConnectionGate.h"

#include <Poco/Logger.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace switchboard::http {
namespace {

using Clock = std::chrono::steady_clock;

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

constexpr std::chrono::milliseconds kExpiryInterval(100);  // also the expiry granularity
// How long a connection with a partial request waits before the gate looks at it again: a
// client trickling its headers costs at most 40 peeks a second.
constexpr std::chrono::milliseconds kRecheckDelay(25);
// While requests are queued, how often the gate checks that the workers are moving.
constexpr std::chrono::milliseconds kStallCheckInterval(1);
constexpr int kMaxEvents = 256;

bool startsWithIgnoringCase(std::string_view text, std::string_view lowercasePrefix) {
    return text.size() >= lowercasePrefix.size() &&
           std::equal(lowercasePrefix.begin(), lowercasePrefix.end(), text.begin(),
                      [](char expected, char actual) {
                          return std::tolower(static_cast<unsigned char>(actual)) == expected;
                      });
}

// The body's length as the request's headers state it (none: 0); nullopt when it is chunked,
// unreadable, or otherwise not known from the headers alone.
std::optional<std::size_t> bodyLength(std::string_view headers) {
    constexpr std::string_view kContentLength = "content-length:";
    std::optional<std::size_t> length = 0;
    for (std::size_t start = headers.find('\n'); start != std::string_view::npos;) {
        const std::size_t next = headers.find('\n', start + 1);
        const std::string_view line = headers.substr(
            start + 1, next == std::string_view::npos ? std::string_view::npos : next - start - 1);
        start = next;
        if (startsWithIgnoringCase(line, "transfer-encoding:")) return std::nullopt;
        if (!startsWithIgnoringCase(line, kContentLength)) continue;
        std::string_view value = line.substr(kContentLength.size());
        const std::size_t first = value.find_first_not_of(" \t");
        const std::size_t last = value.find_last_not_of(" \t\r");
        if (first == std::string_view::npos) return std::nullopt;
        value = value.substr(first, last - first + 1);
        std::size_t parsed = 0;
        const auto [end, error] =
            std::from_chars(value.data(), value.data() + value.size(), parsed);
        if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
        length = parsed;
    }
    return length;
}

}  // namespace

ConnectionGate::ConnectionGate(Poco::Net::ServerSocket socket, GateLimits limits,
                               Poco::Net::HTTPServerParams::Ptr params, Pool& pool,
                               GateCounters& counters)
    : listener_(std::move(socket)),
      limits_(limits),
      params_(std::move(params)),
      pool_(pool),
      counters_(counters),
      epoll_(::epoll_create1(EPOLL_CLOEXEC)),
      peekBuffer_(std::max(limits.maxHeaderBytes, limits.maxRequestLineBytes) + 1) {
    if (epoll_ < 0) throw std::system_error(errno, std::generic_category(), "epoll_create1");
}

ConnectionGate::~ConnectionGate() {
    stop();
    closeAll();
    ::close(epoll_);
}

void ConnectionGate::start() {
    listener_.setBlocking(false);
    if (!watchListener(EPOLL_CTL_ADD, EPOLLIN)) {
        throw std::system_error(errno, std::generic_category(), "epoll_ctl(listener)");
    }
    thread_ = std::thread([this] { run(); });
    pthread_setname_np(thread_.native_handle(), "connection-gate");
}

void ConnectionGate::stop() {
    // From here workers close their connections instead of handing them back.
    if (stopping_.exchange(true)) return;
    if (thread_.joinable()) thread_.join();
    reapReleased();
    for (auto it = connections_.begin(); it != connections_.end();) {
        if (it->second->holder.load(std::memory_order_acquire) == Connection::Holder::Gate) {
            it->second->close();
            it = connections_.erase(it);
        } else {
            ++it;
        }
    }
    counters_.pending = 0;
}

void ConnectionGate::closeAll() {
    reapReleased();
    for (auto& [key, connection] : connections_) connection->close();
    connections_.clear();
}

void ConnectionGate::handBack(Connection* connection) {
    if (stopping_.load(std::memory_order_acquire)) {
        // A hand-back racing with stop() may still land in the gate; closeAll() closes it.
        release(connection);
        return;
    }
    // Once the holder says Gate, the gate's thread may pick this connection to expire or to
    // make room; it closes it first, which waits for this lock, so the connection is not
    // freed before its hand-over is complete.
    Poco::FastMutex::ScopedLock handOver(connection->handOverLock());
    connection->waiting = Connection::Waiting{Clock::now(), true, std::nullopt, false};
    ++counters_.pending;
    if (connection->holder.exchange(Connection::Holder::Gate, std::memory_order_acq_rel) ==
        Connection::Holder::WorkerRecheckOnReturn) {
        // Bytes came while this worker held it (the next request, or the client closing):
        // re-registering makes epoll report them again if they are still unread.
        watch(connection, EPOLL_CTL_MOD);
    }
}

void ConnectionGate::release(Connection* connection) {
    connection->close(epoll_);
    std::lock_guard lock(releasedLock_);
    released_.push_back(connection);
}

void ConnectionGate::abortServing() {
    // Called once the gate's thread has stopped: the map no longer changes.
    for (auto& [key, connection] : connections_) {
        if (connection->holder.load(std::memory_order_acquire) != Connection::Holder::Gate) {
            connection->abort();
        }
    }
}

void ConnectionGate::run() {
    epoll_event events[kMaxEvents];
    while (!stopping_.load(std::memory_order_relaxed)) {
        const int ready =
            ::epoll_wait(epoll_, events, kMaxEvents, static_cast<int>(pollTimeout().count()));
        if (ready < 0 && errno != EINTR) {
            logger().error("connection gate: epoll_wait failed: %s",
                           std::string(std::strerror(errno)));
        }
        // Nothing may escape the gate's thread: a failure costs at most the connection at hand.
        try {
            serveEvents(events, ready);
            if (pool_.queued() > 0) pool_.wakeIfStalled();
            if (!parked_.empty()) unparkDue();
            const auto now = Clock::now();
            if (now >= nextExpiry_) {
                nextExpiry_ = now + kExpiryInterval;
                if (acceptPaused_) resumeAccepting();
                reapReleased();
                expire();
            }
        } catch (const std::exception& error) {
            logger().error("connection gate: %s", std::string(error.what()));
        }
    }
}

void ConnectionGate::serveEvents(const epoll_event* events, int count) {
    bool listenerReady = false;
    for (int i = 0; i < count; ++i) {
        auto* connection = static_cast<Connection*>(events[i].data.ptr);
        if (connection == nullptr) {
            listenerReady = true;
        } else {
            onReadable(connection, events[i].events);
        }
    }
    // Accepting last: making room for a new connection may close one whose event comes later
    // in this batch.
    if (listenerReady) acceptAll();
}

std::chrono::milliseconds ConnectionGate::pollTimeout() const {
    if (pool_.queued() > 0) return kStallCheckInterval;
    return parked_.empty() ? kExpiryInterval : kRecheckDelay;
}

void ConnectionGate::acceptAll() {
    for (;;) {
        Poco::Net::StreamSocket socket;
        try {
            socket = listener_.acceptConnection();
        } catch (const Poco::Exception&) {
            if (errno == EMFILE || errno == ENFILE) pauseAccepting();
            return;  // EAGAIN: nothing more to accept now (or a transient accept error)
        }
        if (static_cast<std::size_t>(counters_.pending.load()) >= limits_.maxPendingConnections) {
            // Make room by closing the connection that has waited longest.
            Connection* oldest = nullptr;
            for (auto& [key, candidate] : connections_) {
                if (candidate->holder.load(std::memory_order_acquire) != Connection::Holder::Gate) {
                    continue;
                }
                if (oldest == nullptr || candidate->waiting.since < oldest->waiting.since) {
                    oldest = candidate.get();
                }
            }
            if (oldest != nullptr) {
                ++counters_.overflowed;
                drop(oldest);
            }
        }
        socket.setBlocking(true);
        socket.setNoDelay(true);
        // Not inherited by processes that plugins start.
        ::fcntl(socket.impl()->sockfd(), F_SETFD, FD_CLOEXEC);
        auto connection = std::make_unique<Connection>(socket, params_);
        Connection* raw = connection.get();
        raw->waiting = Connection::Waiting{Clock::now(), false, std::nullopt, false};
        connections_.emplace(raw, std::move(connection));
        ++counters_.pending;
        watch(raw, EPOLL_CTL_ADD);
    }
}

void ConnectionGate::pauseAccepting() {
    if (acceptPaused_) return;
    logger().warning("connection gate: out of file descriptors; not accepting for %d ms",
                     static_cast<int>(kExpiryInterval.count()));
    watchListener(EPOLL_CTL_MOD, 0);
    acceptPaused_ = true;
}

void ConnectionGate::resumeAccepting() {
    watchListener(EPOLL_CTL_MOD, EPOLLIN);
    acceptPaused_ = false;
}

bool ConnectionGate::watchListener(int operation, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.ptr = nullptr;  // what tells the listener's events from a connection's
    return ::epoll_ctl(epoll_, operation, listener_.impl()->sockfd(), &event) == 0;
}

void ConnectionGate::onReadable(Connection* connection, std::uint32_t events) {
    auto holder = Connection::Holder::Worker;
    if (connection->holder.compare_exchange_strong(
            holder, Connection::Holder::WorkerRecheckOnReturn, std::memory_order_acq_rel) ||
        holder != Connection::Holder::Gate) {
        return;  // a worker holds it, and asks for the event again when it hands it back
    }
    if (connection->waiting.parkedUntil) {
        // unparkDue looks at it when its time comes; what this event said must not be lost.
        connection->waiting.eventsWhileParked = true;
        return;
    }
    inspect(connection, (events & (EPOLLRDHUP | EPOLLHUP)) != 0);
}

void ConnectionGate::inspect(Connection* connection, bool recheckOnReturn) {
    switch (verdict(*connection)) {
        case Verdict::Nothing:
            break;  // a late event: the bytes it announced were read; the next bytes bring one
        case Verdict::Incomplete:
            if (connection->waiting.idle) {
                // The next request has begun: from now on, its headers' time limit applies.
                connection->waiting.idle = false;
                connection->waiting.since = Clock::now();
            }
            park(connection);
            break;
        case Verdict::Complete:
            dispatch(connection, recheckOnReturn);
            break;
        case Verdict::CompleteAndMore:
            dispatch(connection, true);
            break;
        case Verdict::RequestLineTooLong:
            ++counters_.requestLineTooLong;
            reject(connection, 414);
            break;
        case Verdict::HeadersTooLarge:
            ++counters_.headersTooLarge;
            reject(connection, 431);
            break;
        case Verdict::Closed:
            drop(connection);
            break;
    }
}

ConnectionGate::Verdict ConnectionGate::verdict(const Connection& connection) {
    const ssize_t size =
        ::recv(connection.fd(), peekBuffer_.data(), peekBuffer_.size(), MSG_PEEK | MSG_DONTWAIT);
    if (size == 0) return Verdict::Closed;
    if (size < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? Verdict::Nothing
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
    if (lines > limits_.maxHeaderCount) return Verdict::HeadersTooLarge;
    // Bytes past this request (a pipelined one) that the worker leaves in the socket would
    // never be reported again by the edge-triggered epoll; so would bytes past what one peek
    // shows, or a body of a length not known here.
    const std::size_t headEnd = end + (head.compare(end, 4, "\r\n\r\n") == 0 ? 4 : 2);
    const std::optional<std::size_t> body = bodyLength(head.substr(0, end));
    const bool truncated = static_cast<std::size_t>(size) == peekBuffer_.size();
    return !body || truncated || head.size() > headEnd + *body ? Verdict::CompleteAndMore
                                                               : Verdict::Complete;
}

void ConnectionGate::dispatch(Connection* connection, bool recheckOnReturn) {
    --counters_.pending;
    // Marked as if an event had come while a worker held it: the worker then asks epoll to
    // report the connection again when it hands it back.
    connection->holder.store(
        recheckOnReturn ? Connection::Holder::WorkerRecheckOnReturn : Connection::Holder::Worker,
        std::memory_order_release);
    if (pool_.submit(connection)) return;  // a worker reads the request from here
    connection->holder.store(Connection::Holder::Gate, std::memory_order_release);
    ++counters_.pending;
    ++counters_.refused;
    drop(connection);
}

void ConnectionGate::reject(Connection* connection, int status) {
    const std::string answer = rawAnswer(status);
    // Best effort and never blocking: a client that cannot take a few hundred bytes now
    // simply sees the connection close.
    const int fd = connection->fd();
    (void)::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    // Closing with unread bytes makes the kernel reset the connection, which can destroy the
    // answer before the client reads it: discard what already arrived first.
    char discard[4096];
    for (int reads = 0; reads < 16 && ::recv(fd, discard, sizeof discard, MSG_DONTWAIT) > 0;
         ++reads) {
    }
    ::shutdown(fd, SHUT_WR);
    drop(connection);
}

void ConnectionGate::expire() {
    const auto now = Clock::now();
    std::vector<Connection*> timedOut, idle;
    for (auto& [key, connection] : connections_) {
        if (connection->holder.load(std::memory_order_acquire) != Connection::Holder::Gate) {
            continue;
        }
        const Connection::Waiting& waiting = connection->waiting;
        if (waiting.idle) {
            if (now - waiting.since >= limits_.keepAliveTimeout) idle.push_back(key);
        } else if (now - waiting.since >= limits_.headerTimeout) {
            timedOut.push_back(key);
        }
    }
    for (Connection* connection : idle) drop(connection);
    for (Connection* connection : timedOut) {
        ++counters_.timedOut;
        reject(connection, 408);
    }
}

void ConnectionGate::park(Connection* connection) {
    connection->waiting.eventsWhileParked = false;
    connection->waiting.parkedUntil = Clock::now() + kRecheckDelay;
    parked_.push_back(connection);
}

void ConnectionGate::unparkDue() {
    const auto now = Clock::now();
    std::vector<Connection*> due;
    parked_.erase(std::remove_if(parked_.begin(), parked_.end(),
                                 [&](Connection* connection) {
                                     if (*connection->waiting.parkedUntil > now) return false;
                                     connection->waiting.parkedUntil.reset();
                                     due.push_back(connection);
                                     return true;
                                 }),
                  parked_.end());
    // Looked at now, not when an event comes: the rest of a request may have arrived while
    // its events were ignored, and an edge-triggered epoll reports no bytes twice.
    for (Connection* connection : due) {
        inspect(connection, connection->waiting.eventsWhileParked);
    }
}

void ConnectionGate::watch(Connection* connection, int operation) {
    epoll_event event{};
    // Edge-triggered: an event when bytes arrive, never again for the same bytes, so a
    // connection needs no epoll_ctl per request (see Connection::Holder for the bytes that
    // arrive while a worker holds it).
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    event.data.ptr = connection;
    if (::epoll_ctl(epoll_, operation, connection->fd(), &event) < 0) {
        logger().warning("connection gate: epoll_ctl failed: %s",
                         std::string(std::strerror(errno)));
    }
}

void ConnectionGate::drop(Connection* connection) {
    if (connection->waiting.parkedUntil) {
        parked_.erase(std::remove(parked_.begin(), parked_.end(), connection), parked_.end());
    }
    connection->close(epoll_);
    connections_.erase(connection);
    --counters_.pending;
}

void ConnectionGate::reapReleased() {
    std::vector<Connection*> released;
    {
        std::lock_guard lock(releasedLock_);
        released.swap(released_);
    }
    for (Connection* connection : released) connections_.erase(connection);
}

}  // namespace switchboard::http
