// Compiling and loading C (compile.h).
#include "stages/cpu/compile.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

extern char** environ;

namespace tessel::cpu {

namespace fs = std::filesystem;

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

uint64_t Fnv1a(const std::string& text, uint64_t hash = 1469598103934665603ull) {
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::vector<std::string> Words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::string temp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary);
    if (!(out << text)) return false;
  }
  std::error_code ec;
  fs::rename(temp, path, ec);
  return !ec;
}

// Runs argv with stdout and stderr to `log`; returns the exit status (-1: could not start).
int Run(const std::vector<std::string>& argv, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // The compiler does not inherit LD_PRELOAD: a process that preloads a sanitizer runtime to
  // load instrumented models (tessel-fuzz's sanitizer campaign) must not slow its compiler.
  std::vector<char*> env;
  for (char** e = environ; *e; ++e) {
    if (std::string_view(*e).rfind("LD_PRELOAD=", 0) != 0) env.push_back(*e);
  }
  env.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string FirstError(const std::string& log) {
  std::ifstream in(log);
  std::string line, first;
  while (std::getline(in, line)) {
    if (first.empty() && !line.empty()) first = line;
    if (line.find("error") != std::string::npos) return line;
  }
  return first.empty() ? "(no output)" : first;
}

}  // namespace

CompilerConfig CompilerFromEnvironment(const std::string& compiler, const std::string& flags) {
  CompilerConfig config;
  if (!compiler.empty()) config.compiler = compiler;
  else if (!Env("TESSEL_CC").empty()) config.compiler = Env("TESSEL_CC");
  else if (!Env("CC").empty()) config.compiler = Env("CC");
  if (!flags.empty()) config.flags = flags;
  else if (!Env("TESSEL_CFLAGS").empty()) config.flags = Env("TESSEL_CFLAGS");
  return config;
}

std::string CacheDirectory() {
  std::string dir = Env("TESSEL_CACHE_DIR");
  if (dir.empty() && !Env("XDG_CACHE_HOME").empty()) dir = Env("XDG_CACHE_HOME") + "/tessel";
  if (dir.empty() && !Env("HOME").empty()) dir = Env("HOME") + "/.cache/tessel";
  std::error_code ec;
  if (!dir.empty()) fs::create_directories(dir, ec);
  if (dir.empty() || ec) {
    dir = "/tmp/tessel-cache-" + std::to_string(::getuid());
    fs::create_directories(dir, ec);
  }
  return dir;
}

std::optional<CompiledFile> CompileC(const std::string& source, const CompilerConfig& config,
                                     std::string* error) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(Fnv1a(source, Fnv1a(config.compiler + "\n" + config.flags + "\n"))));
  std::string base = CacheDirectory() + "/" + hash;
  CompiledFile file{base + ".c", base + ".so", false, 0};
  if (fs::exists(file.library_path) && fs::exists(file.c_path)) {
    file.cached = true;
    return file;
  }
  if (!WriteFile(file.c_path, source)) {
    *error = "cannot write " + file.c_path;
    return std::nullopt;
  }
  std::string temp = base + ".tmp" + std::to_string(::getpid()) + ".so";
  std::vector<std::string> argv = {config.compiler};
  for (const std::string& flag : Words(config.flags)) argv.push_back(flag);
  for (const char* flag : {"-fPIC", "-shared", "-o"}) argv.push_back(flag);
  argv.push_back(temp);
  argv.push_back(file.c_path);
  std::string log = base + ".log";
  auto start = std::chrono::steady_clock::now();
  int status = Run(argv, log);
  file.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (status == -1) {
    *error = "cannot run the C compiler '" + config.compiler + "' (set --cc or TESSEL_CC)";
    return std::nullopt;
  }
  if (status != 0) {
    *error = "the C compiler failed on " + file.c_path + ": " + FirstError(log) +
             " (the whole output: " + log + ")";
    return std::nullopt;
  }
  std::error_code ec;
  fs::rename(temp, file.library_path, ec);
  if (ec) {
    *error = "cannot write " + file.library_path + ": " + ec.message();
    return std::nullopt;
  }
  return file;
}

std::unique_ptr<SharedLibrary> SharedLibrary::Open(const std::string& path, std::string* error) {
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) {
    const char* message = dlerror();
    *error = "cannot load " + path + ": " + (message ? message : "dlopen failed");
    return nullptr;
  }
  return std::unique_ptr<SharedLibrary>(new SharedLibrary(handle));
}

// RTLD_NODELETE keeps the code mapped after dlclose: OpenMP's worker threads (libgomp, loaded
// with the model) outlive the model and must not lose their code under them.
SharedLibrary::~SharedLibrary() { dlclose(handle_); }

void* SharedLibrary::Symbol(const std::string& symbol) const { return dlsym(handle_, symbol.c_str()); }

}  // namespace tessel::cpu
