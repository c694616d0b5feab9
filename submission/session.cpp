// session.cpp - the submission session coroutine: the command loop, TLS,
// AUTH and the mail transaction.
#include "submission/session.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>
#include <vector>

#include "mailer/address.hpp"
#include "mailer/smtp/server_command.hpp"
#include "store/util/log.hpp"
#include "submission/mail_params.hpp"
#include "submission/sasl.hpp"

namespace tern::submission {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using smtp::DataResult;
using smtp::Line;

// "Username:" and "Password:" in base64 (the LOGIN mechanism's prompts).
constexpr std::string_view kLoginUser = "334 VXNlcm5hbWU6";
constexpr std::string_view kLoginPassword = "334 UGFzc3dvcmQ6";

std::string_view domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

// non_ascii_local_part - RFC 6531 addresses whose local part is UTF-8.
// Tern accepts UTF-8 headers (SMTPUTF8) and IDNA domains, but delivers
// with ASCII envelopes only, so such an address gets RFC 6531 §3.7.4.1's
// 553 5.6.7 instead of a misleading syntax error.
bool non_ascii_local_part(std::string_view address) {
  const auto at = address.rfind('@');
  for (char c : address.substr(0, at)) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

constexpr std::string_view kNonAsciiRefused = "553 5.6.7 Non-ASCII local parts are not supported";

class Session {
 public:
  Session(tcp::socket socket, const SessionContext& context)
      : stream_(std::move(socket), context.tls),
        deadline_(stream_.next_layer()),
        io_(deadline_, context.options.limits),
        ctx_(context),
        options_(context.options) {
    boost::system::error_code ec;
    client_ = stream_.next_layer().remote_endpoint(ec).address().to_string();
  }

  asio::awaitable<void> run(bool implicit_tls);

 private:
  asio::awaitable<Line> read_line() {
    if (tls_) {
      auto result = co_await io_.read_line(stream_);
      co_return result;
    }
    {
      auto result = co_await io_.read_line(stream_.next_layer());
      co_return result;
    }
  }
  asio::awaitable<bool> reply(std::string_view text) {
    if (tls_) {
      auto result = co_await io_.reply(stream_, text);
      co_return result;
    }
    {
      auto result = co_await io_.reply(stream_.next_layer(), text);
      co_return result;
    }
  }
  asio::awaitable<DataResult> read_data() {
    if (tls_) {
      auto result = co_await io_.read_data(stream_);
      co_return result;
    }
    {
      auto result = co_await io_.read_data(stream_.next_layer());
      co_return result;
    }
  }
  // refuse - a counted protocol error's reply.
  asio::awaitable<bool> refuse(std::string_view text) {
    ++errors_;
    {
      auto result = co_await reply(text);
      co_return result;
    }
  }
  asio::awaitable<bool> handshake();

  // Each returns false when the session must end.
  asio::awaitable<bool> handle(const smtp::ServerCommand& command);
  asio::awaitable<bool> ehlo(const std::string& argument);
  asio::awaitable<bool> starttls(const std::string& argument);
  asio::awaitable<bool> auth(const std::string& argument);
  enum class Step { ok, link_failed, undecodable, cancelled };
  asio::awaitable<Step> sasl_step(std::string_view prompt, const std::optional<std::string>& initial,
                                  std::string& value);
  asio::awaitable<std::optional<Credentials>> read_credentials(const AuthArgument& auth, bool& alive);
  asio::awaitable<bool> verify(const Credentials& credentials);
  asio::awaitable<bool> mail(const std::string& argument);
  asio::awaitable<bool> rcpt(const std::string& argument);
  asio::awaitable<bool> data(const std::string& argument);

  void reset() {
    in_transaction_ = false;
    recipients_.clear();
  }

  ssl::stream<tcp::socket> stream_;
  smtp::Deadline deadline_;
  smtp::ServerIo io_;
  const SessionContext& ctx_;
  const SessionOptions& options_;
  std::string client_;
  bool tls_ = false;
  bool greeted_ = false;
  std::optional<Submitter> submitter_;
  bool in_transaction_ = false;
  std::vector<std::string> recipients_;
  int errors_ = 0;
  int auth_failures_ = 0;
};

asio::awaitable<bool> Session::handshake() {
  boost::system::error_code ec;
  deadline_.arm(options_.limits.command_timeout);
  co_await stream_.async_handshake(ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
  const bool expired = deadline_.disarm();
  if (ec || expired) {
    log::debug("submission: TLS handshake failed",
               {{"client", client_}, {"error", expired ? "timeout" : ec.message()}});
    co_return false;
  }
  tls_ = true;
  co_return true;
}

asio::awaitable<void> Session::run(bool implicit_tls) {
  if (implicit_tls && !co_await handshake()) co_return;
  if (!co_await reply("220 " + options_.hostname + " ESMTP Tern")) co_return;
  for (;;) {
    Line line = co_await read_line();
    if (line.status == Line::Status::closed) co_return;
    if (line.status == Line::Status::too_long) {
      co_await reply("500 5.5.2 Line too long");
      co_return;
    }
    if (!co_await handle(smtp::parse_server_command(line.text))) co_return;
    if (errors_ >= options_.max_errors) {
      co_await reply("421 4.7.0 Too many errors, closing connection");
      co_return;
    }
  }
}

asio::awaitable<bool> Session::handle(const smtp::ServerCommand& c) {
  if (c.verb == "EHLO") {
    auto result = co_await ehlo(c.argument);
    co_return result;
  }
  if (c.verb == "HELO") {
    if (c.argument.empty()) {
      auto result = co_await refuse("501 5.5.4 HELO needs a domain");
      co_return result;
    }
    greeted_ = true;
    reset();
    {
      auto result = co_await reply("250 " + options_.hostname);
      co_return result;
    }
  }
  if (c.verb == "STARTTLS") {
    auto result = co_await starttls(c.argument);
    co_return result;
  }
  if (c.verb == "AUTH") {
    auto result = co_await auth(c.argument);
    co_return result;
  }
  if (c.verb == "MAIL") {
    auto result = co_await mail(c.argument);
    co_return result;
  }
  if (c.verb == "RCPT") {
    auto result = co_await rcpt(c.argument);
    co_return result;
  }
  if (c.verb == "DATA") {
    auto result = co_await data(c.argument);
    co_return result;
  }
  if (c.verb == "RSET") {
    reset();
    {
      auto result = co_await reply("250 2.0.0 Ok");
      co_return result;
    }
  }
  if (c.verb == "NOOP") {
    auto result = co_await reply("250 2.0.0 Ok");
    co_return result;
  }
  if (c.verb == "QUIT") {
    co_await reply("221 2.0.0 Bye");
    co_return false;
  }
  if (c.verb == "VRFY") {
    auto result = co_await reply("252 2.5.2 Cannot VRFY user");
    co_return result;
  }
  if (c.verb == "EXPN" || c.verb == "ETRN" || c.verb == "TURN" || c.verb == "HELP") {
    auto result = co_await refuse("502 5.5.1 Command not implemented");
    co_return result;
  }
  {
    auto result = co_await refuse("500 5.5.2 Command unrecognized");
    co_return result;
  }
}

asio::awaitable<bool> Session::ehlo(const std::string& argument) {
  if (argument.empty()) {
    auto result = co_await refuse("501 5.5.4 EHLO needs a domain");
    co_return result;
  }
  greeted_ = true;
  reset();
  std::string text = "250-" + options_.hostname + "\r\n250-PIPELINING\r\n250-SIZE " +
                     std::to_string(options_.limits.max_message_bytes) +
                     "\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n";
  text += tls_ ? "250 AUTH PLAIN LOGIN" : "250 STARTTLS";
  {
    auto result = co_await reply(text);
    co_return result;
  }
}

asio::awaitable<bool> Session::starttls(const std::string& argument) {
  // Plain statements around each co_await: GCC 12 miscompiled this
  // coroutine when written as `co_return co_await` inside if-statements.
  std::string_view refusal;
  if (tls_)
    refusal = "503 5.5.1 TLS already active";
  else if (!argument.empty())
    refusal = "501 5.5.4 STARTTLS takes no argument";
  if (!refusal.empty()) {
    const bool alive = co_await refuse(refusal);
    co_return alive;
  }
  const bool sent = co_await reply("220 2.0.0 Ready to start TLS");
  if (!sent) co_return false;
  // RFC 3207 §4.2: forget what the client said before, and never run
  // commands it pipelined in plaintext behind STARTTLS.
  io_.discard_buffered();
  greeted_ = false;
  submitter_.reset();
  reset();
  const bool secured = co_await handshake();
  co_return secured;
}

asio::awaitable<bool> Session::auth(const std::string& argument) {
  if (!greeted_) {
    auto result = co_await refuse("503 5.5.1 Send EHLO first");
    co_return result;
  }
  if (!tls_) {
    auto result = co_await refuse("538 5.7.11 Encryption required for requested authentication mechanism");
    co_return result;
  }
  if (submitter_) {
    auto result = co_await refuse("503 5.5.1 Already authenticated");
    co_return result;
  }
  if (in_transaction_) {
    auto result = co_await refuse("503 5.5.1 AUTH not permitted during a mail transaction");
    co_return result;
  }
  if (ctx_.throttle.blocked(client_, ctx_.clock.now())) {
    log::warn("submission: AUTH refused, too many failures from this address", {{"client", client_}});
    co_await reply("421 4.7.0 Too many failed authentication attempts, try again later");
    co_return false;
  }
  AuthArgument parsed = parse_auth_argument(argument);
  if (parsed.mechanism != "PLAIN" && parsed.mechanism != "LOGIN") {
    auto result = co_await refuse("504 5.5.4 Unrecognized authentication type");
    co_return result;
  }
  bool alive = true;
  std::optional<Credentials> credentials = co_await read_credentials(parsed, alive);
  if (!alive) co_return false;
  if (!credentials) co_return true;  // already answered
  {
    auto result = co_await verify(*credentials);
    co_return result;
  }
}

// sasl_step - one client response: `initial` when given, else the answer
// to `prompt`; its decoded value in `value`.
asio::awaitable<Session::Step> Session::sasl_step(std::string_view prompt, const std::optional<std::string>& initial,
                                                  std::string& value) {
  std::string line;
  if (initial) {
    line = *initial;
  } else {
    if (!co_await reply(prompt)) co_return Step::link_failed;
    Line read = co_await read_line();
    if (read.status != Line::Status::ok) co_return Step::link_failed;
    line = std::move(read.text);
  }
  auto decoded = decode_response(line);
  if (!decoded) co_return Step::undecodable;
  if (decoded->cancelled) co_return Step::cancelled;
  value = std::move(decoded->value);
  co_return Step::ok;
}

// read_credentials - the exchange of one mechanism; nullopt once a reply
// has been sent (cancelled, undecodable), alive=false when the link failed.
asio::awaitable<std::optional<Credentials>> Session::read_credentials(const AuthArgument& auth, bool& alive) {
  const bool login = auth.mechanism == "LOGIN";
  const std::vector<std::string_view> prompts =
      login ? std::vector<std::string_view>{kLoginUser, kLoginPassword} : std::vector<std::string_view>{"334 "};
  std::vector<std::string> values(prompts.size());
  for (std::size_t i = 0; i < prompts.size(); ++i) {
    // Not a ?: inside the co_await: GCC 12 destroys such a temporary twice.
    const std::optional<std::string> initial = i == 0 ? auth.initial : std::nullopt;
    const Step step = co_await sasl_step(prompts[i], initial, values[i]);
    if (step == Step::link_failed) {
      alive = false;
      co_return std::nullopt;
    }
    if (step == Step::cancelled) {
      alive = co_await refuse("501 5.0.0 Authentication cancelled");
      co_return std::nullopt;
    }
    if (step == Step::undecodable || (login && !is_plain_value(values[i]))) {
      alive = co_await refuse("501 5.5.2 Cannot decode response");
      co_return std::nullopt;
    }
  }
  if (login) co_return Credentials{values[0], values[1]};
  auto plain = decode_plain(values[0]);
  if (!plain) {
    alive = co_await refuse("501 5.5.2 Cannot decode response");
    co_return std::nullopt;
  }
  co_return std::move(*plain);
}

asio::awaitable<bool> Session::verify(const Credentials& credentials) {
  const bool user_ok = options_.user == "*" || credentials.user == options_.user;
  std::optional<Submitter> who;
  if (user_ok && !credentials.password.empty()) {
    auto found = ctx_.gateway.authenticate(credentials.password);
    if (!found) {
      log::error("submission: API key lookup failed", {{"client", client_}, {"error", found.error().message}});
      {
        auto result = co_await reply("454 4.7.0 Temporary authentication failure");
        co_return result;
      }
    }
    who = std::move(*found);
  }
  if (!who) {
    ++auth_failures_;
    ctx_.throttle.record_failure(client_, ctx_.clock.now());
    log::info("submission: authentication failed", {{"client", client_}});
    if (!co_await reply("535 5.7.8 Authentication credentials invalid")) co_return false;
    if (auth_failures_ < options_.max_auth_failures) co_return true;
    co_await reply("421 4.7.0 Too many failed authentication attempts, closing connection");
    co_return false;
  }
  submitter_ = std::move(who);
  log::debug("submission: authenticated", {{"client", client_}, {"team", submitter_->team}});
  {
    auto result = co_await reply("235 2.7.0 Authentication successful");
    co_return result;
  }
}

asio::awaitable<bool> Session::mail(const std::string& argument) {
  if (!greeted_) {
    auto result = co_await refuse("503 5.5.1 Send EHLO first");
    co_return result;
  }
  if (!submitter_) {
    auto result = co_await refuse("530 5.7.0 Authentication required");
    co_return result;
  }
  if (in_transaction_) {
    auto result = co_await refuse("503 5.5.1 Nested MAIL command");
    co_return result;
  }
  auto path = smtp::parse_path_argument(argument, "FROM");
  if (!path) {
    auto result = co_await refuse("501 5.1.7 Bad sender address syntax");
    co_return result;
  }
  auto params = parse_mail_params(path->params);
  if (!params) {
    auto result = co_await refuse("555 5.5.4 " + params.error().message);
    co_return result;
  }
  if (non_ascii_local_part(path->path)) {
    auto result = co_await reply(kNonAsciiRefused);
    co_return result;
  }
  if (path->path.empty() || !mailer::is_valid_address(path->path)) {
    auto result = co_await refuse("501 5.1.7 Bad sender address syntax");
    co_return result;
  }
  if (params->size && *params->size > options_.limits.max_message_bytes) {
    auto result = co_await reply("552 5.3.4 Message size exceeds fixed maximum message size");
    co_return result;
  }
  std::string refused = ctx_.gateway.check_sender(*submitter_, domain_of(path->path));
  if (!refused.empty()) {
    auto result = co_await reply(refused);
    co_return result;
  }
  in_transaction_ = true;
  {
    auto result = co_await reply("250 2.1.0 Ok");
    co_return result;
  }
}

asio::awaitable<bool> Session::rcpt(const std::string& argument) {
  if (!in_transaction_) {
    auto result = co_await refuse("503 5.5.1 Need MAIL command first");
    co_return result;
  }
  auto path = smtp::parse_path_argument(argument, "TO");
  if (!path) {
    auto result = co_await refuse("501 5.1.3 Bad recipient address syntax");
    co_return result;
  }
  if (!path->params.empty()) {
    auto result = co_await refuse("555 5.5.4 RCPT parameters are not supported");
    co_return result;
  }
  if (non_ascii_local_part(path->path)) {
    auto result = co_await reply(kNonAsciiRefused);
    co_return result;
  }
  if (!mailer::is_valid_address(path->path)) {
    auto result = co_await refuse("501 5.1.3 Bad recipient address syntax");
    co_return result;
  }
  if (recipients_.size() >= options_.max_recipients) {
    auto result = co_await reply("452 4.5.3 Too many recipients");
    co_return result;
  }
  recipients_.push_back(path->path);
  {
    auto result = co_await reply("250 2.1.5 Ok");
    co_return result;
  }
}

asio::awaitable<bool> Session::data(const std::string& argument) {
  if (!argument.empty()) {
    auto result = co_await refuse("501 5.5.4 DATA takes no argument");
    co_return result;
  }
  if (!in_transaction_ || recipients_.empty()) {
    auto result = co_await refuse("503 5.5.1 Need RCPT command first");
    co_return result;
  }
  if (!co_await reply("354 End data with <CR><LF>.<CR><LF>")) co_return false;
  DataResult message = co_await read_data();
  if (message.status == DataResult::Status::too_long) {
    co_await reply("500 5.5.2 Line too long");
    co_return false;
  }
  if (message.status == DataResult::Status::closed) co_return false;
  if (message.status == DataResult::Status::too_big) {
    reset();
    {
      auto result = co_await reply("552 5.3.4 Message size exceeds fixed maximum message size");
      co_return result;
    }
  }
  std::string answer = ctx_.gateway.accept(*submitter_, recipients_, std::move(message.message));
  reset();
  {
    auto result = co_await reply(answer);
    co_return result;
  }
}

}  // namespace

asio::awaitable<void> run_session(tcp::socket socket, bool implicit_tls, const SessionContext& context) {
  Session session(std::move(socket), context);
  co_await session.run(implicit_tls);
}

}  // namespace tern::submission
