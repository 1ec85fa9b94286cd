#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>

#include "http/WebhookProcessor.h"

namespace switchboard::http {

/// Sends requests for exactly the webhook path to the webhook handler and answers everything
/// else 404: no variant of the path (a trailing slash, a doubled or encoded slash) reaches a
/// hook.
class RequestRouter {
public:
    RequestRouter(const WebhookProcessor& processor, const config::HostSettings& settings,
                  admin::Metrics& metrics)
        : processor_(processor), settings_(settings), metrics_(metrics) {}

    /// A new handler for `request`; the caller owns it.
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request);

private:
    const WebhookProcessor& processor_;
    const config::HostSettings& settings_;
    admin::Metrics& metrics_;
};

}  // namespace switchboard::http
