#pragma once

#include <chrono>
#include <functional>
#include <thread>

namespace switchboard::testing {

/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns its last value.
/// For what a test cannot be told directly (another thread's or the host's progress), so a
/// loaded machine makes the test slower, never wrong.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
        if (std::chrono::steady_clock::now() >= deadline) return condition();
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace switchboard::testing
