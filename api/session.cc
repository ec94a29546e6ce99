#include "api/session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "api/problem.h"
#include "api/response.h"

namespace fupin::api {
namespace {

namespace net = boost::asio;
using boost::system::error_code;

// After refusing a request whose body may still be arriving, the session
// reads and discards for at most this long before closing, so the client
// can read the refusal instead of getting a reset (lingering close).
inline constexpr std::chrono::milliseconds kMaxLinger{2000};

// What a TLS session reads while waiting for a request to begin: one TLS
// record's worth of plaintext at most; the parser reads the rest.
inline constexpr std::size_t kFirstReadBytes = 16 * 1024;

inline constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

bool IsHttpError(const error_code& ec) {
  return ec.category() == make_error_code(http::error::end_of_stream).category();
}

bool ExpectsContinue(const Request& request) {
  auto expect = request.find(http::field::expect);
  if (expect == request.end()) return false;
  std::string_view value = expect->value();
  std::string_view wanted = "100-continue";
  if (value.size() != wanted.size()) return false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != wanted[i]) return false;
  }
  return true;
}

}  // namespace

template <class Stream>
BasicSession<Stream>::BasicSession(Stream stream, const SessionServices& services)
    : stream_(std::move(stream)),
      services_(services),
      read_deadline_(stream_.get_executor()),
      write_deadline_(stream_.get_executor()) {
  services_.metrics->ConnectionOpened();
}

template <class Stream>
BasicSession<Stream>::~BasicSession() {
  error_code ignored;
  socket().close(ignored);
  services_.metrics->ConnectionClosed();
  if (registry_id_) services_.registry->Remove(*registry_id_);
}

template <class Stream>
void BasicSession<Stream>::Start(uint64_t registry_id) {
  registry_id_ = registry_id;
  net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
    if constexpr (kTls) {
      self->Handshake();
    } else {
      self->ReadNext();
    }
  });
}

template <class Stream>
net::ip::tcp::socket& BasicSession<Stream>::socket() {
  return boost::beast::get_lowest_layer(stream_);
}

// The handshake counts as reading: it must complete within read_timeout,
// or a client could hold a connection by never finishing it.
template <class Stream>
void BasicSession<Stream>::Handshake() {
  if constexpr (kTls) {
    ArmRead(services_.limits.read_timeout);
    stream_.async_handshake(net::ssl::stream_base::server,
                            [self = this->shared_from_this()](error_code ec) {
                              if (self->closed_) return;
                              self->Disarm(self->read_deadline_);
                              if (ec) {
                                self->Close();
                                return;
                              }
                              self->ReadNext();
                            });
  }
}

template <class Stream>
void BasicSession<Stream>::Shutdown() {
  net::post(stream_.get_executor(), [self = this->shared_from_this()] {
    self->stopping_ = true;
    self->closing_ = true;
    if (self->closed_) return;
    if (self->lingering_ || (self->exchanges_.empty() && !self->writing_)) {
      self->Close();
      return;
    }
    self->Dispatch();  // answers the requests not yet handed out with 503
    self->WriteNext();
  });
}

// --- reading ---

template <class Stream>
void BasicSession<Stream>::ReadNext() {
  if (closed_ || closing_ || reading_ || exchanges_.size() >= services_.limits.max_pipelined) {
    return;
  }
  reading_ = true;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(services_.limits.header_bytes));
  parser_->body_limit(static_cast<std::uint64_t>(services_.limits.body_bytes));
  if (buffer_.size() > 0) {  // a pipelined request has already begun
    ReadHeader();
    return;
  }
  // Nothing outstanding: the idle deadline runs. With responses still
  // pending, the client is rightly waiting for them, not idle.
  awaiting_first_byte_ = true;
  if (exchanges_.empty()) {
    ArmRead(services_.limits.idle_timeout);
  } else {
    Disarm(read_deadline_);
  }
  AwaitFirstByte();
}

template <class Stream>
void BasicSession<Stream>::AwaitFirstByte() {
  if constexpr (kTls) {
    // The TLS layer may already hold the next request's bytes, read from
    // the socket with the previous one: the socket would never turn
    // readable for them. Read some of the request itself instead.
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                            [self = this->shared_from_this()](error_code ec, std::size_t n) {
                              self->buffer_.commit(n);
                              self->OnReadable(ec);
                            });
  } else {
    socket().async_wait(net::ip::tcp::socket::wait_read,
                        [self = this->shared_from_this()](error_code ec) { self->OnReadable(ec); });
  }
}

template <class Stream>
void BasicSession<Stream>::OnReadable(error_code ec) {
  awaiting_first_byte_ = false;
  if (closed_) return;
  if (ec) {
    Close();
    return;
  }
  ReadHeader();
}

template <class Stream>
void BasicSession<Stream>::ReadHeader() {
  // One deadline for the whole request, header and body: a client
  // trickling bytes cannot extend it.
  ArmRead(services_.limits.read_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = this->shared_from_this()](error_code ec, std::size_t) {
                            if (self->closed_) return;
                            self->OnHeader(ec);
                          });
}

template <class Stream>
void BasicSession<Stream>::OnHeader(error_code ec) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  if (parser_->is_done()) {
    OnRequest();
    return;
  }
  if (ExpectsContinue(parser_->get()) && !writing_ && exchanges_.empty() && !stopping_) {
    writing_ = true;
    ArmWrite(services_.limits.write_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = this->shared_from_this()](error_code write_ec, std::size_t) {
                       self->writing_ = false;
                       self->Disarm(self->write_deadline_);
                       if (self->closed_) return;
                       if (write_ec) {
                         self->Close();
                         return;
                       }
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

template <class Stream>
void BasicSession<Stream>::ReadBody() {
  http::async_read(stream_, buffer_, *parser_,
                   [self = this->shared_from_this()](error_code ec, std::size_t) {
                     if (self->closed_) return;
                     if (ec) {
                       self->OnReadError(ec);
                     } else {
                       self->OnRequest();
                     }
                   });
}

template <class Stream>
void BasicSession<Stream>::OnReadError(error_code ec) {
  reading_ = false;
  Disarm(read_deadline_);
  if (ec == http::error::end_of_stream) {
    // The client closed between requests: answer what it already sent.
    closing_ = true;
    if (exchanges_.empty() && !writing_) Close();
    return;
  }
  if (ec == http::error::body_limit) {
    Refuse(Status(ErrorCode::kPayloadTooLarge, "request body over the limit of " +
                                                   std::to_string(services_.limits.body_bytes) +
                                                   " bytes"));
    return;
  }
  if (ec == http::error::header_limit) {
    Refuse(Status(ErrorCode::kPayloadTooLarge, "request header over the limit of " +
                                                   std::to_string(services_.limits.header_bytes) +
                                                   " bytes"));
    return;
  }
  if (IsHttpError(ec) && ec != http::error::partial_message) {
    Refuse(Status(ErrorCode::kInvalidArgument, "malformed HTTP request: " + ec.message()));
    return;
  }
  // A truncated request, a reset, or the deadline: nothing to answer.
  Close();
}

template <class Stream>
void BasicSession<Stream>::OnRequest() {
  reading_ = false;
  Disarm(read_deadline_);
  Exchange exchange;
  exchange.id = next_exchange_++;
  exchange.received = SteadyClock::now();
  exchange.request = parser_->release();
  parser_.reset();
  const Request& request = *exchange.request;
  exchange.safe = request.method() == http::verb::get || request.method() == http::verb::head;
  if (!request.keep_alive()) closing_ = true;
  exchanges_.push_back(std::move(exchange));
  Dispatch();
  WriteNext();
  ReadNext();
}

// Answers with a problem built here (no handler) and closes afterwards.
template <class Stream>
void BasicSession<Stream>::Refuse(const Status& error) {
  closing_ = true;
  Exchange exchange;
  exchange.id = next_exchange_++;
  exchange.dispatched = true;
  exchange.response = ClosingProblemResponse(error);
  services_.metrics->ObserveRequest(RouteId::kUnmatched, HttpStatusFor(error.code()), 0);
  exchanges_.push_back(std::move(exchange));
  WriteNext();
}

// --- handling ---

template <class Stream>
void BasicSession<Stream>::Dispatch() {
  for (Exchange& exchange : exchanges_) {
    if (exchange.dispatched) continue;
    if (unsafe_in_flight_ || (!exchange.safe && in_flight_ > 0)) return;
    exchange.dispatched = true;
    bool accepted = false;
    if (!stopping_) {
      accepted = services_.pool->Submit([self = this->shared_from_this(), id = exchange.id,
                                         received = exchange.received,
                                         request = std::move(*exchange.request)]() mutable {
        Response response = self->services_.handle(request, received);
        net::post(self->stream_.get_executor(),
                  [self, id, response = std::move(response)]() mutable {
                    self->OnHandled(id, std::move(response));
                  });
      });
    }
    exchange.request.reset();
    if (!accepted) {
      closing_ = true;
      exchange.response =
          ClosingProblemResponse(Status(ErrorCode::kUnavailable, "the server is shutting down"));
      // Answers queued behind this one still go out; WriteNext() marks
      // the last one as closing.
      exchange.response->keep_alive(true);
      continue;
    }
    ++in_flight_;
    if (!exchange.safe) {
      unsafe_in_flight_ = true;
      return;
    }
  }
}

template <class Stream>
void BasicSession<Stream>::OnHandled(uint64_t id, Response response) {
  --in_flight_;
  for (Exchange& exchange : exchanges_) {
    if (exchange.id != id) continue;
    if (!exchange.safe) unsafe_in_flight_ = false;
    exchange.response = std::move(response);
    break;
  }
  if (closed_) return;
  Dispatch();
  WriteNext();
}

// --- writing ---

template <class Stream>
void BasicSession<Stream>::WriteNext() {
  if (closed_ || writing_ || exchanges_.empty() || !exchanges_.front().response) return;
  Response& response = *exchanges_.front().response;
  // The last answer before closing says so; earlier ones keep the
  // connection for the answers queued behind them.
  if (closing_ && exchanges_.size() == 1) response.keep_alive(false);
  writing_ = true;
  ArmWrite(services_.limits.write_timeout);
  http::async_write(
      stream_, response,
      [self = this->shared_from_this()](error_code ec, std::size_t) { self->OnWritten(ec); });
}

template <class Stream>
void BasicSession<Stream>::OnWritten(error_code ec) {
  writing_ = false;
  Disarm(write_deadline_);
  if (closed_) return;
  if (ec) {
    Close();
    return;
  }
  bool keep_alive = exchanges_.front().response->keep_alive();
  exchanges_.pop_front();
  if (!keep_alive) {
    Linger();
    return;
  }
  WriteNext();
  if (writing_) return;
  if (closing_ && exchanges_.empty()) {
    Close();  // also ends a read still waiting (shutdown)
    return;
  }
  ReadNext();
  if (reading_ && awaiting_first_byte_ && exchanges_.empty()) {
    ArmRead(services_.limits.idle_timeout);
  }
}

// --- closing ---

template <class Stream>
void BasicSession<Stream>::Linger() {
  if (stopping_ || reading_) {
    Close();
    return;
  }
  lingering_ = true;
  error_code ignored;
  socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
  ArmRead(std::min(services_.limits.read_timeout, kMaxLinger));
  DrainSome();
}

template <class Stream>
void BasicSession<Stream>::DrainSome() {
  socket().async_read_some(net::buffer(drain_),
                           [self = this->shared_from_this()](error_code ec, std::size_t) {
                             if (self->closed_) return;
                             if (ec) {
                               self->Close();
                               return;
                             }
                             self->DrainSome();
                           });
}

template <class Stream>
void BasicSession<Stream>::Close() {
  if (closed_) return;
  closed_ = true;
  Disarm(read_deadline_);
  Disarm(write_deadline_);
  error_code ignored;
  socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
  // Exchanges stay until destruction: a pending write still refers to
  // the front response until its handler has run.
}

// --- deadlines ---

template <class Stream>
void BasicSession<Stream>::ArmRead(std::chrono::milliseconds timeout) {
  read_deadline_.expires_after(timeout);
  read_deadline_.async_wait([self = this->shared_from_this()](error_code ec) {
    self->OnDeadline(ec, self->read_deadline_);
  });
}

template <class Stream>
void BasicSession<Stream>::ArmWrite(std::chrono::milliseconds timeout) {
  write_deadline_.expires_after(timeout);
  write_deadline_.async_wait([self = this->shared_from_this()](error_code ec) {
    self->OnDeadline(ec, self->write_deadline_);
  });
}

template <class Stream>
void BasicSession<Stream>::Disarm(net::steady_timer& timer) {
  timer.expires_at(SteadyClock::time_point::max());
}

template <class Stream>
void BasicSession<Stream>::OnDeadline(error_code ec, net::steady_timer& timer) {
  // A wait that completed just before the timer was re-armed or disarmed
  // sees an expiry in the future: not a deadline.
  if (ec || closed_ || timer.expiry() > SteadyClock::now()) return;
  if (!lingering_) services_.metrics->DeadlineExpired();
  Close();
}

template class BasicSession<PlainStream>;
template class BasicSession<TlsStream>;

}  // namespace fupin::api
