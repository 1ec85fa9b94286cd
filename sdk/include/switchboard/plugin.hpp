/*
 * Switchboard plugin SDK: a header-only C++17 layer over the C ABI of plugin.h.
 *
 * A plugin is one ordinary class plus one SWITCHBOARD_PLUGIN(...) line. The
 * macro writes everything the C ABI needs (the exported switchboard_plugin_entry,
 * a static descriptor, extern-"C"-compatible trampolines), so no C++ type and no
 * exception ever crosses the boundary. A complete plugin:
 *
 *   #include <switchboard/plugin.hpp>
 *
 *   #include <string>
 *
 *   namespace sb = switchboard;
 *
 *   class Greeter {
 *   public:
 *       // Runs in the host's init. Throwing refuses the plugin; the message
 *       // is shown in the host's log and admin API.
 *       explicit Greeter(sb::Host host)
 *           : host_(host), greeting_(host.config("greeting").value_or("Hello")) {}
 *
 *       // Registered by SWITCHBOARD_HOOK(MessageReceived, Before...) below.
 *       // Throwing fails the request (Twilio gets a 500 naming the plugin).
 *       sb::Action before(sb::Context& ctx, sb::Event& event) {
 *           if (event.get("Body") == "hi") ctx.reply(greeting_);
 *           return sb::Action::Continue;
 *       }
 *
 *       // Runs after Twilio has its answer; sees everything, changes nothing.
 *       void after(const sb::Context&, const sb::Event&, const sb::Response& response) {
 *           host_.metric(response.status() == 200 ? "answered" : "other");
 *       }
 *
 *   private:
 *       sb::Host host_;
 *       std::string greeting_;
 *   };
 *
 *   SWITCHBOARD_PLUGIN(Greeter, "greeter", "1.0.0", "Says hello back",
 *                      sb::Concurrency::Concurrent,
 *                      SWITCHBOARD_HOOK(MessageReceived, BeforeAndAfter),
 *                      SWITCHBOARD_HOOK(CallStatusUpdate, After));
 *
 * Build it with switchboard_add_plugin(greeter greeter.cpp) from
 * find_package(SwitchboardSDK), which also hides every symbol but the entry.
 *
 * Rules the layer enforces, mostly at compile time:
 *   - One member function per phase, whatever the event: `before` and/or
 *     `after` with exactly the signatures above (use Context::eventName() or
 *     Context::is() to tell events apart). A phase named in SWITCHBOARD_HOOK
 *     without the matching member, a member no hook uses, a repeated event or
 *     a malformed plugin name is a compile error.
 *   - An `after` hook gets const references, so it cannot call the mutating
 *     functions; Context and Event are not copyable, so that const cannot be
 *     dropped by copying (and so they are not kept past the call, where the
 *     host's handles dangle).
 *   - A mutation the host refuses throws switchboard::Error; any exception out
 *     of a hook or the constructor becomes the C failure result with the
 *     exception's message.
 *   - Serial plugins (Concurrency::Serial) are called one hook at a time by the
 *     host; Concurrent ones must synchronise their own mutable state.
 *
 * Lifetimes: string_views from Host::config* stay valid until the plugin object
 * is destroyed. Every other string_view from a Context, Event or Response is
 * valid only until the hook returns; treat any write to an Event or Context as
 * invalidating the views read from that same object before it (a write may move
 * the host's storage of other values too), and copy into std::string first.
 */
#ifndef SWITCHBOARD_PLUGIN_HPP
#define SWITCHBOARD_PLUGIN_HPP

#if !defined(__cplusplus) || __cplusplus < 201703L
#error "switchboard/plugin.hpp needs C++17 or later; C plugins use switchboard/plugin.h"
#endif

#include <switchboard/plugin.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace switchboard {

/// Thrown by the wrappers when the host refuses a request; a hook may throw it
/// (or anything else) to fail.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class LogLevel {
    Debug = SWITCHBOARD_LOG_DEBUG,
    Info = SWITCHBOARD_LOG_INFO,
    Warning = SWITCHBOARD_LOG_WARNING,
    Error = SWITCHBOARD_LOG_ERROR
};

/// What a `before` hook returns. Failing is not an Action: throw instead, so
/// that a failure always carries a message.
enum class Action {
    Continue,  ///< run the next hook, then answer as usual
    Stop       ///< answer now (with Context::respond's answer, if any)
};

enum class Concurrency {
    Serial,     ///< the host never runs two hooks of this plugin at once
    Concurrent  ///< hooks run on any thread at the same time
};

/// The events of the ABI. An enum rather than strings so that a misspelt event
/// in SWITCHBOARD_HOOK is a compile error instead of a hook the host ignores.
enum class EventType { CallStatusUpdate, MessageReceived, MessageStatusUpdate };

constexpr const char* eventTypeName(EventType type) noexcept {
    switch (type) {
        case EventType::CallStatusUpdate:
            return "call.statusUpdate";
        case EventType::MessageReceived:
            return "message.received";
        case EventType::MessageStatusUpdate:
            return "message.statusUpdate";
    }
    return "";
}

/// Which hooks a plugin has for one event.
enum class Phases : unsigned { Before = 1, After = 2, BeforeAndAfter = 3 };

struct HookSpec {
    EventType event;
    Phases phases;
};

/// One event field; supports `for (auto [key, value] : event)`.
struct Field {
    std::string_view key;
    std::string_view value;
};

namespace detail {

inline switchboard_str_t str(std::string_view s) noexcept { return {s.data(), s.size()}; }

inline std::string_view view(switchboard_str_t s) noexcept {
    // data may legitimately be NULL for an empty string.
    return s.size == 0 ? std::string_view() : std::string_view(s.data, s.size);
}

inline std::string quoted(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    out += s;
    out += '"';
    return out;
}

[[noreturn]] inline void refused(std::string what, switchboard_result_t result,
                                 std::string_view whenInvalid) {
    what += ": ";
    if (result == SWITCHBOARD_INVALID) {
        what += whenInvalid;
    } else {
        what +=
            "the host refused the call (result " + std::to_string(static_cast<int>(result)) + ")";
    }
    throw Error(what);
}

}  // namespace detail

/// The host as seen by one plugin generation: logging, configuration, metrics.
/// Cheap to copy; valid (and safe to call from any thread) until the plugin
/// object is destroyed.
class Host {
public:
    Host(const switchboard_host_api_t* api, const switchboard_plugin_handle_t* plugin,
         const char* name = "", switchboard_str_t configJson = {nullptr, 0}) noexcept
        : api_(api), plugin_(plugin), name_(name ? name : ""), configJson_(configJson) {}

    /// The plugin's name, as declared in SWITCHBOARD_PLUGIN.
    std::string_view name() const noexcept { return name_; }

    void log(LogLevel level, std::string_view message) const noexcept {
        api_->log(plugin_, static_cast<switchboard_log_level_t>(level), detail::str(message));
    }
    void debug(std::string_view message) const noexcept { log(LogLevel::Debug, message); }
    void info(std::string_view message) const noexcept { log(LogLevel::Info, message); }
    void warning(std::string_view message) const noexcept { log(LogLevel::Warning, message); }
    void error(std::string_view message) const noexcept { log(LogLevel::Error, message); }

    /// The configuration value `key` (host key "plugins.<name>.<key>").
    std::optional<std::string_view> config(std::string_view key) const {
        switchboard_str_t value{nullptr, 0};
        if (api_->config_get(plugin_, detail::str(key), &value) != SWITCHBOARD_OK) {
            return std::nullopt;
        }
        return detail::view(value);
    }

    /// Like config(key), but a missing key is an error naming the host key;
    /// meant for the constructor, where throwing refuses the plugin.
    std::string_view requireConfig(std::string_view key) const {
        if (auto value = config(key)) return *value;
        throw Error("missing required configuration value plugins." + std::string(name_) + "." +
                    std::string(key));
    }

    /// Every configuration value, in key order (keys without "plugins.<name>.").
    std::vector<std::pair<std::string_view, std::string_view>> configValues() const {
        return configValues({});
    }

    /// The values whose key starts with prefix, prefix removed from the key:
    /// configValues("rules.") turns "rules.HELP" into "HELP".
    std::vector<std::pair<std::string_view, std::string_view>> configValues(
        std::string_view prefix) const {
        std::vector<std::pair<std::string_view, std::string_view>> out;
        const std::size_t count = api_->config_count(plugin_);
        for (std::size_t i = 0; i < count; ++i) {
            switchboard_str_t key{nullptr, 0};
            switchboard_str_t value{nullptr, 0};
            if (api_->config_at(plugin_, i, &key, &value) != SWITCHBOARD_OK) continue;
            std::string_view k = detail::view(key);
            if (k.substr(0, prefix.size()) != prefix) continue;
            out.emplace_back(k.substr(prefix.size()), detail::view(value));
        }
        return out;
    }

    /// The whole configuration as the JSON object of strings init received.
    std::string_view configJson() const noexcept { return detail::view(configJson_); }

    /// Adds delta to the counter switchboard_plugin_metric_total{plugin,metric=name}.
    void metric(std::string_view name, std::uint64_t delta = 1) const noexcept {
        api_->metric_add(plugin_, detail::str(name), delta);
    }

    /// Escape hatches to the C ABI, for host functions this layer does not wrap.
    const switchboard_host_api_t* api() const noexcept { return api_; }
    const switchboard_plugin_handle_t* handle() const noexcept { return plugin_; }

private:
    const switchboard_host_api_t* api_;
    const switchboard_plugin_handle_t* plugin_;
    const char* name_;
    switchboard_str_t configJson_;
};

/// One request: ids, headers, the request's key/value store, and the answer.
/// Reads are const; writes are non-const and allowed in `before` hooks only
/// (an `after` hook gets a const Context, so they do not compile there).
class Context {
public:
    Context(const switchboard_host_api_t* api, switchboard_context_t* context) noexcept
        : api_(api), context_(context) {}
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    /// "call.statusUpdate", "message.received" or "message.statusUpdate".
    std::string_view eventName() const noexcept {
        return detail::view(api_->context_event_name(context_));
    }
    bool is(EventType type) const noexcept { return eventName() == eventTypeName(type); }

    std::string_view requestId() const noexcept {
        return detail::view(api_->context_request_id(context_));
    }
    /// Microseconds since the Unix epoch.
    std::int64_t receivedAtUs() const noexcept { return api_->context_received_at_us(context_); }
    /// Empty when the event has none.
    std::string_view accountSid() const noexcept {
        return detail::view(api_->context_account_sid(context_));
    }
    /// The same on every retry of one delivery; empty when absent.
    std::string_view idempotencyToken() const noexcept {
        return detail::view(api_->context_idempotency_token(context_));
    }

    /// A request header, case-insensitively; the first one when repeated.
    std::optional<std::string_view> header(std::string_view name) const {
        switchboard_str_t value{nullptr, 0};
        if (api_->context_header(context_, detail::str(name), &value) != SWITCHBOARD_OK) {
            return std::nullopt;
        }
        return detail::view(value);
    }

    /// A value of the request's key/value store (shared by all plugins' hooks;
    /// prefix keys with the plugin name).
    std::optional<std::string_view> get(std::string_view key) const {
        switchboard_str_t value{nullptr, 0};
        if (api_->context_get(context_, detail::str(key), &value) != SWITCHBOARD_OK) {
            return std::nullopt;
        }
        return detail::view(value);
    }

    void set(std::string_view key, std::string_view value) {
        const auto r = api_->context_set(context_, detail::str(key), detail::str(value));
        if (r != SWITCHBOARD_OK) {
            detail::refused("Context::set(" + detail::quoted(key) + ")", r,
                            "context_set is only allowed in a before hook");
        }
    }

    /// Adds a <Message> (with one <Media> per URL) to the TwiML answer of a
    /// message.received event.
    void reply(std::string_view text, const std::vector<std::string_view>& mediaUrls = {}) {
        std::vector<switchboard_str_t> media;
        media.reserve(mediaUrls.size());
        for (std::string_view url : mediaUrls) media.push_back(detail::str(url));
        const auto r = api_->reply_message(context_, detail::str(text),
                                           media.empty() ? nullptr : media.data(), media.size());
        if (r != SWITCHBOARD_OK) {
            detail::refused("Context::reply", r,
                            "reply_message is only allowed in a before hook of message.received "
                            "(this is " +
                                std::string(eventName()) + ")");
        }
    }

    /// Sets the exact answer sent when the hook returns Action::Stop; replaces
    /// the usual answer, replies included.
    void respond(unsigned status, std::string_view contentType, std::string_view body) {
        const auto r = api_->respond(context_, static_cast<std::uint32_t>(status),
                                     detail::str(contentType), detail::str(body));
        if (r != SWITCHBOARD_OK) {
            detail::refused("Context::respond(" + std::to_string(status) + ")", r,
                            "respond needs a status in 100-599 and is only allowed in a before "
                            "hook");
        }
    }

    const switchboard_host_api_t* api() const noexcept { return api_; }
    switchboard_context_t* handle() const noexcept { return context_; }

private:
    const switchboard_host_api_t* api_;
    switchboard_context_t* context_;
};

/// The event's fields: an ordered list of (key, value), repeated keys and empty
/// values included. Writes are allowed in `before` hooks only. A write may
/// shift indexes and invalidate earlier views: do not write while iterating.
class Event {
public:
    class const_iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Field;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = Field;

        const_iterator() noexcept = default;
        Field operator*() const { return event_->field(index_); }
        const_iterator& operator++() noexcept {
            ++index_;
            return *this;
        }
        const_iterator operator++(int) noexcept {
            const_iterator old = *this;
            ++index_;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) noexcept {
            return a.index_ == b.index_;
        }
        friend bool operator!=(const const_iterator& a, const const_iterator& b) noexcept {
            return !(a == b);
        }

    private:
        friend class Event;
        const_iterator(const Event* event, std::size_t index) noexcept
            : event_(event), index_(index) {}
        const Event* event_ = nullptr;
        std::size_t index_ = 0;
    };

    Event(const switchboard_host_api_t* api, switchboard_event_t* event) noexcept
        : api_(api), event_(event) {}
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;

    std::size_t size() const noexcept { return api_->event_field_count(event_); }
    bool empty() const noexcept { return size() == 0; }

    /// The field at index (0 .. size()-1), in arrival order.
    Field field(std::size_t index) const {
        switchboard_str_t key{nullptr, 0};
        switchboard_str_t value{nullptr, 0};
        if (api_->event_field_at(event_, index, &key, &value) != SWITCHBOARD_OK) {
            throw Error("Event::field: index " + std::to_string(index) + " out of range (size " +
                        std::to_string(size()) + ")");
        }
        return {detail::view(key), detail::view(value)};
    }

    const_iterator begin() const noexcept { return const_iterator(this, 0); }
    const_iterator end() const noexcept { return const_iterator(this, size()); }

    /// A copy of the list of fields (views, valid until the hook returns).
    std::vector<Field> fields() const {
        std::vector<Field> out;
        out.reserve(size());
        for (Field f : *this) out.push_back(f);
        return out;
    }

    /// The first field named key (case-sensitive, as Twilio's names are).
    std::optional<std::string_view> get(std::string_view key) const {
        switchboard_str_t value{nullptr, 0};
        if (api_->event_get(event_, detail::str(key), &value) != SWITCHBOARD_OK) {
            return std::nullopt;
        }
        return detail::view(value);
    }

    /// Gives the first field named key this value and removes later ones;
    /// appends the field when there is none.
    void set(std::string_view key, std::string_view value) {
        check(api_->event_set(event_, detail::str(key), detail::str(value)), "set", key);
    }

    /// Appends a field, even when one of that name exists.
    void add(std::string_view key, std::string_view value) {
        check(api_->event_add(event_, detail::str(key), detail::str(value)), "add", key);
    }

    /// Removes every field named key; false when there was none.
    bool remove(std::string_view key) {
        const auto r = api_->event_remove(event_, detail::str(key));
        if (r == SWITCHBOARD_NOT_FOUND) return false;
        check(r, "remove", key);
        return true;
    }

    const switchboard_host_api_t* api() const noexcept { return api_; }
    switchboard_event_t* handle() const noexcept { return event_; }

private:
    static void check(switchboard_result_t r, const char* what, std::string_view key) {
        if (r != SWITCHBOARD_OK) {
            detail::refused(std::string("Event::") + what + "(" + detail::quoted(key) + ")", r,
                            "event fields can only be changed in a before hook");
        }
    }

    const switchboard_host_api_t* api_;
    switchboard_event_t* event_;
};

/// The answer Twilio got, as `after` hooks see it.
class Response {
public:
    explicit Response(const switchboard_response_t* response) noexcept : response_(response) {}

    /// HTTP status: 200, 204, 400, 500, ...
    unsigned status() const noexcept { return response_->status; }
    /// e.g. "text/xml"; empty when the answer has no body.
    std::string_view contentType() const noexcept { return detail::view(response_->content_type); }
    std::string_view body() const noexcept { return detail::view(response_->body); }

    const switchboard_response_t* handle() const noexcept { return response_; }

private:
    // Every field read here exists since ABI 1.0; fields added later must be
    // read only after checking response_->struct_size.
    const switchboard_response_t* response_;
};

namespace detail {

// The plugin object plus the host table the hooks need: the C hooks receive
// only `state`, so the table travels with the object.
template <class P>
struct Instance {
    explicit Instance(const Host& host) : api(host.api()), plugin(host) {}
    const switchboard_host_api_t* api;
    P plugin;
};

template <class P, class = void>
struct HasBefore : std::false_type {};
template <class P>
struct HasBefore<P, std::void_t<decltype(std::declval<P&>().before(std::declval<Context&>(),
                                                                   std::declval<Event&>()))>>
    : std::is_same<decltype(std::declval<P&>().before(std::declval<Context&>(),
                                                      std::declval<Event&>())),
                   Action> {};

template <class P, class = void>
struct HasAfter : std::false_type {};
template <class P>
struct HasAfter<P, std::void_t<decltype(std::declval<P&>().after(
                       std::declval<const Context&>(), std::declval<const Event&>(),
                       std::declval<const Response&>()))>> : std::true_type {};

// Any member named `before`/`after`, whatever its signature: used to reject a
// hook that is defined but never registered.
template <class P, class = void>
struct NamesBefore : std::false_type {};
template <class P>
struct NamesBefore<P, std::void_t<decltype(&P::before)>> : std::true_type {};
template <class P, class = void>
struct NamesAfter : std::false_type {};
template <class P>
struct NamesAfter<P, std::void_t<decltype(&P::after)>> : std::true_type {};

inline void failRequest(const switchboard_host_api_t* api, const switchboard_context_t* context,
                        const char* message) noexcept {
    std::string_view m(message ? message : "");
    api->fail(context, str(m.empty() ? std::string_view("exception without a message") : m));
}

template <class P>
int init(const switchboard_host_api_t* api, const switchboard_plugin_handle_t* plugin,
         switchboard_str_t configJson, void** state) noexcept {
    if (api == nullptr || state == nullptr) return 1;
    *state = nullptr;
    if (api->abi_major != SWITCHBOARD_ABI_VERSION_MAJOR ||
        api->struct_size < sizeof(switchboard_host_api_t)) {
        // Layout of report_error is the same in every 1.x table; the check is
        // only a guard against a host that skipped its own version check.
        if (api->abi_major == SWITCHBOARD_ABI_VERSION_MAJOR) {
            api->report_error(plugin, str("host API table is older than the plugin's SDK"));
        }
        return 1;
    }
    const Host host(api, plugin, switchboard_plugin_entry()->name, configJson);
    try {
        *state = new Instance<P>(host);
        return 0;
    } catch (const std::exception& e) {
        api->report_error(plugin, str(e.what()));
    } catch (...) {
        api->report_error(plugin, str("unknown exception"));
    }
    return 1;
}

template <class P>
void destroy(void* state) noexcept {
    try {
        delete static_cast<Instance<P>*>(state);
    } catch (...) {
        // Nothing to report to: the host has already let go of this generation.
    }
}

template <class P>
switchboard_before_action_t before(void* state, switchboard_context_t* context,
                                   switchboard_event_t* event) noexcept {
    auto* instance = static_cast<Instance<P>*>(state);
    try {
        Context ctx(instance->api, context);
        Event ev(instance->api, event);
        switch (instance->plugin.before(ctx, ev)) {
            case Action::Continue:
                return SWITCHBOARD_CONTINUE;
            case Action::Stop:
                return SWITCHBOARD_STOP;
        }
        failRequest(instance->api, context, "before hook returned an invalid Action");
    } catch (const std::exception& e) {
        failRequest(instance->api, context, e.what());
    } catch (...) {
        failRequest(instance->api, context, "unknown exception");
    }
    return SWITCHBOARD_FAIL;
}

template <class P>
int after(void* state, const switchboard_context_t* context, const switchboard_event_t* event,
          const switchboard_response_t* response) noexcept {
    auto* instance = static_cast<Instance<P>*>(state);
    try {
        // The handles are stored non-const, but the hook only ever sees const
        // wrappers, so the non-const (mutating) members are unreachable.
        const Context ctx(instance->api, const_cast<switchboard_context_t*>(context));
        const Event ev(instance->api, const_cast<switchboard_event_t*>(event));
        const Response res(response);
        instance->plugin.after(ctx, ev, res);
        return 0;
    } catch (const std::exception& e) {
        failRequest(instance->api, context, e.what());
    } catch (...) {
        failRequest(instance->api, context, "unknown exception");
    }
    return 1;
}

constexpr bool hasPhase(Phases phases, Phases phase) noexcept {
    return (static_cast<unsigned>(phases) & static_cast<unsigned>(phase)) != 0;
}

template <class P, const auto& Specs, std::size_t I>
constexpr switchboard_hook_t makeHook() noexcept {
    constexpr HookSpec spec = Specs[I];
    switchboard_hook_t hook{eventTypeName(spec.event), nullptr, nullptr};
    if constexpr (hasPhase(spec.phases, Phases::Before)) {
        static_assert(HasBefore<P>::value,
                      "SWITCHBOARD_HOOK(..., Before...) needs a member "
                      "`switchboard::Action before(switchboard::Context&, switchboard::Event&)`");
        hook.before = &detail::before<P>;
    }
    if constexpr (hasPhase(spec.phases, Phases::After)) {
        static_assert(HasAfter<P>::value,
                      "SWITCHBOARD_HOOK(..., ...After) needs a member `void after(const "
                      "switchboard::Context&, const switchboard::Event&, const "
                      "switchboard::Response&)`");
        hook.after = &detail::after<P>;
    }
    return hook;
}

template <class P, const auto& Specs, std::size_t... I>
constexpr std::array<switchboard_hook_t, sizeof...(I)> makeHooks(
    std::index_sequence<I...>) noexcept {
    return {{makeHook<P, Specs, I>()...}};
}

template <class P, const auto& Specs>
inline constexpr std::array<switchboard_hook_t, std::size(Specs)> hookTable =
    makeHooks<P, Specs>(std::make_index_sequence<std::size(Specs)>{});

template <const auto& Specs>
constexpr bool anyPhase(Phases phase) noexcept {
    for (const HookSpec& spec : Specs) {
        if (hasPhase(spec.phases, phase)) return true;
    }
    return false;
}

template <const auto& Specs>
constexpr bool eventsUnique() noexcept {
    for (std::size_t i = 0; i < std::size(Specs); ++i) {
        for (std::size_t j = i + 1; j < std::size(Specs); ++j) {
            if (Specs[i].event == Specs[j].event) return false;
        }
    }
    return true;
}

template <const auto& Specs>
constexpr bool phasesValid() noexcept {
    for (const HookSpec& spec : Specs) {
        const unsigned p = static_cast<unsigned>(spec.phases);
        if (p == 0 || p > 3) return false;
    }
    return true;
}

// The host's rule for names: [a-z0-9_-]{1,64}.
constexpr bool validPluginName(const char* name) noexcept {
    std::size_t n = 0;
    for (; name[n] != '\0'; ++n) {
        const char c = name[n];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok || n >= 64) return false;
    }
    return n > 0;
}

template <class P, const auto& Specs>
constexpr bool checkPlugin() noexcept {
    static_assert(std::is_class_v<P> && !std::is_abstract_v<P>,
                  "SWITCHBOARD_PLUGIN needs a concrete class");
    static_assert(std::is_constructible_v<P, const Host&>,
                  "the plugin class needs a constructor taking switchboard::Host");
    static_assert(std::is_nothrow_destructible_v<P>,
                  "the plugin's destructor must not throw (it runs in the host's destroy)");
    static_assert(phasesValid<Specs>(), "use Phases::Before, After or BeforeAndAfter");
    static_assert(eventsUnique<Specs>(),
                  "an event appears in two SWITCHBOARD_HOOKs; combine them (BeforeAndAfter)");
    static_assert(!NamesBefore<P>::value || anyPhase<Specs>(Phases::Before),
                  "the plugin defines before() but no SWITCHBOARD_HOOK registers a Before phase");
    static_assert(!NamesAfter<P>::value || anyPhase<Specs>(Phases::After),
                  "the plugin defines after() but no SWITCHBOARD_HOOK registers an After phase");
    return true;
}

template <class P, const auto& Specs>
constexpr switchboard_plugin_descriptor_t makeDescriptor(const char* name, const char* version,
                                                         const char* description,
                                                         Concurrency concurrency) noexcept {
    return switchboard_plugin_descriptor_t{
        SWITCHBOARD_ABI_VERSION_MAJOR,
        SWITCHBOARD_ABI_VERSION_MINOR,
        static_cast<std::uint32_t>(sizeof(switchboard_plugin_descriptor_t)),
        name,
        version,
        description,
        concurrency == Concurrency::Concurrent ? SWITCHBOARD_PLUGIN_CONCURRENT : 0u,
        &detail::init<P>,
        &detail::destroy<P>,
        hookTable<P, Specs>.data(),
        hookTable<P, Specs>.size()};
}

}  // namespace detail
}  // namespace switchboard

/// One entry of SWITCHBOARD_PLUGIN's hook list:
///   event:  CallStatusUpdate, MessageReceived or MessageStatusUpdate;
///   phases: Before, After or BeforeAndAfter.
#define SWITCHBOARD_HOOK(event, phases) \
    ::switchboard::HookSpec { ::switchboard::EventType::event, ::switchboard::Phases::phases }

/// Defines the plugin: the exported switchboard_plugin_entry and its static
/// descriptor, for PluginClass. Use it once, in one .cpp file, at namespace
/// scope, followed by a semicolon. name, version and description must be
/// string literals (the descriptor keeps the pointers); concurrency is a
/// switchboard::Concurrency; then one SWITCHBOARD_HOOK per event.
#define SWITCHBOARD_PLUGIN(PluginClass, name, version, description, concurrency, ...)              \
    namespace switchboard_plugin_generated_ {                                                      \
    constexpr ::switchboard::HookSpec hookSpecs[] = {__VA_ARGS__};                                 \
    static_assert(sizeof(hookSpecs) > 0,                                                           \
                  "SWITCHBOARD_PLUGIN needs at least one SWITCHBOARD_HOOK");                       \
    static_assert(::switchboard::detail::validPluginName("" name ""),                              \
                  "SWITCHBOARD_PLUGIN: the name must match [a-z0-9_-]{1,64}");                     \
    static_assert(sizeof("" version "") > 1, "SWITCHBOARD_PLUGIN: the version is empty");          \
    static_assert(::switchboard::detail::checkPlugin<PluginClass, hookSpecs>());                   \
    constexpr switchboard_plugin_descriptor_t descriptor =                                         \
        ::switchboard::detail::makeDescriptor<PluginClass, hookSpecs>(                             \
            "" name "", "" version "", "" description "", concurrency);                            \
    }                                                                                              \
    extern "C" SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry( \
        void) {                                                                                    \
        return &switchboard_plugin_generated_::descriptor;                                         \
    }                                                                                              \
    static_assert(true, "")

#endif  // SWITCHBOARD_PLUGIN_HPP
