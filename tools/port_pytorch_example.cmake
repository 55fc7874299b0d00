# The porting guide's worked example (docs/porting.md §11), included from tools/CMakeLists.txt:
# tools/port_pytorch_example.py builds a small PyTorch model, exports its weights, runs
# examples/ported_convnet.tsl on them with `tessel run --input ... --output-dir` and compares
# the output with PyTorch's. It needs the reference front end and lab02 (`tessel run` of a
# .tsl file), and Python 3 with PyTorch and NumPy (Debian: python3-torch, python3-numpy);
# without them the test is registered and reported as skipped, saying what is missing.
# Label `unit`.
if(TESSEL_SOLUTIONS STREQUAL "all" OR (lab01 IN_LIST TESSEL_SOLUTIONS AND lab02 IN_LIST TESSEL_SOLUTIONS))
  # Debian's interpreter first: python3-torch installs into its dist-packages, which a
  # python3 of pyenv or a virtual environment earlier on PATH would not see.
  find_program(TESSEL_PYTHON3 NAMES python3 HINTS /usr/bin
               DOC "Python 3 for the PyTorch comparison of the porting guide's example")
  if(TESSEL_PYTHON3)
    add_test(NAME PortingGuide.PyTorchExampleMatches
             COMMAND ${TESSEL_PYTHON3} ${PROJECT_SOURCE_DIR}/tools/port_pytorch_example.py
                     --tessel $<TARGET_FILE:tessel>
             WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  else()
    add_test(NAME PortingGuide.PyTorchExampleMatches
             COMMAND ${CMAKE_COMMAND} -E echo
                     "SKIP: no python3 found (apt-get install python3 python3-numpy python3-torch, then reconfigure)")
  endif()
  # The script exits 77 when PyTorch or NumPy is missing; both paths print "SKIP: <why>".
  set_tests_properties(PortingGuide.PyTorchExampleMatches PROPERTIES
                       LABELS unit TIMEOUT 120 SKIP_RETURN_CODE 77
                       SKIP_REGULAR_EXPRESSION "^SKIP: ")
endif()
