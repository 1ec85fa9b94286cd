// auto_reply: answers an incoming message whose whole body is a keyword.
//
// Config (host keys plugins.auto_reply.*):
//   rules.<KEYWORD> = <reply text>   one per keyword
//   media.<KEYWORD> = <media URL>    optional, attached to that keyword's reply
//
// The body matches when, trimmed of surrounding whitespace, it equals a keyword
// ignoring ASCII case ("help", " HELP\n" and "Help" all match rules.HELP). A
// match adds the reply (the host renders it as TwiML <Message>), records the
// keyword in the context as auto_reply.keyword and continues, so later plugins
// still run; anything else passes silently.
//
// The rules are read once, in the constructor, and never change afterwards,
// hence Concurrency::Concurrent without a lock.
#include <optional>
#include <string>
#include <string_view>
#include <switchboard/plugin.hpp>
#include <unordered_map>
#include <vector>

namespace sb = switchboard;

namespace {

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    return s;
}

// ASCII only: keywords are commands like STOP or HELP, and folding other
// scripts' case correctly would need locale tables for little gain.
std::string lowerAscii(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

class AutoReply {
public:
    explicit AutoReply(sb::Host host) : host_(host) {
        for (auto [keyword, text] : host.configValues("rules.")) {
            const std::string key = normalizedKeyword(keyword, "rules.");
            if (!rules_.emplace(key, Rule{std::string(text), std::nullopt}).second) {
                throw sb::Error("rules." + std::string(keyword) + " repeats keyword '" + key +
                                "' (keywords ignore case)");
            }
        }
        for (auto [keyword, url] : host.configValues("media.")) {
            const std::string key = normalizedKeyword(keyword, "media.");
            auto rule = rules_.find(key);
            if (rule == rules_.end()) {
                throw sb::Error("media." + std::string(keyword) + " has no matching rules." +
                                std::string(keyword));
            }
            if (trim(url).empty()) throw sb::Error("media." + std::string(keyword) + " is empty");
            rule->second.media = std::string(trim(url));
        }
        for (auto [key, value] : host.configValues()) {
            (void)value;
            if (key.rfind("rules.", 0) != 0 && key.rfind("media.", 0) != 0 && key != "enabled") {
                host.warning("ignoring unknown configuration key '" + std::string(key) + "'");
            }
        }
        if (rules_.empty()) {
            host.warning("no rules configured (plugins." + std::string(host.name()) +
                         ".rules.<KEYWORD> = <reply>); no message will be answered");
        } else {
            host.info("loaded " + std::to_string(rules_.size()) + " keyword rule(s)");
        }
    }

    sb::Action before(sb::Context& ctx, sb::Event& event) {
        const auto body = event.get("Body");
        if (!body) return sb::Action::Continue;
        const std::string_view trimmed = trim(*body);
        if (trimmed.empty()) return sb::Action::Continue;
        const auto rule = rules_.find(lowerAscii(trimmed));
        if (rule == rules_.end()) return sb::Action::Continue;

        if (rule->second.media) {
            ctx.reply(rule->second.text, {*rule->second.media});
        } else {
            ctx.reply(rule->second.text);
        }
        ctx.set("auto_reply.keyword", rule->first);
        host_.metric("replies");
        return sb::Action::Continue;
    }

private:
    struct Rule {
        std::string text;
        std::optional<std::string> media;
    };

    static std::string normalizedKeyword(std::string_view keyword, std::string_view prefix) {
        const std::string_view k = trim(keyword);
        if (k.empty()) throw sb::Error(std::string(prefix) + " needs a keyword after the dot");
        return lowerAscii(k);
    }

    sb::Host host_;
    // Lower-cased keyword -> reply.
    std::unordered_map<std::string, Rule> rules_;
};

}  // namespace

SWITCHBOARD_PLUGIN(AutoReply, "auto_reply", "1.0.0",
                   "Replies to incoming messages whose body is a configured keyword",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(MessageReceived, Before));
