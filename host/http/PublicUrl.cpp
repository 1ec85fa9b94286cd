#include "http/PublicUrl.h"

namespace switchboard::http {
namespace {

std::string firstListItem(const std::string& value) {
    // X-Forwarded-* may carry one entry per proxy: the first is what the client used.
    const auto comma = value.find(',');
    std::string item = value.substr(0, comma);
    const auto begin = item.find_first_not_of(' ');
    const auto end = item.find_last_not_of(' ');
    return begin == std::string::npos ? std::string{} : item.substr(begin, end - begin + 1);
}

}  // namespace

PublicUrl::PublicUrl(std::string configured, bool trustForwardedHeaders)
    : trustForwardedHeaders_(trustForwardedHeaders) {
    // Twilio never sends the connection-override fragment (#rc=...), so it is never signed.
    configured = configured.substr(0, configured.find('#'));
    const auto query = configured.find('?');
    configuredWithoutQuery_ = configured.substr(0, query);
    if (query != std::string::npos) configuredQuery_ = configured.substr(query);
}

std::string PublicUrl::of(const Poco::Net::HTTPServerRequest& request) const {
    const std::string& target = request.getURI();
    if (!configuredWithoutQuery_.empty()) {
        const auto query = target.find('?');
        return configuredWithoutQuery_ +
               (query != std::string::npos ? target.substr(query) : configuredQuery_);
    }
    std::string scheme = "http";
    std::string host = request.get("Host", "");
    if (trustForwardedHeaders_) {
        if (const std::string proto = firstListItem(request.get("X-Forwarded-Proto", ""));
            !proto.empty()) {
            scheme = proto;
        }
        if (const std::string forwardedHost = firstListItem(request.get("X-Forwarded-Host", ""));
            !forwardedHost.empty()) {
            host = forwardedHost;
        }
    }
    return scheme + "://" + host + target;
}

}  // namespace switchboard::http
