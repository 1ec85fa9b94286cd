// Faulty plugins, retried deliveries and the webhook path's strictness, against the real host.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

// The plugin named `name` in GET /admin/plugins, as JSON text ("" when absent).
std::string pluginEntry(const HostProcess& host, const std::string& name) {
    rapidjson::Document plugins;
    plugins.Parse(host.admin("GET", "/admin/plugins").body.c_str());
    for (const auto& plugin : plugins.GetArray()) {
        if (plugin.HasMember("name") && plugin["name"].IsString() &&
            name == plugin["name"].GetString()) {
            return std::to_string(plugin["calls"].GetUint64()) + " calls, " +
                   std::to_string(plugin["errors"].GetUint64()) + " errors";
        }
    }
    return "";
}

std::uint64_t hookCalls(const HostProcess& host, const std::string& name) {
    const std::string entry = pluginEntry(host, name);
    return entry.empty() ? 0 : std::stoull(entry);
}

twilio::Parameters statusUpdate() { return samplePayload("message.statusUpdate.form"); }

TEST(CrashingPlugins, ACrashIsRecordedAndThatFileIsRefusedAtTheNextStart) {
    for (const std::string how : {"segv", "abort"}) {
        HostProcess host(Settings{}, {testPlugin("crasher"), testPlugin("counter")});
        EXPECT_THROW(host.postForm(with(statusUpdate(), "Crash", how)), std::exception) << how;
        const int exitCode = host.waitForExit();
        EXPECT_EQ(exitCode, 256 + (how == "segv" ? SIGSEGV : SIGABRT)) << host.log();
        EXPECT_NE(host.log().find("while running plugin"), std::string::npos) << host.log();

        // What systemd's Restart=on-failure does: start again.
        host.restart();
        EXPECT_NE(host.log().find("crashed the host with " +
                                  std::string(how == "segv" ? "SIGSEGV" : "SIGABRT")),
                  std::string::npos)
            << host.log();
        EXPECT_TRUE(pluginEntry(host, "crasher").empty()) << "the crasher must not be loaded";
        EXPECT_FALSE(pluginEntry(host, "counter").empty()) << "the other plugins serve";
        const std::string plugins = host.admin("GET", "/admin/plugins").body;
        EXPECT_NE(plugins.find("crashed the host"), std::string::npos) << plugins;
        EXPECT_EQ(host.postForm(with(statusUpdate(), "Crash", how)).status, 204);

        // A different file (a fixed build) replaces it and loads again.
        std::ofstream(host.pluginDir() / "crasher.so", std::ios::app) << "rebuilt";
        host.admin("POST", "/admin/reload");
        EXPECT_FALSE(pluginEntry(host, "crasher").empty()) << host.log();
    }
}

TEST(CrashingPlugins, ACrashWhileLoadingAFileQuarantinesItToo) {
    HostProcess host(Settings{}, {testPlugin("counter")});
    std::filesystem::copy_file(testPlugin("crash_on_load"), host.pluginDir() / "crash_on_load.so");
    std::filesystem::permissions(host.pluginDir() / "crash_on_load.so",
                                 std::filesystem::perms(0644));
    EXPECT_EQ(host.waitForExit(), 256 + SIGSEGV) << host.log();
    host.restart();
    EXPECT_NE(host.log().find("(plugin (loading)) crashed the host with SIGSEGV"),
              std::string::npos)
        << host.log();
    EXPECT_FALSE(pluginEntry(host, "counter").empty()) << "the other plugins serve";
    EXPECT_EQ(host.postForm(samplePayload("call.statusUpdate.form")).status, 204);
}

TEST(PluginDirectory, ADirectoryThatDisappearsKeepsThePluginsServingAndIsReported) {
    HostProcess host(Settings{}, {testPlugin("counter")});
    const auto away = host.workDir() / "plugins.away";
    std::filesystem::rename(host.pluginDir(), away);
    const HttpResult missing = host.admin("POST", "/admin/reload");
    EXPECT_EQ(missing.status, 422);
    EXPECT_NE(missing.body.find("\"failing\":[{\"file\":\"" + host.pluginDir().string()),
              std::string::npos)
        << missing.body;
    EXPECT_FALSE(pluginEntry(host, "counter").empty()) << "loaded plugins keep serving";
    EXPECT_EQ(host.postForm(samplePayload("call.statusUpdate.form")).status, 204);
    std::filesystem::rename(away, host.pluginDir());
    const HttpResult back = host.admin("POST", "/admin/reload");
    EXPECT_EQ(back.status, 200) << back.body;
}

TEST(FaultyPlugins, ASlowHookIsLoggedAndCounted) {
    HostProcess host(Settings{{"plugins.slow.sleepMs", "300"}, {"plugins.hookTimeoutMs", "100"}},
                     {testPlugin("slow")});
    EXPECT_EQ(host.postForm(statusUpdate()).status, 204);
    EXPECT_TRUE(host.waitForLog("plugin slow: before hook of message.statusUpdate took"));
    EXPECT_NE(
        host.admin("GET", "/metrics")
            .body.find(
                R"(switchboard_hook_slow_calls_total{plugin="slow",event="message.statusUpdate"} 1)"),
        std::string::npos);
}

TEST(FaultyPlugins, AHookThatKeepsFailingIsCountedAndTheHostKeepsServing) {
    HostProcess host(Settings{}, {testPlugin("failer")});
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(host.postForm(with(statusUpdate(), "Fail", "yes")).status, 500);
    }
    // failer has a before and an after hook: two calls per request, the before one failing.
    EXPECT_EQ(pluginEntry(host, "failer"), "40 calls, 20 errors");
    EXPECT_EQ(host.postForm(statusUpdate()).status, 204);
}

class Retries : public ::testing::Test {
protected:
    std::vector<std::pair<std::string, std::string>> token(const std::string& value) {
        return {{"I-Twilio-Idempotency-Token", value}};
    }
};

TEST_F(Retries, ARedeliveryGetsTheFirstAnswerWithoutRunningHooks) {
    HostProcess host(Settings{}, {testPlugin("counter")});
    const auto call = samplePayload("call.statusUpdate.form");
    EXPECT_EQ(host.postForm(call, token("3f1c0b6e-0000-4000-8000-000000000001")).status, 204);
    EXPECT_EQ(host.postForm(call, token("3f1c0b6e-0000-4000-8000-000000000001")).status, 204);
    EXPECT_EQ(hookCalls(host, "counter"), 1u);
    EXPECT_NE(host.admin("GET", "/metrics").body.find("switchboard_idempotent_replays_total 1"),
              std::string::npos);
    // Without the header every request runs.
    host.postForm(call);
    host.postForm(call);
    EXPECT_EQ(hookCalls(host, "counter"), 3u);
}

TEST_F(Retries, AReplayedAnswerIsTheSameTwiml) {
    HostProcess host(Settings{{"plugins.observer.path", "/dev/null"}}, {testPlugin("observer")});
    const auto message = with(samplePayload("message.received.form"), "Body", "first");
    const HttpResult first = host.postForm(message, token("tok-twiml"));
    const HttpResult again = host.postForm(message, token("tok-twiml"));
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(again.status, first.status);
    EXPECT_EQ(again.contentType, first.contentType);
    EXPECT_EQ(again.body, first.body);
}

TEST_F(Retries, ADuplicateInFlightWaitsForTheFirstsResult) {
    HostProcess host(Settings{{"plugins.slow.sleepMs", "600"}}, {testPlugin("slow")});
    auto first = std::async(std::launch::async,
                            [&] { return host.postForm(statusUpdate(), token("tok-inflight")); });
    Poco::Thread::sleep(150);
    const HttpResult duplicate = host.postForm(statusUpdate(), token("tok-inflight"));
    EXPECT_EQ(first.get().status, 204);
    EXPECT_EQ(duplicate.status, 204);
    EXPECT_EQ(hookCalls(host, "slow"), 1u);
}

TEST_F(Retries, AFailedDeliveryRunsAgainWhenRetried) {
    HostProcess host(Settings{}, {testPlugin("failer")});
    const auto failing = with(statusUpdate(), "Fail", "yes");
    EXPECT_EQ(host.postForm(failing, token("tok-failed")).status, 500);
    EXPECT_EQ(host.postForm(failing, token("tok-failed")).status, 500);
    // Both deliveries ran failer's before (failing) and after hooks.
    EXPECT_EQ(pluginEntry(host, "failer"), "4 calls, 2 errors");
}

TEST_F(Retries, MemoryIsBoundedOldestTokensDroppedFirst) {
    HostProcess host(Settings{{"idempotency.maxEntries", "2"}}, {testPlugin("counter")});
    const auto call = samplePayload("call.statusUpdate.form");
    for (const char* value : {"tok-a", "tok-b", "tok-c", "tok-d"})
        host.postForm(call, token(value));
    EXPECT_EQ(hookCalls(host, "counter"), 4u);
    host.postForm(call, token("tok-d"));  // still remembered
    EXPECT_EQ(hookCalls(host, "counter"), 4u);
    host.postForm(call, token("tok-a"));  // dropped: runs again
    EXPECT_EQ(hookCalls(host, "counter"), 5u);
}

TEST_F(Retries, AnUnsignedRequestCannotPoisonTheCache) {
    HostProcess host(Settings{}, {testPlugin("counter")});
    const auto call = samplePayload("call.statusUpdate.form");
    EXPECT_EQ(host.postForm(call, {{"X-Twilio-Signature", "forged"},
                                   {"I-Twilio-Idempotency-Token", "tok-poison"}})
                  .status,
              403);
    EXPECT_EQ(host.postForm(call, token("tok-poison")).status, 204);
    EXPECT_EQ(hookCalls(host, "counter"), 1u);
}

TEST(StrictPath, VariantsOfTheWebhookPathRunNoHook) {
    const auto observed = std::filesystem::temp_directory_path() /
                          ("switchboard-strict-" + std::to_string(::getpid()) + ".txt");
    std::filesystem::remove(observed);
    HostProcess host(Settings{{"plugins.observer.path", observed.string()}},
                     {testPlugin("observer")});
    const auto payload = samplePayload("message.received.form");
    for (const std::string target :
         {"//webhooks/twilio", "/webhooks/twilio/", "/webhooks%2Ftwilio", "/webhooks/twilio%2F",
          "/WEBHOOKS/twilio", "/webhooks/./twilio"}) {
        HttpCall call;
        call.target = target;
        call.body = formBody(payload);
        call.headers = {{"X-Twilio-Signature", signForm(host.webhookUrl(), payload)}};
        EXPECT_EQ(host.send(call).status, 404) << target;
    }
    for (const std::string method : {"HEAD", "OPTIONS", "GET"}) {
        HttpCall call;
        call.method = method;
        call.target = HostProcess::kWebhookPath;
        EXPECT_EQ(host.send(call).status, 405) << method;
    }
    EXPECT_EQ(hookCalls(host, "observer"), 0u);
    EXPECT_FALSE(std::filesystem::exists(observed));
}

}  // namespace
