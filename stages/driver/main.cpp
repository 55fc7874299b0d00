// tessel: the command-line driver of the Tessel compiler and course.
//
//   tessel run FILE.tsl [--emit tokens|ast|ir]  compile and run a program
//   tessel tpu run|gemm|conv ...                the simulated TPU
//   tessel grade labNN                          grade a lab (see docs/course.md)
//   tessel labs                                 every lab's score and progress
//   tessel instructor classroom|gradescope      autograder files for a course
//   tessel lint-docs                            check what the docs cite against the code
//
// The flags of every command are defined in command_line.cpp.
#include "stages/driver/command_line.h"

int main(int argc, char** argv) { return tessel::RunCommandLine(argc, argv); }
