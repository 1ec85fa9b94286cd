#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <memory>

#include "admin/Metrics.h"
#include "config/HostSettings.h"
#include "http/WebhookServer.h"
#include "plugins/PluginManager.h"

namespace switchboard::admin {

/// The operator's listener (admin.address:admin.port, off with admin.enabled=false): health and
/// readiness, the plugin list, reload, and Prometheus metrics. Kept apart from the webhook
/// listener so it can stay on loopback while the webhook faces the internet.
class AdminServer {
public:
    AdminServer(const config::HostSettings& settings, plugins::PluginManager& plugins,
                Metrics& metrics, const http::WebhookServer& webhook);
    ~AdminServer();

    bool enabled() const { return server_ != nullptr; }
    void start();
    void stop();
    unsigned short port() const;

private:
    std::unique_ptr<Poco::ThreadPool> pool_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace switchboard::admin
