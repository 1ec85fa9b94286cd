// call_order: drops call status callbacks that arrive after a later one.
//
// Twilio numbers the status callbacks of a call (SequenceNumber 0, 1, 2, ...)
// but does not deliver them in order. This plugin remembers the highest
// SequenceNumber seen per CallSid; a callback whose number is not higher is
// stale: it gets the context key call_order.stale=true, counts the metric
// stale_events, and stops the request (the host answers 204 and no later
// `before` hook sees it; `after` hooks still do).
//
// A number EQUAL to the highest seen is stale too: it is the same callback
// delivered again, already handled once. Twilio's retries of one delivery carry
// the same I-Twilio-Idempotency-Token and are meant to be recognised by that
// token before hooks run; this plugin does not try to tell them apart.
//
// Callbacks without a CallSid, or without a SequenceNumber or with one that is
// not a plain decimal number, pass through untouched.
//
// Config: maxCalls (default 100000), how many calls are remembered. Past that,
// the call whose last callback is the oldest is forgotten (a call still
// receiving callbacks stays). State is per generation: after a hot reload, or a
// restart, the first callback of every call passes.
//
// Concurrency::Concurrent: the table is guarded by a mutex, held only for a
// hash lookup.
#include <charconv>
#include <cstdint>
#include <iterator>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <switchboard/plugin.hpp>
#include <unordered_map>
#include <utility>

namespace sb = switchboard;

namespace {

constexpr std::size_t kDefaultMaxCalls = 100000;

// Digits only: no sign, no spaces, no "0x"; false for anything else or overflow.
bool parseUnsigned(std::string_view text, std::uint64_t& out) {
    if (text.empty()) return false;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

class CallOrder {
public:
    explicit CallOrder(sb::Host host) : host_(host), maxCalls_(kDefaultMaxCalls) {
        if (auto configured = host.config("maxCalls")) {
            std::uint64_t n = 0;
            if (!parseUnsigned(*configured, n) || n == 0) {
                throw sb::Error("maxCalls must be a positive integer, not '" +
                                std::string(*configured) + "'");
            }
            maxCalls_ = static_cast<std::size_t>(n);
        }
        host.info("tracking up to " + std::to_string(maxCalls_) + " calls");
    }

    sb::Action before(sb::Context& ctx, sb::Event& event) {
        const auto callSid = event.get("CallSid");
        const auto sequence = event.get("SequenceNumber");
        if (!callSid || callSid->empty() || !sequence) return sb::Action::Continue;
        std::uint64_t number = 0;
        if (!parseUnsigned(*sequence, number)) {
            host_.debug("non-numeric SequenceNumber '" + std::string(*sequence) + "' for " +
                        std::string(*callSid) + "; passing it through");
            return sb::Action::Continue;
        }

        std::uint64_t highest = 0;
        if (!advance(*callSid, number, highest)) {
            ctx.set("call_order.stale", "true");
            host_.metric("stale_events");
            host_.debug("stale callback for " + std::string(*callSid) + ": SequenceNumber " +
                        std::to_string(number) + " after " + std::to_string(highest));
            return sb::Action::Stop;
        }
        return sb::Action::Continue;
    }

private:
    struct Call {
        std::uint64_t highest;
        std::list<std::string>::iterator age;  // position in byAge_
    };

    // Records number for callSid. False (and the highest seen so far) when the
    // callback is stale.
    bool advance(std::string_view callSid, std::uint64_t number, std::uint64_t& highest) {
        std::string key(callSid);
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = calls_.find(key);
        if (it != calls_.end()) {
            if (number <= it->second.highest) {
                highest = it->second.highest;
                return false;
            }
            it->second.highest = number;
            byAge_.splice(byAge_.end(), byAge_, it->second.age);  // now the youngest
            return true;
        }
        if (calls_.size() >= maxCalls_) {
            calls_.erase(byAge_.front());
            byAge_.pop_front();
        }
        byAge_.push_back(key);
        calls_.emplace(std::move(key), Call{number, std::prev(byAge_.end())});
        return true;
    }

    sb::Host host_;
    std::size_t maxCalls_;
    std::mutex mutex_;
    std::unordered_map<std::string, Call> calls_;
    std::list<std::string> byAge_;  // CallSids, least recently updated first
};

}  // namespace

SWITCHBOARD_PLUGIN(CallOrder, "call_order", "1.0.0",
                   "Stops call status callbacks older than one already seen for the call",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(CallStatusUpdate, Before));
