// SMTP submission with nodemailer (npm, pinned in tests/sdk), through
// STARTTLS on the submission port and through implicit TLS: a message with
// attachments, an inline image and non-ASCII headers arrives at the MX
// byte for byte as the client built it, with only Tern's DKIM-Signature
// (and Date/Message-ID if the client had none) on top, and the signature
// verifies with dkimpy against the key Tern published for the domain.
#include "tests/integration/submission_scenario.hpp"
#include "tests/peers/dkim_verifier.hpp"

namespace tern::testing {
namespace {

const std::string kSdkDir = std::string(TERN_SOURCE_DIR) + "/tests/sdk";

bool nodemailer_installed() {
  if (access((kSdkDir + "/node_modules/nodemailer/package.json").c_str(), R_OK) == 0) return true;
  const std::string command = "npm ci --prefix '" + kSdkDir + "' --no-audit --no-fund >&2";
  return std::system(command.c_str()) == 0;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// header_names - names of the header fields in `prefix` (whole fields).
std::vector<std::string> header_names(const std::string& prefix) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < prefix.size()) {
    std::size_t end = prefix.find("\r\n", pos);
    if (end == std::string::npos) end = prefix.size();
    if (prefix[pos] != ' ' && prefix[pos] != '\t') names.push_back(prefix.substr(pos, prefix.find(':', pos) - pos));
    pos = end + 2;
  }
  return names;
}

class NodemailerSubmission : public SubmissionScenario {
 protected:
  // send - nodemailer through `port`; the id Tern answered and the bytes sent.
  std::pair<std::string, std::string> send(uint16_t port, bool implicit_tls, const std::string& to) {
    const std::string raw_file = dir.path() + "/raw-" + std::to_string(port) + ".eml";
    auto r = run_command({"/usr/bin/env", "node", kSdkDir + "/smtp_submission.mjs"},
                         {{"SMTP_PORT", std::to_string(port)}, {"SMTP_SECURE", implicit_tls ? "true" : "false"},
                          {"SMTP_PASS", token}, {"SMTP_CA", pki.ca_file}, {"SMTP_FROM", "juergen@acme.test"},
                          {"SMTP_TO", to}, {"RAW_OUT", raw_file}});
    EXPECT_EQ(r.status, 0) << r.output;
    // What goes over SMTP: every line ends with CRLF (the composer leaves
    // bare LFs inside quoted-printable text; nodemailer's sender fixes them).
    std::string raw;
    for (char c : read_file(raw_file)) {
      if (c == '\n' && (raw.empty() || raw.back() != '\r')) raw += '\r';
      raw += c;
    }
    if (raw.size() < 2 || raw.substr(raw.size() - 2) != "\r\n") raw += "\r\n";
    return {queued_id(r.output), raw};
  }

  void expect_delivered_intact_and_signed(const std::string& id, const std::string& raw, const std::string& rcpt,
                                          const std::map<std::string, std::string>& txt) {
    ASSERT_FALSE(id.empty());
    ASSERT_TRUE(tern->wait_for_last_event(id, token, "delivered")) << tern->log();
    std::string data;
    ASSERT_TRUE(wait_until([&] {
      for (const auto& m : peer->messages())
        if (m.recipients.size() == 1 && m.recipients[0] == rcpt) data = m.data;
      return !data.empty();
    }));
    ASSERT_GE(data.size(), raw.size());
    const std::string prefix = data.substr(0, data.size() - raw.size());
    EXPECT_EQ(data.substr(prefix.size()), raw) << "the client's message arrives byte for byte";
    for (const auto& name : header_names(prefix))
      EXPECT_TRUE(name == "DKIM-Signature" || name == "Date" || name == "Message-ID") << name;
    EXPECT_NE(prefix.find("DKIM-Signature: "), std::string::npos) << prefix;
    std::string report;
    EXPECT_TRUE(dkim_verify(data, txt, report)) << report;

    auto got = tern->get("/emails/" + id, token).json();
    EXPECT_EQ(got["from"], "Jürgen Müller — Acme <juergen@acme.test>");
    EXPECT_EQ(got["subject"],
              "Grüße aus Tern ✓ — ünïcödé subject that is long enough to be folded by the composer");
  }
};

TEST_F(NodemailerSubmission, StarttlsAndImplicitTlsDeliverIntactAndDkimSigned) {
  ASSERT_TRUE(nodemailer_installed()) << "npm ci --prefix tests/sdk failed";
  if (!dkimpy_available()) GTEST_SKIP() << "dkimpy (python3-dkim) is not installed";
  start_submission();
  auto domain = tern->post("/domains", token, R"({"name":"acme.test"})");
  ASSERT_TRUE(domain.status == 200 || domain.status == 201) << domain.body;
  std::map<std::string, std::string> txt;
  const auto created = domain.json();
  for (const auto& record : created["records"])
    if (record["record"] == "DKIM") txt[record["name"].get<std::string>() + ".acme.test"] = record["value"];
  ASSERT_FALSE(txt.empty()) << domain.body;

  auto [starttls_id, starttls_raw] = send(starttls_port, false, "bob@example.test");
  expect_delivered_intact_and_signed(starttls_id, starttls_raw, "bob@example.test", txt);
  auto [tls_id, tls_raw] = send(tls_port, true, "carol@other.test");
  expect_delivered_intact_and_signed(tls_id, tls_raw, "carol@other.test", txt);
}

}  // namespace
}  // namespace tern::testing
