// hello_cpp: the C++ twin of samples/hello-c. On message.received, when the body
// is "hello" (any case, surrounding blanks ignored) it adds the reply
// "Hello from C++, <From>!"; after the answer went out, it counts it.
#include <string>
#include <string_view>
#include <switchboard/plugin.hpp>

namespace sb = switchboard;

namespace {

bool isHello(std::string_view body) {
    const auto first = body.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return false;
    body = body.substr(first, body.find_last_not_of(" \t\r\n") - first + 1);
    if (body.size() != 5) return false;
    for (std::size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        if (lower != "hello"[i]) return false;
    }
    return true;
}

class Hello {
public:
    // No configuration; a constructor that threw would refuse the plugin.
    explicit Hello(sb::Host host) : host_(host) { host_.info("hello_cpp ready"); }

    sb::Action before(sb::Context& ctx, sb::Event& event) {
        const auto body = event.get("Body");
        if (!body || !isHello(*body)) return sb::Action::Continue;
        const std::string_view from = event.get("From").value_or("there");
        ctx.reply("Hello from C++, " + std::string(from) + "!");  // throws if refused
        host_.debug("said hello");
        return sb::Action::Continue;
    }

    // Sees the answer Twilio got; cannot change anything (all const).
    void after(const sb::Context&, const sb::Event&, const sb::Response& response) {
        if (response.status() == 200) host_.metric("messages_answered");
    }

private:
    sb::Host host_;  // cheap to copy, valid for the plugin's lifetime
};

}  // namespace

SWITCHBOARD_PLUGIN(Hello, "hello_cpp", "1.0.0", "Answers \"hello\" with a greeting (C++ sample)",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(MessageReceived, BeforeAndAfter));
