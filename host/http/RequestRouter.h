#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "http/WebhookProcessor.h"

namespace switchboard::http {

/// Sends requests for exactly the webhook path to the webhook handler and answers everything
/// else 404: no variant of the path (a trailing slash, a doubled or encoded slash) reaches a
/// hook.
class RequestRouter : public Poco::Net::HTTPRequestHandlerFactory {
public:
    RequestRouter(const WebhookProcessor& processor, const config::HostSettings& settings,
                  admin::Metrics& metrics)
        : processor_(processor), settings_(settings), metrics_(metrics) {}

    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest& request) override;

    /// Tells the connections being served to end after their current request, or at once.
    void stopConnections(bool abortCurrent) { serverStopped(this, abortCurrent); }
    /// Where connections subscribe to that (the event is protected in Poco's base class).
    Poco::BasicEvent<const bool>& connectionsStopping() { return serverStopped; }

private:
    const WebhookProcessor& processor_;
    const config::HostSettings& settings_;
    admin::Metrics& metrics_;
};

}  // namespace switchboard::http
