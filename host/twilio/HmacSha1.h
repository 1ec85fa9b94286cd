#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

struct evp_mac_ctx_st;  // OpenSSL's EVP_MAC_CTX, kept out of the host's headers

namespace switchboard::twilio {

/// HMAC-SHA1 under one key, computed by OpenSSL (its SHA-1 uses the CPU's SHA extensions,
/// about three times faster than a portable implementation on the request path).
///
/// The key is absorbed once, at construction; each thread then keeps a keyed copy of the
/// OpenSSL context and only re-initialises it per message, so a signature check allocates
/// nothing. Safe to use from any number of threads at once.
class HmacSha1 {
public:
    using Digest = std::array<unsigned char, 20>;

    /// Throws std::runtime_error when OpenSSL offers no HMAC-SHA1 (a FIPS-only build).
    explicit HmacSha1(std::string_view key);
    ~HmacSha1();
    HmacSha1(const HmacSha1&) = delete;
    HmacSha1& operator=(const HmacSha1&) = delete;

    /// The MAC of the concatenation of `parts`, without concatenating them.
    Digest compute(std::initializer_list<std::string_view> parts) const;

private:
    evp_mac_ctx_st* keyed_;  // the template each thread copies; never computed with directly
    /// Tells a thread's cached context apart from one keyed by another (possibly destroyed)
    /// instance at the same address.
    std::uint64_t id_;
};

}  // namespace switchboard::twilio
