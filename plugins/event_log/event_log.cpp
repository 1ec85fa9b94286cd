// event_log: appends every event, after it was answered, as one JSON line:
//
//   {"event":"message.received","requestId":"...","receivedAt":"2025-12-04T19:51:26.123Z",
//    "status":200,"fields":[["From","+14155550100"],["Body","hi"],...]}
//
// Fields are an array of [key, value] pairs rather than an object so that
// repeated keys and their order survive.
//
// Config: path (required), the file to append to; created 0644 if missing.
//
// Every line is written with one write(2) on an O_APPEND descriptor: the kernel
// then places each line whole at the end of the file, so concurrent requests,
// and the old and new generation during a hot reload (each with its own
// descriptor), never interleave, and nothing needs a lock.
#include <errno.h>
#include <fcntl.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <switchboard/plugin.hpp>

namespace sb = switchboard;

namespace {

// "2025-12-04T19:51:26.123Z" (UTC, milliseconds, truncated).
std::string isoUtcMillis(std::int64_t us) {
    // Floor division, so that instants before 1970 still format correctly.
    std::int64_t ms = us / 1000;
    if (us % 1000 < 0) --ms;
    std::int64_t secs = ms / 1000;
    int millis = static_cast<int>(ms % 1000);
    if (millis < 0) {
        millis += 1000;
        --secs;
    }
    const time_t t = static_cast<time_t>(secs);
    struct tm tm {};
    if (gmtime_r(&t, &tm) == nullptr) return "";
    char buf[96];  // room for any int the format could see, to satisfy -Wformat-truncation
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return buf;
}

// Replaces each byte that does not start a valid UTF-8 sequence with U+FFFD, so
// that one odd field cannot make the line invalid JSON. Only used when the
// validating writer rejected a string.
std::string sanitizeUtf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const std::size_t n = in.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            len = 1;
            cp = c;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        }
        bool ok = len > 0 && i + len <= n;
        for (std::size_t k = 1; ok && k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) ok = false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong 3/4-byte forms, surrogates and values past U+10FFFF.
        if (ok && ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
                   (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))) {
            ok = false;
        }
        if (ok) {
            out.append(in.data() + i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

class EventLog {
public:
    explicit EventLog(sb::Host host) : host_(host), path_(host.requireConfig("path")) {
        if (path_.empty())
            throw sb::Error("plugins." + std::string(host.name()) + ".path is empty");
        fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            throw sb::Error("cannot open event log " + path_ + ": " + std::strerror(errno));
        }
        host_.info("appending events to " + path_);
    }

    ~EventLog() { ::close(fd_); }
    EventLog(const EventLog&) = delete;
    EventLog& operator=(const EventLog&) = delete;

    void after(const sb::Context& ctx, const sb::Event& event, const sb::Response& response) {
        std::string line = render(ctx, event, response, false);
        if (line.empty()) line = render(ctx, event, response, true);
        line += '\n';
        append(line);
        host_.metric("lines_written");
    }

private:
    // Returns "" when a string is not valid UTF-8 and sanitize is false.
    static std::string render(const sb::Context& ctx, const sb::Event& event,
                              const sb::Response& response, bool sanitize) {
        using Writer =
            rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                              rapidjson::CrtAllocator, rapidjson::kWriteValidateEncodingFlag>;
        rapidjson::StringBuffer buffer;
        Writer writer(buffer);
        bool ok = true;
        auto string = [&](std::string_view s) {
            if (!ok) return;
            if (sanitize) {
                const std::string clean = sanitizeUtf8(s);
                ok = writer.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
            } else {
                ok = writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
            }
        };

        writer.StartObject();
        writer.Key("event");
        string(ctx.eventName());
        writer.Key("requestId");
        string(ctx.requestId());
        writer.Key("receivedAt");
        string(isoUtcMillis(ctx.receivedAtUs()));
        writer.Key("status");
        writer.Uint(response.status());
        writer.Key("fields");
        writer.StartArray();
        for (auto [key, value] : event) {
            writer.StartArray();
            string(key);
            string(value);
            writer.EndArray();
        }
        writer.EndArray();
        writer.EndObject();
        if (!ok) return {};
        return std::string(buffer.GetString(), buffer.GetSize());
    }

    void append(const std::string& line) const {
        for (;;) {
            const ssize_t n = ::write(fd_, line.data(), line.size());
            if (n == static_cast<ssize_t>(line.size())) return;
            // EINTR before anything was written: safe to retry whole.
            if (n < 0 && errno == EINTR) continue;
            // A short write (disk full, file size limit) is not retried: a
            // second write could interleave with another request's line.
            const std::string why = n < 0 ? std::strerror(errno)
                                          : "short write (" + std::to_string(n) + " of " +
                                                std::to_string(line.size()) + " bytes)";
            throw sb::Error("cannot append to " + path_ + ": " + why);
        }
    }

    sb::Host host_;
    std::string path_;
    int fd_ = -1;
};

}  // namespace

SWITCHBOARD_PLUGIN(EventLog, "event_log", "1.0.0",
                   "Appends every event as one JSON line to a file (config: path)",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(CallStatusUpdate, After),
                   SWITCHBOARD_HOOK(MessageReceived, After),
                   SWITCHBOARD_HOOK(MessageStatusUpdate, After));
