#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "admin/Metrics.h"
#include "http/WebhookServer.h"
#include "plugins/PluginManager.h"

namespace switchboard::admin {

/// Routes the admin endpoints: GET /healthz, GET /readyz, GET /admin/plugins,
/// POST /admin/reload, GET /metrics.
class AdminRouter : public Poco::Net::HTTPRequestHandlerFactory {
public:
    AdminRouter(plugins::PluginManager& plugins, Metrics& metrics,
                const http::WebhookServer& webhook)
        : plugins_(plugins), metrics_(metrics), webhook_(webhook) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

private:
    plugins::PluginManager& plugins_;
    Metrics& metrics_;
    const http::WebhookServer& webhook_;
};

}  // namespace switchboard::admin
