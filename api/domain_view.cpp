// domain_view.cpp - the JSON shapes of the /domains resource.
#include "api/domain_view.hpp"

namespace tern::api {
namespace {

using Json = nlohmann::ordered_json;

Json capabilities() { return Json{{"sending", "enabled"}, {"receiving", "disabled"}}; }

// summary - the fields every shape shares, in Resend's order.
Json summary(const store::Domain& d) {
  return Json{{"id", d.id},
              {"name", d.name},
              {"status", d.status},
              {"created_at", format_resend_timestamp(d.created_at)},
              {"region", d.region},
              {"open_tracking", d.open_tracking},
              {"click_tracking", d.click_tracking},
              {"tls", d.tls},
              {"capabilities", capabilities()}};
}

Json records_view(const store::Domain& d) {
  Json records = Json::array();
  for (const auto& r : d.records) records.push_back(record_view(r));
  return records;
}

}  // namespace

Json record_view(const store::StoredDnsRecord& r) {
  Json j{{"record", r.record}, {"name", r.name},     {"type", r.type},
         {"ttl", r.ttl},       {"status", r.status}, {"value", r.value}};
  if (r.priority) j["priority"] = *r.priority;
  if (!r.problem.empty()) j["problem"] = r.problem;
  return j;
}

Json domain_created_view(const store::Domain& d) {
  Json j = summary(d);
  j["records"] = records_view(d);
  j["dmarc"] = record_view(d.dmarc);
  return j;
}

Json domain_view(const store::Domain& d) {
  Json j{{"object", "domain"}};
  j.update(domain_created_view(d));
  return j;
}

Json domain_list_item(const store::Domain& d) { return summary(d); }

Json domain_verified_view(const store::Domain& d) {
  return Json{{"object", "domain"},
              {"id", d.id},
              {"status", d.status},
              {"records", records_view(d)},
              {"dmarc", record_view(d.dmarc)}};
}

}  // namespace tern::api
