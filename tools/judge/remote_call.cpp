// Runs the learner's runner for one call (remote_call.h): fork, drop to the
// sandbox user with resource limits, exec, then feed stdin and drain the two
// output pipes with poll() until the runner ends or its time is up.
#include "tools/judge/remote_call.h"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string_view>

#include "tools/judge/wire.h"

namespace tessel::judge {

namespace {

constexpr size_t kMaxResult = size_t{64} << 20;  // bytes of result kept
constexpr size_t kMaxLog = size_t{16} << 10;      // bytes of the learner's prints kept

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

// In the child: stdin/stdout/stderr to the pipes, nothing else open, limits, the sandbox user.
[[noreturn]] void StartRunner(const char* runner, int in, int out, int err, const passwd* user,
                              double seconds, double memory_mb) {
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) ChildFails("dup2");
  close_range(3, ~0U, 0);
  auto limit = [](int resource, rlim_t value) {
    rlimit r{value, value};
    setrlimit(resource, &r);
  };
  limit(RLIMIT_CPU, static_cast<rlim_t>(seconds) + 1);
  limit(RLIMIT_AS, static_cast<rlim_t>(memory_mb) << 20);
  limit(RLIMIT_FSIZE, rlim_t{16} << 20);
  limit(RLIMIT_CORE, 0);
  if (user != nullptr) {
    limit(RLIMIT_NPROC, 64);  // counted per user: a fork bomb stops here
    if (setgroups(0, nullptr) != 0 || setgid(user->pw_gid) != 0 || setuid(user->pw_uid) != 0) {
      ChildFails("cannot switch to the sandbox user");
    }
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // after setuid, which clears it
  execl(runner, runner, static_cast<char*>(nullptr));
  ChildFails("exec failed");
}

std::string Tail(const std::string& text) {
  return text.size() <= 2000 ? text : "..." + text.substr(text.size() - 2000);
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
  double seconds = EnvNumber("TESSEL_RUNNER_TIMEOUT", 20);
  double memory_mb = EnvNumber("TESSEL_RUNNER_MEMORY_MB", 4096);

  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("tessel-judge: pipe failed");
  }
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("tessel-judge: fork failed");
  if (pid == 0) StartRunner(runner, in[0], out[1], err[1], user, seconds, memory_mb);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  for (int fd : {in[1], out[0], err[0]}) fcntl(fd, F_SETFL, O_NONBLOCK);

  std::string result, log;
  size_t written = 0;
  bool timed_out = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  pollfd fds[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in[1], POLLOUT, 0}};
  if (request.empty()) {
    close(in[1]);
    fds[2].fd = -1;
  }
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    if (poll(fds, 3, static_cast<int>(left.count())) < 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[65536];
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        continue;
      }
      std::string& sink = i == 0 ? result : log;
      size_t keep = i == 0 ? kMaxResult : kMaxLog * 4;
      if (sink.size() < keep) sink.append(buf, static_cast<size_t>(n));
    }
    if (fds[2].fd >= 0 && fds[2].revents != 0) {
      ssize_t n = write(in[1], request.data() + written, request.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == request.size()) {
        close(in[1]);
        fds[2].fd = -1;
      }
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) close(fd.fd);
  }
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
  }
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
    signal(sig, SIG_DFL);
    raise(sig);
    std::_Exit(128 + sig);
  }

  WireReader reader(result);
  std::string verdict = result.empty() ? "" : reader.Word();
  if (verdict == "ok") return result.substr(result.find("ok") + 2);
  if (verdict == "not-implemented") throw std::logic_error(reader.Str());
  if (verdict == "threw") throw std::runtime_error("your code threw: " + reader.Str());
  if (result.empty()) {
    throw std::runtime_error("your code ended (exit code " +
                             std::to_string(WEXITSTATUS(status)) +
                             ") before it returned a result\n" + Tail(log));
  }
  throw WireError("tessel-judge: unreadable runner output: the result does not start with ok");
}

}  // namespace tessel::judge
