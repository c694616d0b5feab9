// email_view.hpp - a stored email as GET /emails/{id} returns it
// (resend-api.md §5.3), key for key and in the documented order:
// object, id, message_id, to, from, created_at, subject, html, text, bcc,
// cc, reply_to, last_event, scheduled_at, tags, topic_id. html/text/
// scheduled_at are null when absent; bcc/cc/reply_to are arrays (maybe
// empty); timestamps use Resend's Postgres-text form. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include "store/redis/email_store.hpp"

namespace tern::api {

nlohmann::ordered_json email_view(const store::StoredEmail& email);

// email_list_item - one item of GET /emails (§5.4): the email object
// without object, html, text, tags and topic_id; bcc/cc/reply_to are null
// when empty, as Resend's list shows them.
nlohmann::ordered_json email_list_item(const store::StoredEmail& email);

// last_event_for_api - the stored last_event if it is one of Resend's
// enum values (strict SDKs reject others), else "queued".
std::string last_event_for_api(std::string_view stored);

}  // namespace tern::api
