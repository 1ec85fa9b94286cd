// bench_poco_bare: the ceiling of the HTTP stack the host is built on.
//
// Poco's own HTTPServer (a thread per connection, for as long as it is kept alive) with the
// host's limits (threads, queue, keep-alive and socket timeouts, a backlog of 1024), whose one
// handler reads the request body (as the host does, so that a keep-alive connection stays in
// step) and answers 204. Whatever the host does per request beyond this is the host's own
// cost, or saving.
//
//   bench_poco_bare --port N [--address A] [--threads N] [--queued N]
//                   [--keep-alive-ms N] [--timeout-ms N]
//
// Stops on SIGINT or SIGTERM.
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <pthread.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

namespace {

class NoContentHandler : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        char buffer[8192];
        std::istream& body = request.stream();
        while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
        }
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
        response.sendBuffer(nullptr, 0);
    }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(
        const Poco::Net::HTTPServerRequest&) override {
        return new NoContentHandler;
    }
};

[[noreturn]] void usage(const char* message) {
    std::cerr << "bench_poco_bare: " << message
              << "\nusage: bench_poco_bare --port N [--address A] [--threads N] [--queued N] "
                 "[--keep-alive-ms N] [--timeout-ms N]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string address = "127.0.0.1";
    int port = -1;
    int threads = 16;         // http.maxThreads
    int queued = 256;         // http.maxQueued
    int keepAliveMs = 10000;  // http.keepAliveTimeoutMs
    int timeoutMs = 10000;    // http.timeoutMs
    for (int i = 1; i < argc; ++i) {
        const std::string option = argv[i];
        if (i + 1 >= argc) usage(("missing value for " + option).c_str());
        const char* value = argv[++i];
        if (option == "--port")
            port = std::atoi(value);
        else if (option == "--address")
            address = value;
        else if (option == "--threads")
            threads = std::atoi(value);
        else if (option == "--queued")
            queued = std::atoi(value);
        else if (option == "--keep-alive-ms")
            keepAliveMs = std::atoi(value);
        else if (option == "--timeout-ms")
            timeoutMs = std::atoi(value);
        else
            usage(("unknown option " + option).c_str());
    }
    if (port < 0 || port > 65535) usage("--port is required (0..65535)");
    if (threads < 1 || queued < 1) usage("--threads and --queued must be positive");

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(threads);
    params->setMaxQueued(queued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(keepAliveMs * 1000LL));
    params->setTimeout(Poco::Timespan(timeoutMs * 1000LL));
    params->setServerName("bench_poco_bare");
    params->setSoftwareVersion("bench_poco_bare");

    try {
        Poco::Net::ServerSocket socket(
            Poco::Net::SocketAddress(address, static_cast<Poco::UInt16>(port)), 1024);
        Poco::ThreadPool pool(2, threads + 1);
        Poco::Net::HTTPServer server(new Factory, pool, socket, params);
        server.start();
        std::cerr << "bench_poco_bare: listening on http://" << address << ':' << server.port()
                  << " (threads " << threads << ", queued " << queued << ")\n";
        int signal = 0;
        sigwait(&signals, &signal);
        server.stopAll(true);
    } catch (const Poco::Exception& error) {
        std::cerr << "bench_poco_bare: " << error.displayText() << '\n';
        return 1;
    }
    return 0;
}
