#include "plugins/CrashGuard.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace switchboard::plugins {
namespace {

thread_local const char* runningPlugin = nullptr;
int journalFd = -1;

const char* signalName(int signal) {
    switch (signal) {
        case SIGSEGV:
            return "SIGSEGV";
        case SIGBUS:
            return "SIGBUS";
        case SIGILL:
            return "SIGILL";
        case SIGFPE:
            return "SIGFPE";
        default:
            return "SIGABRT";
    }
}

void writeAll(int fd, const char* text) {
    size_t left = std::strlen(text);
    while (left > 0) {
        const ssize_t written = ::write(fd, text, left);
        if (written <= 0) return;
        text += written;
        left -= static_cast<size_t>(written);
    }
}

// Only async-signal-safe calls: strlen, write, time, raise.
void onFatalSignal(int signal) {
    const char* record = runningPlugin;
    if (record && journalFd >= 0) {
        char stamp[24];
        // Seconds since the epoch: formatting a date is not async-signal-safe.
        long long now = static_cast<long long>(::time(nullptr));
        int position = static_cast<int>(sizeof stamp) - 1;
        stamp[position] = '\0';
        do {
            stamp[--position] = static_cast<char>('0' + now % 10);
            now /= 10;
        } while (now > 0 && position > 0);
        writeAll(journalFd, "crash ");
        writeAll(journalFd, stamp + position);
        writeAll(journalFd, " ");
        writeAll(journalFd, signalName(signal));
        writeAll(journalFd, " ");
        writeAll(journalFd, record);
        writeAll(journalFd, "\n");
        writeAll(STDERR_FILENO, "switchboard: fatal ");
        writeAll(STDERR_FILENO, signalName(signal));
        writeAll(STDERR_FILENO, " while running plugin ");
        writeAll(STDERR_FILENO, record);
        writeAll(STDERR_FILENO, "; this file will be refused at the next start\n");
    }
    // SA_RESETHAND restored the default action: re-raising kills the process as the signal
    // would have (with a core dump where enabled), so the supervisor sees the real cause.
    ::raise(signal);
}

}  // namespace

void CrashGuard::install(const std::filesystem::path& journal) {
    journalFd = ::open(journal.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (journalFd < 0) {
        throw std::runtime_error("cannot open the crash journal " + journal.string() + ": " +
                                 std::strerror(errno));
    }
    struct sigaction action {};
    action.sa_handler = onFatalSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESETHAND | SA_NODEFER;
    for (int signal : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
        sigaction(signal, &action, nullptr);
}

std::map<std::string, CrashRecord> CrashGuard::read(const std::filesystem::path& journal) {
    std::map<std::string, CrashRecord> crashes;
    std::ifstream in(journal);
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string word, seconds;
        CrashRecord record;
        if (!(fields >> word >> seconds >> record.signal >> record.sha256 >> record.name) ||
            word != "crash") {
            continue;  // a line cut short by the crash itself
        }
        std::getline(fields >> std::ws, record.file);
        try {
            record.at = Poco::DateTimeFormatter::format(
                Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(std::stoll(seconds))),
                Poco::DateTimeFormat::ISO8601_FORMAT);
        } catch (const std::exception&) {
            continue;
        }
        crashes[record.sha256] = record;
    }
    return crashes;
}

CrashGuard::Scope::Scope(const char* record) : previous_(runningPlugin) { runningPlugin = record; }

CrashGuard::Scope::~Scope() { runningPlugin = previous_; }

}  // namespace switchboard::plugins
