#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "http/Response.h"

namespace switchboard::http {

/// Remembers the answer to each delivery by its I-Twilio-Idempotency-Token, so that a
/// redelivery gets the first answer again without running any hook, and a duplicate that
/// arrives while the first is still being handled waits for it.
///
/// Answers of 500 and above are not remembered: a redelivery of a delivery that failed runs
/// again, which is what Twilio retries for. Memory is bounded: at most `maxEntries` tokens,
/// the oldest dropped first, each kept for `ttl`.
class IdempotencyCache {
public:
    struct Entry;

    /// What a request holding a token must do.
    struct Claim {
        /// Set when the delivery was already answered: send this and run nothing.
        std::optional<Response> replay;
        /// Otherwise the caller owns the delivery and must call finish() with its answer.
        std::shared_ptr<Entry> owned;
        /// Whether `replay` is the first delivery's answer (false: the 503 of a duplicate
        /// that waited too long).
        bool replayed = false;
    };

    IdempotencyCache(std::chrono::seconds ttl, std::size_t maxEntries,
                     std::chrono::milliseconds maxWait);

    /// Claims `token`, or waits (up to maxWait) for the request that holds it. A duplicate
    /// still waiting after maxWait gets a 503, so Twilio tries again later.
    Claim claim(const std::string& token);

    /// Records the owner's answer and wakes the duplicates waiting for it.
    void finish(const std::shared_ptr<Entry>& entry, const Response& response);

    std::size_t size() const;
    std::uint64_t replays() const;

private:
    void evict(std::chrono::steady_clock::time_point now);

    const std::chrono::seconds ttl_;
    const std::size_t maxEntries_;
    const std::chrono::milliseconds maxWait_;

    mutable std::mutex lock_;
    std::condition_variable finished_;
    std::unordered_map<std::string, std::shared_ptr<Entry>> entries_;
    std::deque<std::shared_ptr<Entry>> byAge_;  // oldest first
    std::uint64_t replays_ = 0;
};

/// Finishes a claimed delivery on every path out of the request, exceptions included.
class IdempotencyTicket {
public:
    IdempotencyTicket() = default;
    IdempotencyTicket(IdempotencyCache& cache, std::shared_ptr<IdempotencyCache::Entry> entry)
        : cache_(&cache), entry_(std::move(entry)) {}
    IdempotencyTicket(const IdempotencyTicket&) = delete;
    IdempotencyTicket& operator=(const IdempotencyTicket&) = delete;
    ~IdempotencyTicket();

    void finish(const Response& response);

private:
    IdempotencyCache* cache_ = nullptr;
    std::shared_ptr<IdempotencyCache::Entry> entry_;
};

}  // namespace switchboard::http
