#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "twilio/HmacSha1.h"

using namespace switchboard::twilio;

namespace {

std::string hex(const HmacSha1::Digest& digest) {
    static const char digits[] = "0123456789abcdef";
    std::string text;
    for (const unsigned char byte : digest) {
        text += digits[byte >> 4];
        text += digits[byte & 0xF];
    }
    return text;
}

// RFC 2202, section 3: test cases 1, 2 and 6 (a key longer than SHA-1's block).
TEST(HmacSha1, MatchesRfc2202) {
    EXPECT_EQ(hex(HmacSha1(std::string(20, '\x0b')).compute({"Hi There"})),
              "b617318655057264e28bc0b6fb378c8ef146be00");
    EXPECT_EQ(hex(HmacSha1("Jefe").compute({"what do ya want for nothing?"})),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(hex(HmacSha1(std::string(80, '\xaa'))
                      .compute({"Test Using Larger Than Block-Size Key - Hash Key First"})),
              "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST(HmacSha1, PartsAreTheirConcatenation) {
    const HmacSha1 mac("Jefe");
    EXPECT_EQ(mac.compute({"what do ya ", "", "want for nothing?"}),
              mac.compute({"what do ya want for nothing?"}));
}

// Each thread caches one keyed context: switching instances on a thread, and an instance
// that takes a destroyed one's address, must never compute under the other's key.
TEST(HmacSha1, InstancesNeverShareAKey) {
    const HmacSha1 jefe("Jefe");
    const HmacSha1 other("other key");
    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(hex(jefe.compute({"what do ya want for nothing?"})),
                  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        EXPECT_NE(other.compute({"what do ya want for nothing?"}),
                  jefe.compute({"what do ya want for nothing?"}));
    }
    std::string first, second;
    {
        const HmacSha1 mac("first key");
        first = hex(mac.compute({"message"}));
    }
    {
        const HmacSha1 mac("second key");
        second = hex(mac.compute({"message"}));
    }
    EXPECT_NE(first, second);
}

TEST(HmacSha1, GivesTheSameDigestOnEveryThread) {
    const HmacSha1 mac("Jefe");
    const HmacSha1::Digest expected = mac.compute({"what do ya want for nothing?"});
    std::vector<HmacSha1::Digest> results(8);
    std::vector<std::thread> threads;
    for (auto& result : results) {
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) result = mac.compute({"what do ya want for nothing?"});
        });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& result : results) EXPECT_EQ(result, expected);
}

}  // namespace
