// observer (test plugin): makes visible what earlier hooks did.
//
// Config: plugins.observer.path (required), the file the `after` hooks append to.
//
// message.received, before: replies
//   observed body=<Body> rewritten=<Rewritten> original=<ctx rewriter.original>
// every event, after: appends one line to `path` (O_APPEND, one write per line):
//   <event> <status> <content-type> body=<Body> ctx=<ctx rewriter.original>
//   seen=<ctx rewriter.seen> response=<response body, newlines as spaces>
// A missing value is written as "-". The file is opened for every line, so a
// test may remove or truncate it between requests.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <switchboard/plugin.hpp>

namespace sb = switchboard;

namespace {

std::string orDash(std::optional<std::string_view> value) {
    return value ? std::string(*value) : std::string("-");
}

class Observer {
public:
    explicit Observer(sb::Host host) : path_(host.requireConfig("path")) {}

    sb::Action before(sb::Context& ctx, sb::Event& event) {
        ctx.reply("observed body=" + orDash(event.get("Body")) +
                  " rewritten=" + orDash(event.get("Rewritten")) +
                  " original=" + orDash(ctx.get("rewriter.original")));
        return sb::Action::Continue;
    }

    void after(const sb::Context& ctx, const sb::Event& event, const sb::Response& response) {
        std::string body(response.body());
        for (char& c : body) {
            if (c == '\n' || c == '\r') c = ' ';
        }
        const std::string contentType =
            response.contentType().empty() ? "-" : std::string(response.contentType());
        const std::string line =
            std::string(ctx.eventName()) + " " + std::to_string(response.status()) + " " +
            contentType + " body=" + orDash(event.get("Body")) +
            " ctx=" + orDash(ctx.get("rewriter.original")) +
            " seen=" + orDash(ctx.get("rewriter.seen")) + " response=" + body + "\n";
        append(line);
    }

private:
    void append(const std::string& line) const {
        const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) throw sb::Error("observer: cannot open " + path_ + ": " + std::strerror(errno));
        ssize_t written;
        do {
            written = ::write(fd, line.data(), line.size());
        } while (written < 0 && errno == EINTR);
        const int writeError = errno;
        ::close(fd);
        if (written != static_cast<ssize_t>(line.size())) {
            throw sb::Error("observer: cannot write to " + path_ + ": " +
                            (written < 0 ? std::strerror(writeError) : "short write"));
        }
    }

    std::string path_;
};

}  // namespace

SWITCHBOARD_PLUGIN(Observer, "observer", "1.0.0",
                   "Test plugin: replies with what it sees and logs every answer to a file",
                   sb::Concurrency::Concurrent, SWITCHBOARD_HOOK(MessageReceived, BeforeAndAfter),
                   SWITCHBOARD_HOOK(MessageStatusUpdate, After),
                   SWITCHBOARD_HOOK(CallStatusUpdate, After));
