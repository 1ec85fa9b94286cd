#include "admin/AdminRouter.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Timestamp.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <sstream>

#include "admin/PrometheusText.h"
#include "http/JsonError.h"
#include "http/WebhookHandler.h"

namespace switchboard::admin {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void writeString(JsonWriter& writer, const std::string& text) {
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

std::string isoTime(std::chrono::system_clock::time_point time) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()).count();
    return Poco::DateTimeFormatter::format(Poco::Timestamp(micros),
                                           Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

void writeFailure(JsonWriter& writer, const plugins::LoadFailure& failure) {
    writer.StartObject();
    writer.Key("file");
    writeString(writer, failure.file.string());
    writer.Key("sha256");
    writeString(writer, failure.sha256);
    writer.Key("reason");
    writeString(writer, failure.reason);
    writer.Key("at");
    writeString(writer, isoTime(failure.at));
    writer.EndObject();
}

http::Response json(int status, const rapidjson::StringBuffer& buffer) {
    return {status, "application/json", std::string(buffer.GetString(), buffer.GetSize())};
}

http::Response pluginList(const plugins::PluginManager& manager) {
    const auto current = manager.current();
    const auto failures = manager.failures();
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartArray();
    for (const auto& plugin : current->plugins()) {
        const plugins::PluginOrigin& origin = plugin->origin();
        writer.StartObject();
        writer.Key("name");
        writeString(writer, plugin->name());
        writer.Key("version");
        writeString(writer, plugin->version());
        writer.Key("description");
        writeString(writer, plugin->description());
        writer.Key("file");
        writeString(writer, origin.file.string());
        writer.Key("sha256");
        writeString(writer, origin.sha256);
        writer.Key("generation");
        writer.Uint(origin.generation);
        writer.Key("loadedAt");
        writeString(writer, isoTime(plugin->loadedAt()));
        writer.Key("concurrent");
        writer.Bool(plugin->concurrent());
        writer.Key("hooks");
        writer.StartArray();
        for (const std::string& hook : plugin->hookNames()) writeString(writer, hook);
        writer.EndArray();
        writer.Key("calls");
        writer.Uint64(plugin->calls());
        writer.Key("errors");
        writer.Uint64(plugin->errors());
        writer.Key("lastError");
        const std::string lastError = plugin->lastError();
        if (lastError.empty()) {
            writer.Null();
        } else {
            writeString(writer, lastError);
        }
        writer.Key("lastFailedLoad");
        const auto failed = std::find_if(failures.begin(), failures.end(),
                                         [&](const auto& f) { return f.file == origin.file; });
        if (failed == failures.end()) {
            writer.Null();
        } else {
            writeFailure(writer, *failed);
        }
        writer.EndObject();
    }
    // Files that failed and have no generation serving still belong in the operator's view.
    for (const auto& failure : failures) {
        const bool serving =
            std::any_of(current->plugins().begin(), current->plugins().end(),
                        [&](const auto& p) { return p->origin().file == failure.file; });
        if (serving) continue;
        writer.StartObject();
        writer.Key("name");
        writer.Null();
        writer.Key("file");
        writeString(writer, failure.file.string());
        writer.Key("lastFailedLoad");
        writeFailure(writer, failure);
        writer.EndObject();
    }
    writer.EndArray();
    return json(200, buffer);
}

http::Response reload(plugins::PluginManager& manager) {
    const plugins::ReloadReport report = manager.reload(/*retryFailed=*/true);
    rapidjson::StringBuffer buffer;
    JsonWriter writer(buffer);
    writer.StartObject();
    writer.Key("loaded");
    writer.StartArray();
    for (const auto& line : report.loaded) writeString(writer, line);
    writer.EndArray();
    writer.Key("unloaded");
    writer.StartArray();
    for (const auto& name : report.unloaded) writeString(writer, name);
    writer.EndArray();
    writer.Key("failed");
    writer.StartArray();
    for (const auto& failure : report.failed) writeFailure(writer, failure);
    writer.EndArray();
    // Files refused now, whether this reload or an earlier one first refused them.
    const auto failing = manager.failures();
    writer.Key("failing");
    writer.StartArray();
    for (const auto& failure : failing) writeFailure(writer, failure);
    writer.EndArray();
    writer.Key("plugins");
    writer.Uint64(manager.current()->plugins().size());
    writer.EndObject();
    return json(failing.empty() ? 200 : 422, buffer);
}

bool hooksEvent(const plugins::LoadedPlugin& plugin, twilio::EventType event) {
    return plugin.hooks(event).before || plugin.hooks(event).after;
}

// Hook calls, errors and latency by plugin and event, for the generations serving now.
void writeHookStats(std::ostream& out, const plugins::PluginSet& current) {
    struct Family {
        const char* name;
        const char* help;
        std::uint64_t (*read)(const plugins::HookStats&);
    };
    for (const Family& family :
         {Family{"switchboard_hook_calls_total", "Hook calls, by plugin and event.",
                 [](const plugins::HookStats& stats) { return stats.latency.count(); }},
          Family{"switchboard_hook_errors_total", "Failed hook calls, by plugin and event.",
                 [](const plugins::HookStats& stats) { return stats.errors.load(); }},
          Family{"switchboard_hook_slow_calls_total",
                 "Hook calls slower than plugins.hookTimeoutMs, by plugin and event.",
                 [](const plugins::HookStats& stats) { return stats.slow.load(); }}}) {
        out << "# HELP " << family.name << ' ' << family.help << "\n# TYPE " << family.name
            << " counter\n";
        for (const auto& plugin : current.plugins()) {
            for (twilio::EventType event : twilio::kAllEventTypes) {
                if (!hooksEvent(*plugin, event)) continue;
                out << family.name << "{plugin=\"" << plugin->name() << "\",event=\""
                    << twilio::eventName(event) << "\"} " << family.read(plugin->stats(event))
                    << '\n';
            }
        }
    }
    out << "# HELP switchboard_hook_duration_seconds Hook call latency, by plugin and event.\n"
           "# TYPE switchboard_hook_duration_seconds histogram\n";
    for (const auto& plugin : current.plugins()) {
        for (twilio::EventType event : twilio::kAllEventTypes) {
            if (!hooksEvent(*plugin, event)) continue;
            plugin->stats(event).latency.write(out, "switchboard_hook_duration_seconds",
                                               "plugin=\"" + plugin->name() + "\",event=\"" +
                                                   std::string(twilio::eventName(event)) + "\",");
        }
    }
}

http::Response metricsText(const plugins::PluginManager& manager, const Metrics& metrics,
                           const http::WebhookServer& webhook) {
    std::ostringstream out;
    metrics.write(out);
    const auto current = manager.current();
    writeHookStats(out, *current);
    out << "# HELP switchboard_plugin_metric_total Counters plugins keep through metric_add.\n"
           "# TYPE switchboard_plugin_metric_total counter\n";
    for (const auto& plugin : current->plugins()) {
        for (const auto& [name, value] : plugin->metrics()) {
            out << "switchboard_plugin_metric_total{plugin=\"" << plugin->name() << "\",metric=\""
                << name << "\"} " << value << '\n';
        }
    }
    writeGauge(out, "switchboard_plugins_loaded", "Plugins serving now.",
               current->plugins().size());
    writeCounter(out, "switchboard_plugin_scans_total", "Scans of the plugin directory.",
                 manager.scanCount());
    writeCounter(out, "switchboard_plugin_reloads_total",
                 "Scans that changed the set of plugins serving.", manager.reloadCount());
    writeCounter(out, "switchboard_plugin_load_failures_total", "Plugin files refused.",
                 manager.failedLoadCount());
    const http::GateCounters& gate = webhook.gateCounters();
    writeCounter(out, "switchboard_refused_connections_total",
                 "Connections closed because the worker queue or the pending set was full.",
                 gate.refused.load() + gate.overflowed.load());
    writeCounter(out, "switchboard_header_timeouts_total",
                 "Connections answered 408: headers not complete within http.headerTimeoutMs.",
                 gate.timedOut.load());
    writeCounter(out, "switchboard_oversized_headers_total",
                 "Connections answered 431 or 414: headers or request line over the limits.",
                 gate.headersTooLarge.load() + gate.requestLineTooLong.load());
    writeGauge(out, "switchboard_pending_connections",
               "Connections waiting in the gate for a request's complete headers (new, or kept "
               "alive between requests).",
               gate.pending.load());
    writeGauge(out, "switchboard_busy_workers",
               "Worker threads serving requests (or just woken to).", webhook.busyWorkers());
    writeGauge(out, "switchboard_queued_requests",
               "Requests with complete headers waiting for a worker thread.",
               webhook.queuedRequests());
    return {200, "text/plain; version=0.0.4", out.str()};
}

class AdminHandler : public Poco::Net::HTTPRequestHandler {
public:
    AdminHandler(std::string method, std::function<http::Response()> produce)
        : method_(std::move(method)), produce_(std::move(produce)) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        http::Response answer;
        if (request.getMethod() != method_) {
            response.set("Allow", method_);
            answer = http::jsonError(405, "use " + method_ + " here", "method");
        } else {
            try {
                answer = produce_();
            } catch (const std::exception& error) {
                answer = http::jsonError(503, error.what());
            }
        }
        http::sendResponse(response, answer);
    }

private:
    std::string method_;
    std::function<http::Response()> produce_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* AdminRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
    const std::string& target = request.getURI();
    const std::string path = target.substr(0, target.find('?'));
    if (path == "/healthz") {
        return new AdminHandler("GET", [] {
            return http::Response{200, "application/json", R"({"status":"ok"})"};
        });
    }
    if (path == "/readyz") {
        return new AdminHandler("GET", [this] {
            // Ready once the first scan ran: the webhook listener is bound before this one.
            if (plugins_.scanCount() == 0) {
                return http::jsonError(503, "plugins not loaded yet");
            }
            return http::Response{200, "application/json", R"({"status":"ready"})"};
        });
    }
    if (path == "/admin/plugins") {
        return new AdminHandler("GET", [this] { return pluginList(plugins_); });
    }
    if (path == "/admin/reload") {
        return new AdminHandler("POST", [this] { return reload(plugins_); });
    }
    if (path == "/metrics") {
        return new AdminHandler("GET",
                                [this] { return metricsText(plugins_, metrics_, webhook_); });
    }
    return new AdminHandler(request.getMethod(),
                            [] { return http::jsonError(404, "no such endpoint", "path"); });
}

}  // namespace switchboard::admin
