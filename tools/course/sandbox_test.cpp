// The submission sandbox, tried in a child process: no network sockets, local ones still
// work, limits hold.
#include "tools/course/sandbox.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace tessel::course {
namespace {

// Runs `body` in a sandboxed child (as the current user) and returns its exit code.
template <typename Body>
int InSandbox(Body body) {
  pid_t pid = fork();
  if (pid == 0) {
    const char* error = "";
    if (!EnterSandbox(getuid(), getgid(), SandboxLimits{}, &error)) _exit(100);
    _exit(body());
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(SandboxTest, ForbidsNetworkSockets) {
  EXPECT_EQ(InSandbox([] {
              int fd = socket(AF_INET, SOCK_STREAM, 0);
              return fd < 0 && errno == EACCES ? 0 : 1;
            }),
            0);
  EXPECT_EQ(InSandbox([] {
              int fd = socket(AF_INET6, SOCK_DGRAM, 0);
              return fd < 0 && errno == EACCES ? 0 : 1;
            }),
            0);
}

TEST(SandboxTest, AllowsLocalSockets) {
  EXPECT_EQ(InSandbox([] { return socket(AF_UNIX, SOCK_STREAM, 0) >= 0 ? 0 : 1; }), 0);
}

TEST(SandboxTest, LimitsFileSize) {
  EXPECT_EQ(InSandbox([] {
              rlimit r{};
              getrlimit(RLIMIT_FSIZE, &r);
              rlimit core{};
              getrlimit(RLIMIT_CORE, &core);
              return r.rlim_cur == SandboxLimits{}.file_bytes && core.rlim_cur == 0 ? 0 : 1;
            }),
            0);
}

}  // namespace
}  // namespace tessel::course
