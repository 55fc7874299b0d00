// Runs the learner's runner for one call (remote_call.h): fork, enter the
// sandbox, exec; then feed stdin and drain the result channel (the runner's
// fd 3) and its prints (stdout and stderr) with poll() until the runner's
// process group is gone or its time is up.
#include "tools/judge/remote_call.h"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "tools/course/sandbox.h"
#include "tools/judge/wire.h"

namespace tessel::judge {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxResult = size_t{64} << 20;  // bytes of result kept
constexpr size_t kMaxLog = size_t{64} << 10;      // bytes of the learner's prints kept

double EnvNumber(const char* name, double fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  char* end = nullptr;
  double number = std::strtod(value, &end);
  return (end != value && number > 0) ? number : fallback;
}

[[noreturn]] void ChildFails(const char* what) {
  // Only async-signal-safe calls after fork: write(2) and _exit.
  const char* prefix = "tessel-judge: cannot start the runner: ";
  (void)!write(2, prefix, std::strlen(prefix));
  (void)!write(2, what, std::strlen(what));
  (void)!write(2, "\n", 1);
  _exit(127);
}

// In the child: its own process group; stdin from the request pipe, stdout and stderr to
// the log pipe, fd 3 the result channel, nothing else open; the sandbox; a minimal environment.
[[noreturn]] void StartRunner(const char* runner, int in, int result, int log, const passwd* user,
                              pid_t judge, double seconds, double memory_mb) {
  setpgid(0, 0);
  signal(SIGPIPE, SIG_DFL);
  if (dup2(in, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0 || dup2(result, 3) < 0) {
    ChildFails("dup2");
  }
  close_range(4, ~0U, 0);
  if (user != nullptr) {
    course::SandboxLimits limits;
    limits.cpu_seconds = static_cast<rlim_t>(seconds) + 1;
    limits.memory_bytes = static_cast<rlim_t>(memory_mb) << 20;
    limits.file_bytes = rlim_t{16} << 20;
    limits.processes = 64;
    const char* error = "";
    if (!course::EnterSandbox(user->pw_uid, user->pw_gid, limits, &error)) ChildFails(error);
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // after setuid, which clears it
  if (getppid() != judge) _exit(127);  // the judge died before that
  char* const env[] = {const_cast<char*>("PATH=/usr/bin:/bin"), const_cast<char*>("LC_ALL=C"),
                       nullptr};
  char* const argv[] = {const_cast<char*>(runner), nullptr};
  execve(runner, argv, env);
  ChildFails("exec failed");
}

// Text from the learner's code, defused: the grader reads a judge's output for a few markers
// (its own "tessel-judge:" lines, a skeleton's "not implemented:" error), which the learner's
// prints and exception messages must not be able to fake.
std::string Defused(std::string text, bool keep_not_implemented = false) {
  for (const char* marker : {"tessel-judge:", "not implemented:"}) {
    if (keep_not_implemented && std::string_view(marker) == "not implemented:") continue;
    std::string_view m(marker);
    for (size_t at = text.find(m); at != std::string::npos; at = text.find(m, at)) {
      text[at + m.size() - 1] = ';';
    }
  }
  return text;
}

// The end of the learner's prints, defused.
std::string Tail(const std::string& text) {
  return Defused(text.size() <= 2000 ? text : "..." + text.substr(text.size() - 2000));
}

// Reads what is there; false at end of file or on a real error.
bool ReadSome(int fd, std::string* sink, size_t keep) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n < 0) return errno == EAGAIN || errno == EINTR;
  if (n == 0) return false;
  if (sink->size() < keep) sink->append(buf, static_cast<size_t>(n));
  return true;
}

}  // namespace

std::string CallRunner(const std::string& request) {
  const char* runner = std::getenv("TESSEL_RUNNER");
  if (runner == nullptr || *runner == '\0') {
    throw std::runtime_error("tessel-judge: TESSEL_RUNNER does not name the lab's runner");
  }
  const passwd* user = nullptr;
  if (const char* name = std::getenv("TESSEL_RUNNER_USER"); name != nullptr && *name != '\0') {
    user = getpwnam(name);
    if (user == nullptr) throw std::runtime_error(std::string("tessel-judge: no user ") + name);
  }
  // A runner that exits without reading its input must not kill the judge with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  double seconds = EnvNumber("TESSEL_RUNNER_TIMEOUT", 20);
  double memory_mb = EnvNumber("TESSEL_RUNNER_MEMORY_MB", 4096);

  int in[2], result_pipe[2], log_pipe[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw std::runtime_error("tessel-judge: pipe failed");
  if (pipe2(result_pipe, O_CLOEXEC) != 0 || pipe2(log_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("tessel-judge: pipe failed");  // the judge process ends anyway
  }
  std::fflush(nullptr);
  pid_t judge = getpid();
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("tessel-judge: fork failed");
  if (pid == 0) {
    StartRunner(runner, in[0], result_pipe[1], log_pipe[1], user, judge, seconds, memory_mb);
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill
  close(in[0]);
  close(result_pipe[1]);
  close(log_pipe[1]);
  for (int fd : {in[1], result_pipe[0], log_pipe[0]}) fcntl(fd, F_SETFL, O_NONBLOCK);

  std::string result, log;
  size_t written = 0;
  bool timed_out = false;
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  pollfd fds[3] = {{result_pipe[0], POLLIN, 0}, {log_pipe[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
  if (request.empty()) {
    close(in[1]);
    fds[2].fd = -1;
  }
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    if (poll(fds, 3, static_cast<int>(left.count())) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      if (!ReadSome(fds[i].fd, i == 0 ? &result : &log, i == 0 ? kMaxResult : kMaxLog)) {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      ssize_t n = write(in[1], request.data() + written, request.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == request.size()) {
        close(in[1]);
        fds[2].fd = -1;
      }
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  // The pipes are closed; the runner may still be running (it closed them itself).
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) break;
    if (Clock::now() >= deadline) {
      timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(-pid, SIGKILL);  // whatever the runner left behind in its group

  // Each outcome is reported as an in-process test would end, and classified alike by the
  // grader (test_runner.cpp): no core dump of the judge, which runs as root.
  if (timed_out || (WIFSIGNALED(status) && WTERMSIG(status) == SIGXCPU)) {
    std::printf("tessel-judge: timed out: your code ran past %g s on this input\n%s\n", seconds,
                Tail(log).c_str());
    std::fflush(nullptr);
    std::_Exit(124);
  }
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    std::printf("tessel-judge: your code crashed on this input: signal %d (%s)\n%s\n", sig,
                strsignal(sig), Tail(log).c_str());
    std::fflush(nullptr);
    std::_Exit(128 + sig);
  }

  WireReader reader(result);
  std::string verdict;
  try {
    verdict = result.empty() ? "" : reader.Word();
  } catch (const WireError&) {
  }
  if (verdict == "ok") return result.substr(result.find("ok") + 2);
  if (verdict == "not-implemented") throw std::logic_error(Defused(reader.Str(), true));
  if (verdict == "threw") throw std::runtime_error("your code threw: " + Defused(reader.Str()));
  if (result.empty()) {
    throw std::runtime_error("your code ended (exit code " +
                             std::to_string(WEXITSTATUS(status)) +
                             ") before it returned a result\n" + Tail(log));
  }
  throw WireError("tessel-judge: unreadable runner output: the result does not start with ok");
}

}  // namespace tessel::judge
