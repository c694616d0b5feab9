// dkim_verifier.cpp - runs the verifier scripts in tests/peers (DKIM, SPF)
// as child processes.
#include "tests/peers/dkim_verifier.hpp"

#include <chrono>
#include <fstream>
#include <vector>

#include "tests/peers/process.hpp"

namespace tern::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";  // not pyenv's: it lacks dkim
constexpr const char* kPerl = "/usr/bin/perl";
constexpr auto kDeadline = std::chrono::seconds(60);

// run - runs interpreter with args; exit status (-1 if it hung), output in log.
int run(const char* interpreter, std::vector<std::string> args, const TempDir& dir, std::string& log) {
  args.insert(args.begin(), interpreter);
  ChildProcess child(std::move(args), dir.path() + "/verifier.log");
  if (!wait_until([&] { return !child.running(); }, kDeadline)) {
    child.kill_hard();
    log = child.log() + "\n(timed out)";
    return -1;
  }
  log = child.log();
  return child.exit_status();
}

// run_script - writes message to a file and runs script MESSAGE NAME=TXT...
bool run_script(const char* interpreter, const std::string& script, const std::string& message,
                const std::map<std::string, std::string>& txt_records, std::string& output) {
  TempDir dir;
  std::string path = dir.path() + "/message.eml";
  {
    std::ofstream out(path, std::ios::binary);
    out << message;
    if (!out) {
      output = "cannot write " + path;
      return false;
    }
  }
  std::vector<std::string> args = {std::string(TERN_SOURCE_DIR) + "/tests/peers/" + script, path};
  for (const auto& [name, value] : txt_records) args.push_back(name + "=" + value);
  return run(interpreter, std::move(args), dir, output) == 0;
}

}  // namespace

bool dkimpy_available() {
  static const bool available = [] {
    TempDir dir;
    std::string log;
    return run(kPython, {"-c", "import dkim, nacl.signing"}, dir, log) == 0;
  }();
  return available;
}

bool mail_dkim_available() {
  static const bool available = [] {
    TempDir dir;
    std::string log;
    return run(kPerl, {"-MMail::DKIM::Verifier", "-MNet::DNS::Resolver::Mock", "-e", "1"}, dir, log) == 0;
  }();
  return available;
}

bool spf_verify(uint16_t dns_port, const std::string& ip, const std::string& mail_from, const std::string& helo,
                std::string& output) {
  TempDir dir;
  return run(kPython,
             {std::string(TERN_SOURCE_DIR) + "/tests/peers/spf_check.py", "127.0.0.1", std::to_string(dns_port), ip,
              mail_from, helo},
             dir, output) == 0;
}

bool dkim_verify(const std::string& message, const std::map<std::string, std::string>& txt_records,
                 std::string& output) {
  return run_script(kPython, "dkim_verify.py", message, txt_records, output);
}

bool dkim_verify_mail_dkim(const std::string& message, const std::map<std::string, std::string>& txt_records,
                           std::string& output) {
  return run_script(kPerl, "dkim_verify_mail_dkim.pl", message, txt_records, output);
}

}  // namespace tern::testing
