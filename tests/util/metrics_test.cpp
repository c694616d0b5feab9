#include "store/util/metrics.hpp"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/util/service_metrics.hpp"

namespace tern::metrics {
namespace {

bool contains(const std::string& text, const std::string& line) { return text.find(line) != std::string::npos; }

TEST(Metrics, CounterWithLabelsRendersTextFormat) {
  Registry r;
  auto& requests = r.counter("t_requests_total", "Requests.", {"route", "status"});
  requests.with({"/emails", "200"}).inc();
  requests.with({"/emails", "200"}).inc(2);
  requests.with({"/emails/:id", "404"}).inc();
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "# HELP t_requests_total Requests.\n# TYPE t_requests_total counter\n")) << text;
  EXPECT_TRUE(contains(text, "t_requests_total{route=\"/emails\",status=\"200\"} 3\n")) << text;
  EXPECT_TRUE(contains(text, "t_requests_total{route=\"/emails/:id\",status=\"404\"} 1\n")) << text;
}

TEST(Metrics, UnlabelledSeriesHasNoBraces) {
  Registry r;
  r.counter("t_total", "x").with({}).inc();
  r.gauge("t_gauge", "y").with({}).set(-2.5);
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "\nt_total 1\n")) << text;
  EXPECT_TRUE(contains(text, "# TYPE t_gauge gauge\nt_gauge -2.5\n")) << text;
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.counter("t_total", "a \\ b\nc", {"v"}).with({"q\"\\\n"}).inc();
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "# HELP t_total a \\\\ b\\nc\n")) << text;
  EXPECT_TRUE(contains(text, "t_total{v=\"q\\\"\\\\\\n\"} 1\n")) << text;
}

TEST(Metrics, HistogramBucketsAreCumulativeWithInf) {
  Registry r;
  auto& h = r.histogram("t_seconds", "Latency.", {0.1, 1}, {"route"}).with({"/x"});
  h.observe(0.05);
  h.observe(0.1);  // le is inclusive
  h.observe(0.5);
  h.observe(7);
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "# TYPE t_seconds histogram\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_bucket{route=\"/x\",le=\"1\"} 3\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_bucket{route=\"/x\",le=\"+Inf\"} 4\n")) << text;
  EXPECT_TRUE(contains(text, "t_seconds_sum{route=\"/x\"} 7.65")) << text;
  EXPECT_NEAR(h.sum(), 7.65, 1e-9);
  EXPECT_TRUE(contains(text, "t_seconds_count{route=\"/x\"} 4\n")) << text;
}

TEST(Metrics, SeriesPastTheCapShareOneOverflowSeries) {
  Registry r;
  auto& f = r.counter("t_total", "x", {"domain"}, 2);
  f.with({"a.test"}).inc();
  f.with({"b.test"}).inc();
  f.with({"c.test"}).inc();
  f.with({"d.test"}).inc();
  f.with({"a.test"}).inc();  // existing series still found
  const std::string text = r.render();
  EXPECT_TRUE(contains(text, "t_total{domain=\"a.test\"} 2\n")) << text;
  EXPECT_TRUE(contains(text, "t_total{domain=\"_other\"} 2\n")) << text;
  EXPECT_FALSE(contains(text, "c.test")) << text;
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry r;
  auto& f = r.counter("t_total", "x", {"worker"});
  auto& h = r.histogram("t_seconds", "y", {1}).with({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        f.with({std::to_string(i % 3)}).inc();
        h.observe(t % 2 ? 0.5 : 2);
        if (i % 1000 == 0) (void)r.render();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(f.with({"0"}).value() + f.with({"1"}).value() + f.with({"2"}).value(), 40000);
  EXPECT_EQ(h.count(), 40000u);
  EXPECT_EQ(h.bucket_count(0), 20000u);
}

TEST(Metrics, FormatValue) {
  EXPECT_EQ(format_value(0), "0");
  EXPECT_EQ(format_value(12345678), "12345678");
  EXPECT_EQ(format_value(0.005), "0.005");
  EXPECT_EQ(format_value(1.0 / 0.0), "+Inf");
}

TEST(ServiceMetrics, EveryFamilyIsExposedWithTernPrefix) {
  Registry r;
  ServiceMetrics m(r);
  m.emails_accepted.inc();
  m.deliveries.with({"delivered", "example.test"}).inc();
  const std::string text = r.render();
  for (const char* name : {"tern_http_requests_total", "tern_http_request_duration_seconds", "tern_emails_accepted_total",
                           "tern_deliveries_total", "tern_delivery_retries_total",
                           "tern_smtp_transaction_duration_seconds", "tern_email_delivery_latency_seconds",
                           "tern_webhook_attempts_total", "tern_queue_depth"})
    EXPECT_TRUE(contains(text, std::string("# TYPE ") + name + " ")) << name;
  EXPECT_TRUE(contains(text, "tern_emails_accepted_total 1\n")) << text;
  EXPECT_TRUE(contains(text, "tern_deliveries_total{outcome=\"delivered\",domain=\"example.test\"} 1\n")) << text;
}

}  // namespace
}  // namespace tern::metrics
