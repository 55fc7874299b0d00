// tessel-grade: the course commands of `tessel` (grade, labs, instructor)
// without any lab code, so that it builds even when a learner's code does not.
// Autograders (Gradescope's run_autograder, the GitHub Classroom workflow)
// run it. `tessel-grade lab01 ...` is short for `tessel-grade grade lab01 ...`.
#include "tools/course/commands.h"

int main(int argc, char** argv) { return tessel::course::RunGradeCommandLine(argc, argv); }
