#include "twilio/SignatureValidator.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>
#include <Poco/URI.h>
#include <openssl/evp.h>

#include <algorithm>

namespace switchboard::twilio {
namespace {

// Compares in time that depends only on the lengths, so an attacker cannot learn a prefix
// of the expected signature from response timings.
bool constantTimeEquals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned char difference = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    }
    return difference == 0;
}

std::string base64(const HmacSha1::Digest& digest) {
    char text[4 * ((std::tuple_size_v<HmacSha1::Digest> + 2) / 3) + 1];
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text), digest.data(),
                                       static_cast<int>(digest.size()));
    return std::string(text, static_cast<std::size_t>(length));
}

// Keys in plain byte order, each distinct value of a repeated key once, in byte order.
std::string sortedFieldText(const Parameters& parameters) {
    std::vector<const Parameter*> sorted;
    sorted.reserve(parameters.size());
    std::size_t length = 0;
    for (const auto& parameter : parameters) {
        sorted.push_back(&parameter);
        length += parameter.first.size() + parameter.second.size();
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const Parameter* a, const Parameter* b) { return *a < *b; });
    sorted.erase(std::unique(sorted.begin(), sorted.end(),
                             [](const Parameter* a, const Parameter* b) { return *a == *b; }),
                 sorted.end());
    std::string text;
    text.reserve(length);
    for (const Parameter* parameter : sorted) {
        text += parameter->first;
        text += parameter->second;
    }
    return text;
}

std::string fieldTextFor(const SignedContent& content) {
    return content.formParameters ? sortedFieldText(*content.formParameters) : std::string{};
}

// The URL's authority, as offsets into the URL: [hostStart, portStart) is user info and
// host, [portStart, authorityEnd) is ":port" or empty.
struct Authority {
    std::size_t hostStart = std::string_view::npos;
    std::size_t portStart = 0;
    std::size_t authorityEnd = 0;
};

Authority findAuthority(std::string_view url) {
    Authority authority;
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string_view::npos) return authority;
    authority.hostStart = schemeEnd + 3;
    authority.authorityEnd = std::min(url.find_first_of("/?#", authority.hostStart), url.size());
    const std::string_view hostAndPort =
        url.substr(authority.hostStart, authority.authorityEnd - authority.hostStart);
    const auto colon = hostAndPort.rfind(':');
    const auto at = hostAndPort.rfind('@');
    const auto bracket = hostAndPort.rfind(']');  // IPv6 literal: its colons are not a port
    const bool hasPort = colon != std::string_view::npos &&
                         (at == std::string_view::npos || colon > at) &&
                         (bracket == std::string_view::npos || colon > bracket);
    authority.portStart = hasPort ? authority.hostStart + colon : authority.authorityEnd;
    return authority;
}

std::string defaultPortFor(std::string_view url) {
    const auto schemeEnd = url.find("://");
    std::string scheme(url.substr(0, schemeEnd));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme == "https") return ":443";
    if (scheme == "http") return ":80";
    return {};
}

std::string portVariant(std::string_view url) {
    const Authority authority = findAuthority(url);
    if (authority.hostStart == std::string_view::npos) return {};
    std::string variant(url.substr(0, authority.portStart));
    if (authority.portStart == authority.authorityEnd) variant += defaultPortFor(url);
    variant += url.substr(authority.authorityEnd);
    return variant;
}

// Twilio has signed both spellings of an apostrophe in a query string.
std::string quoteVariant(std::string_view url) {
    const auto query = url.find('?');
    if (query == std::string_view::npos) return {};
    std::string variant(url.substr(0, query));
    std::string_view rest = url.substr(query);
    bool changed = false;
    while (!rest.empty()) {
        if (rest.front() == '\'') {
            variant += "%27";
            rest.remove_prefix(1);
            changed = true;
        } else if (rest.substr(0, 3) == "%27") {
            variant += '\'';
            rest.remove_prefix(3);
            changed = true;
        } else {
            variant += rest.front();
            rest.remove_prefix(1);
        }
    }
    return changed ? variant : std::string{};
}

std::optional<std::string> queryParameter(std::string_view url, std::string_view name) {
    try {
        for (const auto& [key, value] : Poco::URI(std::string(url)).getQueryParameters()) {
            if (key == name) return value;
        }
    } catch (const Poco::Exception&) {
        // An unparsable URL has no bodySHA256 to offer; the caller reports the mismatch.
    }
    return std::nullopt;
}

}  // namespace

SignatureValidator::SignatureValidator(std::string_view authToken) : hmac_(authToken) {}

std::string SignatureValidator::sha256Hex(std::string_view body) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(body.data(), static_cast<unsigned>(body.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string SignatureValidator::stringToSign(std::string_view url, const SignedContent& content) {
    return std::string(url) + fieldTextFor(content);
}

std::vector<std::string> SignatureValidator::urlVariants(std::string_view url) {
    std::vector<std::string> variants{std::string(url)};
    auto addUnique = [&variants](std::string candidate) {
        if (!candidate.empty() &&
            std::find(variants.begin(), variants.end(), candidate) == variants.end()) {
            variants.push_back(std::move(candidate));
        }
    };
    addUnique(portVariant(url));
    const std::size_t withPorts = variants.size();
    for (std::size_t i = 0; i < withPorts; ++i) addUnique(quoteVariant(variants[i]));
    return variants;
}

std::string SignatureValidator::computeSignature(std::string_view url,
                                                 std::string_view sortedFields) const {
    return base64(hmac_.compute({url, sortedFields}));
}

std::string SignatureValidator::sign(const SignedContent& content) const {
    return computeSignature(content.url, fieldTextFor(content));
}

SignatureVerdict SignatureValidator::validate(const SignedContent& content,
                                              std::string_view signature,
                                              bool collectAttempts) const {
    SignatureVerdict verdict;
    if (signature.empty()) {
        verdict.failure = "the X-Twilio-Signature header is missing or empty";
        return verdict;
    }
    if (content.rawBody) {
        const auto claimed = queryParameter(content.url, "bodySHA256");
        if (!claimed) {
            verdict.failure = "a non-form body must come with bodySHA256 in the URL's query";
            return verdict;
        }
        const std::string actual = sha256Hex(*content.rawBody);
        if (!constantTimeEquals(*claimed, actual)) {
            verdict.failure = "bodySHA256 in the URL (" + *claimed +
                              ") is not the SHA-256 of the body (" + actual + ")";
            return verdict;
        }
    }
    const std::string fields = fieldTextFor(content);
    auto matches = [&](std::string_view url) {
        const bool valid = constantTimeEquals(computeSignature(url, fields), signature);
        if (collectAttempts)
            verdict.attempts.push_back({std::string(url), std::string(url) + fields});
        if (valid) {
            verdict.valid = true;
            verdict.matchedUrl = url;
        }
        return valid;
    };
    // The exact URL matches almost always: the variants are built only when it does not.
    if (matches(content.url)) return verdict;
    const std::vector<std::string> variants = urlVariants(content.url);
    for (auto variant = variants.begin() + 1; variant != variants.end(); ++variant) {
        if (matches(*variant)) return verdict;
    }
    verdict.failure = "no URL variant produced the given signature";
    return verdict;
}

}  // namespace switchboard::twilio
