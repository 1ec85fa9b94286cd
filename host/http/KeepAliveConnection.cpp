#include "http/KeepAliveConnection.h"

#include <Poco/Delegate.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>
#include <poll.h>

#include <cerrno>
#include <memory>

namespace switchboard::http {
namespace {

// Poco's server session, with what it has already read from the socket made visible: bytes
// past the current request are a pipelined next request, already off the socket.
class ServerSession : public Poco::Net::HTTPServerSession {
public:
    using HTTPServerSession::HTTPServerSession;
    bool hasBufferedBytes() const { return buffered() > 0; }
};

void sendError(ServerSession& session, Poco::Net::HTTPResponse::HTTPStatus status) {
    Poco::Net::HTTPServerResponseImpl response(session);
    response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
    response.setStatusAndReason(status);
    response.setKeepAlive(false);
    response.send();
    session.setKeepAlive(false);
}

// True when the socket has something to read (a request, or the peer's close) within
// `timeout`; false when it stays silent.
bool waitReadable(int fd, const Poco::Timespan& timeout) {
    pollfd descriptor{fd, POLLIN, 0};
    int result;
    do {
        result = ::poll(&descriptor, 1, static_cast<int>(timeout.totalMilliseconds()));
    } while (result < 0 && errno == EINTR);
    return result > 0;
}

}  // namespace

KeepAliveConnection::KeepAliveConnection(const Poco::Net::StreamSocket& socket,
                                         Poco::Net::HTTPServerParams::Ptr params,
                                         Poco::SharedPtr<RequestRouter> router)
    : TCPServerConnection(socket), params_(std::move(params)), router_(std::move(router)) {
    router_->connectionsStopping() += Poco::delegate(this, &KeepAliveConnection::onServerStopped);
}

KeepAliveConnection::~KeepAliveConnection() {
    router_->connectionsStopping() -= Poco::delegate(this, &KeepAliveConnection::onServerStopped);
}

void KeepAliveConnection::run() {
    const std::string& server = params_->getSoftwareVersion();
    ServerSession session(socket(), params_);
    const int fd = socket().impl()->sockfd();
    // The session's first-request check also arms its keep-alive accounting (without it the
    // session answers "Connection: close"); it returns at once, the headers being there.
    if (!session.hasMoreRequests()) return;
    do {
        try {
            Poco::FastMutex::ScopedLock serving(serving_);
            if (stopped_) break;
            Poco::Net::HTTPServerResponseImpl response(session);
            Poco::Net::HTTPServerRequestImpl request(response, session, params_);
            response.setDate(Poco::Timestamp());
            response.setVersion(request.getVersion());
            response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                                  session.canKeepAlive());
            if (!server.empty()) response.set("Server", server);
            try {
                std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
                    router_->createRequestHandler(request));
                if (request.getExpectContinue() &&
                    response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
                    response.sendContinue();
                }
                handler->handleRequest(request, response);
                session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                                     session.canKeepAlive());
            } catch (const Poco::Exception&) {
                if (!response.sent()) {
                    try {
                        sendError(session, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
                    } catch (...) {
                    }
                }
                throw;
            }
        } catch (const Poco::Net::NoMessageException&) {
            break;  // the client closed the connection
        } catch (const Poco::Net::MessageException&) {
            sendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
        } catch (const Poco::Exception&) {
            if (session.networkException()) session.networkException()->rethrow();
            throw;
        }
    } while (!stopped_ && session.getKeepAlive() &&
             (session.hasBufferedBytes() || waitReadable(fd, params_->getKeepAliveTimeout())));
}

void KeepAliveConnection::onServerStopped(const bool& abortCurrent) {
    stopped_ = true;
    // Waits for the request being served, unless told to abort it; then wakes the thread
    // from its keep-alive wait, or cuts the request short.
    std::unique_ptr<Poco::FastMutex::ScopedLock> serving;
    if (!abortCurrent) serving = std::make_unique<Poco::FastMutex::ScopedLock>(serving_);
    try {
        socket().shutdown();
    } catch (...) {
    }
}

}  // namespace switchboard::http
