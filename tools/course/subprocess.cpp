// fork/exec with a pipe, poll and a deadline. The child gets its own process
// group so that a timeout also kills anything it started.
#include "tools/course/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace tessel::course {

namespace {

using Clock = std::chrono::steady_clock;

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void ExecChild(char* const* argv, int out_fd) {
  setpgid(0, 0);
  int in_fd = open("/dev/null", O_RDONLY);
  if (in_fd >= 0) dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  execvp(argv[0], argv);
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

// Reads the pipe until EOF or the deadline; true if the deadline passed first.
bool Drain(int fd, Clock::time_point deadline, size_t max_output, std::string* output) {
  char buffer[4096];
  while (true) {
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, MillisecondsLeft(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) return true;
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    size_t room = max_output - std::min(max_output, output->size());
    output->append(buffer, std::min(room, static_cast<size_t>(n)));
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
                         size_t max_output) {
  ProcessResult result;
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int fds[2];
  if (argv.empty() || pipe2(fds, O_CLOEXEC) != 0) return result;
  auto start = Clock::now();
  auto deadline = start + std::chrono::milliseconds(static_cast<int64_t>(timeout_seconds * 1000));
  pid_t pid = fork();
  if (pid == 0) ExecChild(args.data(), fds[1]);
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

std::string DescribeSignal(int signal) {
  const char* name = strsignal(signal);
  return "signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : "");
}

}  // namespace tessel::course
