// `switchboard sign` and `switchboard verify`, the tools a user reaches for when signatures fail.
#include <gtest/gtest.h>

#include "HostProcess.h"

using namespace switchboard::testing;

namespace {

const std::string kUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";
const std::vector<std::string> kFields = {"CallSid=CA1234567890ABCDE", "Caller=+14158675309",
                                          "Digits=1234", "From=+14158675309", "To=+18005551212"};

std::vector<std::string> arguments(std::vector<std::string> head) {
    head.insert(head.end(), kFields.begin(), kFields.end());
    return head;
}

TEST(SignatureCli, SignPrintsTheOfficialSignature) {
    // The twilio-python test vector.
    const CommandResult result =
        runCommand(SWITCHBOARD_BINARY, arguments({"sign", "--auth-token", "12345", "--url", kUrl}));
    EXPECT_EQ(result.exitCode, 0) << result.output;
    EXPECT_EQ(result.output, "RSOYDt4T1cUTdK1PDd93/VVr8B8=\n");
}

TEST(SignatureCli, VerifyAcceptsAPortVariantAndSaysWhichUrlMatched) {
    const CommandResult result = runCommand(
        SWITCHBOARD_BINARY, arguments({"verify", "--auth-token", "12345", "--url",
                                       "https://mycompany.com:1234/myapp.php?foo=1&bar=2",
                                       "--signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="}));
    EXPECT_EQ(result.exitCode, 0) << result.output;
    EXPECT_NE(result.output.find("valid: the signature matches the URL " + kUrl), std::string::npos)
        << result.output;
}

TEST(SignatureCli, VerifyPrintsEveryStringItTriedWhenNothingMatches) {
    const CommandResult result = runCommand(
        SWITCHBOARD_BINARY,
        arguments({"verify", "--auth-token", "12345", "--url", kUrl, "--signature", "WRONG"}));
    EXPECT_EQ(result.exitCode, 1);
    EXPECT_NE(result.output.find("signed string " + kUrl + "CallSidCA1234567890ABCDE"),
              std::string::npos)
        << result.output;
    EXPECT_NE(result.output.find("tried URL     https://mycompany.com:443/myapp.php"),
              std::string::npos)
        << result.output;
}

TEST(SignatureCli, VerifyReadsABodyFile) {
    char path[] = "/tmp/switchboard-body-XXXXXX";
    const int fd = ::mkstemp(path);
    const std::string body =
        "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&"
        "From=%2B14158675309&To=%2B18005551212";
    ASSERT_EQ(::write(fd, body.data(), body.size()), static_cast<ssize_t>(body.size()));
    ::close(fd);
    const CommandResult result = runCommand(
        SWITCHBOARD_BINARY, {"verify", "--auth-token", "12345", "--url", kUrl, "--signature",
                             "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "--body-file", path});
    ::unlink(path);
    EXPECT_EQ(result.exitCode, 0) << result.output;
}

TEST(SignatureCli, MissingOptionsAreUsageErrors) {
    const CommandResult result = runCommand(SWITCHBOARD_BINARY, {"verify", "--auth-token", "x"});
    EXPECT_EQ(result.exitCode, 64);
    EXPECT_NE(result.output.find("--url is required"), std::string::npos) << result.output;
}

}  // namespace
