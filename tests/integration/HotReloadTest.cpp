// Hot reload against the real `switchboard serve` process: plugins replaced (rename over, and
// plain copy over the old file), removed, restored and broken while signed requests keep coming;
// half-written files; SIGHUP and POST /admin/reload; loose permissions; requests in flight across
// a reload; and /proc/<host pid>/maps showing that every replaced generation was really unmapped
// and its private copy deleted.
//
// Nothing here sleeps to assert: every wait polls for the expected state with a deadline.
#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + file.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sha256(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string millis(Clock::duration duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(duration).count()) +
           " ms";
}

/// Polls `done` every `interval` until it holds or `timeout` passed; returns its last value.
template <typename Predicate>
bool pollUntil(Predicate done, Clock::duration timeout = 3s, Clock::duration interval = 5ms) {
    const auto deadline = Clock::now() + timeout;
    for (;;) {
        if (done()) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(interval);
    }
}

/// A scratch directory for files that are not plugins (sources of deploys, event logs).
class ScratchDir {
public:
    ScratchDir() {
        char pattern[] = "/tmp/switchboard-hotreload-XXXXXX";
        if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

// ---- deploying plugin files ---------------------------------------------------------------

/// "Write a temp file, then rename": the temp name does not end in .so, so the host never
/// considers it; the rename makes the complete file appear at once.
void deployByRename(const std::string& bytes, const fs::path& target,
                    fs::perms mode = fs::perms(0644)) {
    const fs::path temp = target.parent_path() / ("." + target.filename().string() + ".tmp");
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) throw std::runtime_error("cannot write " + temp.string());
    }
    fs::permissions(temp, mode);
    fs::rename(temp, target);
}

/// A plain copy over the old file, as `cp new.so counter.so` does: the same inode is truncated
/// and rewritten (keeping its mode), so the host can see the file empty or half-written.
void overwriteInPlace(const std::string& bytes, const fs::path& target) {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot open " + target.string());
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("cannot write " + target.string());
}

// ---- the admin API's view -------------------------------------------------------------------

struct FailedLoad {
    std::string file;
    std::string sha256;
    std::string reason;
    std::string at;
};

/// One entry of GET /admin/plugins; `name` is empty for a file that failed and serves nothing.
struct PluginEntry {
    std::string name;
    std::string version;
    std::string file;
    std::string sha256;
    unsigned generation = 0;
    std::uint64_t calls = 0;
    std::optional<FailedLoad> lastFailedLoad;
};

std::string stringField(const rapidjson::Value& object, const char* key) {
    const auto member = object.FindMember(key);
    if (member == object.MemberEnd() || !member->value.IsString()) return {};
    return {member->value.GetString(), member->value.GetStringLength()};
}

std::vector<PluginEntry> listPlugins(const HostProcess& host) {
    const HttpResult result = host.admin("GET", "/admin/plugins");
    if (result.status != 200) {
        throw std::runtime_error("GET /admin/plugins answered " + std::to_string(result.status) +
                                 ": " + result.body);
    }
    rapidjson::Document document;
    document.Parse(result.body.c_str());
    if (document.HasParseError() || !document.IsArray()) {
        throw std::runtime_error("GET /admin/plugins is no JSON array: " + result.body);
    }
    std::vector<PluginEntry> entries;
    for (const rapidjson::Value& item : document.GetArray()) {
        PluginEntry entry;
        entry.name = stringField(item, "name");
        entry.version = stringField(item, "version");
        entry.file = stringField(item, "file");
        entry.sha256 = stringField(item, "sha256");
        if (item.HasMember("generation") && item["generation"].IsUint()) {
            entry.generation = item["generation"].GetUint();
        }
        if (item.HasMember("calls") && item["calls"].IsUint64()) {
            entry.calls = item["calls"].GetUint64();
        }
        if (item.HasMember("lastFailedLoad") && item["lastFailedLoad"].IsObject()) {
            const rapidjson::Value& failure = item["lastFailedLoad"];
            entry.lastFailedLoad =
                FailedLoad{stringField(failure, "file"), stringField(failure, "sha256"),
                           stringField(failure, "reason"), stringField(failure, "at")};
        }
        entries.push_back(std::move(entry));
    }
    return entries;
}

std::optional<PluginEntry> findPlugin(const HostProcess& host, const std::string& name) {
    for (PluginEntry& entry : listPlugins(host)) {
        if (entry.name == name) return std::move(entry);
    }
    return std::nullopt;
}

/// The entry of a file that failed and has no generation serving.
std::optional<PluginEntry> findFailedFile(const HostProcess& host, const fs::path& file) {
    for (PluginEntry& entry : listPlugins(host)) {
        if (entry.name.empty() && entry.file == file.string()) return std::move(entry);
    }
    return std::nullopt;
}

std::size_t loadedCount(const HostProcess& host) {
    const auto entries = listPlugins(host);
    return static_cast<std::size_t>(
        std::count_if(entries.begin(), entries.end(),
                      [](const PluginEntry& entry) { return !entry.name.empty(); }));
}

/// What POST /admin/reload answered.
struct ReloadAnswer {
    int status = 0;
    std::vector<std::string> loaded;
    std::vector<std::string> unloaded;
    std::vector<std::string> failedFiles;
    std::string body;
};

ReloadAnswer postReload(const HostProcess& host) {
    const HttpResult result = host.admin("POST", "/admin/reload");
    ReloadAnswer answer;
    answer.status = result.status;
    answer.body = result.body;
    rapidjson::Document document;
    document.Parse(result.body.c_str());
    if (document.HasParseError() || !document.IsObject()) {
        throw std::runtime_error("POST /admin/reload is no JSON object: " + result.body);
    }
    auto strings = [&](const char* key, std::vector<std::string>& into) {
        if (!document.HasMember(key) || !document[key].IsArray()) {
            throw std::runtime_error(std::string("POST /admin/reload has no array ") + key + ": " +
                                     result.body);
        }
        for (const rapidjson::Value& value : document[key].GetArray()) {
            if (value.IsString()) into.emplace_back(value.GetString(), value.GetStringLength());
            if (value.IsObject()) into.push_back(stringField(value, "file"));
        }
    };
    strings("loaded", answer.loaded);
    strings("unloaded", answer.unloaded);
    strings("failed", answer.failedFiles);
    return answer;
}

// ---- what the process maps ----------------------------------------------------------------

/// The private plugin copies the host maps (from /proc/<pid>/maps) and the files in its private
/// plugin directory, compared with the plugins it says are loaded.
struct PrivateCopies {
    std::size_t loaded = 0;
    std::set<std::string> mapped;   // distinct paths, "(deleted)" suffix removed
    std::set<std::string> deleted;  // mapped paths whose file was deleted: leaked generations
    std::set<std::string> onDisk;   // files in the private directory
    std::set<fs::path> directories;

    bool clean() const {
        return mapped.size() == loaded && deleted.empty() && onDisk == mapped &&
               directories.size() <= 1;
    }
    std::string describe() const {
        std::ostringstream out;
        out << loaded << " plugins loaded; " << mapped.size() << " private copies mapped:";
        for (const auto& path : mapped)
            out << "\n  " << path << (deleted.count(path) ? " (deleted)" : "");
        out << "\n" << onDisk.size() << " files in the private directory:";
        for (const auto& path : onDisk) out << "\n  " << path;
        return out.str();
    }
};

PrivateCopies privateCopies(const HostProcess& host) {
    PrivateCopies copies;
    copies.loaded = loadedCount(host);
    std::ifstream maps("/proc/" + std::to_string(host.pid()) + "/maps");
    if (!maps) throw std::runtime_error("cannot read /proc/<host pid>/maps");
    static const std::string kDeleted = " (deleted)";
    std::string line;
    while (std::getline(maps, line)) {
        const auto slash = line.find('/');
        if (slash == std::string::npos) continue;
        std::string path = line.substr(slash);
        if (path.find("/switchboard-plugins-") == std::string::npos) continue;
        const bool deleted =
            path.size() > kDeleted.size() &&
            path.compare(path.size() - kDeleted.size(), kDeleted.size(), kDeleted) == 0;
        if (deleted) path.resize(path.size() - kDeleted.size());
        copies.mapped.insert(path);
        if (deleted) copies.deleted.insert(path);
        copies.directories.insert(fs::path(path).parent_path());
    }
    for (const fs::path& directory : copies.directories) {
        std::error_code error;
        for (const auto& entry : fs::directory_iterator(directory, error)) {
            copies.onDisk.insert(entry.path().string());
        }
    }
    return copies;
}

/// Waits (deadline 5 s: unloading follows the last request of a generation) until the host maps
/// exactly one private copy per loaded plugin, none deleted-but-mapped, and its private
/// directory holds exactly those copies. Returns the last observation.
PrivateCopies expectNoLeakedCopies(const HostProcess& host) {
    PrivateCopies copies;
    const bool clean = pollUntil(
        [&] {
            copies = privateCopies(host);
            return copies.clean();
        },
        5s, 20ms);
    EXPECT_TRUE(clean) << copies.describe();
    EXPECT_GE(copies.loaded, 1u) << "nothing loaded: the check would prove nothing";
    return copies;
}

// ---- traffic ------------------------------------------------------------------------------

/// A Twilio-looking CallSid unique to (`stream`, `n`).
std::string callSid(unsigned stream, std::uint64_t n) {
    char sid[64];
    std::snprintf(sid, sizeof sid, "CA%08x%024llx", stream, static_cast<unsigned long long>(n));
    return sid;
}

/// Client threads sending signed call.statusUpdate requests back to back, each on a fresh
/// connection and with its own CallSid, counting answers other than 204 and exceptions.
class Traffic {
public:
    Traffic(const HostProcess& host, unsigned threads) : host_(host) {
        for (unsigned stream = 1; stream <= threads; ++stream) {
            threads_.emplace_back([this, stream] { run(stream); });
        }
    }
    ~Traffic() { stop(); }

    void stop() {
        stopping_ = true;
        for (auto& thread : threads_) {
            if (thread.joinable()) thread.join();
        }
    }
    std::uint64_t answered() const { return answered_.load(); }
    std::uint64_t failed() const { return failed_.load(); }
    /// The longest a request took to be answered.
    Clock::duration slowest() const {
        std::lock_guard lock(lock_);
        return slowest_;
    }
    std::string failures() const {
        std::lock_guard lock(lock_);
        std::string text;
        for (const auto& failure : failures_) text += "\n  " + failure;
        return text;
    }

private:
    void noteDuration(Clock::duration took) {
        std::lock_guard lock(lock_);
        slowest_ = std::max(slowest_, took);
    }

    void run(unsigned stream) {
        const twilio::Parameters base = samplePayload("call.statusUpdate.form");
        for (std::uint64_t n = 0; !stopping_; ++n) {
            std::string problem;
            try {
                const auto sent = Clock::now();
                const HttpResult result = host_.postForm(with(base, "CallSid", callSid(stream, n)));
                noteDuration(Clock::now() - sent);
                if (result.status == 204) {
                    ++answered_;
                    continue;
                }
                problem = "status " + std::to_string(result.status) + ": " + result.body;
            } catch (const std::exception& error) {
                problem = std::string("exception: ") + error.what();
            }
            ++failed_;
            std::lock_guard lock(lock_);
            if (failures_.size() < 20) failures_.push_back(std::move(problem));
        }
    }

    const HostProcess& host_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> answered_{0};
    std::atomic<std::uint64_t> failed_{0};
    mutable std::mutex lock_;
    std::vector<std::string> failures_;
    Clock::duration slowest_{};
    std::vector<std::thread> threads_;
};

/// Sends one call.statusUpdate with a fresh CallSid and returns the CounterVersion field that
/// event_log recorded for it after the counter plugin's before hook ran: the version whose code
/// handled the request, or "-" when no counter plugin ran.
std::string stampedVersion(const HostProcess& host, const fs::path& eventLog) {
    static std::atomic<std::uint64_t> probes{0};
    const std::string sid = callSid(0, ++probes);
    std::error_code ignored;
    const auto offset = fs::exists(eventLog) ? fs::file_size(eventLog, ignored) : 0;
    const HttpResult result =
        host.postForm(with(samplePayload("call.statusUpdate.form"), "CallSid", sid));
    if (result.status != 204) {
        throw std::runtime_error("probe answered " + std::to_string(result.status) + ": " +
                                 result.body);
    }
    // event_log's after hook may run after the answer was sent: wait for its line.
    const std::string needle = "[\"CallSid\",\"" + sid + "\"]";
    std::string line;
    const bool seen = pollUntil([&] {
        std::ifstream in(eventLog, std::ios::binary);
        in.seekg(static_cast<std::streamoff>(offset));
        std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        const auto at = text.find(needle);
        const auto end = at == std::string::npos ? at : text.find('\n', at);
        if (end == std::string::npos) return false;  // not there, or not completely yet
        const auto begin = text.rfind('\n', at);
        line = text.substr(begin == std::string::npos ? 0 : begin + 1,
                           end - (begin == std::string::npos ? 0 : begin + 1));
        return true;
    });
    if (!seen) throw std::runtime_error("event_log never recorded the probe " + sid);
    static const std::string kField = "[\"CounterVersion\",\"";
    const auto field = line.find(kField);
    if (field == std::string::npos) return "-";
    const auto value = field + kField.size();
    return line.substr(value, line.find('"', value) - value);
}

// ---- the tests ------------------------------------------------------------------------------

// 50 replacements of a plugin (alternately by rename and by a plain copy over the old file),
// a removal and a restore, and two broken versions, all while two clients send signed requests
// back to back: every request answered 204, every version's own behaviour seen on a request,
// the broken files refused while the previous version serves, nothing left mapped.
TEST(HotReload, SteadyTrafficSurvivesFiftyReplacements) {
    ScratchDir scratch;
    const fs::path eventLog = scratch / "events.jsonl";
    HostProcess host(Settings{{"plugins.event_log.path", eventLog.string()}},
                     {testPlugin("counter"), firstPartyPlugin("event_log")});
    const fs::path counterFile = host.pluginDir() / "counter.so";
    const std::string v1 = readBytes(testPlugin("counter"));
    const std::string v2 = readBytes(testPlugin("counter_v2"));

    auto counter = findPlugin(host, "counter");
    ASSERT_TRUE(counter) << host.log();
    ASSERT_EQ(counter->version, "1.0.0");
    ASSERT_EQ(stampedVersion(host, eventLog), "1.0.0");
    unsigned generation = counter->generation;

    Traffic traffic(host, 2);
    ASSERT_TRUE(pollUntil([&] { return traffic.answered() + traffic.failed() >= 20; }, 5s))
        << "the clients do not get through";

    // Waits until `sha` serves as counter `version` in a later generation; returns how long
    // that took since `since`.
    auto waitForCounter = [&](const std::string& version, const std::string& sha,
                              Clock::time_point since) -> std::optional<Clock::duration> {
        std::optional<PluginEntry> seen;
        const bool served = pollUntil(
            [&] {
                seen = findPlugin(host, "counter");
                return seen && seen->sha256 == sha && seen->generation > generation;
            },
            3s, 2ms);
        const auto took = Clock::now() - since;
        EXPECT_TRUE(served) << "counter " << version << " not serving 3 s after the deploy; "
                            << (seen ? "serving " + seen->version + " generation " +
                                           std::to_string(seen->generation)
                                     : std::string("no counter loaded"))
                            << "\n"
                            << host.log();
        if (!served) return std::nullopt;
        EXPECT_EQ(seen->version, version);
        EXPECT_EQ(seen->generation, generation + 1) << "one deploy, one load";
        EXPECT_FALSE(seen->lastFailedLoad) << seen->lastFailedLoad->reason;
        generation = seen->generation;
        return took;
    };

    Clock::duration slowestRename{}, slowestCopy{};
    for (int deploy = 0; deploy < 50; ++deploy) {
        const bool toV2 = deploy % 2 == 0;
        const std::string& bytes = toV2 ? v2 : v1;
        const std::string version = toV2 ? "2.0.0" : "1.0.0";
        const bool byRename = (deploy / 2) % 2 == 0;  // both versions both ways
        SCOPED_TRACE("deploy " + std::to_string(deploy + 1) + ": " + version +
                     (byRename ? " by rename" : " by a copy over the old file"));
        if (byRename) {
            deployByRename(bytes, counterFile);
        } else {
            overwriteInPlace(bytes, counterFile);
        }
        const auto deployed = Clock::now();
        const auto took = waitForCounter(version, sha256(bytes), deployed);
        ASSERT_TRUE(took);
        if (byRename) {
            EXPECT_LT(*took, 1s) << "the new version took " << millis(*took) << " to take effect";
            slowestRename = std::max(slowestRename, *took);
        } else {
            slowestCopy = std::max(slowestCopy, *took);
        }
        // Its own code handles requests now: it stamps its version on the event.
        EXPECT_EQ(stampedVersion(host, eventLog), version);
    }
    EXPECT_EQ(traffic.failed(), 0u) << traffic.failures();

    // A removed file unloads its plugin; restoring it loads it again.
    fs::remove(counterFile);
    ASSERT_TRUE(pollUntil([&] { return !findPlugin(host, "counter"); }))
        << "counter still loaded after its file was removed\n"
        << host.log();
    EXPECT_EQ(stampedVersion(host, eventLog), "-") << "a removed plugin's hook still runs";
    deployByRename(v2, counterFile);
    ASSERT_TRUE(waitForCounter("2.0.0", sha256(v2), Clock::now()));
    EXPECT_EQ(stampedVersion(host, eventLog), "2.0.0");

    // Broken versions are refused; the previous generation keeps serving.
    const std::string previousSha = sha256(v2);
    auto expectRefusedWhileV2Serves = [&](const std::string& broken, const std::string& reason) {
        std::optional<PluginEntry> seen;
        const bool refused = pollUntil([&] {
            seen = findPlugin(host, "counter");
            return seen && seen->lastFailedLoad && seen->lastFailedLoad->sha256 == sha256(broken);
        });
        ASSERT_TRUE(refused) << "no lastFailedLoad for the broken counter.so\n" << host.log();
        EXPECT_EQ(seen->lastFailedLoad->file, counterFile.string());
        EXPECT_NE(seen->lastFailedLoad->reason.find(reason), std::string::npos)
            << seen->lastFailedLoad->reason;
        EXPECT_FALSE(seen->lastFailedLoad->at.empty());
        EXPECT_EQ(seen->version, "2.0.0");
        EXPECT_EQ(seen->sha256, previousSha);
        EXPECT_EQ(seen->generation, generation);
        EXPECT_EQ(stampedVersion(host, eventLog), "2.0.0") << "the previous version must serve";
        const std::string log = host.log();
        const auto line = log.find("plugin " + counterFile.string() +
                                   " refused: " + seen->lastFailedLoad->reason);
        EXPECT_NE(line, std::string::npos) << "the refusal is not in the log:\n" << log;
    };
    // Another ABI's plugin renamed over it.
    const std::string wrongAbi = readBytes(testPlugin("wrong_abi"));
    deployByRename(wrongAbi, counterFile);
    expectRefusedWhileV2Serves(wrongAbi, "a different major version");
    // Garbage copied over it.
    const std::string garbage(300000, 'x');
    overwriteInPlace(garbage, counterFile);
    expectRefusedWhileV2Serves(garbage, "not a shared object");

    // Requests kept flowing through the whole sequence.
    traffic.stop();
    EXPECT_EQ(traffic.failed(), 0u) << traffic.failures();
    EXPECT_GT(traffic.answered(), 200u);
    std::cout << "[ HotReload ] " << traffic.answered() << " requests answered, "
              << traffic.failed() << " failed, the slowest in " << millis(traffic.slowest())
              << "; rename-to-effect at most " << millis(slowestRename)
              << ", copy-to-effect at most " << millis(slowestCopy) << std::endl;

    const PrivateCopies copies = expectNoLeakedCopies(host);
    EXPECT_EQ(copies.loaded, 2u) << copies.describe();
}

// 100 copies over the plugin file, each followed by POST /admin/reload: the answer lists the load
// (unless the directory watcher made it first, which the answer then must not repeat), one load
// per copy, and the process maps no more plugin copies than it has plugins loaded.
TEST(HotReload, HundredReloadsLeakNoMappings) {
    HostProcess host({}, {testPlugin("counter")});
    const fs::path counterFile = host.pluginDir() / "counter.so";
    const std::string versions[] = {readBytes(testPlugin("counter_v2")),
                                    readBytes(testPlugin("counter"))};
    auto counter = findPlugin(host, "counter");
    ASSERT_TRUE(counter) << host.log();
    unsigned generation = counter->generation;

    int listedByTheAnswer = 0;
    for (int reload = 0; reload < 100; ++reload) {
        SCOPED_TRACE("reload " + std::to_string(reload + 1));
        const std::string& bytes = versions[reload % 2];
        overwriteInPlace(bytes, counterFile);
        const ReloadAnswer answer = postReload(host);
        ASSERT_EQ(answer.status, 200) << answer.body;
        const std::string expectedLoad =
            "counter generation " + std::to_string(generation + 1) + " from counter.so";
        if (!answer.loaded.empty()) {
            EXPECT_EQ(answer.loaded, std::vector<std::string>{expectedLoad}) << answer.body;
            EXPECT_EQ(answer.unloaded, std::vector<std::string>{"counter"}) << answer.body;
            ++listedByTheAnswer;
        }
        // Whoever loaded it, the reload answered only after the new file was serving.
        counter = findPlugin(host, "counter");
        ASSERT_TRUE(counter);
        ASSERT_EQ(counter->sha256, sha256(bytes)) << "the reload's answer came before the load";
        ASSERT_EQ(counter->generation, generation + 1) << "one copy, one load";
        EXPECT_EQ(counter->version, reload % 2 == 0 ? "2.0.0" : "1.0.0");
        generation = counter->generation;
    }
    std::cout << "[ HotReload ] POST /admin/reload listed " << listedByTheAnswer
              << " of the 100 loads (the directory watcher made the others)" << std::endl;
    // The watcher waits 50 ms before it reloads, the POST comes right after the copy: the
    // watcher can only win now and then.
    EXPECT_GE(listedByTheAnswer, 50);

    const ReloadAnswer nothing = postReload(host);
    EXPECT_EQ(nothing.status, 200);
    EXPECT_TRUE(nothing.loaded.empty() && nothing.unloaded.empty()) << nothing.body;

    const PrivateCopies copies = expectNoLeakedCopies(host);
    EXPECT_EQ(copies.loaded, 1u) << copies.describe();
}

// SIGHUP forces a reload that also retries files whose exact bytes failed before, which the
// directory watcher and the periodic rescan never do: so the change seen here is the signal's.
TEST(HotReload, SighupReloads) {
    HostProcess host({}, {testPlugin("counter")});
    // counter 2.0.0 under another file name: refused while counter.so holds the name.
    const fs::path next = host.pluginDir() / "counter_next.so";
    deployByRename(readBytes(testPlugin("counter_v2")), next);
    std::optional<PluginEntry> refused;
    ASSERT_TRUE(pollUntil([&] {
        refused = findFailedFile(host, next);
        return refused && refused->lastFailedLoad;
    })) << host.log();
    EXPECT_NE(refused->lastFailedLoad->reason.find("already loaded from another file"),
              std::string::npos)
        << refused->lastFailedLoad->reason;

    // The name is free now, but the watcher does not retry the same bytes.
    fs::remove(host.pluginDir() / "counter.so");
    ASSERT_TRUE(pollUntil([&] { return !findPlugin(host, "counter"); })) << host.log();

    host.signal(SIGHUP);
    std::optional<PluginEntry> counter;
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter.has_value();
    })) << "SIGHUP did not retry counter_next.so\n"
        << host.log();
    EXPECT_EQ(counter->version, "2.0.0");
    EXPECT_EQ(counter->file, next.string());
    EXPECT_FALSE(counter->lastFailedLoad);
    EXPECT_NE(host.log().find("SIGHUP: reloading plugins"), std::string::npos) << host.log();
    EXPECT_EQ(host.postForm(samplePayload("call.statusUpdate.form")).status, 204);
    expectNoLeakedCopies(host);
}

// A plugin file, or the plugin directory, writable by group or others is refused with a reason
// naming it; what was loaded before keeps serving; plugins.strictPermissions=false accepts them.
TEST(HotReload, LoosePermissionsAreRefused) {
    HostProcess host({}, {testPlugin("counter")});
    const fs::path counterFile = host.pluginDir() / "counter.so";
    const std::string v1 = readBytes(testPlugin("counter"));
    const std::string v2 = readBytes(testPlugin("counter_v2"));
    const std::string reason = "is writable by group or others";
    std::optional<PluginEntry> counter;

    // The loaded file made writable by others (chmod sends no inotify event: a forced reload).
    fs::permissions(counterFile, fs::perms(0666));
    postReload(host);
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter && counter->lastFailedLoad;
    })) << host.log();
    EXPECT_NE(
        counter->lastFailedLoad->reason.find(counterFile.string() + " " + reason + " (mode 0666)"),
        std::string::npos)
        << counter->lastFailedLoad->reason;
    EXPECT_EQ(counter->version, "1.0.0") << "the loaded version must keep serving";
    EXPECT_EQ(counter->generation, 1u);
    // Fixed: the refusal is no longer reported.
    fs::permissions(counterFile, fs::perms(0644));
    postReload(host);
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter && !counter->lastFailedLoad;
    })) << "the refusal is still reported after chmod go-w: "
        << (counter && counter->lastFailedLoad ? counter->lastFailedLoad->reason : "");
    EXPECT_EQ(counter->generation, 1u) << "the same bytes must keep their generation";

    // A new version with mode 0666.
    deployByRename(v2, counterFile, fs::perms(0666));
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter && counter->lastFailedLoad;
    })) << host.log();
    EXPECT_EQ(counter->lastFailedLoad->file, counterFile.string());
    EXPECT_NE(
        counter->lastFailedLoad->reason.find(counterFile.string() + " " + reason + " (mode 0666)"),
        std::string::npos)
        << counter->lastFailedLoad->reason;
    EXPECT_EQ(counter->version, "1.0.0") << "the previous version must keep serving";
    EXPECT_EQ(counter->sha256, sha256(v1));
    EXPECT_TRUE(host.waitForLog("plugin " + counterFile.string() +
                                " refused: " + counterFile.string() + " " + reason))
        << host.log();

    // chmod go-w and a reload: accepted.
    fs::permissions(counterFile, fs::perms(0644));
    EXPECT_NE(postReload(host).status, 0);
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter && counter->version == "2.0.0";
    })) << host.log();
    EXPECT_FALSE(counter->lastFailedLoad);

    // The directory made writable by others: a new file in it is not loaded, and the plugins
    // loaded before it became loose keep serving.
    const unsigned generation = counter->generation;
    fs::permissions(host.pluginDir(), fs::perms(0777));
    deployByRename(v1, counterFile);
    const ReloadAnswer answer = postReload(host);  // after the rename: it sees the new file
    EXPECT_TRUE(answer.loaded.empty()) << answer.body;
    std::optional<PluginEntry> directory;
    ASSERT_TRUE(pollUntil([&] {
        directory = findFailedFile(host, host.pluginDir());
        return directory && directory->lastFailedLoad;
    })) << host.log();
    EXPECT_NE(directory->lastFailedLoad->reason.find(host.pluginDir().string() + " " + reason +
                                                     " (mode 0777)"),
              std::string::npos)
        << directory->lastFailedLoad->reason;
    EXPECT_TRUE(host.waitForLog("plugin " + host.pluginDir().string() +
                                " refused: " + host.pluginDir().string() + " " + reason))
        << host.log();
    counter = findPlugin(host, "counter");
    ASSERT_TRUE(counter) << "refusing the directory unloaded the plugins loaded from it\n"
                         << host.log();
    EXPECT_EQ(counter->version, "2.0.0");
    EXPECT_EQ(counter->generation, generation);

    // chmod go-w on the directory and a reload: the new file loads and the refusal is gone.
    fs::permissions(host.pluginDir(), fs::perms(0755));
    postReload(host);
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter && counter->version == "1.0.0";
    })) << host.log();
    EXPECT_FALSE(findFailedFile(host, host.pluginDir()))
        << "the directory's refusal is still reported after it was fixed";
    expectNoLeakedCopies(host);

    // Without strict permissions, both are accepted.
    HostProcess lax({{"plugins.strictPermissions", "false"}}, {testPlugin("counter")});
    fs::permissions(lax.pluginDir(), fs::perms(0777));
    deployByRename(v2, lax.pluginDir() / "counter.so", fs::perms(0666));
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(lax, "counter");
        return counter && counter->version == "2.0.0";
    })) << lax.log();
    EXPECT_FALSE(counter->lastFailedLoad);
    EXPECT_EQ(lax.log().find(reason), std::string::npos) << lax.log();
}

/// How many of the host's threads sleep in nanosleep now (/proc/<pid>/task/*/wchan): the slow
/// plugin's hook does (std::this_thread::sleep_for); the host's own threads wait in futex,
/// epoll, poll or sigtimedwait. The admin API's `calls` cannot tell: it counts finished calls.
int threadsInNanosleep(const HostProcess& host) {
    int sleeping = 0;
    std::error_code error;
    for (const auto& task :
         fs::directory_iterator("/proc/" + std::to_string(host.pid()) + "/task", error)) {
        std::ifstream wchan(task.path() / "wchan");
        std::string where;
        std::getline(wchan, where);
        if (where.find("nanosleep") != std::string::npos) ++sleeping;
    }
    return sleeping;
}

// A request whose generation is replaced while its hook runs finishes on that generation: the
// old copy stays mapped until the request ends, the request succeeds, a request arriving after
// the swap runs the new generation, and the old generation is unmapped and deleted afterwards.
TEST(HotReload, InFlightRequestsFinishOnTheirGeneration) {
    constexpr auto kSleep = 1500ms;  // how long the slow plugin's before hook takes
    HostProcess host({{"plugins.slow.sleepMs", std::to_string(kSleep.count())}},
                     {testPlugin("slow")});
    const fs::path slowFile = host.pluginDir() / "slow.so";
    auto slow = findPlugin(host, "slow");
    ASSERT_TRUE(slow) << host.log();
    const unsigned oldGeneration = slow->generation;
    const PrivateCopies before = privateCopies(host);
    ASSERT_EQ(before.mapped.size(), 1u) << before.describe();
    const std::string oldCopy = *before.mapped.begin();
    const int idleSleepers = threadsInNanosleep(host);

    auto startRequest = [&host](std::atomic<int>& status) {
        return std::jthread([&host, &status] {
            try {
                status = host.postForm(samplePayload("message.statusUpdate.form")).status;
            } catch (const std::exception&) {
                status = -1;
            }
        });
    };
    std::atomic<int> firstStatus{0};
    const auto started = Clock::now();
    std::jthread first = startRequest(firstStatus);
    // In flight: a host thread sleeps in the slow hook of generation 1.
    ASSERT_TRUE(pollUntil([&] { return threadsInNanosleep(host) > idleSleepers; }, 5s, 2ms))
        << "the slow hook never started (or /proc/<pid>/task/*/wchan is unavailable)\n"
        << host.log();

    // The same code, other bytes: a new generation.
    deployByRename(readBytes(testPlugin("slow")) + std::string("\0generation 2", 13), slowFile);
    ASSERT_TRUE(pollUntil([&] {
        slow = findPlugin(host, "slow");
        return slow && slow->generation > oldGeneration;
    })) << host.log();
    const PrivateCopies during = privateCopies(host);
    ASSERT_EQ(firstStatus, 0) << "the request ended " << millis(Clock::now() - started)
                              << " after it started, before the check: raise kSleep";
    EXPECT_EQ(during.mapped.size(), 2u) << "the old generation must stay mapped while in use\n"
                                        << during.describe();
    EXPECT_TRUE(during.mapped.count(oldCopy)) << during.describe();
    EXPECT_TRUE(during.deleted.empty()) << during.describe();

    // A request arriving now runs the new generation.
    std::atomic<int> secondStatus{0};
    std::jthread second = startRequest(secondStatus);

    first.join();
    EXPECT_EQ(firstStatus, 204) << host.log();
    EXPECT_GE(Clock::now() - started, kSleep) << "the old generation's hook did not run to its end";
    // Once its last request ended, the old generation is unloaded and its copy deleted.
    PrivateCopies after;
    EXPECT_TRUE(pollUntil(
        [&] {
            after = privateCopies(host);
            return !after.mapped.count(oldCopy) && !fs::exists(oldCopy);
        },
        5s, 20ms))
        << "the drained generation is still mapped or on disk\n"
        << after.describe();
    second.join();
    EXPECT_EQ(secondStatus, 204) << host.log();
    slow = findPlugin(host, "slow");
    ASSERT_TRUE(slow);
    EXPECT_GT(slow->generation, oldGeneration);
    EXPECT_EQ(slow->calls, 1u) << "the request after the swap did not run the new generation";
    expectNoLeakedCopies(host);
}

// A plugin file caught half-written is not loaded, not even by a forced reload; once complete,
// it is.
TEST(HotReload, AHalfWrittenFileIsNotLoadedUntilComplete) {
    HostProcess host({}, {testPlugin("counter")});
    const fs::path counterFile = host.pluginDir() / "counter.so";
    const std::string v2 = readBytes(testPlugin("counter_v2"));
    const std::string v1Sha = sha256(readBytes(testPlugin("counter")));

    std::ofstream out(counterFile, std::ios::binary | std::ios::trunc);
    const std::streamsize half = static_cast<std::streamsize>(v2.size() / 2);
    out.write(v2.data(), half);
    out.flush();
    ASSERT_TRUE(out);
    // The reload starts after the flush, so it reads exactly the first half.
    const ReloadAnswer answer = postReload(host);
    EXPECT_TRUE(answer.status == 200 || answer.status == 422) << answer.body;
    EXPECT_TRUE(answer.loaded.empty()) << "a half-written file was loaded: " << answer.body;
    auto counter = findPlugin(host, "counter");
    ASSERT_TRUE(counter) << "a half-written file unloaded the serving version\n" << host.log();
    EXPECT_EQ(counter->sha256, v1Sha);
    EXPECT_EQ(counter->version, "1.0.0");

    out.write(v2.data() + half, static_cast<std::streamsize>(v2.size()) - half);
    out.close();
    ASSERT_TRUE(out);
    ASSERT_TRUE(pollUntil([&] {
        counter = findPlugin(host, "counter");
        return counter && counter->sha256 == sha256(v2);
    })) << host.log();
    EXPECT_EQ(counter->version, "2.0.0");
    EXPECT_FALSE(counter->lastFailedLoad) << counter->lastFailedLoad->reason;
    expectNoLeakedCopies(host);
}

}  // namespace
