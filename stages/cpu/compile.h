// Compiling rendered C and loading it in-process (stage 6).
//
// The C file is compiled with the system C compiler into a shared object, cached by a hash
// of the compiler, its flags and the source (so the second run of a model compiles nothing),
// then loaded with dlopen. Where the compiler and its flags come from, first found wins:
//
//   compiler  --cc, $TESSEL_CC, $CC, "cc"
//   flags     --cflags, $TESSEL_CFLAGS, "-O3 -march=native -fopenmp"
//   cache     $TESSEL_CACHE_DIR, $XDG_CACHE_HOME/tessel, $HOME/.cache/tessel, /tmp/tessel-cache
//
// -fPIC -shared are always added. A compiler error is reported with the C file's path and the
// compiler's first error line; the full output stays next to the C file.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace tessel::cpu {

struct CompilerConfig {
  std::string compiler = "cc";
  std::string flags = "-O3 -march=native -fopenmp";
};

/// The compiler and flags from the environment (overridden by non-empty arguments).
CompilerConfig CompilerFromEnvironment(const std::string& compiler = "", const std::string& flags = "");
/// Where compiled models are cached (created if missing).
std::string CacheDirectory();

struct CompiledFile {
  std::string c_path;        // the source, kept in the cache
  std::string library_path;  // the shared object
  bool cached = false;       // found in the cache: nothing was compiled
  double seconds = 0;        // the C compiler's wall time (0 when cached)
};

/// Compiles `source` (cached); nullopt with *error set when the compiler fails.
std::optional<CompiledFile> CompileC(const std::string& source, const CompilerConfig& config,
                                     std::string* error);

/// A loaded shared object (dlopen), closed when destroyed.
class SharedLibrary {
 public:
  static std::unique_ptr<SharedLibrary> Open(const std::string& path, std::string* error);
  ~SharedLibrary();
  SharedLibrary(const SharedLibrary&) = delete;
  SharedLibrary& operator=(const SharedLibrary&) = delete;
  /// The address of `symbol`, or null.
  void* Symbol(const std::string& symbol) const;

 private:
  explicit SharedLibrary(void* handle) : handle_(handle) {}
  void* handle_;
};

}  // namespace tessel::cpu
