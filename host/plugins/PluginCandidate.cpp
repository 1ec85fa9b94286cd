#include "plugins/PluginCandidate.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>
#include <elf.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <boost/dll/library_info.hpp>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <regex>
#include <sstream>
#include <system_error>

#include "plugins/CrashGuard.h"

namespace switchboard::plugins {
namespace {

// The descriptor of ABI 1.0 ends with hook_count: anything shorter cannot be read safely.
constexpr std::size_t kMinimumDescriptorSize =
    offsetof(switchboard_plugin_descriptor_t, hook_count) + sizeof(size_t);

std::string readWholeFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw PluginRefused("cannot read the file");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

// Refuses a file that is still being written even when the part already there would map: an
// ELF file whose program headers, loadable segments or section header table (which linkers
// write last) reach past its end is incomplete. Files that are not ELF for this byte order are
// left to the checks that follow.
template <typename Header, typename ProgramHeader>
void checkComplete(const std::string& bytes) {
    Header header;
    if (bytes.size() < sizeof header) return;
    std::memcpy(&header, bytes.data(), sizeof header);
    const std::uint64_t size = bytes.size();
    auto within = [size](std::uint64_t offset, std::uint64_t length) {
        return offset <= size && length <= size - offset;
    };
    auto incomplete = [size](const char* what, std::uint64_t end) {
        throw PluginRefused("incomplete: its " + std::string(what) + " end at byte " +
                            std::to_string(end) + " but the file has " + std::to_string(size) +
                            " bytes (still being written? deploy with a rename)");
    };
    const std::uint64_t programHeaders = std::uint64_t{header.e_phnum} * header.e_phentsize;
    if (!within(header.e_phoff, programHeaders)) {
        incomplete("program headers", header.e_phoff + programHeaders);
    }
    if (header.e_phentsize >= sizeof(ProgramHeader)) {
        for (std::uint64_t i = 0; i < header.e_phnum; ++i) {
            ProgramHeader segment;
            std::memcpy(&segment, bytes.data() + header.e_phoff + i * header.e_phentsize,
                        sizeof segment);
            if (segment.p_type == PT_LOAD && !within(segment.p_offset, segment.p_filesz)) {
                incomplete("loadable segments", segment.p_offset + segment.p_filesz);
            }
        }
    }
    if (header.e_shoff != 0) {
        // e_shnum 0 with a table: the real count is in section 0, which must be there at least.
        const std::uint64_t count = header.e_shnum == 0 ? 1 : header.e_shnum;
        const std::uint64_t sectionHeaders = count * header.e_shentsize;
        if (!within(header.e_shoff, sectionHeaders)) {
            incomplete("section headers", header.e_shoff + sectionHeaders);
        }
    }
}

void checkElfComplete(const std::string& bytes) {
    if (bytes.size() < EI_NIDENT || std::memcmp(bytes.data(), ELFMAG, SELFMAG) != 0) return;
    const unsigned char nativeData =
        std::endian::native == std::endian::little ? ELFDATA2LSB : ELFDATA2MSB;
    if (static_cast<unsigned char>(bytes[EI_DATA]) != nativeData) return;
    switch (static_cast<unsigned char>(bytes[EI_CLASS])) {
        case ELFCLASS64:
            checkComplete<Elf64_Ehdr, Elf64_Phdr>(bytes);
            break;
        case ELFCLASS32:
            checkComplete<Elf32_Ehdr, Elf32_Phdr>(bytes);
            break;
        default:
            break;
    }
}

std::filesystem::path uniqueCopyPath(const std::filesystem::path& privateDir,
                                     const std::filesystem::path& file) {
    static std::atomic<unsigned long> counter{0};
    return privateDir / (file.stem().string() + "." + std::to_string(::getpid()) + "." +
                         std::to_string(++counter) + ".so");
}

void writePrivateCopy(const std::filesystem::path& copy, const std::string& bytes) {
    std::ofstream out(copy, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw PluginRefused("cannot write the private copy " + copy.string());
}

std::string version(unsigned major, unsigned minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

void checkDescriptor(const switchboard_plugin_descriptor_t* descriptor) {
    if (!descriptor) throw PluginRefused("switchboard_plugin_entry returned no descriptor");
    // Only the version fields are read before the version is known to be one we understand.
    const std::string built = version(descriptor->abi_major, descriptor->abi_minor);
    const std::string host = version(SWITCHBOARD_ABI_VERSION_MAJOR, SWITCHBOARD_ABI_VERSION_MINOR);
    if (descriptor->abi_major != SWITCHBOARD_ABI_VERSION_MAJOR) {
        throw PluginRefused("built for plugin ABI " + built + ", this host speaks ABI " + host +
                            " (a different major version)");
    }
    if (descriptor->abi_minor > SWITCHBOARD_ABI_VERSION_MINOR) {
        throw PluginRefused("built for plugin ABI " + built + ", newer than this host's " + host +
                            ": upgrade the host");
    }
    if (descriptor->struct_size < kMinimumDescriptorSize) {
        throw PluginRefused("descriptor struct_size " + std::to_string(descriptor->struct_size) +
                            " is smaller than ABI 1.0's");
    }
    static const std::regex validName("[a-z0-9_-]{1,64}");
    if (!descriptor->name || !std::regex_match(descriptor->name, validName)) {
        throw PluginRefused("descriptor name must match [a-z0-9_-]{1,64}");
    }
    if (!descriptor->init || !descriptor->destroy) {
        throw PluginRefused("descriptor has no init or no destroy function");
    }
    if (descriptor->hook_count > 0 && !descriptor->hooks) {
        throw PluginRefused("descriptor declares hooks but has no hook table");
    }
}

}  // namespace

std::string PluginCandidate::fileSha256(const std::filesystem::path& file) {
    return sha256Hex(readWholeFile(file));
}

PluginCandidate PluginCandidate::open(const std::filesystem::path& file,
                                      const std::filesystem::path& privateDir) {
    PluginCandidate candidate;
    candidate.file_ = file;
    const std::string bytes = readWholeFile(file);
    // Hashing and copying the same bytes: what was checked is what gets mapped.
    candidate.sha256_ = sha256Hex(bytes);
    checkElfComplete(bytes);
    candidate.privateCopy_ = uniqueCopyPath(privateDir, file);
    writePrivateCopy(candidate.privateCopy_, bytes);

    try {
        boost::dll::library_info info(candidate.privateCopy_.string());
    } catch (const std::exception&) {
        throw PluginRefused("not a shared object (no ELF header for this machine)");
    }
    // Loading runs the library's own constructors, and the entry function is its code too:
    // a crash there must quarantine the file like a crash in a hook.
    const std::string crashRecord = candidate.sha256_ + " (loading) " + file.string();
    CrashGuard::Scope running(crashRecord.c_str());
    try {
        // RTLD_NOW: a missing symbol fails here, not in the middle of a request.
        // RTLD_LOCAL: plugins' own symbols never clash with each other's.
        candidate.library_.load(
            candidate.privateCopy_.string(),
            boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& error) {
        throw PluginRefused(std::string("cannot be loaded: ") + error.what());
    }
    if (!candidate.library_.has(SWITCHBOARD_PLUGIN_ENTRY_SYMBOL)) {
        throw PluginRefused("no entry symbol " SWITCHBOARD_PLUGIN_ENTRY_SYMBOL
                            " (build it with the SDK's SWITCHBOARD_PLUGIN macro or export it)");
    }
    auto& entry = candidate.library_.get<const switchboard_plugin_descriptor_t*()>(
        SWITCHBOARD_PLUGIN_ENTRY_SYMBOL);
    candidate.descriptor_ = entry();
    checkDescriptor(candidate.descriptor_);
    candidate.name_ = candidate.descriptor_->name;
    return candidate;
}

PluginCandidate::~PluginCandidate() {
    if (privateCopy_.empty()) return;  // moved from, or handed over to a LoadedPlugin
    library_.unload();
    std::error_code ignored;
    std::filesystem::remove(privateCopy_, ignored);
}

std::shared_ptr<LoadedPlugin> PluginCandidate::initialise(
    std::vector<std::pair<std::string, std::string>> config, unsigned generation) && {
    PluginOrigin origin{file_, privateCopy_, sha256_, generation, std::move(config)};
    try {
        auto loaded =
            std::make_shared<LoadedPlugin>(std::move(library_), *descriptor_, std::move(origin));
        privateCopy_.clear();  // the LoadedPlugin owns the copy now
        return loaded;
    } catch (const std::exception& error) {
        throw PluginRefused(error.what());
    }
}

}  // namespace switchboard::plugins
