#include "admin/AdminServer.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include "admin/AdminRouter.h"

namespace switchboard::admin {

AdminServer::AdminServer(const config::HostSettings& settings, plugins::PluginManager& plugins,
                         Metrics& metrics, const http::WebhookServer& webhook) {
    if (!settings.adminEnabled) return;
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(settings.adminAddress,
                                         static_cast<Poco::UInt16>(settings.adminPort)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(4);
    params->setMaxQueued(16);
    params->setKeepAlive(true);
    pool_ = std::make_unique<Poco::ThreadPool>(1, 4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new AdminRouter(plugins, metrics, webhook),
                                                      *pool_, socket, params);
}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start() {
    if (server_) server_->start();
}

void AdminServer::stop() {
    if (server_) server_->stopAll(true);
}

unsigned short AdminServer::port() const { return server_ ? server_->port() : 0; }

}  // namespace switchboard::admin
