// metrics.hpp - a small Prometheus metric registry: counters, gauges and
// histograms with labels, rendered in the text exposition format 0.0.4.
//
// Contract:
//   - Registry owns every family; a family owns its series. References
//     returned by Family::with() stay valid as long as the Registry, so a
//     hot path with fixed labels looks its series up once and keeps it.
//   - Updating a series is lock-free (atomics). Finding a series takes a
//     shared lock; only the first use of a label set takes the exclusive
//     one. render() takes shared locks and never blocks an update.
//   - Cardinality is bounded: past max_series label sets a family sends new
//     ones to a single series whose every label is "_other", so a label fed
//     with outside data (destination domains) cannot grow memory forever.
//   - Names and label names are the caller's constants and are not checked;
//     label values and help text are escaped as the format requires.
// Nothing here is global: the composition root makes one Registry per
// process and passes it down.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace tern::metrics {

class Counter {
 public:
  void inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }  // by >= 0
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void add(double by) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Histogram - cumulative buckets with upper bounds `bounds` (ascending) and
// an implicit +Inf bucket.
class Histogram {
 public:
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double v);

  const std::vector<double>& bounds() const { return bounds_; }
  uint64_t bucket_count(std::size_t i) const;  // observations in bucket i alone (i == bounds().size(): +Inf)
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<double> sum_{0};
};

// Buckets in seconds for request and transaction latencies.
const std::vector<double>& default_seconds_buckets();  // 5 ms .. 60 s
const std::vector<double>& delivery_seconds_buckets();  // 1 s .. 3 days (accept -> delivered)

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, std::vector<std::string> labels, std::size_t max_series)
      : name_(std::move(name)), help_(std::move(help)), labels_(std::move(labels)), max_series_(max_series) {}
  virtual ~FamilyBase() = default;
  virtual void render(std::string& out) const = 0;
  const std::string& name() const { return name_; }

 protected:
  std::string name_;
  std::string help_;
  std::vector<std::string> labels_;
  std::size_t max_series_;
};

template <class Metric>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, std::vector<std::string> labels, std::size_t max_series,
         std::vector<double> bounds = {})
      : FamilyBase(std::move(name), std::move(help), std::move(labels), max_series), bounds_(std::move(bounds)) {}

  // with - the series for these label values (as many as the family's
  // labels, in order; missing ones are "").
  Metric& with(std::initializer_list<std::string_view> values) { return with(std::vector<std::string>(values.begin(), values.end())); }
  Metric& with(std::vector<std::string> values);

  void render(std::string& out) const override;

 private:
  std::unique_ptr<Metric> make() const;

  std::vector<double> bounds_;  // histograms only
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

class Registry {
 public:
  static constexpr std::size_t kDefaultMaxSeries = 2000;

  Family<Counter>& counter(std::string name, std::string help, std::vector<std::string> labels = {},
                           std::size_t max_series = kDefaultMaxSeries);
  Family<Gauge>& gauge(std::string name, std::string help, std::vector<std::string> labels = {},
                       std::size_t max_series = kDefaultMaxSeries);
  Family<Histogram>& histogram(std::string name, std::string help, std::vector<double> bounds,
                               std::vector<std::string> labels = {}, std::size_t max_series = kDefaultMaxSeries);

  // render - every family, in registration order, as text format 0.0.4.
  std::string render() const;

 private:
  template <class Metric>
  Family<Metric>& add(std::unique_ptr<Family<Metric>> family) {
    auto& ref = *family;
    families_.push_back(std::move(family));
    return ref;
  }

  std::vector<std::unique_ptr<FamilyBase>> families_;  // registered at start-up, before any render
};

// The Content-Type of render()'s output.
inline constexpr const char* kTextFormat = "text/plain; version=0.0.4; charset=utf-8";

// format_value - a sample value as Prometheus writes it (shortest round
// trip; +Inf, -Inf, NaN).
std::string format_value(double v);

// escape_label_value - backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view v);

}  // namespace tern::metrics
