// Helpers shared by the fuzz targets in this directory: invariant checks that abort (libFuzzer
// saves the input as a crash; the replay test fails), input splitting, and small reference
// implementations of the specifications the targets check the host code against.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::fuzz {

/// The input as text (bytes, not necessarily UTF-8).
inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

/// `text` with non-printable bytes as \xNN, cut at `limit` bytes: for failure messages.
inline std::string printable(std::string_view text, std::size_t limit = 400) {
    static const char* const kHex = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == '\\') {
            out += "\\\\";
        } else if (c >= 0x20 && c < 0x7f) {
            out += static_cast<char>(c);
        } else {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    if (text.size() > limit) out += "...(" + std::to_string(text.size()) + " bytes)";
    return out;
}

[[noreturn]] inline void invariantBroken(const char* condition, const char* file, int line,
                                         const std::string& detail) {
    std::fprintf(stderr, "\n%s:%d: invariant broken: %s\n  %s\n", file, line, condition,
                 detail.c_str());
    std::fflush(stderr);
    std::abort();
}

/// Splits `text` at `separator` into at most `maxParts` parts (the last one keeps the rest).
inline std::vector<std::string_view> split(std::string_view text, char separator,
                                           std::size_t maxParts = SIZE_MAX) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < maxParts) {
        const auto at = text.find(separator);
        if (at == std::string_view::npos) break;
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + 1);
    }
    parts.push_back(text);
    return parts;
}

/// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing above
/// U+10FFFF, no truncated sequences. Written from the RFC, independently of the host's check.
inline bool isStrictUtf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length;
        std::uint32_t codePoint, minimum;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2, codePoint = lead & 0x1fu, minimum = 0x80;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3, codePoint = lead & 0x0fu, minimum = 0x800;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4, codePoint = lead & 0x07u, minimum = 0x10000;
        } else {
            return false;
        }
        if (text.size() - i < length) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80) return false;
            codePoint = (codePoint << 6) | (next & 0x3fu);
        }
        if (codePoint < minimum || codePoint > 0x10ffff ||
            (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            return false;
        }
        i += length;
    }
    return true;
}

}  // namespace switchboard::fuzz

/// Aborts with `detail` (any expression convertible to std::string, evaluated only on failure)
/// when `condition` is false.
#define FUZZ_CHECK(condition, detail)                                                       \
    do {                                                                                    \
        if (!(condition)) {                                                                 \
            ::switchboard::fuzz::invariantBroken(#condition, __FILE__, __LINE__, (detail)); \
        }                                                                                   \
    } while (false)
