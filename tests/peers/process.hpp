// process.hpp - child processes and loopback ports for tests.
//
// ChildProcess starts a program with an argument vector (no shell), keeps
// its stdout/stderr in a log file, and kills it (SIGTERM, then SIGKILL) in
// the destructor. free_loopback_port asks the kernel for an unused TCP port
// on 127.0.0.1. TempDir removes itself.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace tern::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(std::vector<std::string> argv, std::string log_path,
               std::map<std::string, std::string> extra_env = {});
  ~ChildProcess();
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;

  pid_t pid() const { return pid_; }
  bool running();                      // not yet exited
  int exit_status() const { return exit_status_; }  // after it exited: code, or 128+signal
  void kill_hard();                    // SIGKILL and reap
  int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));  // SIGTERM, wait, SIGKILL; exit status
  const std::string& log_path() const { return log_path_; }
  std::string log() const;             // the log file's content

 private:
  pid_t pid_ = -1;
  int exit_status_ = -1;
  std::string log_path_;
};

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

uint16_t free_loopback_port();

// wait_until - poll pred every few ms until true or the deadline passes.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds deadline = std::chrono::seconds(20));

// can_connect - a TCP connect to 127.0.0.1:port succeeds.
bool can_connect(uint16_t port);

// find_program - absolute path of an installed program, or empty.
std::string find_program(const std::string& name);

}  // namespace tern::testing
