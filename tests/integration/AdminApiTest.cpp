// The operator's listener: health, readiness, the plugin list, reload, metrics, and logs.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

class AdminApi : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        host_ = new HostProcess(Settings{}, {testPlugin("counter"), testPlugin("stopper")});
    }
    static void TearDownTestSuite() { delete host_; }
    static HostProcess* host_;
};
HostProcess* AdminApi::host_ = nullptr;

TEST_F(AdminApi, HealthAndReadiness) {
    const HttpResult health = host_->admin("GET", "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
    EXPECT_EQ(host_->admin("GET", "/readyz").status, 200);
    EXPECT_EQ(host_->admin("POST", "/healthz").status, 405);
    EXPECT_EQ(host_->admin("GET", "/nothing").status, 404);
}

TEST_F(AdminApi, ThePluginListDescribesEachPlugin) {
    host_->postForm(samplePayload("call.statusUpdate.form"));
    const HttpResult result = host_->admin("GET", "/admin/plugins");
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "application/json");
    rapidjson::Document plugins;
    plugins.Parse(result.body.c_str());
    ASSERT_TRUE(plugins.IsArray()) << result.body;
    ASSERT_EQ(plugins.Size(), 2u) << result.body;
    const auto& counter = plugins[0];
    EXPECT_STREQ(counter["name"].GetString(), "counter");
    EXPECT_STREQ(counter["version"].GetString(), "1.0.0");
    EXPECT_EQ(std::string(counter["file"].GetString()),
              (host_->pluginDir() / "counter.so").string());
    EXPECT_EQ(std::string(counter["sha256"].GetString()).size(), 64u);
    EXPECT_EQ(counter["generation"].GetUint(), 1u);
    EXPECT_TRUE(counter["loadedAt"].IsString());
    ASSERT_TRUE(counter["hooks"].IsArray());
    EXPECT_STREQ(counter["hooks"][0].GetString(), "call.statusUpdate:before");
    EXPECT_GE(counter["calls"].GetUint64(), 1u);
    EXPECT_EQ(counter["errors"].GetUint64(), 0u);
    EXPECT_TRUE(counter["lastError"].IsNull());
    EXPECT_TRUE(counter["lastFailedLoad"].IsNull());
}

TEST_F(AdminApi, ReloadAnswersWhatChanged) {
    const HttpResult unchanged = host_->admin("POST", "/admin/reload");
    EXPECT_EQ(unchanged.status, 200);
    EXPECT_NE(unchanged.body.find(R"("loaded":[],"unloaded":[],"failed":[])"), std::string::npos)
        << unchanged.body;
    EXPECT_EQ(host_->admin("GET", "/admin/reload").status, 405);
}

TEST_F(AdminApi, MetricsAreInPrometheusTextFormat) {
    host_->postForm(samplePayload("call.statusUpdate.form"));
    host_->postForm(samplePayload("message.statusUpdate.form"), {{"X-Twilio-Signature", "bad"}});
    const HttpResult result = host_->admin("GET", "/metrics");
    ASSERT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType.rfind("text/plain", 0), 0u);
    for (const std::string expected :
         {R"(switchboard_requests_total{event="call.statusUpdate",status="204"} )",
          R"(switchboard_requests_total{event="none",status="403"} )",
          "switchboard_signature_failures_total ", "switchboard_unhandled_events_total ",
          R"(switchboard_request_duration_seconds_bucket{le="+Inf"} )",
          R"(switchboard_hook_calls_total{plugin="counter",event="call.statusUpdate"} )",
          R"(switchboard_hook_errors_total{plugin="counter",event="call.statusUpdate"} 0)",
          R"(switchboard_hook_duration_seconds_count{plugin="counter",event="call.statusUpdate"} )",
          R"(switchboard_plugin_metric_total{plugin="counter",metric="calls_seen"} )",
          "switchboard_plugin_reloads_total ", "switchboard_plugin_load_failures_total 0",
          "switchboard_refused_connections_total 0", "# TYPE switchboard_requests_total counter"}) {
        EXPECT_NE(result.body.find(expected), std::string::npos) << expected << "\n" << result.body;
    }
}

TEST(AdminListener, CanBeTurnedOff) {
    HostProcess host(Settings{{"admin.enabled", "false"}});
    EXPECT_EQ(host.log().find("admin API on"), std::string::npos) << host.log();
    EXPECT_EQ(host.postForm(samplePayload("message.statusUpdate.form")).status, 204);
}

TEST(HostLogs, JsonFormatWritesOneObjectPerLine) {
    HostProcess host(Settings{{"log.format", "json"}});
    host.postForm(samplePayload("message.statusUpdate.form"));
    ASSERT_TRUE(host.waitForLog("message.statusUpdate POST -> 204"));
    const std::string log = host.log();
    std::size_t start = 0, checked = 0;
    while (start < log.size()) {
        const std::size_t end = log.find('\n', start);
        const std::string line = log.substr(start, end - start);
        start = end == std::string::npos ? log.size() : end + 1;
        if (line.empty()) continue;
        rapidjson::Document entry;
        entry.Parse(line.c_str());
        ASSERT_FALSE(entry.HasParseError()) << line;
        EXPECT_TRUE(entry.HasMember("time") && entry.HasMember("level") &&
                    entry.HasMember("logger") && entry.HasMember("message"))
            << line;
        ++checked;
    }
    EXPECT_GE(checked, 2u);
}

TEST(HostLogs, TheAuthTokenNeverAppearsInTheLogOrAdminApi) {
    HostProcess host(Settings{{"log.level", "debug"}});
    host.postForm(samplePayload("message.statusUpdate.form"), {{"X-Twilio-Signature", "bad"}});
    host.postForm(samplePayload("message.statusUpdate.form"));
    const std::string token = HostProcess::kAuthToken;
    EXPECT_EQ(host.log().find(token), std::string::npos);
    EXPECT_EQ(host.admin("GET", "/admin/plugins").body.find(token), std::string::npos);
    EXPECT_EQ(host.admin("GET", "/metrics").body.find(token), std::string::npos);
}

}  // namespace
