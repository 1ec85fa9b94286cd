#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "twilio/HmacSha1.h"
#include "twilio/Parameters.h"

namespace switchboard::twilio {

/// What Twilio signed: the URL it posted to and either the decoded form fields or, for any
/// other content type, the raw body (whose SHA-256 the URL carries as `bodySHA256`).
struct SignedContent {
    std::string_view url;
    const Parameters* formParameters = nullptr;
    std::optional<std::string_view> rawBody;
};

/// One string the validator signed while looking for a match: the tool users reach for
/// when their signatures fail.
struct SignatureAttempt {
    std::string url;
    std::string stringToSign;
};

struct SignatureVerdict {
    bool valid = false;
    /// The URL variant whose signature matched, when valid.
    std::string matchedUrl;
    /// Why it failed when no variant was even tried (missing header, body hash mismatch).
    std::string failure;
    /// Every variant tried, in order; filled only when asked for.
    std::vector<SignatureAttempt> attempts;
};

/// Twilio's X-Twilio-Signature: HMAC-SHA1 with the account's auth token over the URL and the
/// sorted form fields, checked the way the official helper libraries check it (URL variants,
/// bodySHA256 for raw bodies, constant-time comparison).
class SignatureValidator {
public:
    explicit SignatureValidator(std::string_view authToken);

    /// The signature Twilio would send for `content`.
    std::string sign(const SignedContent& content) const;

    /// Checks `signature` against the exact URL first, then its port and quote variants.
    /// A missing or empty signature never validates.
    SignatureVerdict validate(const SignedContent& content, std::string_view signature,
                              bool collectAttempts = false) const;

    /// The exact HMAC input for `url` and `content`'s fields (URL + sorted key/value pairs).
    static std::string stringToSign(std::string_view url, const SignedContent& content);

    /// The URLs Twilio may have signed for `url`, most likely first, without repeats: as
    /// given; the port removed or the scheme's default port added; and each of those with
    /// `'` and `%27` swapped in the query string.
    static std::vector<std::string> urlVariants(std::string_view url);

    /// Lowercase hex SHA-256, the form of Twilio's `bodySHA256`.
    static std::string sha256Hex(std::string_view body);

private:
    std::string computeSignature(std::string_view url, std::string_view sortedFields) const;

    HmacSha1 hmac_;
};

}  // namespace switchboard::twilio
