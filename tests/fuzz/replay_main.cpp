// Replays inputs through a fuzz target without libFuzzer, so that the normal (GCC) build and
// the sanitized build run the seed corpus and every regression input as an ordinary test.
//
//   <name>_replay PATH...
//
// Each PATH is a file or a directory (read recursively, in name order; files whose names start
// with '.' or with "README" are skipped). Every input is copied into a buffer of exactly its
// size, as libFuzzer does, so that AddressSanitizer sees any over-read. A broken invariant
// aborts; the input's path is printed first so the failure names it. Exits 2 when a PATH does
// not exist or when there was no input at all (a misconfigured test, not a pass).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool skipped(const std::filesystem::path& path) {
    const std::string name = path.filename().string();
    return name.empty() || name[0] == '.' || name.rfind("README", 0) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path path(argv[i]);
        if (fs::is_directory(path)) {
            std::vector<fs::path> found;
            for (const auto& entry : fs::recursive_directory_iterator(path)) {
                if (entry.is_regular_file() && !skipped(entry.path()))
                    found.push_back(entry.path());
            }
            std::sort(found.begin(), found.end());
            inputs.insert(inputs.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(path)) {
            inputs.push_back(path);
        } else {
            std::fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
            return 2;
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "replay: no inputs to replay\n");
        return 2;
    }
    for (const fs::path& input : inputs) {
        std::ifstream file(input, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(file),
                                      std::istreambuf_iterator<char>()};
        if (!file.eof() && file.fail()) {
            std::fprintf(stderr, "replay: cannot read %s\n", input.c_str());
            return 2;
        }
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", input.c_str(), bytes.size());
        // Exactly sized (never a zero-sized new[]: a null pointer with size 0, like libFuzzer).
        std::unique_ptr<std::uint8_t[]> copy(bytes.empty() ? nullptr
                                                           : new std::uint8_t[bytes.size()]);
        if (!bytes.empty()) std::memcpy(copy.get(), bytes.data(), bytes.size());
        LLVMFuzzerTestOneInput(copy.get(), bytes.size());
    }
    std::fprintf(stderr, "replay: %zu inputs, all invariants held\n", inputs.size());
    return 0;
}
