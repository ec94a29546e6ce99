#include "api/metrics.h"

#include <sstream>

namespace fupin::api {
namespace {

// Request and append latencies: from sub-millisecond reads to appends that
// wait for a slow fsync.
const std::vector<double> kLatencyBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                            0.1,    0.25,  0.5,    1,     2.5,  5,     10};
// Events per append: single events up to the 1000-event batch limit.
const std::vector<double> kBatchBounds = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

void WriteHeader(std::ostringstream& out, std::string_view name, std::string_view type,
                 std::string_view help) {
  out << "# HELP " << name << ' ' << help << '\n' << "# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

Metrics::Histogram::Histogram(const std::vector<double>* b) : bounds(b), counts(b->size() + 1, 0) {}

void Metrics::Histogram::Observe(double value) {
  std::size_t i = 0;
  while (i < bounds->size() && value > (*bounds)[i]) ++i;
  ++counts[i];
  sum += value;
  ++count;
}

Metrics::Metrics()
    : latency_(kRouteCount, Histogram(&kLatencyBounds)),
      append_latency_(&kLatencyBounds),
      append_events_(&kBatchBounds) {}

void Metrics::ObserveRequest(RouteId route, unsigned status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  latency_[static_cast<std::size_t>(route)].Observe(seconds);
}

void Metrics::AppendStarted() { appends_in_flight_.fetch_add(1, std::memory_order_relaxed); }

void Metrics::AppendFinished(std::size_t events, double seconds) {
  appends_in_flight_.fetch_sub(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  append_latency_.Observe(seconds);
  append_events_.Observe(static_cast<double>(events));
}

void Metrics::EventsAppended(std::size_t appended, std::size_t duplicates) {
  events_appended_.fetch_add(appended, std::memory_order_relaxed);
  events_duplicate_.fetch_add(duplicates, std::memory_order_relaxed);
}

void Metrics::EventRejected(ErrorCode code) {
  std::lock_guard<std::mutex> lock(mu_);
  ++rejected_[code];
}

void Metrics::ConnectionOpened() { connections_open_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::ConnectionClosed() { connections_open_.fetch_sub(1, std::memory_order_relaxed); }
void Metrics::ConnectionRefused() { connections_refused_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::DeadlineExpired() { deadlines_expired_.fetch_add(1, std::memory_order_relaxed); }

std::string Metrics::Render(uint64_t tree_size, const CommitStats& commits,
                            const std::vector<MetricFamily>& families) const {
  std::ostringstream out;
  out.precision(9);
  auto histogram = [&out](std::string_view name, std::string_view labels, const Histogram& h) {
    uint64_t cumulative = 0;
    std::string prefix = labels.empty() ? "" : std::string(labels) + ",";
    for (std::size_t i = 0; i < h.bounds->size(); ++i) {
      cumulative += h.counts[i];
      out << name << "_bucket{" << prefix << "le=\"" << (*h.bounds)[i] << "\"} " << cumulative
          << '\n';
    }
    cumulative += h.counts.back();
    out << name << "_bucket{" << prefix << "le=\"+Inf\"} " << cumulative << '\n';
    std::string braces = labels.empty() ? "" : "{" + std::string(labels) + "}";
    out << name << "_sum" << braces << ' ' << h.sum << '\n';
    out << name << "_count" << braces << ' ' << h.count << '\n';
  };
  auto route_labels = [](RouteId route) {
    return "route=\"" + std::string(RouteTemplate(route)) + "\",method=\"" +
           std::string(RouteMethod(route)) + "\"";
  };

  std::lock_guard<std::mutex> lock(mu_);
  WriteHeader(out, "fupin_http_requests_total", "counter",
              "HTTP requests answered, by route template, method and status.");
  for (const auto& [key, count] : requests_) {
    out << "fupin_http_requests_total{" << route_labels(std::get<0>(key)) << ",status=\""
        << std::get<1>(key) << "\"} " << count << '\n';
  }
  WriteHeader(out, "fupin_http_request_duration_seconds", "histogram",
              "Time from a complete request to its response being ready.");
  for (std::size_t r = 0; r < kRouteCount; ++r) {
    if (latency_[r].count == 0) continue;
    histogram("fupin_http_request_duration_seconds", route_labels(static_cast<RouteId>(r)),
              latency_[r]);
  }
  WriteHeader(out, "fupin_append_duration_seconds", "histogram",
              "Ledger::Append latency: signature checks and waiting for the durable commit.");
  histogram("fupin_append_duration_seconds", "", append_latency_);
  WriteHeader(out, "fupin_append_batch_events", "histogram", "Events per Ledger::Append call.");
  histogram("fupin_append_batch_events", "", append_events_);
  WriteHeader(out, "fupin_append_in_flight", "gauge",
              "Ledger::Append calls in progress (bounds the commit-group size).");
  out << "fupin_append_in_flight " << appends_in_flight_.load() << '\n';
  WriteHeader(out, "fupin_events_appended_total", "counter", "Events appended to the log.");
  out << "fupin_events_appended_total " << events_appended_.load() << '\n';
  WriteHeader(out, "fupin_events_duplicate_total", "counter",
              "Events acknowledged as exact duplicates of logged events.");
  out << "fupin_events_duplicate_total " << events_duplicate_.load() << '\n';
  WriteHeader(out, "fupin_events_rejected_total", "counter",
              "Refused appends, by the error code of the offending event.");
  for (const auto& [code, count] : rejected_) {
    out << "fupin_events_rejected_total{code=\"" << ErrorCodeName(code) << "\"} " << count << '\n';
  }
  WriteHeader(out, "fupin_ledger_tree_size", "gauge", "Committed records in the log.");
  out << "fupin_ledger_tree_size " << tree_size << '\n';
  WriteHeader(out, "fupin_commit_groups_total", "counter",
              "Group commits (one WriteBatch and one WAL sync each).");
  out << "fupin_commit_groups_total " << commits.groups << '\n';
  WriteHeader(out, "fupin_commit_group_events_total", "counter",
              "Records written by group commits; divided by the groups: the mean group size.");
  out << "fupin_commit_group_events_total " << commits.events << '\n';
  WriteHeader(out, "fupin_commit_group_events_max", "gauge", "Largest commit group so far.");
  out << "fupin_commit_group_events_max " << commits.max_group_events << '\n';
  WriteHeader(
      out, "fupin_commit_sync_seconds_total", "counter",
      "Time spent in synced WriteBatch writes; divided by the groups: the mean sync latency.");
  out << "fupin_commit_sync_seconds_total " << static_cast<double>(commits.sync_micros) / 1e6
      << '\n';
  WriteHeader(out, "fupin_http_connections_open", "gauge", "Open client connections.");
  out << "fupin_http_connections_open " << connections_open_.load() << '\n';
  WriteHeader(out, "fupin_http_connections_refused_total", "counter",
              "Connections refused over the max_connections limit.");
  out << "fupin_http_connections_refused_total " << connections_refused_.load() << '\n';
  WriteHeader(out, "fupin_http_deadlines_expired_total", "counter",
              "Connections closed by a read, write or idle deadline.");
  out << "fupin_http_deadlines_expired_total " << deadlines_expired_.load() << '\n';
  for (const MetricFamily& family : families) {
    WriteHeader(out, family.name, family.type, family.help);
    for (const auto& [labels, value] : family.samples) {
      out << family.name;
      if (!labels.empty()) out << '{' << labels << '}';
      out << ' ' << value << '\n';
    }
  }
  return std::move(out).str();
}

}  // namespace fupin::api
