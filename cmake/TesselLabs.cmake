# The lab mechanics in CMake: which tree each lab is compiled from, the lab
# libraries, the graded test binaries and the lab registry (bin/labs.json).
#
# For every lab, TESSEL_SOLUTIONS decides whether solutions/<dir>/ (the
# reference) or <dir>/ (the learner's files) is compiled:
#   -DTESSEL_SOLUTIONS=all | none | "lab01;lab03"
# The chosen implementation is the library tessel_<lab>. Other labs' tests link
# tessel_<lab>_ref instead: the solution where solutions/ exists, else the
# chosen one. So lab N is graded on lab N's code alone.
#
# TESSEL_LAB_SOURCE_OVERRIDE_<lab>=<dir> compiles the lab from any folder with
# the same file names (the course checks use it for task-prefix builds).

set(TESSEL_LAB_FOLDERS lab01_lexer_parser lab02_ir_ssa lab03_graph_opts lab04_loop_ir lab06_backends)

function(tessel_add_lab_folders)
  foreach(folder IN LISTS TESSEL_LAB_FOLDERS)
    if(EXISTS ${PROJECT_SOURCE_DIR}/${folder}/CMakeLists.txt)
      add_subdirectory(${PROJECT_SOURCE_DIR}/${folder})
    endif()
  endforeach()
endfunction()

# True when TESSEL_SOLUTIONS selects the solution of `lab`.
function(_tessel_wants_solution lab out)
  set(wanted FALSE)
  if(TESSEL_SOLUTIONS STREQUAL "all")
    set(wanted TRUE)
  elseif(NOT TESSEL_SOLUTIONS STREQUAL "none" AND lab IN_LIST TESSEL_SOLUTIONS)
    set(wanted TRUE)
  endif()
  set(${out} ${wanted} PARENT_SCOPE)
endfunction()

# What a binary of graded tests (a lab's tests, or its judge) needs to know: which lab it
# grades and where its manifest is (lab_test_main.cpp prints hints from it).
function(tessel_set_lab_test_definitions target lab manifest)
  target_compile_definitions(${target} PRIVATE
    TESSEL_LAB_ID="${lab}"
    TESSEL_LAB_MANIFEST="${manifest}"
    TESSEL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TESSEL_BUILD_DIR="${CMAKE_BINARY_DIR}")
endfunction()

# tessel_add_lab(lab01 DIR lab01_lexer_parser
#                SOURCES lexer.cpp parser.cpp     learner files (same names in solutions/)
#                LINK tessel_frontend_base        what the lab code uses from stages/
#                STAGE_SOURCES stages/x/y.cpp     given stage code that calls this lab's functions:
#                                                 compiled into each of the lab's libraries
#                TESTS tests/a_test.cpp ...       graded tests (tests/hidden/*.cpp are added if present)
#                TEST_LINK tessel_lab01_ref ...)  other labs the tests need (their _ref libraries)
function(tessel_add_lab lab)
  cmake_parse_arguments(ARG "" "DIR" "SOURCES;STAGE_SOURCES;LINK;TESTS;TEST_LINK" ${ARGN})
  set(lab_dir ${PROJECT_SOURCE_DIR}/${ARG_DIR})
  set(solution_dir ${PROJECT_SOURCE_DIR}/solutions/${ARG_DIR})
  _tessel_wants_solution(${lab} wants_solution)

  if(TESSEL_LAB_SOURCE_OVERRIDE_${lab})
    set(tree ${TESSEL_LAB_SOURCE_OVERRIDE_${lab}})
  elseif(wants_solution)
    if(NOT EXISTS ${solution_dir})
      message(FATAL_ERROR
        "TESSEL_SOLUTIONS=${TESSEL_SOLUTIONS} asks for the ${lab} solution, but solutions/${ARG_DIR} "
        "does not exist (a student release has no solutions/). Configure with "
        "-DTESSEL_SOLUTIONS=none (cmake --preset student) or list only the labs whose solutions you have.")
    endif()
    set(tree ${solution_dir})
  else()
    set(tree ${lab_dir})
  endif()

  list(TRANSFORM ARG_SOURCES PREPEND ${tree}/ OUTPUT_VARIABLE chosen_sources)
  list(TRANSFORM ARG_STAGE_SOURCES PREPEND ${PROJECT_SOURCE_DIR}/ OUTPUT_VARIABLE stage_sources)
  add_library(tessel_${lab} STATIC ${chosen_sources} ${stage_sources})
  target_link_libraries(tessel_${lab} PUBLIC ${ARG_LINK})
  tessel_set_lab_warnings(tessel_${lab})
  tessel_precompile(tessel_${lab})

  # The reference implementation for other labs' tests and the driver's fallbacks.
  if(EXISTS ${solution_dir} AND NOT tree STREQUAL solution_dir)
    list(TRANSFORM ARG_SOURCES PREPEND ${solution_dir}/ OUTPUT_VARIABLE solution_sources)
    add_library(tessel_${lab}_ref STATIC ${solution_sources} ${stage_sources})
    target_link_libraries(tessel_${lab}_ref PUBLIC ${ARG_LINK})
    tessel_set_lab_warnings(tessel_${lab}_ref)
    tessel_precompile(tessel_${lab}_ref)
  else()
    add_library(tessel_${lab}_ref ALIAS tessel_${lab})
  endif()

  # Graded tests: one CTest test per GoogleTest case, labelled with the lab.
  file(GLOB hidden_tests CONFIGURE_DEPENDS ${lab_dir}/tests/hidden/*.cpp)
  list(TRANSFORM ARG_TESTS PREPEND ${lab_dir}/ OUTPUT_VARIABLE test_sources)
  # main() comes from the grading machinery: after each failure it prints the test's task,
  # hint, handout section and rerun command, read from this lab's manifest.
  add_executable(${lab}_tests ${test_sources} ${hidden_tests}
                 ${PROJECT_SOURCE_DIR}/tools/course/lab_test_main.cpp)
  target_link_libraries(${lab}_tests PRIVATE tessel_${lab} ${ARG_TEST_LINK} tessel_testing
                        tessel_manifest GTest::gtest)
  tessel_set_lab_test_definitions(${lab}_tests ${lab} ${lab_dir}/lab.json)
  tessel_set_warnings(${lab}_tests)
  tessel_precompile(${lab}_tests <gtest/gtest.h>)
  gtest_discover_tests(${lab}_tests
    DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS ${lab} TIMEOUT 60)

  # What a judge of this lab (tools/judge/) compiles: the same tests, hidden ones included.
  set_property(GLOBAL PROPERTY TESSEL_LAB_TESTS_${lab} ${test_sources} ${hidden_tests})
  set_property(GLOBAL PROPERTY TESSEL_LAB_TEST_LINK_${lab} ${ARG_TEST_LINK})
  set_property(GLOBAL PROPERTY TESSEL_LAB_MANIFEST_${lab} ${lab_dir}/lab.json)

  # `cmake --build --preset student --target lab01` builds what a learner on this lab needs:
  # its graded tests, `tessel` (grade, run) and the grader alone, and nothing of the other
  # labs' tests. (The targets named here may be defined later; CMake resolves them at the end.)
  add_custom_target(${lab})
  add_dependencies(${lab} ${lab}_tests tessel tessel-grade)

  # Remember the lab for bin/labs.json.
  file(RELATIVE_PATH tree_rel ${PROJECT_SOURCE_DIR} ${tree})
  string(JSON entry SET "{}" lab "\"${lab}\"")
  string(JSON entry SET "${entry}" dir "\"${ARG_DIR}\"")
  string(JSON entry SET "${entry}" tree "\"${tree_rel}\"")
  if(tree STREQUAL solution_dir)
    string(JSON entry SET "${entry}" uses_solution true)
  else()
    string(JSON entry SET "${entry}" uses_solution false)
  endif()
  set(files "[]")
  set(i 0)
  foreach(source IN LISTS ARG_SOURCES)
    string(JSON files SET "${files}" ${i} "\"${source}\"")
    math(EXPR i "${i} + 1")
  endforeach()
  string(JSON entry SET "${entry}" files "${files}")
  string(JSON entry SET "${entry}" tests "\"${lab}_tests\"")
  set_property(GLOBAL APPEND PROPERTY TESSEL_LABS "${entry}")
endfunction()

# Writes bin/labs.json: the source folder and, per lab, the tree it was built
# from, its learner files, its test binary and, for a judged lab, its judge and runner. `tessel grade` and `tessel labs` read it.
function(tessel_write_lab_registry)
  get_property(entries GLOBAL PROPERTY TESSEL_LABS)
  get_property(judged GLOBAL PROPERTY TESSEL_JUDGED_LABS)
  set(labs "[]")
  set(i 0)
  foreach(entry IN LISTS entries)
    string(JSON lab GET "${entry}" lab)
    if(lab IN_LIST judged)  # graded by a judge (tools/judge/): its test binary and runner
      string(JSON entry SET "${entry}" judge "\"${lab}_judge\"")
      string(JSON entry SET "${entry}" runner "\"${lab}_runner\"")
    endif()
    string(JSON labs SET "${labs}" ${i} "${entry}")
    math(EXPR i "${i} + 1")
  endforeach()
  string(JSON registry SET "{}" source_dir "\"${PROJECT_SOURCE_DIR}\"")
  string(JSON registry SET "${registry}" build_dir "\"${CMAKE_BINARY_DIR}\"")
  string(JSON registry SET "${registry}" solutions "\"${TESSEL_SOLUTIONS}\"")
  string(JSON registry SET "${registry}" labs "${labs}")
  file(WRITE ${CMAKE_BINARY_DIR}/bin/labs.json "${registry}\n")
endfunction()
