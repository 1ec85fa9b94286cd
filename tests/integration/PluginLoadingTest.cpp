// What the loader refuses, and that the host goes on serving with the others.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "HostProcess.h"

using namespace switchboard;
using namespace switchboard::testing;

namespace {

class PluginLoading : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        // A text file named like a plugin, and a second file holding a plugin already loaded.
        scratch_ = new std::filesystem::path(std::filesystem::temp_directory_path() /
                                             ("switchboard-loading-" + std::to_string(::getpid())));
        std::filesystem::create_directories(*scratch_);
        std::ofstream(*scratch_ / "not_elf.so") << "this is not a shared object\n";
        std::filesystem::copy_file(testPlugin("stopper"), *scratch_ / "stopper_copy.so");
        host_ = new HostProcess(
            Settings{}, {testPlugin("stopper"), testPlugin("wrong_abi"), testPlugin("newer_minor"),
                         testPlugin("no_entry"), testPlugin("init_fails"), *scratch_ / "not_elf.so",
                         *scratch_ / "stopper_copy.so"});
    }
    static void TearDownTestSuite() {
        delete host_;
        std::filesystem::remove_all(*scratch_);
        delete scratch_;
    }
    static HostProcess* host_;
    static std::filesystem::path* scratch_;
};
HostProcess* PluginLoading::host_ = nullptr;
std::filesystem::path* PluginLoading::scratch_ = nullptr;

// One clear log line naming the file and the reason.
void expectRefusal(const HostProcess& host, const std::string& file, const std::string& reason) {
    const std::string log = host.log();
    const auto line = log.find("plugin " + (host.pluginDir() / file).string() + " refused: ");
    ASSERT_NE(line, std::string::npos) << log;
    const std::string text = log.substr(line, log.find('\n', line) - line);
    EXPECT_NE(text.find(reason), std::string::npos) << text;
}

TEST_F(PluginLoading, AFileThatIsNotASharedObjectIsRefused) {
    expectRefusal(*host_, "not_elf.so", "not a shared object");
}

TEST_F(PluginLoading, ALibraryWithoutTheEntrySymbolIsRefused) {
    expectRefusal(*host_, "no_entry.so", "no entry symbol switchboard_plugin_entry");
}

TEST_F(PluginLoading, AnotherAbiMajorIsRefused) {
    expectRefusal(*host_, "wrong_abi.so", "a different major version");
}

TEST_F(PluginLoading, ANewerAbiMinorIsRefused) {
    expectRefusal(*host_, "newer_minor.so", "newer than this host's");
}

TEST_F(PluginLoading, AFailingInitIsRefusedWithThePluginsReason) {
    expectRefusal(*host_, "init_fails.so", "init_fails: missing required setting 'apiKey'");
}

TEST_F(PluginLoading, ANameAlreadyLoadedIsRefused) {
    expectRefusal(*host_, "stopper_copy.so", "a plugin named 'stopper' is already loaded");
}

TEST_F(PluginLoading, TheOthersServe) {
    const HttpResult plugins = host_->admin("GET", "/admin/plugins");
    EXPECT_NE(plugins.body.find("\"name\":\"stopper\""), std::string::npos) << plugins.body;
    EXPECT_NE(plugins.body.find("\"lastFailedLoad\""), std::string::npos);
    const HttpResult result =
        host_->postForm(with(samplePayload("message.received.form"), "Body", "CUSTOM"));
    EXPECT_EQ(result.status, 200);
    EXPECT_EQ(result.body, "custom answer");
}

TEST(PluginConfiguration, APluginIsConfiguredAndCanBeDisabled) {
    HostProcess configured(
        Settings{{"plugins.init_fails.apiKey", "k"}, {"plugins.stopper.enabled", "false"}},
        {testPlugin("init_fails"), testPlugin("stopper")});
    const HttpResult plugins = configured.admin("GET", "/admin/plugins");
    EXPECT_NE(plugins.body.find("\"name\":\"init_fails\""), std::string::npos) << plugins.body;
    EXPECT_EQ(plugins.body.find("\"name\":\"stopper\""), std::string::npos) << plugins.body;
    const HttpResult result =
        configured.postForm(with(samplePayload("message.received.form"), "Body", "CUSTOM"));
    EXPECT_EQ(result.body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
}

}  // namespace
