// WorkerPool: order of items, the queue limit, stop(), and how many threads it wakes.
// Nothing here asserts timing: waits poll with a generous deadline, so a loaded machine only
// makes the tests slower.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "Eventually.h"
#include "http/WorkerPool.h"

using namespace switchboard::http;
using switchboard::testing::eventually;

namespace {

constexpr auto kDeadline = std::chrono::seconds(5);

/// Items wait on it until the test opens it. Every test opens it before the pool stops.
class Latch {
public:
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        opened_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        opened_.wait(lock, [this] { return open_; });
    }

private:
    std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = false;
};

/// The items run, in the order they ran.
class Record {
public:
    void add(int item) {
        std::lock_guard lock(mutex_);
        items_.push_back(item);
    }
    std::vector<int> items() const {
        std::lock_guard lock(mutex_);
        return items_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<int> items_;
};

/// Work whose item 0 holds its thread until the latch opens; every item is recorded.
struct FirstItemHolds {
    Latch latch;
    Record record;
    std::atomic<bool> started{false};

    std::function<void(int)> work() {
        return [this](int item) {
            if (item == 0) {
                started = true;
                latch.wait();
            }
            record.add(item);
        };
    }
};

std::vector<int> upTo(int count) {
    std::vector<int> items;
    for (int i = 0; i < count; ++i) items.push_back(i);
    return items;
}

WorkerPoolLimits limits(std::size_t maxThreads, std::size_t maxQueued, std::size_t runningTarget) {
    WorkerPoolLimits limits;
    limits.maxThreads = maxThreads;
    limits.maxQueued = maxQueued;
    limits.runningTarget = runningTarget;
    return limits;
}

TEST(WorkerPool, RunsItemsInSubmissionOrderOnOneThread) {
    Record record;
    WorkerPool<int> pool(
        limits(1, 256, 1), [&](int item) { record.add(item); }, "test-worker");
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(pool.submit(i));
    pool.stop();
    EXPECT_EQ(record.items(), upTo(100));
    EXPECT_EQ(pool.threads(), 1u);
}

// The first item holds the only thread until stop() has begun (a probe submit is refused),
// so the items behind it are still queued when stop() is called.
TEST(WorkerPool, StopRunsEverythingQueuedBeforeItReturns) {
    FirstItemHolds held;
    WorkerPool<int> pool(limits(1, 100000, 1), held.work(), "test-worker");
    ASSERT_TRUE(pool.submit(0));
    const bool blocking = eventually([&] { return held.started.load(); });
    EXPECT_TRUE(blocking);
    int submitted = 1;
    for (; submitted < 10; ++submitted) EXPECT_TRUE(pool.submit(submitted));

    std::thread releaser([&] {
        // Probes accepted before stop() begins are queued items too, so they must run as well.
        while (pool.submit(submitted)) {
            ++submitted;
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        held.latch.open();
    });
    pool.stop();
    releaser.join();
    EXPECT_EQ(held.record.items(), upTo(submitted));
}

TEST(WorkerPool, SubmitRefusesOnceMaxQueuedItemsAreWaiting) {
    FirstItemHolds held;
    WorkerPool<int> pool(limits(1, 2, 2), held.work(), "test-worker");
    ASSERT_TRUE(pool.submit(0));
    const bool running = eventually(
        [&] { return held.started.load() && pool.running() == 1 && pool.queued() == 0; });
    EXPECT_TRUE(running);
    EXPECT_TRUE(pool.submit(1));
    EXPECT_TRUE(pool.submit(2));
    EXPECT_FALSE(pool.submit(3));
    EXPECT_EQ(pool.queued(), 2u);
    held.latch.open();
    pool.stop();
    EXPECT_EQ(held.record.items(), upTo(3));  // 3 never ran
}

TEST(WorkerPool, CpuBoundWorkWakesNoMoreThanRunningTargetThreads) {
    std::atomic<int> done{0};
    std::atomic<int> inProgress{0};
    std::atomic<int> maxInProgress{0};
    WorkerPool<int> pool(
        limits(8, 256, 1),
        [&](int) {
            const int now = ++inProgress;
            int seen = maxInProgress.load();
            while (now > seen && !maxInProgress.compare_exchange_weak(seen, now)) {
            }
            ++done;
            --inProgress;
        },
        "test-worker");
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(pool.submit(i));
    pool.stop();
    EXPECT_EQ(done.load(), 200);
    EXPECT_EQ(maxInProgress.load(), 1);
    EXPECT_EQ(pool.threads(), 1u);
}

TEST(WorkerPool, StallsWakeMoreThreadsUpToMaxThreads) {
    Latch latch;
    std::atomic<int> inProgress{0};
    WorkerPoolLimits stalling = limits(4, 256, 1);
    stalling.stallAfter = std::chrono::milliseconds(1);
    WorkerPool<int> pool(
        stalling,
        [&](int) {
            ++inProgress;
            latch.wait();
        },
        "test-worker");
    // Six blocked items for at most four threads.
    for (int i = 0; i < 6; ++i) EXPECT_TRUE(pool.submit(i));  // no ASSERT: the latch must open

    const auto deadline = std::chrono::steady_clock::now() + kDeadline;
    while (inProgress.load() < 4 && std::chrono::steady_clock::now() < deadline) {
        pool.wakeIfStalled();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    // More stalls once every thread is taken start none.
    for (int i = 0; i < 10; ++i) {
        pool.wakeIfStalled();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(inProgress.load(), 4);  // four blocked items running at once
    EXPECT_EQ(pool.running(), 4u);
    EXPECT_EQ(pool.threads(), 4u);
    EXPECT_EQ(pool.queued(), 2u);
    latch.open();
    pool.stop();
}

TEST(WorkerPool, SubmitReturnsFalseAfterStop) {
    Record record;
    WorkerPool<int> pool(
        limits(2, 256, 2), [&](int item) { record.add(item); }, "test-worker");
    ASSERT_TRUE(pool.submit(0));
    pool.stop();
    EXPECT_FALSE(pool.submit(1));
    EXPECT_FALSE(pool.submit(2));
    EXPECT_EQ(record.items(), upTo(1));
}

}  // namespace
