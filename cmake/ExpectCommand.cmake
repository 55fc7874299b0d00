# Runs a command and checks its exit code and output; used by CLI tests.
#
#   cmake -DCOMMAND="prog;arg1;arg2" -DEXPECT_EXIT=1 -DEXPECT_OUTPUT="regex"
#         [-DREJECT_OUTPUT="regex"] [-DWORKING_DIRECTORY=dir] -P ExpectCommand.cmake
#
# EXPECT_EXIT may be a number or "nonzero". Output is stdout and stderr together.
if(NOT WORKING_DIRECTORY)
  set(WORKING_DIRECTORY .)
endif()
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE exit_code OUTPUT_VARIABLE out
                ERROR_VARIABLE out WORKING_DIRECTORY ${WORKING_DIRECTORY})
string(REPLACE ";" " " shown "${COMMAND}")
message("$ ${shown}\n${out}(exit ${exit_code})")
if(EXPECT_EXIT STREQUAL "nonzero")
  if(exit_code EQUAL 0)
    message(FATAL_ERROR "expected a non-zero exit code, got 0")
  endif()
elseif(NOT exit_code STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "expected exit code ${EXPECT_EXIT}, got ${exit_code}")
endif()
if(DEFINED EXPECT_OUTPUT AND NOT out MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "expected the output to match: ${EXPECT_OUTPUT}")
endif()
if(DEFINED REJECT_OUTPUT AND out MATCHES "${REJECT_OUTPUT}")
  message(FATAL_ERROR "the output must not match: ${REJECT_OUTPUT}")
endif()
