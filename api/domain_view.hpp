// domain_view.hpp - a stored domain as the API shows it (pure).
//
// Shapes follow resend-api.md §6: the create response has no "object";
// GET adds "object":"domain"; list items carry no records. Records carry
// only Resend's fields and enum values ({record,name,type,ttl,status,value}
// plus priority for MX) and, when the last check found something wrong, our
// own "problem" text. DMARC advice goes in our own "dmarc" field beside
// "records", never inside it (strict SDKs reject unknown record kinds).
// DKIM private keys are never rendered, sealed or not.
#pragma once

#include <nlohmann/json.hpp>

#include "store/redis/domain_store.hpp"

namespace tern::api {

nlohmann::ordered_json record_view(const store::StoredDnsRecord& record);
nlohmann::ordered_json domain_created_view(const store::Domain& domain);   // POST /domains
nlohmann::ordered_json domain_view(const store::Domain& domain);           // GET /domains/{id}
nlohmann::ordered_json domain_list_item(const store::Domain& domain);      // GET /domains data[]
nlohmann::ordered_json domain_verified_view(const store::Domain& domain);  // POST /domains/{id}/verify

}  // namespace tern::api
