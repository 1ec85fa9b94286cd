// slow (test plugin): message.statusUpdate, before: sleeps for
// plugins.slow.sleepMs milliseconds (default 0), then continues. Concurrent, so
// overlapping requests sleep in parallel.
#include <charconv>
#include <chrono>
#include <string>
#include <string_view>
#include <switchboard/plugin.hpp>
#include <thread>

namespace sb = switchboard;

namespace {

unsigned long parseMilliseconds(std::string_view text) {
    unsigned long value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        throw sb::Error("sleepMs must be a whole number of milliseconds, not '" +
                        std::string(text) + "'");
    }
    return value;
}

class Slow {
public:
    explicit Slow(sb::Host host)
        : sleep_(parseMilliseconds(host.config("sleepMs").value_or("0"))) {}

    sb::Action before(sb::Context&, sb::Event&) {
        if (sleep_.count() > 0) std::this_thread::sleep_for(sleep_);
        return sb::Action::Continue;
    }

private:
    std::chrono::milliseconds sleep_;
};

}  // namespace

// slow_serial is the same source declared serial: its hooks must never overlap.
#ifndef SLOW_NAME
#define SLOW_NAME "slow"
#define SLOW_CONCURRENCY Concurrent
#endif

SWITCHBOARD_PLUGIN(Slow, SLOW_NAME, "1.0.0", "Test plugin: sleeps sleepMs in a before hook",
                   sb::Concurrency::SLOW_CONCURRENCY,
                   SWITCHBOARD_HOOK(MessageStatusUpdate, Before));
