// The sandbox a submission's process runs in: resource limits, an unprivileged
// user, and no network (a seccomp filter lets socket() make only local
// sockets), so learner code can neither exhaust the machine, touch the grader
// (another user), nor send a hidden test's input anywhere. Used by the grader
// for in-process test binaries (subprocess.cpp) and by a judge for its runner
// (tools/judge/remote_call.cpp).
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

namespace tessel::course {

struct SandboxLimits {
  rlim_t cpu_seconds = 30;
  rlim_t memory_bytes = rlim_t{4096} << 20;
  rlim_t file_bytes = rlim_t{64} << 20;
  rlim_t processes = 256;  // counted per user
};

/// In a child between fork and exec (async-signal-safe calls only): sets the limits, no core
/// dumps, switches to `uid`/`gid` with no supplementary groups, and forbids network sockets.
/// Returns false, with *error naming the step, when a step fails; the child must not exec then.
bool EnterSandbox(uid_t uid, gid_t gid, const SandboxLimits& limits, const char** error);

}  // namespace tessel::course
