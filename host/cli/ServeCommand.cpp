#include "cli/ServeCommand.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <pthread.h>
#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "admin/AdminServer.h"
#include "admin/Metrics.h"
#include "config/HostSettings.h"
#include "http/WebhookServer.h"
#include "log/Logging.h"
#include "plugins/CrashGuard.h"
#include "plugins/PluginManager.h"
#include "plugins/ReloadWatcher.h"

namespace switchboard::cli {
namespace {

Poco::Logger& hostLogger() { return Poco::Logger::get("switchboard"); }

// Blocks the signals the host handles in every thread, before any thread exists, so that
// they all reach the sigwait loop in run() instead of killing a random thread's process.
sigset_t blockHandledSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client that resets its connection while its answer is written must cost an EPIPE
    // error on that connection, not the process: Poco sends without MSG_NOSIGNAL.
    std::signal(SIGPIPE, SIG_IGN);
    return signals;
}

// Every connection waiting for its headers holds a descriptor: allow as many as the hard
// limit does, rather than the common soft default of 1024.
void raiseDescriptorLimit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

ServeCommand::ServeCommand()
    : Command("serve", "[--config FILE] [--port N] [--set key=value ...]",
              "Serve Twilio webhooks with the hook plugins of plugins.dir.") {}

void ServeCommand::defineOptions(Poco::Util::OptionSet& options) {
    Command::defineOptions(options);
    options.addOption(
        Poco::Util::Option("config", "c", "configuration file (properties)").argument("FILE"));
    options.addOption(
        Poco::Util::Option("port", "p", "port of the webhook listener (http.port)").argument("N"));
    options.addOption(Poco::Util::Option("set", "s", "set a configuration key, repeatable")
                          .argument("key=value")
                          .repeatable(true));
}

void ServeCommand::handleOption(const std::string& name, const std::string& value) {
    Command::handleOption(name, value);
    if (name == "config") configFile_ = value;
    if (name == "port") overrides_->setString("http.port", value);
    if (name == "set") {
        const auto equals = value.find('=');
        if (equals == std::string::npos || equals == 0) {
            throw Poco::Util::InvalidArgumentException("--set expects key=value, got '" + value +
                                                       "'");
        }
        overrides_->setString(value.substr(0, equals), value.substr(equals + 1));
    }
}

int ServeCommand::runCommand(const std::vector<std::string>& words) {
    if (!words.empty()) throw std::invalid_argument("unexpected argument '" + words.front() + "'");
    const sigset_t signals = blockHandledSignals();
    raiseDescriptorLimit();

    // Precedence: --set/--port, then the environment's token, then the file.
    Poco::AutoPtr<Poco::Util::LayeredConfiguration> config = new Poco::Util::LayeredConfiguration;
    config->add(overrides_, 0);
    Poco::AutoPtr<Poco::Util::MapConfiguration> environment = new Poco::Util::MapConfiguration;
    if (const char* token = std::getenv("TWILIO_AUTH_TOKEN"); token && *token) {
        environment->setString("twilio.authToken", token);
    }
    config->add(environment, 1);
    if (!configFile_.empty()) {
        try {
            config->add(new Poco::Util::PropertyFileConfiguration(configFile_), 2);
        } catch (const Poco::Exception& error) {
            std::cerr << "switchboard serve: cannot read configuration file " << configFile_ << ": "
                      << error.displayText() << '\n';
            return kConfig;
        }
    }

    config::HostSettings settings;
    try {
        log::configureLogging(config->getString("log.level", "information"),
                              config->getString("log.format", "text"));
        settings = config::HostSettings::from(*config);
    } catch (const std::exception& error) {
        std::cerr << "switchboard serve: " << error.what() << '\n';
        return kConfig;
    }
    if (!std::filesystem::is_directory(settings.pluginsDir)) {
        std::cerr << "switchboard serve: plugins.dir " << settings.pluginsDir
                  << " is not a directory; create it (it may be empty) or point plugins.dir at "
                     "the plugin directory\n";
        return kConfig;
    }
    if (!settings.validateSignatures) {
        hostLogger().warning(
            "twilio.validateSignatures=false: ANY client can post events; never do this in "
            "production");
    }

    try {
        admin::Metrics metrics;
        const std::filesystem::path crashJournal =
            std::filesystem::path(settings.stateDir) / "switchboard-crashes.log";
        try {
            plugins::CrashGuard::install(crashJournal);
        } catch (const std::exception& error) {
            hostLogger().warning(
                "%s: a plugin that crashes the host will be loaded again at the "
                "next start (set state.dir to a writable directory)",
                std::string(error.what()));
        }
        plugins::PluginManagerSettings pluginSettings;
        pluginSettings.directory = settings.pluginsDir;
        pluginSettings.order = settings.pluginsOrder;
        pluginSettings.strictPermissions = settings.strictPermissions;
        pluginSettings.crashJournal = crashJournal;
        plugins::PluginManager plugins(pluginSettings, *config);
        // Both listeners bind first: a host that cannot have its ports exits before any
        // plugin's init runs.
        http::WebhookServer webhook(settings, plugins, metrics);
        admin::AdminServer adminServer(settings, plugins, metrics, webhook);
        plugins.reload();
        plugins::ReloadWatcher watcher(plugins);
        webhook.start();
        adminServer.start();
        hostLogger().information("serving Twilio webhooks on http://%s:%hu%s (%z plugins loaded)",
                                 settings.httpAddress, webhook.port(), settings.webhookPath,
                                 plugins.current()->plugins().size());
        if (adminServer.enabled()) {
            hostLogger().information("admin API on http://%s:%hu", settings.adminAddress,
                                     adminServer.port());
        }

        for (;;) {
            int signal = 0;
            sigwait(&signals, &signal);
            if (signal == SIGHUP) {
                hostLogger().information("SIGHUP: reloading plugins");
                watcher.requestReload();
                continue;
            }
            hostLogger().information("%s: stopping; finishing requests in flight",
                                     std::string(signal == SIGINT ? "SIGINT" : "SIGTERM"));
            break;
        }
        watcher.stop();
        adminServer.stop();
        webhook.stop(settings.timeoutMs);
        hostLogger().information("stopped; destroying plugins");
        return kOk;
    } catch (const Poco::Exception& error) {
        std::cerr << "switchboard serve: " << error.displayText() << '\n';
        return kUnavailable;
    } catch (const std::exception& error) {
        std::cerr << "switchboard serve: " << error.what() << '\n';
        return kUnavailable;
    }
}

}  // namespace switchboard::cli
