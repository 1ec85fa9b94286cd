#include "http/RequestRouter.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "http/JsonError.h"
#include "http/WebhookHandler.h"

namespace switchboard::http {
namespace {

class NotFoundHandler : public Poco::Net::HTTPRequestHandler {
public:
    explicit NotFoundHandler(admin::Metrics& metrics) : metrics_(metrics) {}

    void handleRequest(Poco::Net::HTTPServerRequest&,
                       Poco::Net::HTTPServerResponse& response) override {
        sendResponse(response, jsonError(404, "no webhook here", "path"));
        metrics_.recordRequest(std::nullopt, 404, 0);
    }

private:
    admin::Metrics& metrics_;
};

}  // namespace

Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(
    const Poco::Net::HTTPServerRequest& request) {
    const std::string& target = request.getURI();
    const std::string_view path = std::string_view(target).substr(0, target.find('?'));
    if (path == settings_.webhookPath) return new WebhookHandler(processor_, settings_, metrics_);
    return new NotFoundHandler(metrics_);
}

}  // namespace switchboard::http
