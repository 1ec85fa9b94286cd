// switchboard: the command-line entry point. Each word names a command; each command is a
// Poco application with its own options (see host/cli/).
#include <iostream>
#include <memory>
#include <string>

#include "cli/SendCommand.h"
#include "cli/ServeCommand.h"
#include "cli/SignatureCommands.h"

namespace {

std::unique_ptr<switchboard::cli::Command> makeCommand(const std::string& name) {
    using namespace switchboard::cli;
    if (name == "serve") return std::make_unique<ServeCommand>();
    if (name == "sign") return std::make_unique<SignCommand>();
    if (name == "verify") return std::make_unique<VerifyCommand>();
    if (name == "send") return std::make_unique<SendCommand>();
    return nullptr;
}

void printUsage(std::ostream& out) {
    out << "usage: switchboard COMMAND [OPTIONS]\n\n"
           "Commands:\n";
    for (const char* name : {"serve", "sign", "verify", "send"}) {
        out << "  " << name << std::string(8 - std::string(name).size(), ' ')
            << makeCommand(name)->summary() << '\n';
    }
    out << "\nRun `switchboard COMMAND --help` for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        printUsage(std::cerr);
        return switchboard::cli::kUsage;
    }
    const std::string name = argv[1];
    if (name == "help" || name == "--help" || name == "-h") {
        printUsage(std::cout);
        return switchboard::cli::kOk;
    }
    auto command = makeCommand(name);
    if (!command) {
        std::cerr << "switchboard: unknown command '" << name << "'\n\n";
        printUsage(std::cerr);
        return switchboard::cli::kUsage;
    }
    return command->execute(argc - 1, argv + 1);
}
