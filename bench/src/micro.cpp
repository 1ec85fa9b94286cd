// bench_micro: Google Benchmark micro-benchmarks of the host's per-request work, on the
// same body bench/run posts (samples/payloads/message.received.form, ~450 bytes).
//
//   BM_VerifySignature          SignatureValidator::validate over the decoded fields
//   BM_DecodeClassifyCheck      decodeForm + classify + checkSchema
//   BM_NoopHookCall_Raw         one `before` call of the noop plugin through its C function
//                               pointer (dlopen + descriptor): the floor of the C ABI
//   BM_NoopHookCall_HookChain   HookChain::runBefore on a PluginSet of one noop plugin loaded
//                               the way the host loads it (PluginCandidate): what the host
//                               really pays per plugin per phase
//   BM_HookChain_BeforeAfter/N  runBefore + runAfter with N noop plugins (N = 1, 4, 16)
//   BM_HookChain_BeforeAfter_Shared  the same with 16 plugins, from 1 and 2 threads at once
//                               (shared per-hook statistics: contended cache lines)
//   BM_RenderTwiml              the answer to a message.received without replies
//   BM_CurrentPluginSet         PluginManager::current(), which every request calls, from 1, 2
//                               and 64 threads at once on this machine's cores (the host runs
//                               one thread per keep-alive connection)
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <benchmark/benchmark.h>
#include <dlfcn.h>
#include <switchboard/plugin.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/Response.h"
#include "plugins/HookChain.h"
#include "plugins/HookContext.h"
#include "plugins/HostApi.h"
#include "plugins/PluginCandidate.h"
#include "plugins/PluginManager.h"
#include "plugins/PluginSet.h"
#include "twilio/EventSchema.h"
#include "twilio/FormDecoder.h"
#include "twilio/SignatureValidator.h"
#include "twilio/TwimlRenderer.h"

namespace {

namespace sb = switchboard;

constexpr const char* kToken = "8c82f8bfdc3826eaa68fba4ec3997b77";
constexpr const char* kUrl = "http://127.0.0.1:8080/webhooks/twilio";

const std::string& benchmarkBody() {
    static const std::string body = [] {
        const char* path = std::getenv("BENCH_BODY_FILE");
        std::ifstream in(path && *path ? path : SWITCHBOARD_BENCH_BODY_FILE, std::ios::binary);
        if (!in) throw std::runtime_error("cannot read the benchmark body");
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }();
    return body;
}

void BM_VerifySignature(benchmark::State& state) {
    const sb::twilio::SignatureValidator validator(kToken);
    const sb::twilio::Parameters fields = sb::twilio::decodeForm(benchmarkBody());
    const sb::twilio::SignedContent content{kUrl, &fields, std::nullopt};
    const std::string signature = validator.sign(content);
    for (auto _ : state) {
        const sb::twilio::SignatureVerdict verdict = validator.validate(content, signature);
        if (!verdict.valid) state.SkipWithError("signature did not validate");
        benchmark::DoNotOptimize(verdict.valid);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * benchmarkBody().size()));
}
BENCHMARK(BM_VerifySignature);

void BM_DecodeClassifyCheck(benchmark::State& state) {
    const std::string& body = benchmarkBody();
    for (auto _ : state) {
        sb::twilio::Parameters fields = sb::twilio::decodeForm(body);
        const auto event = sb::twilio::classify(fields);
        if (event != sb::twilio::EventType::MessageReceived) {
            state.SkipWithError("not classified as message.received");
            break;
        }
        const auto violation = sb::twilio::checkSchema(*event, fields);
        benchmark::DoNotOptimize(violation);
        benchmark::DoNotOptimize(fields.data());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_DecodeClassifyCheck);

std::filesystem::path pluginFile(const std::string& name) {
    return std::filesystem::path(SWITCHBOARD_BENCH_PLUGINS_DIR) / (name + ".so");
}

void BM_NoopHookCall_Raw(benchmark::State& state) {
    void* library = ::dlopen(pluginFile("noop").c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        state.SkipWithError(::dlerror());
        return;
    }
    auto entry = reinterpret_cast<switchboard_plugin_entry_fn>(
        ::dlsym(library, SWITCHBOARD_PLUGIN_ENTRY_SYMBOL));
    const switchboard_plugin_descriptor_t* descriptor = entry ? entry() : nullptr;
    switchboard_on_before_fn before = nullptr;
    for (size_t i = 0; descriptor && i < descriptor->hook_count; ++i) {
        if (std::string(descriptor->hooks[i].event_name) == "message.received") {
            before = descriptor->hooks[i].before;
        }
    }
    void* pluginState = nullptr;
    if (!before ||
        descriptor->init(&sb::plugins::hostApi(), nullptr, {"{}", 2}, &pluginState) != 0) {
        state.SkipWithError("noop.so has no message.received before hook, or init failed");
        ::dlclose(library);
        return;
    }
    sb::plugins::HookContext context;
    context.event = sb::twilio::EventType::MessageReceived;
    switchboard_before_action_t action = SWITCHBOARD_CONTINUE;
    for (auto _ : state) {
        benchmark::DoNotOptimize(before);  // keep the call indirect: the compiler sees a pointer
        action =
            before(pluginState, sb::plugins::toContext(&context), sb::plugins::toEvent(&context));
        benchmark::DoNotOptimize(action);
    }
    descriptor->destroy(pluginState);
    ::dlclose(library);
}
BENCHMARK(BM_NoopHookCall_Raw);

// Loads plugins the way PluginManager does: private copy, checks, init.
class LoadedSet {
public:
    explicit LoadedSet(const std::vector<std::string>& names) {
        char pattern[] = "/tmp/switchboard-bench-micro-XXXXXX";
        if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
        privateDir_ = pattern;
        std::vector<std::shared_ptr<const sb::plugins::LoadedPlugin>> plugins;
        for (const std::string& name : names) {
            auto candidate = sb::plugins::PluginCandidate::open(pluginFile(name), privateDir_);
            plugins.push_back(std::move(candidate).initialise({}, 1));
        }
        set_ = std::make_unique<sb::plugins::PluginSet>(std::move(plugins));
    }
    ~LoadedSet() {
        set_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(privateDir_, ignored);
    }
    const sb::plugins::PluginSet& set() const { return *set_; }

private:
    std::filesystem::path privateDir_;
    std::unique_ptr<sb::plugins::PluginSet> set_;
};

std::vector<std::string> noopNames(int count) {
    if (count == 1) return {"noop"};
    std::vector<std::string> names;
    for (int i = 1; i <= count; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "noop_%02d", i);
        names.emplace_back(name);
    }
    return names;
}

void BM_NoopHookCall_HookChain(benchmark::State& state) {
    const LoadedSet loaded(noopNames(1));
    sb::twilio::Parameters fields = sb::twilio::decodeForm(benchmarkBody());
    sb::plugins::HookContext context;
    context.event = sb::twilio::EventType::MessageReceived;
    context.fields = &fields;
    const sb::plugins::HookChain chain(std::chrono::seconds(1));
    for (auto _ : state) {
        const sb::plugins::BeforeOutcome outcome = chain.runBefore(loaded.set(), context);
        benchmark::DoNotOptimize(outcome.kind);
    }
}
BENCHMARK(BM_NoopHookCall_HookChain);

// runBefore + runAfter of one message.received over `loaded`, as long as `state` runs.
void runBeforeAndAfter(benchmark::State& state, const LoadedSet& loaded) {
    sb::twilio::Parameters fields = sb::twilio::decodeForm(benchmarkBody());
    sb::plugins::HookContext context;
    context.event = sb::twilio::EventType::MessageReceived;
    context.fields = &fields;
    const sb::http::Response response{200, "text/xml",
                                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>"};
    const sb::plugins::HookChain chain(std::chrono::seconds(1));
    for (auto _ : state) {
        const sb::plugins::BeforeOutcome outcome = chain.runBefore(loaded.set(), context);
        benchmark::DoNotOptimize(outcome.kind);
        chain.runAfter(loaded.set(), context, response);
    }
}

void BM_HookChain_BeforeAfter(benchmark::State& state) {
    const LoadedSet loaded(noopNames(static_cast<int>(state.range(0))));
    runBeforeAndAfter(state, loaded);
    state.counters["plugins"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_HookChain_BeforeAfter)->Arg(1)->Arg(4)->Arg(16);

// The same 16 plugins called from several threads at once, as a loaded host's workers call
// them: the per-hook statistics are shared, and their counters' cache lines contended.
void BM_HookChain_BeforeAfter_Shared(benchmark::State& state) {
    static const LoadedSet loaded(noopNames(16));
    runBeforeAndAfter(state, loaded);
}
BENCHMARK(BM_HookChain_BeforeAfter_Shared)->Threads(1)->Threads(2)->UseRealTime();

void BM_RenderTwiml(benchmark::State& state) {
    const std::vector<sb::twilio::ReplyMessage> replies;
    for (auto _ : state) {
        std::string twiml = sb::twilio::renderTwiml(replies);
        benchmark::DoNotOptimize(twiml.data());
    }
}
BENCHMARK(BM_RenderTwiml);

// One manager for all threads of the benchmark, over an empty plugin directory.
class CurrentPluginSetFixture : public benchmark::Fixture {
public:
    void SetUp(const benchmark::State& state) override {
        if (state.thread_index() != 0) return;
        char pattern[] = "/tmp/switchboard-bench-current-XXXXXX";
        if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
        directory_ = pattern;
        config_ = new Poco::Util::MapConfiguration;
        sb::plugins::PluginManagerSettings settings;
        settings.directory = directory_;
        settings.strictPermissions = false;
        settings.privateRoot = directory_;
        manager_ = std::make_unique<sb::plugins::PluginManager>(std::move(settings), *config_);
    }
    void TearDown(const benchmark::State& state) override {
        if (state.thread_index() != 0) return;
        manager_.reset();
        std::error_code ignored;
        std::filesystem::remove_all(directory_, ignored);
    }

protected:
    std::filesystem::path directory_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> config_;
    std::unique_ptr<sb::plugins::PluginManager> manager_;
};

BENCHMARK_DEFINE_F(CurrentPluginSetFixture, BM_CurrentPluginSet)(benchmark::State& state) {
    for (auto _ : state) {
        std::shared_ptr<const sb::plugins::PluginSet> set = manager_->current();
        benchmark::DoNotOptimize(set.get());
    }
}
BENCHMARK_REGISTER_F(CurrentPluginSetFixture, BM_CurrentPluginSet)
    ->Threads(1)
    ->Threads(2)
    ->Threads(64)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
