// webhook_receiver.cpp - see webhook_receiver.hpp.
#include "tests/peers/webhook_receiver.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "tests/peers/process.hpp"

namespace tern::testing {

struct WebhookReceiver::Impl {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  bool https = false;
  uint16_t port = 0;

  mutable std::mutex mutex;
  std::condition_variable released_cv;
  bool released = false;
  bool stopping = false;
  int fail_left = 0, fail_status = 500;
  int redirect_left = 0;
  std::string redirect_location;
  int hang_left = 0;
  std::vector<ReceivedRequest> records;

  void handle(const httplib::Request& req, httplib::Response& res);
  void start();
};

void WebhookReceiver::Impl::handle(const httplib::Request& req, httplib::Response& res) {
  ReceivedRequest record;
  record.method = req.method;
  record.path = req.path;
  record.body = req.body;
  for (const auto& [name, value] : req.headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    record.headers[lower] = value;
  }
  std::unique_lock lock(mutex);
  const size_t index = records.size();
  records.push_back(record);
  int status = 200;
  if (hang_left > 0) {
    --hang_left;
    released_cv.wait_for(lock, std::chrono::seconds(60), [this] { return released || stopping; });
    status = 500;
  } else if (fail_left > 0) {
    --fail_left;
    status = fail_status;
  } else if (redirect_left > 0) {
    --redirect_left;
    status = 302;
    res.set_header("Location", redirect_location);
  }
  records[index].answered = status;
  res.status = status;
  res.set_content(status == 200 ? "ok" : "scripted failure", "text/plain");
}

void WebhookReceiver::Impl::start() {
  server->Post(R"(.*)", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
  int bound = server->bind_to_any_port("127.0.0.1");
  if (bound <= 0) throw std::runtime_error("webhook receiver: cannot bind 127.0.0.1");
  port = static_cast<uint16_t>(bound);
  thread = std::thread([this] { server->listen_after_bind(); });
  if (!wait_until([this] { return server->is_running(); }, std::chrono::seconds(10)))
    throw std::runtime_error("webhook receiver did not start");
}

WebhookReceiver::WebhookReceiver() : impl_(std::make_unique<Impl>()) {
  impl_->server = std::make_unique<httplib::Server>();
  impl_->start();
}

WebhookReceiver::WebhookReceiver(const std::string& cert_file, const std::string& key_file)
    : impl_(std::make_unique<Impl>()) {
  auto server = std::make_unique<httplib::SSLServer>(cert_file.c_str(), key_file.c_str());
  if (!server->is_valid()) throw std::runtime_error("webhook receiver: bad certificate or key");
  impl_->server = std::move(server);
  impl_->https = true;
  impl_->start();
}

WebhookReceiver::~WebhookReceiver() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->released_cv.notify_all();
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

uint16_t WebhookReceiver::port() const { return impl_->port; }

std::string WebhookReceiver::url(const std::string& path, const std::string& host) const {
  return std::string(impl_->https ? "https://" : "http://") + host + ":" + std::to_string(impl_->port) + path;
}

void WebhookReceiver::fail_next(int n, int status) {
  std::lock_guard lock(impl_->mutex);
  impl_->fail_left = n;
  impl_->fail_status = status;
}

void WebhookReceiver::redirect_next(int n, const std::string& location) {
  std::lock_guard lock(impl_->mutex);
  impl_->redirect_left = n;
  impl_->redirect_location = location;
}

void WebhookReceiver::hang_next(int n) {
  std::lock_guard lock(impl_->mutex);
  impl_->hang_left = n;
  impl_->released = false;
}

void WebhookReceiver::release() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->released = true;
  }
  impl_->released_cv.notify_all();
}

std::vector<ReceivedRequest> WebhookReceiver::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->records;
}

std::size_t WebhookReceiver::count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->records.size();
}

bool WebhookReceiver::wait_for_count(std::size_t n, std::chrono::milliseconds deadline) const {
  return wait_until([&] { return count() >= n; }, deadline);
}

}  // namespace tern::testing
