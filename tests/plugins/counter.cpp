// counter (test plugin): call.statusUpdate, before: adds 1 to the metric
// calls_seen, sets the context value counter.version and the event field
// CounterVersion to the plugin's version, and continues. Serial.
//
// The version is the compile definition COUNTER_VERSION (a string literal,
// "1.0.0" by default): the test build also makes counter_v2.so, the same plugin
// (same name) as version 2.0.0, for hot-reload tests that copy it over counter.so.
#include <switchboard/plugin.hpp>

#ifndef COUNTER_VERSION
#define COUNTER_VERSION "1.0.0"
#endif

namespace sb = switchboard;

namespace {

class Counter {
public:
    explicit Counter(sb::Host host) : host_(host) {}

    sb::Action before(sb::Context& ctx, sb::Event& event) {
        host_.metric("calls_seen");
        ctx.set("counter.version", COUNTER_VERSION);
        event.set("CounterVersion", COUNTER_VERSION);
        return sb::Action::Continue;
    }

private:
    sb::Host host_;
};

}  // namespace

SWITCHBOARD_PLUGIN(Counter, "counter", COUNTER_VERSION,
                   "Test plugin: counts call status updates and stamps its version on them",
                   sb::Concurrency::Serial, SWITCHBOARD_HOOK(CallStatusUpdate, Before));
