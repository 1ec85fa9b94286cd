// Fuzz target: twilio::SignatureValidator (host/twilio/SignatureValidator.cpp): sign, validate
// (with collectAttempts), stringToSign, urlVariants and sha256Hex.
//
// Input: four parts separated by the first three LF bytes (so the first three parts hold no
// LF; the body may):
//     auth token LF url LF X-Twilio-Signature LF body
// Missing parts are empty. The body is checked twice: as a form body (when it decodes as one),
// and as a raw (JSON) body, with and without a bodySHA256 the target adds to the URL.
//
// Properties checked:
//  1. urlVariants(url): the URL itself first, then no repeats, no empty string, at most four,
//     and closed under the query's '\'' <-> "%27" swap (each variant's swap is a variant).
//  2. stringToSign is the URL followed by PROTOCOL.md section 2's field text (keys in byte
//     order, each distinct value of a key once, in byte order); the raw-body form is the URL.
//  3. sign gives a padded base64 HMAC-SHA1 (28 characters), the same for the fields in any
//     order and with repeats.
//  4. validate is exactly this, in both modes and with or without collectAttempts: an empty
//     signature fails without attempts; a raw body fails without attempts unless the URL's
//     first bodySHA256 query parameter (read with Poco::URI) is the body's SHA-256; otherwise
//     the variants are tried in order and the first whose signature equals the given one
//     matches; the attempts (when collected) are exactly the variants tried, each with its
//     string to sign; a failure always says why. In particular the signature of any variant
//     validates for the URL (the port and quote variants do their job), and a body that no
//     longer hashes to bodySHA256 never validates.
//  5. sha256Hex is 64 lowercase hex digits.
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "FuzzSupport.h"
#include "twilio/DecodeError.h"
#include "twilio/FormDecoder.h"
#include "twilio/SignatureValidator.h"

using switchboard::fuzz::printable;
using namespace switchboard::twilio;

namespace {

std::string swapQuotesInQuery(const std::string& url) {
    const auto query = url.find('?');
    if (query == std::string::npos) return url;
    std::string out = url.substr(0, query);
    for (std::size_t i = query; i < url.size();) {
        if (url[i] == '\'') {
            out += "%27";
            i += 1;
        } else if (url.compare(i, 3, "%27") == 0) {
            out += '\'';
            i += 3;
        } else {
            out += url[i++];
        }
    }
    return out;
}

std::string referenceFieldText(const Parameters& fields) {
    std::map<std::string, std::set<std::string>> grouped;
    for (const auto& [key, value] : fields) grouped[key].insert(value);
    std::string text;
    for (const auto& [key, values] : grouped) {
        for (const auto& value : values) text += key + value;
    }
    return text;
}

std::optional<std::string> bodyHashInUrl(const std::string& url) {
    try {
        for (const auto& [key, value] : Poco::URI(url).getQueryParameters()) {
            if (key == "bodySHA256") return value;
        }
    } catch (const Poco::Exception&) {
    }
    return std::nullopt;
}

bool isBase64Signature(const std::string& signature) {
    if (signature.size() != 28 || signature.back() != '=') return false;
    return std::all_of(signature.begin(), signature.end() - 1, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '+' || c == '/';
    });
}

// One content to validate, with what the checks need computed once: the URL variants, the
// signature over each, and (for a raw body) whether the URL's bodySHA256 is the body's hash.
struct Case {
    Case(const SignatureValidator& validator_, SignedContent content_, std::string fieldText_,
         std::string_view what_, std::string_view input_)
        : validator(validator_),
          content(content_),
          fieldText(std::move(fieldText_)),
          what(what_),
          input(input_),
          variants(SignatureValidator::urlVariants(content.url)) {
        for (const std::string& variant : variants) {
            signatures.push_back(
                validator.sign({variant, content.formParameters, content.rawBody}));
        }
        if (content.rawBody) {
            const auto claimed = bodyHashInUrl(std::string(content.url));
            bodyHashHolds = claimed && *claimed == SignatureValidator::sha256Hex(*content.rawBody);
        }
    }

    const SignatureValidator& validator;
    SignedContent content;
    std::string fieldText;  // what follows the URL in the string to sign
    std::string_view what;  // for messages
    std::string_view input;
    std::vector<std::string> variants;
    std::vector<std::string> signatures;  // over each variant
    bool bodyHashHolds = true;            // for a raw body
};

std::string context(const Case& c) {
    return std::string(" [") + std::string(c.what) + "] url=" + printable(c.content.url, 200) +
           " input=" + printable(c.input);
}

// Property 4 for `signature`; returns the verdict for further checks. `bothWays`: also
// validate without collecting attempts and compare.
SignatureVerdict checkValidate(const Case& c, const std::string& signature, bool bothWays) {
    const SignatureVerdict verdict = c.validator.validate(c.content, signature, true);
    if (bothWays) {
        const SignatureVerdict quiet = c.validator.validate(c.content, signature, false);
        FUZZ_CHECK(quiet.valid == verdict.valid && quiet.matchedUrl == verdict.matchedUrl &&
                       quiet.failure == verdict.failure && quiet.attempts.empty(),
                   "collectAttempts changes the verdict" + context(c));
    }

    if (signature.empty() || !c.bodyHashHolds) {
        FUZZ_CHECK(!verdict.valid && verdict.attempts.empty() && !verdict.failure.empty(),
                   "validate went past a failed precondition (signature " +
                       printable(signature, 60) + ", failure " + verdict.failure + ")" +
                       context(c));
        return verdict;
    }

    // The first variant whose signature is the given one, if any.
    const auto found = std::find(c.signatures.begin(), c.signatures.end(), signature);
    const bool matches = found != c.signatures.end();
    const std::size_t tried =
        matches ? static_cast<std::size_t>(found - c.signatures.begin()) + 1 : c.variants.size();
    FUZZ_CHECK(verdict.valid == matches,
               std::string("validate says ") + (verdict.valid ? "valid" : "invalid") +
                   " for signature " + printable(signature, 60) + context(c));
    FUZZ_CHECK(verdict.attempts.size() == tried, std::to_string(verdict.attempts.size()) +
                                                     " attempts, expected " +
                                                     std::to_string(tried) + context(c));
    for (std::size_t i = 0; i < tried; ++i) {
        FUZZ_CHECK(verdict.attempts[i].url == c.variants[i] &&
                       verdict.attempts[i].stringToSign == c.variants[i] + c.fieldText,
                   "attempt " + std::to_string(i) + " is " +
                       printable(verdict.attempts[i].stringToSign, 200) + context(c));
    }
    if (matches) {
        FUZZ_CHECK(verdict.matchedUrl == c.variants[tried - 1],
                   "matched " + printable(verdict.matchedUrl, 200) + context(c));
    } else {
        FUZZ_CHECK(!verdict.failure.empty() && verdict.matchedUrl.empty(),
                   "a failed validation without a reason" + context(c));
    }
    return verdict;
}

// Properties 3 and 4 for content that signs: every variant's signature validates for the URL.
void checkSigned(const Case& c) {
    const std::string signature = c.validator.sign(c.content);
    FUZZ_CHECK(isBase64Signature(signature), "sign gave " + printable(signature) + context(c));
    FUZZ_CHECK(signature == c.signatures.front(),
               "sign differs from sign over the first variant" + context(c));
    const SignatureVerdict own = checkValidate(c, signature, false);
    FUZZ_CHECK(
        own.valid && own.matchedUrl == c.content.url && own.attempts.size() == 1,
        "a signature over the exact URL does not validate at the first attempt" + context(c));
    for (std::size_t i = 1; i < c.variants.size(); ++i) {
        FUZZ_CHECK(checkValidate(c, c.signatures[i], false).valid,
                   "the signature for variant " + printable(c.variants[i], 200) +
                       " does not validate" + context(c));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = switchboard::fuzz::asText(data, size);
    auto parts = switchboard::fuzz::split(input, '\n', 4);
    parts.resize(4);
    const std::string token(parts[0]), url(parts[1]), signature(parts[2]);
    const std::string_view body = parts[3];
    const SignatureValidator validator(token);

    // 1. URL variants.
    const auto variants = SignatureValidator::urlVariants(url);
    FUZZ_CHECK(!variants.empty() && variants.front() == url && variants.size() <= 4,
               std::to_string(variants.size()) + " variants for " + printable(url));
    for (std::size_t i = 0; i < variants.size(); ++i) {
        FUZZ_CHECK(i == 0 || !variants[i].empty(), "an empty variant of " + printable(url));
        FUZZ_CHECK(std::count(variants.begin(), variants.end(), variants[i]) == 1,
                   "variant " + printable(variants[i]) + " repeated for " + printable(url));
        const std::string swapped = swapQuotesInQuery(variants[i]);
        FUZZ_CHECK(std::find(variants.begin(), variants.end(), swapped) != variants.end(),
                   "the quote swap " + printable(swapped) + " of variant " +
                       printable(variants[i]) + " is missing for " + printable(url));
    }

    // 5. Body hash.
    const std::string bodyHash = SignatureValidator::sha256Hex(body);
    FUZZ_CHECK(
        bodyHash.size() == 64 &&
            std::all_of(bodyHash.begin(), bodyHash.end(),
                        [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }),
        "sha256Hex gave " + printable(bodyHash));

    // Form body.
    std::optional<Parameters> fields;
    try {
        fields = decodeForm(body);
    } catch (const DecodeError&) {
    }
    if (fields) {
        const Case form{
            validator, {url, &*fields, std::nullopt}, referenceFieldText(*fields), "form", input};
        FUZZ_CHECK(SignatureValidator::stringToSign(url, form.content) == url + form.fieldText,
                   "stringToSign is not the URL and the sorted fields" + context(form));
        checkValidate(form, signature, true);
        checkSigned(form);
        const std::string signature0 = validator.sign(form.content);
        Parameters shuffled(fields->rbegin(), fields->rend());
        shuffled.insert(shuffled.end(), fields->begin(), fields->end());
        FUZZ_CHECK(validator.sign({url, &shuffled, std::nullopt}) == signature0,
                   "the signature depends on field order or repeats" + context(form));
    }

    // Raw body, at the URL as given.
    const Case raw{validator, {url, nullptr, body}, {}, "raw", input};
    FUZZ_CHECK(SignatureValidator::stringToSign(url, raw.content) == url,
               "stringToSign of a raw body is not the URL" + context(raw));
    checkValidate(raw, signature, true);

    // Raw body, at the URL with the body's bodySHA256 added.
    const std::string hashed =
        url + (url.find('?') == std::string::npos ? '?' : '&') + "bodySHA256=" + bodyHash;
    const Case withHash{validator, {hashed, nullptr, body}, {}, "raw+bodySHA256", input};
    checkValidate(withHash, signature, true);
    if (bodyHashInUrl(hashed) == bodyHash) {
        checkSigned(withHash);
        const std::string tampered = std::string(body) + "x";
        const Case changed{validator, {hashed, nullptr, tampered}, {}, "raw, body changed", input};
        FUZZ_CHECK(!checkValidate(changed, withHash.signatures.front(), false).valid,
                   "a body that no longer hashes to bodySHA256 validates" + context(changed));
    }
    return 0;
}
