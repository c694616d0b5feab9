// client.cpp - the blocking front door over run_session (see client.hpp).
#include "mailer/smtp/client.hpp"

#include <exception>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "mailer/smtp/session.hpp"

namespace tern::smtp {

const char* to_string(Stage stage) {
  switch (stage) {
    case Stage::connect: return "connect";
    case Stage::greeting: return "greeting";
    case Stage::ehlo: return "ehlo";
    case Stage::starttls: return "starttls";
    case Stage::mail_from: return "mail_from";
    case Stage::rcpt_to: return "rcpt_to";
    case Stage::data: return "data";
    case Stage::data_end: return "data_end";
    case Stage::quit: return "quit";
  }
  return "unknown";
}

void run_to_completion(asio::io_context& io, asio::awaitable<void> task, TransactionResult& result) {
  auto describe = [&result](const char* what) {
    result.network_error = std::string("internal error in SMTP session: ") + what;
  };
  try {
    io.restart();
    asio::co_spawn(io, std::move(task), [&describe](std::exception_ptr error) {
      if (!error) return;
      try {
        std::rethrow_exception(error);
      } catch (const std::exception& e) {
        describe(e.what());
      } catch (...) {
        describe("unknown exception");
      }
    });
    io.run();
  } catch (const std::exception& e) {
    describe(e.what());
  }
}

TransactionResult send_transaction(const Endpoint& endpoint, const TransactionRequest& request) {
  TransactionResult result;
  asio::io_context io;
  run_to_completion(io, run_session(endpoint, request, result), result);
  return result;
}

}  // namespace tern::smtp
