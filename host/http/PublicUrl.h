#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <string>

namespace switchboard::http {

/// Rebuilds the URL Twilio signed for a request, which behind a proxy or tunnel is not the
/// one the server sees.
class PublicUrl {
public:
    /// `configured` is twilio.publicUrl, the webhook URL as entered in the Twilio console
    /// (empty: derive it from the request); forwarded headers are used only when trusted.
    PublicUrl(std::string configured, bool trustForwardedHeaders);

    /// With a configured URL: its scheme, authority and path, and the request's own query
    /// string (Twilio appends bodySHA256 to it). Otherwise: http or X-Forwarded-Proto, the
    /// Host or X-Forwarded-Host header, and the request target exactly as received.
    std::string of(const Poco::Net::HTTPServerRequest& request) const;

private:
    std::string configuredWithoutQuery_;
    std::string configuredQuery_;
    bool trustForwardedHeaders_;
};

}  // namespace switchboard::http
