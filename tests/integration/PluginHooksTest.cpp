// The hook chain through real .so plugins loaded by the real host over real HTTP.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "Eventually.h"
#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

class PluginHooks : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        observed_ = new std::filesystem::path(
            std::filesystem::temp_directory_path() /
            ("switchboard-observer-" + std::to_string(::getpid()) + ".txt"));
        host_ =
            new HostProcess(Settings{{"plugins.order", "stopper,rewriter,failer,thrower,observer"},
                                     {"plugins.observer.path", observed_->string()}},
                            {testPlugin("stopper"), testPlugin("rewriter"), testPlugin("failer"),
                             testPlugin("thrower"), testPlugin("observer")});
    }
    static void TearDownTestSuite() {
        delete host_;
        std::filesystem::remove(*observed_);
        delete observed_;
    }
    void SetUp() override { std::filesystem::remove(*observed_); }

    // The observer's after hook runs once the answer was sent, so its line may trail the
    // response by a moment.
    static std::string observedLines(std::size_t atLeast = 1) {
        eventually(
            [&] {
                const std::string text = readFile(*observed_);
                return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) >=
                       atLeast;
            },
            std::chrono::seconds(2));
        return readFile(*observed_);
    }

    static HostProcess* host_;
    static std::filesystem::path* observed_;
};
HostProcess* PluginHooks::host_ = nullptr;
std::filesystem::path* PluginHooks::observed_ = nullptr;

TEST_F(PluginHooks, ABeforeHookChangeIsSeenByTheNextPluginAndByAfter) {
    const HttpResult result =
        host_->postForm(with(samplePayload("message.received.form"), "Body", "hello"));
    EXPECT_EQ(result.status, 200);
    // The observer runs after the rewriter (plugins.order) and replies with what it saw:
    // the changed Body, the added field, and the context value the rewriter set.
    EXPECT_NE(result.body.find("observed body=HELLO rewritten=yes original=hello"),
              std::string::npos)
        << result.body;
    const std::string line = observedLines();
    EXPECT_NE(line.find("message.received 200 text/xml body=HELLO ctx=hello"), std::string::npos)
        << line;
    // after sees the final answer, replies included.
    EXPECT_NE(line.find("response=<?xml"), std::string::npos) << line;
    EXPECT_NE(line.find("observed body=HELLO"), std::string::npos) << line;
}

TEST_F(PluginHooks, ContextValuesReachTheAfterHooksOfOtherEvents) {
    EXPECT_EQ(host_->postForm(samplePayload("message.statusUpdate.form")).status, 204);
    EXPECT_NE(observedLines().find("message.statusUpdate 204 - body=- ctx=- seen=yes"),
              std::string::npos)
        << observedLines();
}

TEST_F(PluginHooks, AStopWithoutAnAnswerSendsTheUsualOneAndSkipsLaterHooks) {
    const HttpResult result =
        host_->postForm(with(samplePayload("message.received.form"), "Body", "DROP"));
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
    // The after hooks still run, and see that the rewriter never ran.
    EXPECT_NE(observedLines().find("message.received 200 text/xml body=DROP ctx=-"),
              std::string::npos)
        << observedLines();
}

TEST_F(PluginHooks, AStopWithItsOwnAnswerSendsIt) {
    const HttpResult result =
        host_->postForm(with(samplePayload("message.received.form"), "Body", "CUSTOM"));
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "text/plain");
    EXPECT_EQ(result.body, "custom answer");
}

TEST_F(PluginHooks, RepliesAreRenderedAsEscapedTwiml) {
    const HttpResult result = host_->postForm(
        with(samplePayload("message.received.form"), "Body", "<b>Tom & \"Jerry\"</b>"));
    EXPECT_EQ(result.status, 200);
    EXPECT_NE(result.body.find("observed body=&lt;B&gt;TOM &amp; &quot;JERRY&quot;&lt;/B&gt;"),
              std::string::npos)
        << result.body;
    EXPECT_EQ(result.body.find("<b>"), std::string::npos) << result.body;
}

TEST_F(PluginHooks, AFailingBeforeHookAnswers500NamingThePlugin) {
    const HttpResult result =
        host_->postForm(with(samplePayload("message.statusUpdate.form"), "Fail", "yes"));
    EXPECT_EQ(result.status, 500);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_NE(result.body.find("plugin failer failed: failer refused this delivery"),
              std::string::npos)
        << result.body;
    // No later before hook ran (thrower would have thrown on the same request)...
    const HttpResult both = host_->postForm(
        with(with(samplePayload("message.statusUpdate.form"), "Fail", "yes"), "Throw", "yes"));
    EXPECT_NE(both.body.find("failer"), std::string::npos) << both.body;
    // ...and the after hooks saw the 500.
    EXPECT_NE(observedLines(2).find("message.statusUpdate 500 application/json"),
              std::string::npos);
}

TEST_F(PluginHooks, AThrowingBeforeHookAnswers500WithTheExceptionMessage) {
    const HttpResult result =
        host_->postForm(with(samplePayload("message.statusUpdate.form"), "Throw", "yes"));
    EXPECT_EQ(result.status, 500);
    EXPECT_NE(result.body.find("plugin thrower failed: thrower: boom"), std::string::npos)
        << result.body;
    // The host keeps serving.
    EXPECT_EQ(host_->postForm(samplePayload("message.statusUpdate.form")).status, 204);
}

TEST_F(PluginHooks, AFailingAfterHookIsLoggedAndCountedButChangesNothing) {
    const HttpResult result =
        host_->postForm(with(samplePayload("message.statusUpdate.form"), "FailAfter", "yes"));
    EXPECT_EQ(result.status, 204);
    EXPECT_TRUE(host_->waitForLog("plugin failer: after hook of message.statusUpdate failed"));
    const HttpResult metrics = host_->admin("GET", "/metrics");
    const std::string series =
        R"(switchboard_hook_errors_total{plugin="failer",event="message.statusUpdate"} )";
    ASSERT_NE(metrics.body.find(series), std::string::npos) << metrics.body;
    EXPECT_EQ(metrics.body.find(series + "0\n"), std::string::npos) << metrics.body;
}

TEST_F(PluginHooks, ThePluginOrderIsTheConfiguredOne) {
    const HttpResult plugins = host_->admin("GET", "/admin/plugins");
    const auto position = [&](const std::string& name) {
        return plugins.body.find("\"name\":\"" + name + "\"");
    };
    EXPECT_LT(position("stopper"), position("rewriter"));
    EXPECT_LT(position("rewriter"), position("failer"));
    EXPECT_LT(position("thrower"), position("observer"));
}

TEST(PluginOrder, WithoutAnOrderHooksRunByFileNameAndTheOrderChangesWhatIsSeen) {
    // observer.so sorts before rewriter.so: the observer sees the untouched Body.
    const auto observed = std::filesystem::temp_directory_path() /
                          ("switchboard-order-" + std::to_string(::getpid()) + ".txt");
    HostProcess host(Settings{{"plugins.observer.path", observed.string()}},
                     {testPlugin("rewriter"), testPlugin("observer")});
    const HttpResult result =
        host.postForm(with(samplePayload("message.received.form"), "Body", "hello"));
    EXPECT_NE(result.body.find("observed body=hello rewritten=- original=-"), std::string::npos)
        << result.body;
    std::filesystem::remove(observed);
}

}  // namespace

namespace {

// Four requests at once through a plugin that sleeps 300 ms: together when it declares itself
// concurrent, one after another when it does not.
double secondsForFourConcurrentRequests(const std::string& plugin) {
    HostProcess host(Settings{{"plugins." + plugin + ".sleepMs", "300"}}, {testPlugin(plugin)});
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> clients;
    std::atomic<int> ok{0};
    for (int i = 0; i < 4; ++i) {
        clients.emplace_back([&] {
            if (host.postForm(samplePayload("message.statusUpdate.form")).status == 204) ++ok;
        });
    }
    for (auto& client : clients) client.join();
    EXPECT_EQ(ok.load(), 4);
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

TEST(PluginConcurrency, ASerialPluginIsCalledOneRequestAtATime) {
    EXPECT_GE(secondsForFourConcurrentRequests("slow_serial"), 1.15);
}

TEST(PluginConcurrency, AConcurrentPluginIsCalledFromManyRequestsAtOnce) {
    EXPECT_LT(secondsForFourConcurrentRequests("slow"), 1.0);
}

}  // namespace
