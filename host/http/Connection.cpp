#include "http/Connection.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timestamp.h>
#include <sys/epoll.h>

#include <memory>

namespace switchboard::http {

Connection::Connection(const Poco::Net::StreamSocket& socket,
                       Poco::Net::HTTPServerParams::Ptr params)
    : socket_(socket),
      fd_(socket_.impl()->sockfd()),
      params_(std::move(params)),
      session_(socket_, params_) {
    // Poco's session sets only the receive timeout: a client that does not read its answer
    // must not hold a worker for longer either.
    socket_.setSendTimeout(params_->getTimeout());
}

bool Connection::serve(RequestRouter& router, const std::atomic<bool>& serverStopping) {
    try {
        // The session's first-request check arms its keep-alive accounting (without it the
        // session answers "Connection: close"); it returns at once, the headers being there.
        if (!started_) {
            started_ = true;
            if (!session_.hasMoreRequests()) return false;
        }
        do {
            serveOne(router, serverStopping);
        } while (!serverStopping && session_.getKeepAlive() && session_.hasBufferedBytes());
        return !serverStopping && session_.getKeepAlive();
    } catch (...) {
        // The client went away or broke the protocol mid-request: nothing more to answer.
        return false;
    }
}

void Connection::serveOne(RequestRouter& router, bool serverStopping) {
    try {
        Poco::Net::HTTPServerResponseImpl response(session_);
        Poco::Net::HTTPServerRequestImpl request(response, session_, params_);
        response.setDate(Poco::Timestamp());
        response.setVersion(request.getVersion());
        response.setKeepAlive(params_->getKeepAlive() && request.getKeepAlive() &&
                              session_.canKeepAlive() && !serverStopping);
        const std::string& server = params_->getSoftwareVersion();
        if (!server.empty()) response.set("Server", server);
        try {
            std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(
                router.createRequestHandler(request));
            if (request.getExpectContinue() &&
                response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) {
                response.sendContinue();
            }
            handler->handleRequest(request, response);
            session_.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() &&
                                  session_.canKeepAlive());
        } catch (const Poco::Exception&) {
            if (!response.sent()) sendError(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
            throw;
        }
    } catch (const Poco::Net::NoMessageException&) {
        session_.setKeepAlive(false);  // the client closed the connection
    } catch (const Poco::Net::MessageException&) {
        sendError(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
    }
}

void Connection::sendError(Poco::Net::HTTPResponse::HTTPStatus status) {
    try {
        Poco::Net::HTTPServerResponseImpl response(session_);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setStatusAndReason(status);
        response.setKeepAlive(false);
        response.send();
    } catch (...) {
    }
    session_.setKeepAlive(false);
}

void Connection::close(int epoll) {
    Poco::FastMutex::ScopedLock lock(handOverLock_);
    if (closed_) return;
    closed_ = true;
    // While the descriptor is still this connection's: after close its number is reused.
    if (epoll >= 0) ::epoll_ctl(epoll, EPOLL_CTL_DEL, fd_, nullptr);
    try {
        socket_.close();
    } catch (...) {
    }
}

void Connection::abort() {
    Poco::FastMutex::ScopedLock lock(handOverLock_);
    if (closed_) return;
    try {
        socket_.shutdown();
    } catch (...) {
    }
}

}  // namespace switchboard::http
