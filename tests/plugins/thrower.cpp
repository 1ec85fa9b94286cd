// thrower (test plugin): message.statusUpdate, before: throws
// std::runtime_error("thrower: boom") when the field Throw is "yes", which the SDK
// turns into a failed hook (Twilio gets a 500 naming the plugin).
#include <stdexcept>
#include <switchboard/plugin.hpp>

namespace sb = switchboard;

namespace {

class Thrower {
public:
    explicit Thrower(sb::Host) {}

    sb::Action before(sb::Context&, sb::Event& event) {
        if (event.get("Throw") == "yes") throw std::runtime_error("thrower: boom");
        return sb::Action::Continue;
    }
};

}  // namespace

SWITCHBOARD_PLUGIN(Thrower, "thrower", "1.0.0", "Test plugin: throws from a before hook on demand",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(MessageStatusUpdate, Before));
