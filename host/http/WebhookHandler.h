#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "http/WebhookProcessor.h"

namespace switchboard::http {

/// The Poco handler of the webhook path: enforces the method and body limits, reads the
/// body, hands it to the processor, sends the answer, then runs the `after` hooks.
class WebhookHandler : public Poco::Net::HTTPRequestHandler {
public:
    WebhookHandler(const WebhookProcessor& processor, const config::HostSettings& settings,
                   admin::Metrics& metrics)
        : processor_(processor), settings_(settings), metrics_(metrics) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override;

private:
    const WebhookProcessor& processor_;
    const config::HostSettings& settings_;
    admin::Metrics& metrics_;
};

/// Sends `answer` as it is; an empty content type sends no body headers beyond the length.
void sendResponse(Poco::Net::HTTPServerResponse& response, const Response& answer);

}  // namespace switchboard::http
