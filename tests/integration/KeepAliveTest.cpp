// Persistent connections against the real host: reuse, pipelining, the idle timeout, a
// shutdown that lets the request in flight finish, and connections that wait between
// requests without holding a worker thread.
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "Eventually.h"
#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

// A signed message.statusUpdate request, as raw HTTP/1.1 bytes; `padding` bytes more in an
// extra field.
std::string rawRequest(const HostProcess& host, std::size_t padding = 0) {
    auto fields = samplePayload("message.statusUpdate.form");
    if (padding > 0) fields.emplace_back("Padding", std::string(padding, 'x'));
    const std::string body = formBody(fields);
    return std::string("POST ") + HostProcess::kWebhookPath +
           " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(host.port()) +
           "\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Twilio-Signature: " +
           signForm(host.webhookUrl(), fields) +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

void send(Poco::Net::StreamSocket& socket, const std::string& bytes) {
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

// Reads until `answers` complete answers (204s: headers only) have arrived or the peer closes.
std::string receiveAnswers(Poco::Net::StreamSocket& socket, int answers) {
    std::string received;
    char buffer[4096];
    auto count = [&] {
        int found = 0;
        for (std::size_t at = 0; (at = received.find("\r\n\r\n", at)) != std::string::npos;
             at += 4) {
            ++found;
        }
        return found;
    };
    while (count() < answers) {
        const int read = socket.receiveBytes(buffer, sizeof buffer);
        if (read <= 0) break;
        received.append(buffer, static_cast<std::size_t>(read));
    }
    return received;
}

int statusCount(const std::string& answers, const std::string& status) {
    int found = 0;
    for (std::size_t at = 0; (at = answers.find("HTTP/1.1 " + status, at)) != std::string::npos;
         ++at) {
        ++found;
    }
    return found;
}

TEST(KeepAlive, OneConnectionServesRequestAfterRequest) {
    HostProcess host;
    Poco::Net::StreamSocket socket = rawConnection(host);
    for (int i = 0; i < 5; ++i) {
        send(socket, rawRequest(host));
        const std::string answer = receiveAnswers(socket, 1);
        EXPECT_EQ(statusCount(answer, "204"), 1) << answer;
        EXPECT_EQ(answer.find("Connection: close"), std::string::npos) << answer;
    }
}

TEST(KeepAlive, PipelinedRequestsAreAllAnsweredInOrder) {
    HostProcess host;
    Poco::Net::StreamSocket socket = rawConnection(host);
    const std::string request = rawRequest(host);
    send(socket, request + request + request);  // one write: the host reads them together
    const std::string answers = receiveAnswers(socket, 3);
    EXPECT_EQ(statusCount(answers, "204"), 3) << answers;
}

TEST(KeepAlive, APipelinedRequestPastALargeOneIsAnswered) {
    // The first request is larger than what Poco reads ahead, so the second stays in the
    // socket while the first is served, and no new bytes announce it.
    HostProcess host;
    Poco::Net::StreamSocket socket = rawConnection(host);
    send(socket, rawRequest(host, 12000) + rawRequest(host));
    const std::string answers = receiveAnswers(socket, 2);
    EXPECT_EQ(statusCount(answers, "204"), 2) << answers;
}

TEST(KeepAlive, AClientThatClosesAfterItsRequestIsAnsweredAndClosedAtOnce) {
    HostProcess host;  // keep-alive timeout 10 s
    Poco::Net::StreamSocket socket = rawConnection(host);
    send(socket, rawRequest(host));
    socket.shutdownSend();
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(statusCount(receiveAnswers(socket, 1), "204"), 1);
    char byte;
    EXPECT_EQ(socket.receiveBytes(&byte, 1), 0);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST(KeepAlive, AnIdleConnectionIsClosedAfterTheKeepAliveTimeout) {
    HostProcess host(Settings{{"http.keepAliveTimeoutMs", "300"}});
    Poco::Net::StreamSocket socket = rawConnection(host);
    send(socket, rawRequest(host));
    ASSERT_EQ(statusCount(receiveAnswers(socket, 1), "204"), 1);
    const auto idleSince = std::chrono::steady_clock::now();
    char byte;
    EXPECT_EQ(socket.receiveBytes(&byte, 1), 0);  // the host closed it
    const auto idle = std::chrono::steady_clock::now() - idleSince;
    EXPECT_GE(idle, std::chrono::milliseconds(150));  // the client's clock starts a little later
    EXPECT_LT(idle, std::chrono::seconds(4));
}

TEST(KeepAlive, StoppingClosesIdleConnectionsAndLetsTheRequestInFlightFinish) {
    HostProcess host(Settings{{"plugins.slow.sleepMs", "500"}}, {testPlugin("slow")});
    Poco::Net::StreamSocket idle = rawConnection(host);
    send(idle, rawRequest(host));
    ASSERT_EQ(statusCount(receiveAnswers(idle, 1), "204"), 1);

    Poco::Net::StreamSocket busy = rawConnection(host);
    send(busy, rawRequest(host));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // the slow hook is running
    host.signal(SIGTERM);
    EXPECT_EQ(statusCount(receiveAnswers(busy, 1), "204"), 1);
    char byte;
    EXPECT_EQ(idle.receiveBytes(&byte, 1), 0);
    EXPECT_EQ(host.waitForExit(), 0);
}

TEST(KeepAlive, IdleKeptAliveConnectionsHoldNoWorkerThread) {
    HostProcess host(Settings{{"http.maxThreads", "1"}});
    std::vector<Poco::Net::StreamSocket> keptAlive;
    for (int i = 0; i < 20; ++i) {
        keptAlive.push_back(rawConnection(host));
        send(keptAlive.back(), rawRequest(host));
        ASSERT_EQ(statusCount(receiveAnswers(keptAlive.back(), 1), "204"), 1) << "connection " << i;
    }
    // 20 connections are open and idle, the host has one worker thread: a new one is served.
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(host.postForm(samplePayload("message.statusUpdate.form")).status, 204);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
    // And every kept-alive connection still serves its next request.
    for (auto& socket : keptAlive) {
        send(socket, rawRequest(host));
        EXPECT_EQ(statusCount(receiveAnswers(socket, 1), "204"), 1);
    }
}

TEST(KeepAlive, AConnectionStalledInItsNextRequestHoldsNoWorkerAndGets408) {
    HostProcess host(Settings{{"http.maxThreads", "1"}, {"http.headerTimeoutMs", "3000"}});
    Poco::Net::StreamSocket stalled = rawConnection(host);
    send(stalled, rawRequest(host));
    ASSERT_EQ(statusCount(receiveAnswers(stalled, 1), "204"), 1);
    send(stalled, std::string("POST ") + HostProcess::kWebhookPath + " HTTP/1.1\r\nHost: x\r\n");

    // The only worker is free for another connection while those headers are incomplete...
    EXPECT_EQ(host.postForm(samplePayload("message.statusUpdate.form")).status, 204);
    EXPECT_FALSE(stalled.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ))
        << "answered before the stalled request timed out";
    // ...and the stalled request gets its 408 at the header timeout.
    EXPECT_EQ(statusCount(receiveAnswers(stalled, 1), "408"), 1);
}

TEST(KeepAlive, WhenTheGateIsFullTheConnectionWaitingLongestIsClosed) {
    HostProcess host(Settings{{"http.maxPendingConnections", "2"}});
    auto waitUntilPending = [&](int connections) {
        const std::string gauge =
            "switchboard_pending_connections " + std::to_string(connections) + "\n";
        return eventually(
            [&] { return host.admin("GET", "/metrics").body.find(gauge) != std::string::npos; });
    };
    Poco::Net::StreamSocket keptAlive = rawConnection(host);
    send(keptAlive, rawRequest(host));
    ASSERT_EQ(statusCount(receiveAnswers(keptAlive, 1), "204"), 1);
    ASSERT_TRUE(waitUntilPending(1)) << "the kept-alive connection is back in the gate";
    Poco::Net::StreamSocket silent = rawConnection(host);
    ASSERT_TRUE(waitUntilPending(2));

    // Two connections wait in the gate: a third makes it close the idle kept-alive one.
    Poco::Net::StreamSocket third = rawConnection(host);
    send(third, rawRequest(host));
    EXPECT_EQ(statusCount(receiveAnswers(third, 1), "204"), 1);
    char byte;
    EXPECT_EQ(keptAlive.receiveBytes(&byte, 1), 0);
    const HttpResult metrics = host.admin("GET", "/metrics");
    EXPECT_NE(metrics.body.find("switchboard_refused_connections_total 1\n"), std::string::npos)
        << metrics.body;
}

TEST(KeepAlive, HooksThatBlockDoNotQueueOtherRequestsBehindThem) {
    // Only about two workers per CPU are woken for requests that keep them busy; when the ones
    // running are blocked in a hook, the queue stalls and more workers are woken.
    HostProcess host(Settings{{"plugins.slow.sleepMs", "500"}}, {testPlugin("slow")});
    // Eight blocked requests per CPU: two workers per CPU at a time would take 2 s.
    const unsigned cpus = std::max(2U, std::thread::hardware_concurrency());
    const int kRequests = static_cast<int>(std::min(8U * cpus, 64U));
    std::vector<int> statuses(kRequests, 0);
    std::vector<std::thread> clients;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < kRequests; ++i) {
        clients.emplace_back([&, i] {
            statuses[static_cast<std::size_t>(i)] =
                host.postForm(samplePayload("message.statusUpdate.form")).status;
        });
    }
    for (auto& client : clients) client.join();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    for (int status : statuses) EXPECT_EQ(status, 204);
    // All at once: 0.5 s and a few milliseconds per extra worker.
    EXPECT_LT(elapsed, std::chrono::milliseconds(1500))
        << std::chrono::duration<double, std::milli>(elapsed).count() << " ms";
}

}  // namespace
