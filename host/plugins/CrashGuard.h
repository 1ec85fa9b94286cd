#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>

namespace switchboard::plugins {

/// A plugin generation that crashed the host, as recorded in the crash journal.
struct CrashRecord {
    std::string sha256;
    std::string name;
    std::string file;
    std::string signal;
    std::string at;  // ISO 8601, UTC
};

/// Records which plugin generation was running when the process died of a fatal signal, so
/// that the next start can refuse that exact file (by SHA-256) instead of crashing again.
///
/// Plugins run in-process by design, so a crash in one takes the host down; what the host can
/// do is come back fast without it. The handler is async-signal-safe: it writes a line that
/// was formatted before the hook was called, with write(2), then lets the signal kill the
/// process as it would have.
class CrashGuard {
public:
    /// Opens the journal for appending and installs the handler for SIGSEGV, SIGBUS, SIGILL,
    /// SIGFPE and SIGABRT. Throws std::runtime_error when the journal cannot be opened.
    static void install(const std::filesystem::path& journal);

    /// The crashes recorded in `journal`, by SHA-256 (the latest of each).
    static std::map<std::string, CrashRecord> read(const std::filesystem::path& journal);

    /// Marks the current thread as running plugin code described by `record` (a line
    /// "sha256 name file" that must outlive the scope) until the scope ends.
    class Scope {
    public:
        explicit Scope(const char* record);
        ~Scope();
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        const char* previous_;
    };
};

}  // namespace switchboard::plugins
