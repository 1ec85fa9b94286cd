// Persistent connections against the real host: reuse, pipelining, the idle timeout, and a
// shutdown that lets the request in flight finish.
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

// A signed message.statusUpdate request, as raw HTTP/1.1 bytes.
std::string rawRequest(const HostProcess& host) {
    const auto fields = samplePayload("message.statusUpdate.form");
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

TEST(KeepAlive, AnIdleConnectionIsClosedAfterTheKeepAliveTimeout) {
    HostProcess host(Settings{{"http.keepAliveTimeoutMs", "300"}});
    Poco::Net::StreamSocket socket = rawConnection(host);
    send(socket, rawRequest(host));
    ASSERT_EQ(statusCount(receiveAnswers(socket, 1), "204"), 1);
    const auto idleSince = std::chrono::steady_clock::now();
    char byte;
    EXPECT_EQ(socket.receiveBytes(&byte, 1), 0);  // the host closed it
    const auto idle = std::chrono::steady_clock::now() - idleSince;
    EXPECT_GE(idle, std::chrono::milliseconds(250));
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

}  // namespace
