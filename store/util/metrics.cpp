// metrics.cpp - series storage and the text exposition format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/).
#include "store/util/metrics.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <mutex>

namespace tern::metrics {
namespace {

constexpr std::string_view kOverflow = "_other";

std::string escape_help(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

// label_set - {a="x",b="y"} plus an optional extra pair (histogram "le").
std::string label_set(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i) out += ',';
    out += names[i];
    out += "=\"";
    out += escape_label_value(i < values.size() ? values[i] : std::string());
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
  return out;
}

void header(std::string& out, const std::string& name, const std::string& help, const char* type) {
  out += "# HELP " + name + " " + escape_help(help) + "\n";
  out += "# TYPE " + name + " " + type + "\n";
}

void sample(std::string& out, const std::string& name, const std::string& labels, double value) {
  out += name;
  out += labels;
  out += ' ';
  out += format_value(value);
  out += '\n';
}

template <class Metric>
const char* type_name();
template <>
const char* type_name<Counter>() { return "counter"; }
template <>
const char* type_name<Gauge>() { return "gauge"; }
template <>
const char* type_name<Histogram>() { return "histogram"; }

}  // namespace

std::string format_value(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return "NaN";
  return std::string(buf, end);
}

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), buckets_(new std::atomic<uint64_t>[bounds.size() + 1]) {
  std::sort(bounds_.begin(), bounds_.end());
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double v) {
  // Buckets are few (about 15): a linear scan beats a binary search here.
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

uint64_t Histogram::bucket_count(std::size_t i) const {
  return i <= bounds_.size() ? buckets_[i].load(std::memory_order_relaxed) : 0;
}

const std::vector<double>& default_seconds_buckets() {
  static const std::vector<double> b = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return b;
}

const std::vector<double>& delivery_seconds_buckets() {
  static const std::vector<double> b = {1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 72 * 3600};
  return b;
}

template <class Metric>
std::unique_ptr<Metric> Family<Metric>::make() const {
  if constexpr (std::is_same_v<Metric, Histogram>) return std::make_unique<Histogram>(bounds_);
  else return std::make_unique<Metric>();
}

template <class Metric>
Metric& Family<Metric>::with(std::vector<std::string> values) {
  values.resize(labels_.size());
  {
    std::shared_lock lock(mutex_);
    if (auto it = series_.find(values); it != series_.end()) return *it->second;
  }
  std::unique_lock lock(mutex_);
  if (auto it = series_.find(values); it != series_.end()) return *it->second;  // made meanwhile
  if (series_.size() >= max_series_) {
    values.assign(labels_.size(), std::string(kOverflow));
    if (auto it = series_.find(values); it != series_.end()) return *it->second;
  }
  auto [it, inserted] = series_.emplace(std::move(values), make());
  return *it->second;
}

template <class Metric>
void Family<Metric>::render(std::string& out) const {
  header(out, name_, help_, type_name<Metric>());
  std::shared_lock lock(mutex_);
  for (const auto& [values, metric] : series_) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= metric->bounds().size(); ++i) {
        cumulative += metric->bucket_count(i);
        const std::string le = i < metric->bounds().size() ? format_value(metric->bounds()[i]) : "+Inf";
        sample(out, name_ + "_bucket", label_set(labels_, values, "le", le), double(cumulative));
      }
      // _count equals the +Inf bucket even while observe() runs concurrently.
      sample(out, name_ + "_sum", label_set(labels_, values), metric->sum());
      sample(out, name_ + "_count", label_set(labels_, values), double(cumulative));
    } else {
      sample(out, name_, label_set(labels_, values), metric->value());
    }
  }
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

Family<Counter>& Registry::counter(std::string name, std::string help, std::vector<std::string> labels,
                                   std::size_t max_series) {
  return add(std::make_unique<Family<Counter>>(std::move(name), std::move(help), std::move(labels), max_series));
}

Family<Gauge>& Registry::gauge(std::string name, std::string help, std::vector<std::string> labels,
                               std::size_t max_series) {
  return add(std::make_unique<Family<Gauge>>(std::move(name), std::move(help), std::move(labels), max_series));
}

Family<Histogram>& Registry::histogram(std::string name, std::string help, std::vector<double> bounds,
                                       std::vector<std::string> labels, std::size_t max_series) {
  return add(std::make_unique<Family<Histogram>>(std::move(name), std::move(help), std::move(labels), max_series,
                                                 std::move(bounds)));
}

std::string Registry::render() const {
  std::string out;
  for (const auto& family : families_) family->render(out);
  return out;
}

}  // namespace tern::metrics
