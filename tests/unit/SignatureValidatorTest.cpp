#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "twilio/FormDecoder.h"
#include "twilio/SignatureValidator.h"

using namespace switchboard::twilio;

namespace {

struct OfficialVector {
    std::string name;
    std::string kind;
    std::string authToken;
    std::string url;
    std::optional<Parameters> params;
    std::optional<std::string> body;
    std::optional<std::string> signature;
    bool expectValid = false;
    std::optional<std::string> stringToSign;
};

std::optional<std::string> optionalString(const rapidjson::Value& object, const char* name) {
    if (!object.HasMember(name) || !object[name].IsString()) return std::nullopt;
    return std::string(object[name].GetString(), object[name].GetStringLength());
}

std::vector<OfficialVector> loadVectors() {
    std::ifstream file(SWITCHBOARD_VECTORS_FILE);
    std::stringstream text;
    text << file.rdbuf();
    rapidjson::Document document;
    document.Parse(text.str().c_str());
    std::vector<OfficialVector> vectors;
    if (document.HasParseError()) return vectors;
    for (const auto& item : document["vectors"].GetArray()) {
        OfficialVector vector;
        vector.name = item["source"].GetString() + std::string(" / ") + item["test"].GetString();
        vector.kind = item["kind"].GetString();
        vector.authToken = item["auth_token"].GetString();
        vector.url = optionalString(item, "url").value_or("");
        if (item["params"].IsArray()) {
            Parameters params;
            for (const auto& pair : item["params"].GetArray()) {
                const std::string key = pair[0].GetString();
                if (pair[1].IsArray()) {  // twilio-node's array parameter: a repeated key
                    for (const auto& value : pair[1].GetArray()) {
                        params.emplace_back(key, value.GetString());
                    }
                } else {  // the official libraries sign a null value as an empty one
                    params.emplace_back(key, pair[1].IsString() ? pair[1].GetString() : "");
                }
            }
            vector.params = std::move(params);
        }
        vector.body = optionalString(item, "body");
        vector.signature = optionalString(item, "signature");
        vector.expectValid = item["expect_valid"].GetBool();
        vector.stringToSign = optionalString(item, "string_to_sign");
        vectors.push_back(std::move(vector));
    }
    return vectors;
}

// Names the case in test output instead of dumping its bytes.
void PrintTo(const OfficialVector& vector, std::ostream* out) { *out << vector.name; }

SignedContent contentOf(const OfficialVector& vector) {
    SignedContent content;
    content.url = vector.url;
    if (vector.params) content.formParameters = &*vector.params;
    if (vector.body) content.rawBody = *vector.body;
    return content;
}

class OfficialVectors : public ::testing::TestWithParam<OfficialVector> {};

TEST(OfficialVectorsFile, HoldsAll81Cases) { EXPECT_EQ(loadVectors().size(), 81u); }

TEST_P(OfficialVectors, AgreeWithTheOfficialLibraries) {
    const OfficialVector& vector = GetParam();
    SignatureValidator validator(vector.authToken);
    if (vector.kind == "body_hash") {
        EXPECT_EQ(SignatureValidator::sha256Hex(*vector.body) == vector.signature,
                  vector.expectValid);
        return;
    }
    const SignedContent content = contentOf(vector);
    if (vector.kind == "compute") {
        EXPECT_EQ(validator.sign(content), vector.signature);
        EXPECT_EQ(SignatureValidator::stringToSign(vector.url, content), vector.stringToSign);
        return;
    }
    ASSERT_EQ(vector.kind, "validate");
    const SignatureVerdict verdict =
        validator.validate(content, vector.signature.value_or(""), /*collectAttempts=*/true);
    EXPECT_EQ(verdict.valid, vector.expectValid) << verdict.failure;
    if (vector.expectValid && vector.stringToSign) {
        ASSERT_FALSE(verdict.attempts.empty());
        EXPECT_EQ(verdict.attempts.back().stringToSign, *vector.stringToSign);
    }
}

INSTANTIATE_TEST_SUITE_P(Twilio, OfficialVectors, ::testing::ValuesIn(loadVectors()),
                         [](const ::testing::TestParamInfo<OfficialVector>& info) {
                             return "case" + std::to_string(info.index) + "_" + info.param.kind;
                         });

TEST(SignatureValidator, TriesTheExactUrlFirstThenPortThenQuoteVariants) {
    EXPECT_EQ(SignatureValidator::urlVariants("https://a.example/p?x='y'"),
              (std::vector<std::string>{
                  "https://a.example/p?x='y'", "https://a.example:443/p?x='y'",
                  "https://a.example/p?x=%27y%27", "https://a.example:443/p?x=%27y%27"}));
    EXPECT_EQ(SignatureValidator::urlVariants("http://a.example:8080/p"),
              (std::vector<std::string>{"http://a.example:8080/p", "http://a.example/p"}));
}

TEST(SignatureValidator, IgnoresColonsInUserInfoAndIpv6Literals) {
    EXPECT_EQ(SignatureValidator::urlVariants("https://u:p@[::1]/p")[1], "https://u:p@[::1]:443/p");
    EXPECT_EQ(SignatureValidator::urlVariants("https://[::1]:8443/p")[1], "https://[::1]/p");
}

TEST(SignatureValidator, AMissingSignatureFailsWithAReason) {
    SignatureValidator validator("token");
    Parameters params{{"A", "1"}};
    const auto verdict = validator.validate({"https://x.example/", &params, {}}, "");
    EXPECT_FALSE(verdict.valid);
    EXPECT_NE(verdict.failure.find("missing"), std::string::npos);
}

TEST(SignatureValidator, ABodyWhoseHashDiffersFromBodySha256Fails) {
    SignatureValidator validator("token");
    const std::string body = R"({"a":"1"})";
    const std::string url = "https://x.example/h?bodySHA256=" + SignatureValidator::sha256Hex("{}");
    SignedContent content{url, nullptr, std::string_view(body)};
    const std::string signature = validator.sign(content);
    const auto verdict = validator.validate(content, signature);
    EXPECT_FALSE(verdict.valid);
    EXPECT_NE(verdict.failure.find("bodySHA256"), std::string::npos);
}

TEST(SignatureValidator, SignsAndValidatesARoundTripOfASamplePayload) {
    std::ifstream file(std::string(SWITCHBOARD_PAYLOADS_DIR) + "/message.received.form");
    std::stringstream text;
    text << file.rdbuf();
    const Parameters params = decodeForm(text.str());
    SignatureValidator validator("8c82f8bfdc3826eaa68fba4ec3997b77");
    SignedContent content{"https://hooks.example.com/webhooks/twilio", &params, {}};
    const std::string signature = validator.sign(content);
    EXPECT_TRUE(validator.validate(content, signature).valid);
    Parameters tampered = params;
    tampered.back().second += "x";
    content.formParameters = &tampered;
    EXPECT_FALSE(validator.validate(content, signature).valid);
}

}  // namespace
