// rewriter (test plugin): changes the event and the request context so that later
// plugins, and the `after` hooks, can be checked to see the changes.
//
// message.received, before: Body becomes its ASCII upper case, a field
// Rewritten=yes is appended, every ToZip field is removed, and the context value
// rewriter.original holds the Body as it arrived.
// message.statusUpdate, before: sets the context value rewriter.seen=yes.
#include <string>
#include <switchboard/plugin.hpp>

namespace sb = switchboard;

namespace {

class Rewriter {
public:
    explicit Rewriter(sb::Host) {}

    sb::Action before(sb::Context& ctx, sb::Event& event) {
        if (ctx.is(sb::EventType::MessageStatusUpdate)) {
            ctx.set("rewriter.seen", "yes");
            return sb::Action::Continue;
        }
        // Copied first: a write to the event may invalidate views read from it.
        if (const auto body = event.get("Body")) {
            const std::string original(*body);
            std::string upper = original;
            for (char& c : upper) {
                if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
            }
            event.set("Body", upper);
            ctx.set("rewriter.original", original);
        }
        event.add("Rewritten", "yes");
        event.remove("ToZip");
        return sb::Action::Continue;
    }
};

}  // namespace

SWITCHBOARD_PLUGIN(Rewriter, "rewriter", "1.0.0",
                   "Test plugin: upper-cases Body, adds Rewritten, removes ToZip",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(MessageReceived, Before),
                   SWITCHBOARD_HOOK(MessageStatusUpdate, Before));
