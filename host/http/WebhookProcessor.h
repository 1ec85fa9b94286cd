#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <string>
#include <string_view>

#include "admin/Metrics.h"
#include "config/HostSettings.h"
#include "http/Delivery.h"
#include "http/IdempotencyCache.h"
#include "http/PublicUrl.h"
#include "plugins/HookChain.h"
#include "plugins/PluginManager.h"
#include "twilio/SignatureValidator.h"

namespace switchboard::http {

/// What the host does with a webhook request once its body is read: decode, verify the
/// signature, classify, check the schema, run the `before` hooks and build the answer.
/// Stateless per request, so one instance serves every thread.
class WebhookProcessor {
public:
    WebhookProcessor(const config::HostSettings& settings, plugins::PluginManager& plugins,
                     admin::Metrics& metrics);

    /// Fills `delivery` with the answer and, for one of the three events, the state the
    /// `after` hooks need. Never throws for any input.
    void process(const Poco::Net::HTTPServerRequest& request, std::string_view body,
                 std::string_view requestId, std::int64_t receivedAtUs, Delivery& delivery) const;

    /// Runs the `after` hooks of a delivery whose answer was sent.
    void finish(Delivery& delivery) const;

private:
    enum class BodyKind { Form, Json, Unsupported };
    static BodyKind bodyKind(const std::string& contentType);

    /// Runs the `before` hooks and sets the answer.
    void answer(const Poco::Net::HTTPServerRequest& request, std::string_view requestId,
                std::int64_t receivedAtUs, Delivery& delivery) const;

    /// Answers 403 and counts it when the signature does not check out; true when it does.
    bool signatureHolds(const Poco::Net::HTTPServerRequest& request, std::string_view body,
                        BodyKind kind, const twilio::Parameters& fields, Delivery& delivery) const;

    const config::HostSettings& settings_;
    plugins::PluginManager& plugins_;
    admin::Metrics& metrics_;
    twilio::SignatureValidator validator_;
    mutable IdempotencyCache idempotency_;
    plugins::HookChain hooks_;
    PublicUrl publicUrl_;
};

}  // namespace switchboard::http
