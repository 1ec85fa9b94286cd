#include "http/WebhookHandler.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "http/JsonError.h"

namespace switchboard::http {
namespace {

// Looked up once: Logger::get takes a global lock and searches a map.
Poco::Logger& logger() {
    static Poco::Logger& instance = Poco::Logger::get("switchboard.http");
    return instance;
}

std::string nextRequestId() {
    // A counter under a per-process prefix: unique in the logs, and free of the lock and
    // entropy a UUID would cost on every request.
    static const std::string prefix = [] {
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        char buffer[24];
        std::snprintf(buffer, sizeof buffer, "%llx-",
                      static_cast<unsigned long long>(
                          std::chrono::duration_cast<std::chrono::seconds>(now).count()));
        return std::string(buffer);
    }();
    static std::atomic<std::uint64_t> counter{0};
    return prefix + std::to_string(counter.fetch_add(1, std::memory_order_relaxed) + 1);
}

std::int64_t nowMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Reads at most `limit` bytes; false when the body is longer (chunked bodies have no
// Content-Length to check up front). The buffer starts at the announced length, or a page,
// and grows by doubling: a 64 KiB limit must not cost 64 KiB per request.
bool readBounded(std::istream& in, std::size_t expected, std::size_t limit, std::string& body) {
    body.resize(std::min(expected > 0 ? expected + 1 : 4096, limit + 1));
    std::size_t filled = 0;
    while (in) {
        if (filled == body.size()) {
            if (body.size() > limit) break;
            body.resize(std::min(body.size() * 2, limit + 1));
        }
        in.read(body.data() + filled, static_cast<std::streamsize>(body.size() - filled));
        filled += static_cast<std::size_t>(in.gcount());
    }
    body.resize(filled);
    return filled <= limit;
}

}  // namespace

void sendResponse(Poco::Net::HTTPServerResponse& response, const Response& answer) {
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    if (!answer.contentType.empty()) response.setContentType(answer.contentType);
    response.sendBuffer(answer.body.data(), answer.body.size());
}

void WebhookHandler::handleRequest(Poco::Net::HTTPServerRequest& request,
                                   Poco::Net::HTTPServerResponse& response) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t receivedAtUs = nowMicros();
    const std::string requestId = nextRequestId();
    Delivery delivery;
    try {
        std::string body;
        const std::size_t announced =
            request.hasContentLength() ? static_cast<std::size_t>(request.getContentLength64()) : 0;
        if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_POST) {
            response.set("Allow", "POST");
            delivery.response = jsonError(405, "only POST is allowed here", "method");
        } else if (request.hasContentLength() &&
                   request.getContentLength64() >
                       static_cast<Poco::Int64>(settings_.maxBodyBytes)) {
            delivery.response = jsonError(413, "body larger than http.maxBodyBytes", "body");
        } else if (!readBounded(request.stream(), announced, settings_.maxBodyBytes, body)) {
            delivery.response = jsonError(413, "body larger than http.maxBodyBytes", "body");
        } else if (body.size() < announced) {
            // The client stopped sending (http.timeoutMs) or closed: never process a partial body.
            delivery.response = jsonError(400, "body shorter than its Content-Length", "body");
        } else {
            processor_.process(request, body, requestId, receivedAtUs, delivery);
        }
    } catch (const std::exception& error) {
        // Reached only through a bug or a broken connection: answer and keep serving.
        logger().error("request %s: %s", requestId, std::string(error.what()));
        delivery.response = jsonError(500, "internal error", {});
        delivery.context.reset();
    }
    // A body left unread would be taken for the next request on this connection.
    if (delivery.response.status == 413 || delivery.response.status == 405 ||
        delivery.response.status == 400) {
        response.setKeepAlive(false);
    }
    try {
        sendResponse(response, delivery.response);
    } catch (const Poco::Exception& error) {
        logger().warning("request %s: answer not delivered: %s", requestId, error.displayText());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.recordRequest(delivery.event, delivery.response.status, seconds);
    if (logger().information()) {
        logger().information(
            "request %s %s %s -> %d in %.2f ms", requestId,
            delivery.event ? std::string(twilio::eventName(*delivery.event)) : std::string("-"),
            request.getMethod(), delivery.response.status, seconds * 1000);
    }
    processor_.finish(delivery);
}

}  // namespace switchboard::http
