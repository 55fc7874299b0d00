// fork/exec with a pipe, poll and a deadline. The child gets its own process
// group so that a timeout also kills anything it started.
#include "tools/course/subprocess.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <thread>

#include "tools/course/sandbox.h"

namespace tessel::course {

namespace {

using Clock = std::chrono::steady_clock;

// The user that $TESSEL_GRADE_AS_USER names (an autograder grading as root), looked up once.
struct Sandbox {
  bool active = false;
  uid_t uid = 0;
  gid_t gid = 0;
  rlim_t memory = SandboxLimits{}.memory_bytes;  // $TESSEL_GRADE_MEMORY_MB overrides it
};

const Sandbox& SandboxUser() {
  static const Sandbox sandbox = [] {
    Sandbox s;
    const char* name = std::getenv("TESSEL_GRADE_AS_USER");
    if (name == nullptr || *name == '\0') return s;
    if (const passwd* user = getpwnam(name)) {
      s = {true, user->pw_uid, user->pw_gid, s.memory};
    } else {
      s = {true, 65534, 65534, s.memory};  // nobody: never run a submission as root
    }
    if (const char* mb = std::getenv("TESSEL_GRADE_MEMORY_MB")) {
      s.memory = static_cast<rlim_t>(std::strtoull(mb, nullptr, 10)) << 20;
    }
    return s;
  }();
  return sandbox;
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void ExecChild(char* const* argv, char* const* envp, int out_fd,
                            const Sandbox& sandbox, rlim_t cpu_seconds) {
  setpgid(0, 0);
  int in_fd = open("/dev/null", O_RDONLY);
  if (in_fd >= 0) dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  close_range(3, ~0U, 0);
  if (sandbox.active) {
    // The submission's process: bounded, off the network, unable to touch the grader.
    SandboxLimits limits;
    limits.cpu_seconds = cpu_seconds;
    limits.memory_bytes = sandbox.memory;
    const char* error = "";
    if (!EnterSandbox(sandbox.uid, sandbox.gid, limits, &error)) {
      (void)!write(2, error, strlen(error));
      (void)!write(2, "\n", 1);
      _exit(127);
    }
  }
  execvpe(argv[0], argv, envp);
  const char* message = "cannot start the program: ";
  ssize_t ignored = write(2, message, strlen(message));
  ignored = write(2, strerror(errno), strlen(strerror(errno)));
  (void)ignored;
  _exit(127);
}

int MillisecondsLeft(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

// Reads the pipe until EOF or the deadline; true if the deadline passed first. Past
// `max_output` bytes it keeps the first half and the last half: the verdict is at the end.
bool Drain(int fd, Clock::time_point deadline, size_t max_output, std::string* output) {
  char buffer[65536];
  size_t head = max_output / 2, dropped = 0;
  std::string tail;
  auto finish = [&] {
    if (dropped > 0) {
      *output += "\n[... " + std::to_string(dropped) + " bytes of output left out ...]\n";
    }
    *output += tail;
  };
  while (true) {
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, MillisecondsLeft(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      finish();
      return true;
    }
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      finish();
      return false;
    }
    std::string_view chunk(buffer, static_cast<size_t>(n));
    if (output->size() < head) {
      size_t take = std::min(head - output->size(), chunk.size());
      output->append(chunk.substr(0, take));
      chunk.remove_prefix(take);
    }
    tail.append(chunk);
    if (tail.size() > max_output - head) {  // keep the last half
      size_t cut = tail.size() - (max_output - head);
      dropped += cut;
      tail.erase(0, cut);
    }
  }
}

// Waits for the child, killing its group if it outlives the deadline.
int Reap(pid_t pid, Clock::time_point deadline, bool* timed_out) {
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (Clock::now() >= deadline && !*timed_out) {
      *timed_out = true;
      kill(-pid, SIGKILL);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, double timeout_seconds,
                         size_t max_output, const std::vector<std::string>& env, bool trusted) {
  ProcessResult result;
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;  // built before fork: the child may only call async-signal-safe code
  for (const std::string& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  for (char** entry = environ; *entry != nullptr; ++entry) envp.push_back(*entry);
  envp.push_back(nullptr);
  int fds[2];
  if (argv.empty() || pipe2(fds, O_CLOEXEC) != 0) return result;
  auto start = Clock::now();
  auto deadline = start + std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  static const Sandbox kNone;
  const Sandbox& sandbox = trusted ? kNone : SandboxUser();
  pid_t pid = fork();
  if (pid == 0) {
    ExecChild(args.data(), envp.data(), fds[1], sandbox, static_cast<rlim_t>(timeout_seconds) + 2);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    result.output = "cannot fork: " + std::string(strerror(errno));
    return result;
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill
  result.timed_out = Drain(fds[0], deadline, max_output, &result.output);
  if (result.timed_out) kill(-pid, SIGKILL);
  close(fds[0]);
  int status = Reap(pid, deadline, &result.timed_out);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (WIFSIGNALED(status) && !result.timed_out) result.signal = WTERMSIG(status);
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

void KillProcessesOf(const std::string& name) {
  const passwd* user = name.empty() ? nullptr : getpwnam(name.c_str());
  if (user == nullptr || user->pw_uid == 0) return;
  uid_t uid = user->pw_uid;
  gid_t gid = user->pw_gid;
  pid_t pid = fork();
  if (pid == 0) {
    // As that user, kill(-1) reaches exactly its processes (and this one, last).
    if (setgroups(0, nullptr) == 0 && setgid(gid) == 0 && setuid(uid) == 0) kill(-1, SIGKILL);
    _exit(0);
  }
  if (pid > 0) {
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

std::string DescribeSignal(int signal) {
  const char* name = strsignal(signal);
  return "signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : "");
}

}  // namespace tessel::course
