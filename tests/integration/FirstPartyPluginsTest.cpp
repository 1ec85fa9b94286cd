// event_log, auto_reply and call_order end to end, as shipped in build/plugins.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "Eventually.h"
#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

std::vector<std::string> lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    return all;
}

bool waitForLines(const std::filesystem::path& file, std::size_t count) {
    return eventually([&] { return lines(file).size() >= count; });
}

class FirstPartyPlugins : public ::testing::Test {
protected:
    void SetUp() override {
        eventLog_ = std::filesystem::temp_directory_path() /
                    ("switchboard-events-" + std::to_string(::getpid()) + ".jsonl");
        std::filesystem::remove(eventLog_);
    }
    void TearDown() override { std::filesystem::remove(eventLog_); }

    std::unique_ptr<HostProcess> start() const {
        return std::make_unique<HostProcess>(
            Settings{{"plugins.order", "call_order,auto_reply,event_log"},
                     {"plugins.event_log.path", eventLog_.string()},
                     {"plugins.auto_reply.rules.HELP",
                      "Reply STOP to unsubscribe. Msg&data rates may apply."},
                     {"plugins.auto_reply.rules.HOURS", "We are open <9-5>."}},
            std::vector<std::filesystem::path>{firstPartyPlugin("call_order"),
                                               firstPartyPlugin("auto_reply"),
                                               firstPartyPlugin("event_log")});
    }

    std::filesystem::path eventLog_;
};

TEST_F(FirstPartyPlugins, AutoReplyAnswersKeywordsCaseInsensitivelyAndIsSilentOtherwise) {
    auto host = start();
    const HttpResult help =
        host->postForm(with(samplePayload("message.received.form"), "Body", "  help "));
    EXPECT_NE(help.body.find("<Message>Reply STOP to unsubscribe. Msg&amp;data rates may apply."
                             "</Message>"),
              std::string::npos)
        << help.body;
    const HttpResult hours =
        host->postForm(with(samplePayload("message.received.form"), "Body", "Hours"));
    EXPECT_NE(hours.body.find("We are open &lt;9-5&gt;."), std::string::npos) << hours.body;
    const HttpResult other =
        host->postForm(with(samplePayload("message.received.form"), "Body", "help me please"));
    EXPECT_EQ(other.body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
}

TEST_F(FirstPartyPlugins, CallOrderStopsStaleCallEventsBeforeLaterHooksSeeThem) {
    auto host = start();
    const auto call = with(samplePayload("call.statusUpdate.form"), "CallSid",
                           "CA0000000000000000000000000000beef");
    EXPECT_EQ(
        host->postForm(with(with(call, "SequenceNumber", "3"), "CallStatus", "completed")).status,
        204);
    EXPECT_EQ(
        host->postForm(with(with(call, "SequenceNumber", "1"), "CallStatus", "ringing")).status,
        204);
    ASSERT_TRUE(waitForLines(eventLog_, 2));
    // event_log runs after call_order: it logged both answers, but the stale one was stopped
    // before any later before hook, and call_order counted it.
    const HttpResult metrics = host->admin("GET", "/metrics");
    EXPECT_NE(
        metrics.body.find(
            R"(switchboard_plugin_metric_total{plugin="call_order",metric="stale_events"} 1)"),
        std::string::npos)
        << metrics.body;
}

TEST_F(FirstPartyPlugins, EventLogAppendsOneJsonLinePerEventAcrossRestarts) {
    {
        auto host = start();
        host->postForm(samplePayload("message.statusUpdate.form"));
        host->postForm(with(samplePayload("message.received.form"), "Body", "HELP"));
        ASSERT_TRUE(waitForLines(eventLog_, 2));
    }
    auto host = start();
    host->postForm(samplePayload("call.statusUpdate.form"));
    ASSERT_TRUE(waitForLines(eventLog_, 3));
    const auto all = lines(eventLog_);
    ASSERT_EQ(all.size(), 3u);
    rapidjson::Document first;
    first.Parse(all[0].c_str());
    ASSERT_FALSE(first.HasParseError()) << all[0];
    EXPECT_STREQ(first["event"].GetString(), "message.statusUpdate");
    EXPECT_EQ(first["status"].GetInt(), 204);
    EXPECT_TRUE(first["fields"].IsArray());
    EXPECT_NE(all[1].find("\"status\":200"), std::string::npos) << all[1];
    EXPECT_NE(all[2].find("\"event\":\"call.statusUpdate\""), std::string::npos) << all[2];
}

TEST_F(FirstPartyPlugins, EventLogIsNeverCorruptedByConcurrentRequests) {
    auto host = start();
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (int client = 0; client < 8; ++client) {
        clients.emplace_back([&] {
            for (int i = 0; i < 40; ++i) {
                if (host->postForm(samplePayload("message.statusUpdate.form")).status == 204) ok++;
            }
        });
    }
    for (auto& client : clients) client.join();
    EXPECT_EQ(ok.load(), 320);
    ASSERT_TRUE(waitForLines(eventLog_, 320));
    const auto all = lines(eventLog_);
    EXPECT_EQ(all.size(), 320u);
    for (const auto& line : all) {
        rapidjson::Document document;
        document.Parse(line.c_str());
        ASSERT_FALSE(document.HasParseError()) << line;
    }
}

}  // namespace
