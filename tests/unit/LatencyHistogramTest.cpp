#include <gtest/gtest.h>

#include <sstream>
#include <thread>
#include <vector>

#include "admin/LatencyHistogram.h"

using switchboard::admin::LatencyHistogram;

namespace {

std::string written(const LatencyHistogram& histogram) {
    std::ostringstream out;
    histogram.write(out, "h", "a=\"b\",");
    return out.str();
}

TEST(LatencyHistogram, WritesCumulativeBucketsSumAndCount) {
    LatencyHistogram histogram;
    histogram.observe(0.00005);  // first bucket (le 0.0001)
    histogram.observe(0.003);    // le 0.005
    histogram.observe(2.0);      // only +Inf
    const std::string text = written(histogram);
    EXPECT_NE(text.find("h_bucket{a=\"b\",le=\"0.000100\"} 1\n"), std::string::npos) << text;
    EXPECT_NE(text.find("h_bucket{a=\"b\",le=\"0.005000\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("h_bucket{a=\"b\",le=\"1.000000\"} 2\n"), std::string::npos) << text;
    EXPECT_NE(text.find("h_bucket{a=\"b\",le=\"+Inf\"} 3\n"), std::string::npos) << text;
    EXPECT_NE(text.find("h_sum{a=\"b\"} 2.00305\n"), std::string::npos) << text;
    EXPECT_NE(text.find("h_count{a=\"b\"} 3\n"), std::string::npos) << text;
    EXPECT_EQ(histogram.count(), 3u);
}

// Observations land in per-CPU shards; whatever CPUs the threads ran on, none is lost.
TEST(LatencyHistogram, CountsEveryObservationFromManyThreads) {
    LatencyHistogram histogram;
    std::vector<std::thread> threads;
    for (int thread = 0; thread < 8; ++thread) {
        threads.emplace_back([&] {
            for (int i = 0; i < 10000; ++i) histogram.observe(0.0002);
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(histogram.count(), 80000u);
    EXPECT_NE(written(histogram).find("h_bucket{a=\"b\",le=\"0.000250\"} 80000\n"),
              std::string::npos);
}

}  // namespace
