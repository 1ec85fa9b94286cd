#pragma once

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace switchboard::http {

struct WorkerPoolLimits {
    /// Threads at most: each can be held by a hook that sleeps or waits on I/O.
    std::size_t maxThreads = 128;
    /// Items waiting for a thread; beyond, submit refuses.
    std::size_t maxQueued = 256;
    /// Threads woken for work that keeps them on the CPU: set it to the CPUs the process
    /// may use.
    std::size_t runningTarget = 1;
    /// When queued work has waited this long and no item finished meanwhile, the threads
    /// running are taken to be blocked and one more is woken.
    std::chrono::milliseconds stallAfter{2};
};

/// Runs items in the order they were submitted, on up to maxThreads threads, but keeps only
/// a few threads per CPU running (runningTarget).
///
/// A thread per connection lets every connection's thread be runnable at once: under load
/// the kernel then decides which request waits, and with 64 connections sharing two CPUs
/// some wait for many scheduling rounds (p99 8.4-16.1 ms, against 3.9-4.5 ms with this pool;
/// bench/README.md).
/// Here a thread that finishes an item takes the next one without sleeping, so under load
/// requests are served first come, first served, with no hand-off between threads. Threads
/// beyond runningTarget are woken only when the queue stalls (wakeIfStalled): the threads
/// running are then blocked in a slow hook, and the next request must not wait for them.
template <typename Item>
class WorkerPool {
public:
    using Clock = std::chrono::steady_clock;

    WorkerPool(WorkerPoolLimits limits, std::function<void(Item)> work, std::string threadName)
        : limits_(limits), work_(std::move(work)), threadName_(std::move(threadName)) {}
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;
    ~WorkerPool() { stop(); }

    /// Queues `item`; false (and nothing queued) when the queue is full or the pool stopped.
    bool submit(Item item) {
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || queue_.size() >= limits_.maxQueued) return false;
            queue_.push_back({std::move(item), Clock::now()});
            queued_.store(queue_.size(), std::memory_order_relaxed);
            if (running_ < limits_.runningTarget) wake = startOneLocked();
        }
        if (wake) wakeup_.notify_one();
        return true;
    }

    /// Wakes one more thread when queued work is not moving: called every millisecond or so
    /// by the producer while anything is queued.
    void wakeIfStalled() {
        bool wake = false;
        {
            std::lock_guard lock(mutex_);
            if (stopping_ || queue_.empty()) return;
            const auto now = Clock::now();
            if (now - queue_.front().since < limits_.stallAfter ||
                now - lastProgress_ < limits_.stallAfter) {
                return;
            }
            lastProgress_ = now;  // at most one extra thread per stallAfter
            wake = startOneLocked();
        }
        if (wake) wakeup_.notify_one();
    }

    /// Items waiting for a thread; read without locking, so possibly a moment old.
    std::size_t queued() const { return queued_.load(std::memory_order_relaxed); }
    /// Threads serving an item now (or woken to).
    std::size_t running() const {
        std::lock_guard lock(mutex_);
        return running_;
    }
    std::size_t threads() const {
        std::lock_guard lock(mutex_);
        return threads_.size();
    }

    /// Removes and returns what is queued: the caller disposes of the items unserved.
    std::vector<Item> takeQueued() {
        std::lock_guard lock(mutex_);
        std::vector<Item> taken;
        taken.reserve(queue_.size());
        for (Queued& queued : queue_) taken.push_back(std::move(queued.item));
        queue_.clear();
        queued_.store(0, std::memory_order_relaxed);
        return taken;
    }

    /// Refuses new items, lets the threads finish everything queued, and joins them.
    void stop() {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
            stopping_ = true;
        }
        wakeup_.notify_all();
        for (std::thread& thread : threads_) thread.join();
    }

private:
    struct Queued {
        Item item;
        Clock::time_point since;
    };

    // Counts one more running thread: a sleeping one is woken (true: notify after unlocking),
    // or a new one is started while under maxThreads.
    bool startOneLocked() {
        if (idle_ > wakePermits_) {
            ++wakePermits_;
            ++running_;
            return true;
        }
        if (threads_.size() < limits_.maxThreads) {
            try {
                threads_.emplace_back([this] { run(); });
            } catch (const std::system_error&) {
                return false;  // no thread to be had now: the running ones take the item
            }
            ++running_;  // the new thread starts counted as running (it decrements when idle)
            pthread_setname_np(threads_.back().native_handle(), threadName_.c_str());
        }
        return false;
    }

    void run() {
        std::unique_lock lock(mutex_);
        for (;;) {
            if (queue_.empty()) {
                --running_;
                if (stopping_) return;
                ++idle_;
                wakeup_.wait(lock, [this] { return wakePermits_ > 0 || stopping_; });
                --idle_;
                if (wakePermits_ > 0) {
                    --wakePermits_;  // the waker already counted this thread as running
                } else {
                    ++running_;  // woken by stop: finishes what is queued, then leaves
                }
                continue;
            }
            Item item = std::move(queue_.front().item);
            queue_.pop_front();
            queued_.store(queue_.size(), std::memory_order_relaxed);
            lock.unlock();
            work_(std::move(item));
            lock.lock();
            lastProgress_ = Clock::now();
        }
    }

    const WorkerPoolLimits limits_;
    const std::function<void(Item)> work_;
    const std::string threadName_;
    mutable std::mutex mutex_;
    std::condition_variable wakeup_;
    std::deque<Queued> queue_;
    std::atomic<std::size_t> queued_{0};
    std::vector<std::thread> threads_;
    std::size_t running_ = 0;
    std::size_t idle_ = 0;
    std::size_t wakePermits_ = 0;
    Clock::time_point lastProgress_{};
    bool stopping_ = false;
};

}  // namespace switchboard::http
