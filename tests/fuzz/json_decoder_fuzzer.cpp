// Fuzz target: twilio::decodeJson (host/twilio/JsonDecoder.cpp).
//
// Input: an application/json body, as the webhook handler receives it.
//
// Properties checked:
//  1. decodeJson returns or throws DecodeError; nothing else escapes.
//  2. What it returns is what its header promises: every key and value is well-formed UTF-8
//     (invalid UTF-8 throws), one field per member in document order (duplicates kept), string
//     members byte for byte, booleans as "true"/"false", numbers as their JSON text exactly as
//     the body spells it (the body read independently, with RapidJSON's SAX reader).
//  3. Writing the fields back as a JSON object of strings and decoding that gives the same
//     fields.
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <optional>
#include <vector>

#include "FuzzSupport.h"
#include "twilio/DecodeError.h"
#include "twilio/JsonDecoder.h"

using switchboard::fuzz::isStrictUtf8;
using switchboard::fuzz::printable;
using switchboard::twilio::Parameters;

namespace {

std::optional<Parameters> decodeOrNothing(std::string_view body) {
    try {
        return switchboard::twilio::decodeJson(body);
    } catch (const switchboard::twilio::DecodeError&) {
        return std::nullopt;
    }
}

// Every decoded key and value is UTF-8 (a lone surrogate escape is refused).
void checkWellFormed(std::string_view text) {
    FUZZ_CHECK(isStrictUtf8(text),
               "decodeJson returned a field that is not UTF-8: " + printable(text));
}

// The members of the root object as the body spells them: numbers as their raw text
// (kParseNumbersAsStringsFlag), anything that is not a scalar marked as such.
struct MemberCollector : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, MemberCollector> {
    enum class Kind { String, Boolean, Number, NotScalar };
    struct Member {
        std::string key;
        Kind kind;
        std::string text;
    };

    std::vector<Member> members;
    bool rootIsObject = false;
    int depth = 0;
    std::string key;

    bool add(Kind kind, std::string text) {
        if (depth == 1) members.push_back({key, kind, std::move(text)});
        return true;
    }
    bool Default() { return add(Kind::NotScalar, {}); }  // null, and numbers if ever not raw
    bool Bool(bool value) { return add(Kind::Boolean, value ? "true" : "false"); }
    bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
        return add(Kind::Number, std::string(text, length));
    }
    bool String(const char* text, rapidjson::SizeType length, bool) {
        return add(Kind::String, std::string(text, length));
    }
    bool Key(const char* text, rapidjson::SizeType length, bool) {
        if (depth == 1) key.assign(text, length);
        return true;
    }
    bool StartObject() {
        if (depth == 0) rootIsObject = true;
        add(Kind::NotScalar, {});
        ++depth;
        return true;
    }
    bool EndObject(rapidjson::SizeType) {
        --depth;
        return true;
    }
    bool StartArray() {
        add(Kind::NotScalar, {});
        ++depth;
        return true;
    }
    bool EndArray(rapidjson::SizeType) {
        --depth;
        return true;
    }
};

std::string writeAsStrings(const Parameters& fields) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [key, value] : fields) {
        writer.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
    writer.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view body = switchboard::fuzz::asText(data, size);
    const std::optional<Parameters> fields = decodeOrNothing(body);
    if (!fields) return 0;

    for (const auto& [key, value] : *fields) {
        checkWellFormed(key);
        checkWellFormed(value);
    }

    // The same body read independently: an object of scalars, member by member.
    MemberCollector bodyMembers;
    rapidjson::MemoryStream stream(body.data(), body.size());
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> input(stream);
    rapidjson::Reader reader;
    const bool parsed =
        !reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(input, bodyMembers).IsError();
    FUZZ_CHECK(parsed && bodyMembers.rootIsObject,
               "decodeJson accepted a body that is not a JSON object: " + printable(body));
    const auto& members = bodyMembers.members;
    FUZZ_CHECK(members.size() == fields->size(), std::to_string(fields->size()) + " fields for " +
                                                     std::to_string(members.size()) +
                                                     " members: " + printable(body));
    for (std::size_t index = 0; index < fields->size(); ++index) {
        const auto& [key, value] = (*fields)[index];
        const MemberCollector::Member& member = members[index];
        FUZZ_CHECK(key == member.key, "field " + std::to_string(index) + " is named " +
                                          printable(key) + ", the member " + printable(member.key));
        FUZZ_CHECK(member.kind != MemberCollector::Kind::NotScalar,
                   "decodeJson accepted a member that is not a scalar: " + printable(key));
        FUZZ_CHECK(value == member.text, "member " + printable(key) + " is " +
                                             printable(member.text) + " in the body, decoded as " +
                                             printable(value));
    }

    const std::string written = writeAsStrings(*fields);
    const std::optional<Parameters> again = decodeOrNothing(written);
    FUZZ_CHECK(
        again && *again == *fields,
        "the fields written as JSON strings do not decode to themselves: " + printable(written));
    return 0;
}
