// Start-up configuration, public URLs and the signature switch, against the real binary.
#include <gtest/gtest.h>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

TEST(HostConfiguration, AMissingTokenIsAClearErrorAtStartUp) {
    const CommandResult result =
        runCommand(SWITCHBOARD_BINARY, {"serve", "--set", "http.port=0", "--set", "admin.port=0"});
    EXPECT_EQ(result.exitCode, 78);
    EXPECT_NE(result.output.find("no Twilio auth token"), std::string::npos) << result.output;
}

TEST(HostConfiguration, AnUnreadableConfigIsAClearErrorAtStartUp) {
    const CommandResult result = runCommand(
        SWITCHBOARD_BINARY, {"serve", "--config", "/nonexistent/switchboard.properties"});
    EXPECT_EQ(result.exitCode, 78);
    EXPECT_NE(result.output.find("cannot read configuration file"), std::string::npos)
        << result.output;
}

TEST(HostConfiguration, AValueOfTheWrongTypeNamesItsKey) {
    const CommandResult result = runCommand(
        SWITCHBOARD_BINARY, {"serve", "--set", "twilio.authToken=x", "--set", "http.port=eighty"});
    EXPECT_EQ(result.exitCode, 78);
    EXPECT_NE(result.output.find("http.port"), std::string::npos) << result.output;
}

TEST(HostConfiguration, UnknownOptionsAndCommandsAreUsageErrors) {
    EXPECT_EQ(runCommand(SWITCHBOARD_BINARY, {"serve", "--bogus"}).exitCode, 64);
    EXPECT_EQ(runCommand(SWITCHBOARD_BINARY, {"frobnicate"}).exitCode, 64);
    const CommandResult help = runCommand(SWITCHBOARD_BINARY, {"--help"});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.output.find("verify"), std::string::npos);
}

TEST(HostConfiguration, TheConfiguredPublicUrlIsWhatSignaturesAreCheckedAgainst) {
    const std::string publicUrl = "https://hooks.example.com/twilio/inbound";
    HostProcess host(Settings{{"twilio.publicUrl", publicUrl + "#rc=3"}});
    const auto payload = samplePayload("message.statusUpdate.form");
    EXPECT_EQ(host.postForm(payload, {{"X-Twilio-Signature", signForm(publicUrl, payload)}}).status,
              204);
    EXPECT_EQ(host.postForm(payload).status, 403) << "the local URL is not what Twilio signed";
}

TEST(HostConfiguration, ForwardedHeadersCountOnlyWhenTrusted) {
    const auto payload = samplePayload("message.statusUpdate.form");
    const std::string proxied = "https://public.example.com/webhooks/twilio";
    const std::vector<std::pair<std::string, std::string>> headers = {
        {"X-Forwarded-Proto", "https"},
        {"X-Forwarded-Host", "public.example.com"},
        {"X-Twilio-Signature", signForm(proxied, payload)}};
    {
        HostProcess untrusting;
        EXPECT_EQ(untrusting.postForm(payload, headers).status, 403);
    }
    HostProcess trusting(Settings{{"http.trustForwardedHeaders", "true"}});
    EXPECT_EQ(trusting.postForm(payload, headers).status, 204);
}

TEST(HostConfiguration, TurningSignaturesOffWarnsAtStartUpAndOnEveryRequest) {
    HostProcess host(Settings{{"twilio.validateSignatures", "false"}});
    EXPECT_TRUE(host.waitForLog("twilio.validateSignatures=false"));
    const auto payload = samplePayload("message.statusUpdate.form");
    EXPECT_EQ(host.postForm(payload, {{"X-Twilio-Signature", "forged"}}).status, 204);
    EXPECT_TRUE(host.waitForLog("signature NOT checked"));
}

TEST(HostConfiguration, SigtermStopsTheHostCleanly) {
    HostProcess host;
    EXPECT_EQ(host.stop(SIGTERM), 0);
    EXPECT_NE(host.log().find("stopped"), std::string::npos) << host.log();
}

}  // namespace
