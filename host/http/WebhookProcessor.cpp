#include "http/WebhookProcessor.h"

#include <Poco/Logger.h>
#include <Poco/String.h>

#include "http/JsonError.h"
#include "plugins/HookChain.h"
#include "twilio/DecodeError.h"
#include "twilio/EventSchema.h"
#include "twilio/FormDecoder.h"
#include "twilio/JsonDecoder.h"
#include "twilio/TwimlRenderer.h"

namespace switchboard::http {
namespace {

// Looked up once: Logger::get takes a global lock and searches a map.
Poco::Logger& logger() {
    static Poco::Logger& instance = Poco::Logger::get("switchboard.webhook");
    return instance;
}

// The usual answer of an event: TwiML for an incoming message, 204 for status updates.
Response defaultAnswer(twilio::EventType event, const std::vector<twilio::ReplyMessage>& replies) {
    if (event == twilio::EventType::MessageReceived) {
        return {200, "text/xml", twilio::renderTwiml(replies)};
    }
    return {204, {}, {}};
}

}  // namespace

WebhookProcessor::WebhookProcessor(const config::HostSettings& settings,
                                   plugins::PluginManager& plugins, admin::Metrics& metrics)
    : settings_(settings),
      plugins_(plugins),
      metrics_(metrics),
      validator_(settings.authToken),
      idempotency_(std::chrono::seconds(settings.idempotencyTtlSeconds),
                   settings.idempotencyMaxEntries, std::chrono::milliseconds(settings.timeoutMs)),
      hooks_(std::chrono::milliseconds(settings.hookTimeoutMs)),
      publicUrl_(settings.publicUrl, settings.trustForwardedHeaders) {}

WebhookProcessor::BodyKind WebhookProcessor::bodyKind(const std::string& contentType) {
    const std::string mediaType =
        Poco::toLower(Poco::trim(contentType.substr(0, contentType.find(';'))));
    if (mediaType == "application/x-www-form-urlencoded") return BodyKind::Form;
    if (mediaType == "application/json") return BodyKind::Json;
    return BodyKind::Unsupported;
}

bool WebhookProcessor::signatureHolds(const Poco::Net::HTTPServerRequest& request,
                                      std::string_view body, BodyKind kind,
                                      const twilio::Parameters& fields, Delivery& delivery) const {
    if (!settings_.validateSignatures) {
        logger().warning("signature NOT checked (twilio.validateSignatures=false)");
        return true;
    }
    const std::string url = publicUrl_.of(request);
    twilio::SignedContent content{url, nullptr, std::nullopt};
    if (kind == BodyKind::Form) {
        content.formParameters = &fields;
    } else {
        content.rawBody = body;
    }
    const twilio::SignatureVerdict verdict =
        validator_.validate(content, request.get("X-Twilio-Signature", ""));
    if (verdict.valid) return true;
    metrics_.countSignatureFailure();
    logger().warning(
        "signature refused for %s: %s (run `switchboard verify` with this URL and body to see "
        "every string tried)",
        url, verdict.failure);
    delivery.response = jsonError(403, "invalid Twilio signature", "X-Twilio-Signature");
    return false;
}

void WebhookProcessor::process(const Poco::Net::HTTPServerRequest& request, std::string_view body,
                               std::string_view requestId, std::int64_t receivedAtUs,
                               Delivery& delivery) const {
    const BodyKind kind = bodyKind(request.getContentType());
    if (kind == BodyKind::Unsupported) {
        delivery.response = jsonError(
            415, "expected application/x-www-form-urlencoded or application/json", "Content-Type");
        return;
    }
    if (settings_.validateSignatures && !request.has("X-Twilio-Signature")) {
        metrics_.countSignatureFailure();
        logger().warning("request %s from %s: no X-Twilio-Signature header; answered 403",
                         std::string(requestId), request.clientAddress().host().toString());
        delivery.response = jsonError(403, "missing Twilio signature", "X-Twilio-Signature");
        return;
    }
    try {
        delivery.fields =
            kind == BodyKind::Form ? twilio::decodeForm(body) : twilio::decodeJson(body);
    } catch (const twilio::DecodeError& error) {
        delivery.response = jsonError(400, error.what(), error.field());
        return;
    }
    if (!signatureHolds(request, body, kind, delivery.fields, delivery)) return;

    delivery.event = twilio::classify(delivery.fields);
    if (!delivery.event) {
        metrics_.countUnhandled();
        logger().information("request %s: signed payload is none of the three events; answered 204",
                             std::string(requestId));
        delivery.response = {204, {}, {}};
        return;
    }
    if (const auto violation = twilio::checkSchema(*delivery.event, delivery.fields)) {
        delivery.response = jsonError(400, violation->message, violation->field);
        return;
    }

    // Only a validly signed, well-formed event may claim a token, so nobody without the auth
    // token can poison the cache.
    static const std::string kNoToken;
    const std::string& token = request.get("I-Twilio-Idempotency-Token", kNoToken);
    if (token.empty() || settings_.idempotencyMaxEntries == 0) {
        answer(request, requestId, receivedAtUs, delivery);
        return;
    }
    IdempotencyCache::Claim claim = idempotency_.claim(token);
    if (claim.replay) {
        if (claim.replayed) {
            metrics_.countReplay();
            logger().information("request %s: redelivery of %s answered from the first delivery",
                                 std::string(requestId), token);
        } else {
            logger().warning("request %s: duplicate of %s still in flight; answered 503",
                             std::string(requestId), token);
        }
        delivery.response = std::move(*claim.replay);
        return;
    }
    IdempotencyTicket ticket(idempotency_, std::move(claim.owned));
    answer(request, requestId, receivedAtUs, delivery);
    ticket.finish(delivery.response);
}

void WebhookProcessor::answer(const Poco::Net::HTTPServerRequest& request,
                              std::string_view requestId, std::int64_t receivedAtUs,
                              Delivery& delivery) const {
    delivery.plugins = plugins_.current();
    plugins::HookContext& context = delivery.context.emplace();
    context.event = *delivery.event;
    context.requestId = requestId;
    context.receivedAtUs = receivedAtUs;
    context.accountSid = *twilio::findParameter(delivery.fields, "AccountSid");
    static const std::string kNoToken;
    context.idempotencyToken = request.get("I-Twilio-Idempotency-Token", kNoToken);
    context.headers = &request;
    context.fields = &delivery.fields;

    const plugins::BeforeOutcome outcome = hooks_.runBefore(*delivery.plugins, context);
    switch (outcome.kind) {
        case plugins::BeforeOutcome::Kind::Failed:
            logger().error("request %s: plugin %s failed its before hook: %s",
                           std::string(requestId), outcome.plugin, outcome.message);
            delivery.response =
                jsonError(500, "plugin " + outcome.plugin + " failed: " + outcome.message, {});
            return;
        case plugins::BeforeOutcome::Kind::Stopped:
            if (context.customAnswer) {
                delivery.response = *context.customAnswer;
                return;
            }
            break;
        case plugins::BeforeOutcome::Kind::Completed:
            break;
    }
    delivery.response = defaultAnswer(*delivery.event, context.replies);
}

void WebhookProcessor::finish(Delivery& delivery) const {
    if (!delivery.context || !delivery.plugins) return;
    hooks_.runAfter(*delivery.plugins, *delivery.context, delivery.response);
}

}  // namespace switchboard::http
