#include "twilio/HmacSha1.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <atomic>
#include <memory>
#include <stdexcept>

namespace switchboard::twilio {

namespace {

struct MacContextDeleter {
    void operator()(EVP_MAC_CTX* context) const { EVP_MAC_CTX_free(context); }
};
using MacContextPtr = std::unique_ptr<EVP_MAC_CTX, MacContextDeleter>;

// The keyed context this thread computes with, and the instance it was copied from.
struct ThreadContext {
    std::uint64_t ownerId = 0;
    MacContextPtr mac;
};
thread_local ThreadContext threadContext;

std::atomic<std::uint64_t> nextId{1};

[[noreturn]] void fail(const char* what) {
    throw std::runtime_error(std::string("HMAC-SHA1 (OpenSSL): ") + what);
}

}  // namespace

HmacSha1::HmacSha1(std::string_view key) : keyed_(nullptr), id_(nextId++) {
    EVP_MAC* algorithm = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr);
    if (!algorithm) fail("HMAC is not available");
    keyed_ = EVP_MAC_CTX_new(algorithm);
    EVP_MAC_free(algorithm);  // the context holds its own reference
    char digest[] = "SHA1";
    const OSSL_PARAM parameters[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end()};
    if (!keyed_ || !EVP_MAC_init(keyed_, reinterpret_cast<const unsigned char*>(key.data()),
                                 key.size(), parameters)) {
        EVP_MAC_CTX_free(keyed_);
        fail("cannot key HMAC with SHA-1");
    }
}

HmacSha1::~HmacSha1() { EVP_MAC_CTX_free(keyed_); }

HmacSha1::Digest HmacSha1::compute(std::initializer_list<std::string_view> parts) const {
    ThreadContext& context = threadContext;
    if (context.ownerId != id_) {
        context.mac.reset(EVP_MAC_CTX_dup(keyed_));
        if (!context.mac) fail("cannot copy the keyed context");
        context.ownerId = id_;
    } else if (!EVP_MAC_init(context.mac.get(), nullptr, 0, nullptr)) {  // same key again
        fail("cannot restart the keyed context");
    }
    for (const std::string_view part : parts) {
        EVP_MAC_update(context.mac.get(), reinterpret_cast<const unsigned char*>(part.data()),
                       part.size());
    }
    Digest digest;
    std::size_t length = 0;
    if (!EVP_MAC_final(context.mac.get(), digest.data(), &length, digest.size()) ||
        length != digest.size()) {
        fail("cannot finish the MAC");
    }
    return digest;
}

}  // namespace switchboard::twilio
