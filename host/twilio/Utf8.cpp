#include "twilio/Utf8.h"

#include <rapidjson/encodings.h>

namespace switchboard::twilio {
namespace {

// Adapts a string_view to the stream concept RapidJSON's validator reads; past the end it
// yields NUL, which is never a valid continuation byte, so a truncated sequence fails.
struct ViewStream {
    using Ch = char;
    const char* position;
    const char* end;
    Ch Peek() const { return position < end ? *position : '\0'; }
    Ch Take() { return position < end ? *position++ : '\0'; }
};

struct DiscardStream {
    using Ch = char;
    void Put(Ch) {}
};

}  // namespace

bool isValidUtf8(std::string_view text) {
    ViewStream input{text.data(), text.data() + text.size()};
    DiscardStream output;
    while (input.position < input.end) {
        if (static_cast<unsigned char>(*input.position) < 0x80) {
            ++input.position;
            continue;
        }
        if (!rapidjson::UTF8<char>::Validate(input, output)) return false;
    }
    return true;
}

}  // namespace switchboard::twilio
