# Warning and sanitizer flags, applied per target (never globally).

# Compiler warnings for Tessel's own code; errors when TESSEL_WERROR is on.
function(tessel_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                         $<$<BOOL:${TESSEL_WERROR}>:-Werror>)
  if(TESSEL_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                           -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# Lab code: the same warnings, except the ones that a skeleton triggers by
# design (a TODO leaves parameters and given helpers unused).
function(tessel_set_lab_warnings target)
  tessel_set_warnings(${target})
  target_compile_options(${target} PRIVATE -Wno-unused-parameter -Wno-unused-function
                         -Wno-unused-variable -Wno-unused-but-set-variable
                         $<$<CXX_COMPILER_ID:Clang>:-Wno-unused-private-field>)
endfunction()

# Precompiled headers for the targets with many translation units: the standard
# headers every file includes, plus a target's own heavy ones (GoogleTest,
# nlohmann/json), are parsed once per target instead of once per file. The
# first build of a lab (`--target lab01`) is dominated by such parsing.
option(TESSEL_PCH "Precompile the common headers of the larger targets" ON)
set(TESSEL_PCH_STD <algorithm> <cstdint> <functional> <map> <memory> <optional> <set> <sstream>
    <string> <string_view> <unordered_map> <utility> <vector>)
function(tessel_precompile target)
  if(TESSEL_PCH)
    target_precompile_headers(${target} PRIVATE ${TESSEL_PCH_STD} ${ARGN})
  endif()
endfunction()

# The course tooling (grader, skeleton generator, docs lint) and the command-line wiring: in the
# presets' RelWithDebInfo builds, without debug information and at -O1. Nobody steps through
# the grader, and CLI11 and nlohmann/json take half as long to compile this way, which a
# learner waits for in a lab's first build. (Debug builds, such as the asan preset, keep -g.)
function(tessel_set_tool_flags target)
  target_compile_options(${target} PRIVATE $<$<CONFIG:RelWithDebInfo>:-O1 -g0>)
endfunction()

# Unity builds for the larger stage libraries and the course tooling (never for lab code or
# tests): their files are compiled in batches, so the headers they share are parsed once a
# batch. Helpers in anonymous namespaces must therefore have names unique within their library.
option(TESSEL_UNITY "Compile the larger stage libraries in batches (unity build)" ON)
function(tessel_unity_build target)
  if(TESSEL_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()
