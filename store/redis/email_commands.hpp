// email_commands.hpp - the Redis commands that write emails, shared by
// EmailStore's single and batch creation (internal to store/redis).
//
// create_email_commands lists, for one accepted email: its hash (team,
// content, summary, state, last_event), its event log, the team index, the
// event-stream entry and either the ready stream or the delayed set.
// run_transaction wraps commands in MULTI/EXEC in one pipeline; any error
// reply or an aborted EXEC fails the call, and then nothing was applied.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "store/redis/email_record.hpp"
#include "store/redis/redis_connection.hpp"

namespace tern::store {

using Commands = std::vector<std::vector<std::string>>;

Commands create_email_commands(const EmailContent& content, const EmailState& state, const EmailEvent& first_event);

// publish_event_command - XADD of one event to keys::kEventStream.
std::vector<std::string> publish_event_command(std::string_view team, std::string_view email_id,
                                               const EmailEvent& event);

Result<void> run_transaction(RedisPool& pool, Commands commands, std::string_view what);

}  // namespace tern::store
