// domains_command.cpp - the terminal front end of the domain service.
#include "cli/domains_command.hpp"

#include <chrono>
#include <cstdio>

#include "dnscheck/domain_records.hpp"
#include "dnscheck/resolver.hpp"
#include "domains/domain_name.hpp"
#include "domains/domain_service.hpp"
#include "store/redis/domain_store.hpp"

namespace tern::cli {
namespace {

constexpr const char* kUsage =
    "usage: tern domains add NAME [--team TEAM] [--ed25519]\n"
    "       tern domains verify NAME [--team TEAM]\n"
    "       tern domains list [--team TEAM]\n";

struct Arguments {
  std::string verb;
  std::string name;
  std::string team = "default";
  bool ed25519 = false;
};

// parse_arguments - false (after printing why) on a usage error.
bool parse_arguments(const std::vector<std::string>& args, Arguments& out) {
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--team" && i + 1 < args.size()) {
      out.team = args[++i];
    } else if (args[i].rfind("--team=", 0) == 0) {
      out.team = args[i].substr(7);
    } else if (args[i] == "--ed25519") {
      out.ed25519 = true;
    } else if (args[i].rfind("--", 0) == 0) {
      std::fprintf(stderr, "tern domains: unknown option '%s'\n%s", args[i].c_str(), kUsage);
      return false;
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.empty()) {
    std::fputs(kUsage, stderr);
    return false;
  }
  out.verb = positional[0];
  const bool needs_name = out.verb == "add" || out.verb == "verify";
  if ((out.verb != "list" && !needs_name) || positional.size() != (needs_name ? 2u : 1u) || out.team.empty()) {
    std::fputs(kUsage, stderr);
    return false;
  }
  if (needs_name) out.name = positional[1];
  return true;
}

std::string fqdn(const store::StoredDnsRecord& r, const std::string& domain) {
  return r.name.empty() || r.name == "@" ? domain : r.name + "." + domain;
}

// quoted_strings - a TXT value as a zone file wants it: "..." "..." of at
// most 255 bytes each (the DNS reads them back joined).
std::string quoted_strings(const std::string& value) {
  std::string out;
  for (const auto& piece : dns::split_txt(value)) out += (out.empty() ? "\"" : " \"") + piece + "\"";
  return out;
}

void print_record(const store::StoredDnsRecord& r, const std::string& domain) {
  std::printf("  %-5s %s", r.type.c_str(), fqdn(r, domain).c_str());
  if (r.priority) std::printf("  (priority %d)", *r.priority);
  std::printf("\n        value: %s\n", r.value.c_str());
  if (r.type == "TXT") std::printf("        zone file: %s\n", quoted_strings(r.value).c_str());
}

void print_records(const store::Domain& d) {
  std::printf("Domain %s added (id %s, status %s).\n\n", d.name.c_str(), d.id.c_str(), d.status.c_str());
  std::printf("Publish these DNS records at your DNS provider (TTL: any, \"Auto\"):\n\n");
  for (const auto& r : d.records) print_record(r, d.name);
  std::printf("\nRecommended DMARC record (start with p=none, tighten once reports look right):\n\n");
  print_record(d.dmarc, d.name);
  std::printf("\nThen run: tern domains verify %s\n", d.name.c_str());
}

const char* mark(const std::string& status) {
  if (status == "verified") return "✓";
  if (status == "failed") return "✗";
  return "…";
}

void print_check(const store::StoredDnsRecord& r, const std::string& domain) {
  std::printf("%s %-5s %-40s %s\n", mark(r.status), r.type.c_str(), fqdn(r, domain).c_str(), r.status.c_str());
  if (!r.problem.empty()) std::printf("    %s\n", r.problem.c_str());
}

void print_verification(const store::Domain& d) {
  std::printf("Checked %s:\n\n", d.name.c_str());
  for (const auto& r : d.records) print_check(r, d.name);
  std::printf("\nDMARC (advice, does not block verification):\n");
  print_check(d.dmarc, d.name);
  std::printf("\nDomain status: %s\n", d.status.c_str());
  if (d.status == "pending" && d.next_check_at)
    std::printf("Tern checks again by itself at %s (for up to 72 hours).\n",
                format_resend_timestamp(*d.next_check_at).c_str());
}

int report(const Error& error) {
  std::fprintf(stderr, "tern domains: %s\n", error.message.c_str());
  return 1;
}

int list(store::RedisPool& pool, const Arguments& a) {
  store::DomainStore store(pool);
  auto domains = store.list(a.team);
  if (!domains) return report(domains.error());
  for (const auto& d : *domains) std::printf("%s  %-11s  %s\n", d.id.c_str(), d.status.c_str(), d.name.c_str());
  return 0;
}

int verify(store::RedisPool& pool, const Config& config, const Arguments& a) {
  auto name = domains::normalize_domain_name(a.name);
  if (!name) return report(name.error());
  store::DomainStore store(pool);
  auto found = store.find_by_name(a.team, *name);
  if (!found) return report(found.error());
  if (!*found) {
    std::fprintf(stderr, "tern domains: team %s has no domain %s (add it with: tern domains add %s)\n",
                 a.team.c_str(), name->c_str(), name->c_str());
    return 1;
  }
  auto resolver = dns::make_cares_resolver(dns::ResolverOptions{config.dns_servers, std::chrono::seconds(5), 2});
  domains::DomainService service(pool, resolver.get(),
                                 domains::settings_from_config(config));
  auto checked = service.verify(a.team, (*found)->id, std::chrono::system_clock::now());
  if (!checked) return report(checked.error());
  print_verification(*checked);
  return checked->status == "verified" ? 0 : 1;
}

}  // namespace

int domains_command(const Config& config, const std::vector<std::string>& args) {
  Arguments a;
  if (!parse_arguments(args, a)) return 2;
  store::RedisPool pool(config.redis);
  if (a.verb == "list") return list(pool, a);
  if (a.verb == "verify") return verify(pool, config, a);

  domains::DomainService service(pool, nullptr, domains::settings_from_config(config));
  domains::CreateDomainRequest request;
  request.name = a.name;
  request.dkim_ed25519 = a.ed25519;
  auto created = service.create(a.team, request, std::chrono::system_clock::now());
  if (!created) return report(created.error());
  print_records(*created);
  return 0;
}

}  // namespace tern::cli
