#include "http/IdempotencyCache.h"

#include "http/JsonError.h"

namespace switchboard::http {

struct IdempotencyCache::Entry {
    std::string token;
    bool done = false;
    bool remembered = false;
    Response response;
    std::chrono::steady_clock::time_point expires;
};

IdempotencyCache::IdempotencyCache(std::chrono::seconds ttl, std::size_t maxEntries,
                                   std::chrono::milliseconds maxWait)
    : ttl_(ttl), maxEntries_(maxEntries), maxWait_(maxWait) {}

IdempotencyCache::Claim IdempotencyCache::claim(const std::string& token) {
    std::unique_lock guard(lock_);
    const auto now = std::chrono::steady_clock::now();
    evict(now);
    auto found = entries_.find(token);
    // Eviction stops at the oldest delivery still in flight, so an expired token can linger
    // behind it: it must not be replayed.
    if (found != entries_.end() && found->second->done && found->second->expires <= now) {
        entries_.erase(found);
        found = entries_.end();
    }
    if (found == entries_.end()) {
        auto entry = std::make_shared<Entry>();
        entry->token = token;
        entry->expires = now + ttl_;
        entries_.emplace(token, entry);
        byAge_.push_back(entry);
        return {std::nullopt, std::move(entry), false};
    }
    const std::shared_ptr<Entry> entry = found->second;
    if (!finished_.wait_for(guard, maxWait_, [&] { return entry->done; })) {
        return {jsonError(503,
                          "the first delivery with this idempotency token is still being "
                          "handled; retry later",
                          "I-Twilio-Idempotency-Token"),
                nullptr, false};
    }
    ++replays_;
    return {entry->response, nullptr, true};
}

void IdempotencyCache::finish(const std::shared_ptr<Entry>& entry, const Response& response) {
    {
        std::lock_guard guard(lock_);
        entry->response = response;
        entry->done = true;
        entry->remembered = response.status < 500;
        if (!entry->remembered) {
            // Forget it, so that Twilio's retry of a failed delivery runs the hooks again.
            const auto found = entries_.find(entry->token);
            if (found != entries_.end() && found->second == entry) entries_.erase(found);
        }
    }
    finished_.notify_all();
}

void IdempotencyCache::evict(std::chrono::steady_clock::time_point now) {
    while (!byAge_.empty()) {
        const std::shared_ptr<Entry>& entry = byAge_.front();
        const bool expired = entry->done && entry->expires <= now;
        const bool overflowing = entries_.size() > maxEntries_ && entry->done;
        const bool forgotten = entry->done && !entry->remembered;
        if (!expired && !overflowing && !forgotten) break;
        const auto found = entries_.find(entry->token);
        if (found != entries_.end() && found->second == entry) entries_.erase(found);
        byAge_.pop_front();
    }
}

std::size_t IdempotencyCache::size() const {
    std::lock_guard guard(lock_);
    return entries_.size();
}

std::uint64_t IdempotencyCache::replays() const {
    std::lock_guard guard(lock_);
    return replays_;
}

IdempotencyTicket::~IdempotencyTicket() {
    // A request that ends without an answer (it threw) must not leave duplicates waiting.
    if (cache_ && entry_) cache_->finish(entry_, jsonError(500, "internal error"));
}

void IdempotencyTicket::finish(const Response& response) {
    if (!cache_ || !entry_) return;
    cache_->finish(entry_, response);
    entry_.reset();
}

}  // namespace switchboard::http
