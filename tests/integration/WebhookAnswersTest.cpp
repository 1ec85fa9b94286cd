// The webhook's answers over real HTTP, against the real `switchboard serve` process.
#include <Poco/Net/HTTPClientSession.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "HostProcess.h"
#include "twilio/SignatureValidator.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

class WebhookAnswers : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        host_ = new HostProcess(Settings{{"http.maxBodyBytes", "4096"}});
    }
    static void TearDownTestSuite() {
        delete host_;
        host_ = nullptr;
    }
    static HostProcess* host_;
};
HostProcess* WebhookAnswers::host_ = nullptr;

HttpCall signedCall(const HostProcess& host, const twilio::Parameters& fields) {
    HttpCall call;
    call.target = HostProcess::kWebhookPath;
    call.body = formBody(fields);
    call.headers = {{"X-Twilio-Signature", signForm(host.webhookUrl(), fields)}};
    return call;
}

TEST_F(WebhookAnswers, AnIncomingMessageGetsEmptyTwiml) {
    const HttpResult result = host_->postForm(samplePayload("message.received.form"));
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.contentType, "text/xml");
    EXPECT_EQ(result.body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
}

TEST_F(WebhookAnswers, AFormBodyWithACharsetIsAccepted) {
    HttpCall call = signedCall(*host_, samplePayload("message.received.mms.form"));
    call.contentType = "application/x-www-form-urlencoded; charset=UTF-8";
    EXPECT_EQ(host_->send(call).status, 200);
}

TEST_F(WebhookAnswers, StatusUpdatesGet204) {
    EXPECT_EQ(host_->postForm(samplePayload("call.statusUpdate.form")).status, 204);
    EXPECT_EQ(host_->postForm(samplePayload("message.statusUpdate.form")).status, 204);
    EXPECT_EQ(host_->postForm(samplePayload("message.statusUpdate.failed.form")).status, 204);
}

TEST_F(WebhookAnswers, AJsonBodyIsVerifiedByItsBodySha256) {
    const std::string body =
        R"({"MessageSid":"SM1","AccountSid":"AC1","From":"+1","To":"+2","Body":"hi","NumMedia":"0"})";
    const std::string target = std::string(HostProcess::kWebhookPath) +
                               "?bodySHA256=" + twilio::SignatureValidator::sha256Hex(body);
    const std::string url = "http://127.0.0.1:" + std::to_string(host_->port()) + target;
    HttpCall call;
    call.target = target;
    call.body = body;
    call.contentType = "application/json";
    call.headers = {{"X-Twilio-Signature", twilio::SignatureValidator(HostProcess::kAuthToken)
                                               .sign({url, nullptr, std::string_view(body)})}};
    const HttpResult result = host_->send(call);
    EXPECT_EQ(result.status, 200) << result.body;
    EXPECT_EQ(result.contentType, "text/xml");

    call.body =
        R"({"MessageSid":"SM2","AccountSid":"AC1","From":"+1","To":"+2","Body":"hi","NumMedia":"0"})";
    EXPECT_EQ(host_->send(call).status, 403) << "a body whose hash differs must be refused";
}

TEST_F(WebhookAnswers, ABadOrMissingSignatureGets403) {
    const auto payload = samplePayload("message.received.form");
    EXPECT_EQ(
        host_->postForm(payload, {{"X-Twilio-Signature", "AAAAAAAAAAAAAAAAAAAAAAAAAAA="}}).status,
        403);
    HttpCall call = signedCall(*host_, payload);
    call.headers.clear();
    const HttpResult missing = host_->send(call);
    EXPECT_EQ(missing.status, 403);
    EXPECT_NE(missing.body.find("\"field\":\"X-Twilio-Signature\""), std::string::npos);

    // Signed over other fields than the ones posted: tampering.
    call = signedCall(*host_, payload);
    call.body = formBody(with(payload, "Body", "tampered"));
    EXPECT_EQ(host_->send(call).status, 403);
    // A signature made with another account's token.
    call = signedCall(*host_, payload);
    call.headers = {{"X-Twilio-Signature", signForm(host_->webhookUrl(), payload, "other-token")}};
    EXPECT_EQ(host_->send(call).status, 403);
}

TEST_F(WebhookAnswers, AMissingRequiredFieldGets400NamingIt) {
    const HttpResult result =
        host_->postForm(without(samplePayload("message.received.form"), "From"));
    EXPECT_EQ(result.status, 400);
    EXPECT_EQ(result.contentType, "application/json");
    EXPECT_NE(result.body.find("\"field\":\"From\""), std::string::npos) << result.body;
}

TEST_F(WebhookAnswers, AnEnumValueOutsideTheListGets400NamingIt) {
    const HttpResult result =
        host_->postForm(with(samplePayload("call.statusUpdate.form"), "CallStatus", "exploded"));
    EXPECT_EQ(result.status, 400);
    EXPECT_NE(result.body.find("\"field\":\"CallStatus\""), std::string::npos) << result.body;
}

TEST_F(WebhookAnswers, ASignedPayloadThatIsNoEventGets204AndIsCounted) {
    const HttpResult result = host_->postForm({{"CallSid", "CA1"},
                                               {"CallStatus", "ringing"},
                                               {"AccountSid", "AC1"},
                                               {"From", "+1"},
                                               {"To", "+2"}});
    EXPECT_EQ(result.status, 204);
    const HttpResult metrics = host_->admin("GET", "/metrics");
    EXPECT_NE(metrics.body.find("switchboard_unhandled_events_total "), std::string::npos);
    EXPECT_EQ(metrics.body.find("switchboard_unhandled_events_total 0"), std::string::npos);
}

TEST_F(WebhookAnswers, OtherPathsGet404WithoutReachingTheWebhook) {
    const auto payload = samplePayload("message.received.form");
    for (const std::string target :
         {"/", "/webhooks/twilio/", "//webhooks/twilio", "/webhooks%2Ftwilio", "/webhooks/Twilio",
          "/webhooks/twilio/../twilio"}) {
        HttpCall call = signedCall(*host_, payload);
        call.target = target;
        EXPECT_EQ(host_->send(call).status, 404) << target;
    }
}

TEST_F(WebhookAnswers, OtherMethodsGet405) {
    for (const std::string method : {"GET", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
        HttpCall call;
        call.method = method;
        call.target = HostProcess::kWebhookPath;
        HttpResult result = host_->send(call);
        EXPECT_EQ(result.status, 405) << method;
        EXPECT_EQ(result.headers["Allow"], "POST") << method;
    }
    HttpCall head;
    head.method = "HEAD";
    head.target = HostProcess::kWebhookPath;
    EXPECT_EQ(host_->send(head).status, 405);
}

TEST_F(WebhookAnswers, ABodyOverTheLimitGets413) {
    const auto payload =
        with(samplePayload("message.received.form"), "Body", std::string(5000, 'x'));
    EXPECT_EQ(host_->postForm(payload).status, 413);
    HttpCall chunked = signedCall(*host_, payload);
    chunked.chunked = true;
    EXPECT_EQ(host_->send(chunked).status, 413);
    // A chunked body within the limit is read whole.
    chunked = signedCall(*host_, samplePayload("message.received.form"));
    chunked.chunked = true;
    EXPECT_EQ(host_->send(chunked).status, 200);
}

TEST_F(WebhookAnswers, OtherContentTypesGet415) {
    for (const std::string type : {"text/plain", "application/xml", "multipart/form-data"}) {
        HttpCall call = signedCall(*host_, samplePayload("message.received.form"));
        call.contentType = type;
        EXPECT_EQ(host_->send(call).status, 415) << type;
    }
}

TEST_F(WebhookAnswers, MalformedBodiesGet400) {
    HttpCall call;
    call.target = HostProcess::kWebhookPath;
    call.headers = {{"X-Twilio-Signature", "x"}};
    for (const std::string body : {"Body=100%", "Body=%zz", "Body=%C3%28", "Body=%ED%A0%80"}) {
        call.body = body;
        EXPECT_EQ(host_->send(call).status, 400) << body;
    }
    call.contentType = "application/json";
    for (const std::string body : {"{", "[1]", R"({"a":{"b":1}})", "{\"a\":\"\xc3\x28\"}"}) {
        call.target = std::string(HostProcess::kWebhookPath) +
                      "?bodySHA256=" + twilio::SignatureValidator::sha256Hex(body);
        call.body = body;
        const int status = host_->send(call).status;
        // JSON is checked against its signature first, so a forged one stops at 403.
        EXPECT_TRUE(status == 400 || status == 403) << body << " -> " << status;
    }
}

TEST_F(WebhookAnswers, ServesManyConcurrentKeepAliveClients) {
    std::atomic<int> ok{0}, failed{0};
    std::vector<std::thread> clients;
    for (int client = 0; client < 8; ++client) {
        clients.emplace_back([&] {
            Poco::Net::HTTPClientSession session("127.0.0.1", host_->port());
            session.setKeepAlive(true);
            for (int i = 0; i < 50; ++i) {
                const auto payload = samplePayload("message.statusUpdate.form");
                try {
                    const HttpResult result =
                        sendHttp(host_->port(), signedCall(*host_, payload), &session);
                    (result.status == 204 ? ok : failed)++;
                } catch (const std::exception&) {
                    failed++;
                }
            }
        });
    }
    for (auto& client : clients) client.join();
    EXPECT_EQ(ok.load(), 400);
    EXPECT_EQ(failed.load(), 0);
}

TEST_F(WebhookAnswers, TheCliSendPostsASignedSampleEvent) {
    const CommandResult result =
        runCommand(SWITCHBOARD_BINARY, {"send", "message.received", "--url", host_->webhookUrl(),
                                        "--auth-token", HostProcess::kAuthToken, "Body=Hello"});
    EXPECT_EQ(result.exitCode, 0) << result.output;
    EXPECT_NE(result.output.find("200 OK"), std::string::npos) << result.output;
    EXPECT_NE(result.output.find("<Response/>"), std::string::npos) << result.output;

    const CommandResult call = runCommand(
        SWITCHBOARD_BINARY, {"send", "call.statusUpdate", "--url", host_->webhookUrl(),
                             "--auth-token", HostProcess::kAuthToken, "CallStatus=ringing"});
    EXPECT_EQ(call.exitCode, 0) << call.output;
    EXPECT_NE(call.output.find("204"), std::string::npos) << call.output;

    const CommandResult wrongToken = runCommand(
        SWITCHBOARD_BINARY,
        {"send", "message.statusUpdate", "--url", host_->webhookUrl(), "--auth-token", "wrong"});
    EXPECT_EQ(wrongToken.exitCode, 1);
    EXPECT_NE(wrongToken.output.find("403"), std::string::npos) << wrongToken.output;
}

TEST_F(WebhookAnswers, LogsOneLinePerRequest) {
    host_->postForm(samplePayload("call.statusUpdate.ringing.form"));
    EXPECT_TRUE(host_->waitForLog("call.statusUpdate POST -> 204"));
}

}  // namespace
