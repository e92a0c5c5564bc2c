# Run by tec_add_kernel's build step (cmake -P): takes HEADER, the header tec wrote beside the
# kernel, and OUT; writes to OUT the link flags the header's "Link with:" line gives after the
# object (-lm, and -fopenmp for a kernel with parallel loops), one a line, as a response file.
file(STRINGS "${HEADER}" line REGEX "^ \\* Link with: ")
if(NOT line MATCHES "^ \\* Link with: +cc prog\\.c +[^ ]+ (.*)$")
  message(FATAL_ERROR "tec_add_kernel: no \"Link with:\" line in ${HEADER}")
endif()
string(REPLACE " " "\n" flags "${CMAKE_MATCH_1}")
file(WRITE "${OUT}.tmp" "${flags}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
