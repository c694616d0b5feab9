// message_assembly.hpp - from a stored email to the bytes sent over SMTP.
// The same bytes go to every recipient domain (Bcc never appears), and the
// Message-ID fixed at acceptance is reused by every retry.
#pragma once

#include <string>

#include "store/redis/email_record.hpp"
#include "store/util/result.hpp"

namespace tern::worker {

// assemble_message - RFC 5322 bytes, CRLF, unsigned. Fails only when stored
// content no longer parses (a bug or tampering): the email then fails.
// A submitted message (content.raw_mime) is taken as the client built it:
// Bcc removed, Date (created_at) and Message-ID (message_id) added only
// when missing (mailer/raw_message.hpp).
Result<std::string> assemble_message(const store::EmailContent& content);

// envelope_sender - the MAIL FROM address for this email.
Result<std::string> envelope_sender(const store::EmailContent& content);

}  // namespace tern::worker
