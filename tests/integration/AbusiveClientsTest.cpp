// Limits with clear answers, and clients that trickle or idle, against the real host.
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

// Sends raw bytes and returns the status code of the answer (0 when none came).
int rawStatus(const HostProcess& host, const std::string& request) {
    Poco::Net::StreamSocket socket = rawConnection(host);
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    char buffer[512];
    const int received = socket.receiveBytes(buffer, sizeof buffer);
    const std::string answer(buffer, received > 0 ? static_cast<std::size_t>(received) : 0);
    return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::stoi(answer.substr(9, 3)) : 0;
}

std::size_t residentKiB(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
    }
    return 0;
}

TEST(Limits, TooManyHeadersGet431) {
    HostProcess host;
    std::string request = "POST /webhooks/twilio HTTP/1.1\r\nHost: x\r\n";
    for (int i = 0; i < 100; ++i) request += "X-Filler-" + std::to_string(i) + ": y\r\n";
    EXPECT_EQ(rawStatus(host, request + "\r\n"), 431);
}

TEST(Limits, HeadersTooLargeGet431) {
    HostProcess host;
    EXPECT_EQ(rawStatus(host, "POST /webhooks/twilio HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                  std::string(20000, 'a') + "\r\n\r\n"),
              431);
}

TEST(Limits, ARequestLineTooLongGets414) {
    HostProcess host;
    EXPECT_EQ(rawStatus(host, "POST /webhooks/twilio?" + std::string(9000, 'q') +
                                  " HTTP/1.1\r\nHost: x\r\n\r\n"),
              414);
}

TEST(Limits, HeadersNotCompleteInTimeGet408) {
    HostProcess host(Settings{{"http.headerTimeoutMs", "300"}});
    Poco::Net::StreamSocket socket = rawConnection(host);
    const std::string partial = "POST /webhooks/twilio HTTP/1.1\r\nHost: x\r\n";
    socket.sendBytes(partial.data(), static_cast<int>(partial.size()));
    const auto started = std::chrono::steady_clock::now();
    char buffer[512];
    const int received = socket.receiveBytes(buffer, sizeof buffer);
    ASSERT_GT(received, 0);
    EXPECT_EQ(std::string(buffer, 12), "HTTP/1.1 408");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

TEST(Limits, ABodyReadTimesOutWhenTheClientStalls) {
    HostProcess host(Settings{{"http.timeoutMs", "300"}});
    Poco::Net::StreamSocket socket = rawConnection(host);
    const std::string head =
        "POST /webhooks/twilio HTTP/1.1\r\nHost: x\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: 100\r\nX-Twilio-Signature: "
        "x\r\n\r\nA=1";
    socket.sendBytes(head.data(), static_cast<int>(head.size()));
    const auto started = std::chrono::steady_clock::now();
    char buffer[512];
    const int received = socket.receiveBytes(buffer, sizeof buffer);
    // The worker gives up on the body after http.timeoutMs: an error answer or a closed
    // connection, never a hang.
    if (received > 0) {
        EXPECT_NE(std::string(buffer, 12), "HTTP/1.1 200");
    }
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
    EXPECT_EQ(host.postForm(samplePayload("message.statusUpdate.form")).status, 204);
}

TEST(AbusiveClients, TricklingAndIdleConnectionsDoNotDelaySignedRequests) {
    HostProcess host(Settings{{"http.headerTimeoutMs", "20000"}, {"http.maxThreads", "16"}});
    const std::size_t rssBefore = residentKiB(host.pid());

    std::vector<Poco::Net::StreamSocket> idle, trickling;
    for (int i = 0; i < 500; ++i) idle.push_back(rawConnection(host));
    for (int i = 0; i < 200; ++i) trickling.push_back(rawConnection(host));
    std::atomic<bool> done{false};
    std::thread trickler([&] {
        const std::string request = "POST /webhooks/twilio HTTP/1.1\r\nHost: slow\r\n";
        for (std::size_t offset = 0; !done && offset < request.size(); ++offset) {
            for (auto& socket : trickling) socket.sendBytes(request.data() + offset, 1);
            for (int wait = 0; wait < 10 && !done; ++wait) Poco::Thread::sleep(100);  // 1 byte/s
        }
    });

    Poco::Thread::sleep(1500);  // every abusive connection is open and trickling
    std::chrono::steady_clock::duration slowest{};
    int answered = 0;
    for (int i = 0; i < 30; ++i) {
        const auto started = std::chrono::steady_clock::now();
        if (host.postForm(samplePayload("message.statusUpdate.form")).status == 204) ++answered;
        slowest = std::max(slowest, std::chrono::steady_clock::now() - started);
        Poco::Thread::sleep(50);
    }
    const std::size_t rssDuring = residentKiB(host.pid());
    done = true;
    trickler.join();

    EXPECT_EQ(answered, 30);
    EXPECT_LT(slowest, std::chrono::seconds(1));
    const HttpResult metrics = host.admin("GET", "/metrics");
    EXPECT_NE(metrics.body.find("switchboard_pending_connections 7"), std::string::npos)
        << "about 700 connections wait in the gate";
    // No thread or buffer per waiting connection: memory stays bounded.
    EXPECT_LT(rssDuring, rssBefore + 32 * 1024) << rssBefore << " KiB -> " << rssDuring << " KiB";
    std::cout << "slowest signed request: "
              << std::chrono::duration<double, std::milli>(slowest).count() << " ms; RSS "
              << rssBefore << " KiB -> " << rssDuring << " KiB with 700 abusive connections\n";
}

}  // namespace

namespace {

double cpuSeconds(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string skip;
    for (int field = 3; field < 14; ++field) fields >> skip;  // up to utime (field 14)
    double user = 0, system = 0;
    fields >> user >> system;
    return (user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

TEST(AbusiveClients, APartialRequestDoesNotKeepTheHostBusy) {
    HostProcess host(Settings{{"http.headerTimeoutMs", "20000"}});
    std::vector<Poco::Net::StreamSocket> partial;
    for (int i = 0; i < 50; ++i) {
        partial.push_back(rawConnection(host));
        partial.back().sendBytes("POST /webhooks/twilio HTTP/1.1\r\nHo", 35);
    }
    Poco::Thread::sleep(200);
    const double before = cpuSeconds(host.pid());
    Poco::Thread::sleep(2000);
    const double used = cpuSeconds(host.pid()) - before;
    // Waiting is not working: 50 stalled clients may cost a few peeks each, not a core.
    EXPECT_LT(used, 0.3) << used << " s of CPU in 2 s";
}

}  // namespace
