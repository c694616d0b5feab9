// webhook_receiver.hpp - an HTTP(S) endpoint that records webhook requests.
//
// Listens on 127.0.0.1:<free port> (cpp-httplib, its own thread), answers
// 200 "ok" to every POST and records method, path, headers (names
// lower-cased) and body. Scriptable: fail the next N requests with a status
// (500 by default), answer the next N with a redirect (302 + Location), or
// hang the next N until release() or the receiver is destroyed. Scripted
// requests are recorded too, with the status they got.
//
// Errors: throws std::runtime_error when it cannot start (test tool).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace tern::testing {

struct ReceivedRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  int answered = 0;  // the status we replied with (0 while hanging)
};

class WebhookReceiver {
 public:
  WebhookReceiver();  // plain http
  // https with this certificate chain and key (PEM files).
  WebhookReceiver(const std::string& cert_file, const std::string& key_file);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  uint16_t port() const;
  // url - "http://127.0.0.1:PORT/path" (or https / another host name).
  std::string url(const std::string& path = "/hook", const std::string& host = "127.0.0.1") const;

  void fail_next(int n, int status = 500);
  void redirect_next(int n, const std::string& location);
  void hang_next(int n);
  void release();  // let hanging requests answer (500)

  std::vector<ReceivedRequest> requests() const;
  std::size_t count() const;
  // wait_for_count - poll until at least n requests arrived or the deadline.
  bool wait_for_count(std::size_t n, std::chrono::milliseconds deadline = std::chrono::seconds(20)) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tern::testing
