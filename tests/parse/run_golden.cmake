# Runs test_parse on DIR/NAME.te and compares its output with DIR/NAME.expected.
#   GROUP ok:   must parse (exit 0, nothing on stderr); expected = the AST dump
#   GROUP err:  must fail (exit 1, nothing on stdout); expected = the error messages
#   GROUP locs: like ok, with --locs; expected = DIR/NAME.locs.expected
# Run with -DUPDATE=1 to rewrite the expected file instead (then review the diff).
cmake_minimum_required(VERSION 3.20)
set(args ${NAME}.te)
set(expected ${DIR}/${NAME}.expected)
if(GROUP STREQUAL "locs")
  set(args --locs ${NAME}.te)
  set(expected ${DIR}/${NAME}.locs.expected)
endif()
# Run inside DIR so messages name the file as the user would type it.
execute_process(COMMAND ${PROG} ${args} WORKING_DIRECTORY ${DIR}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 10)
if(GROUP STREQUAL "err")
  if(NOT rc EQUAL 1 OR NOT out STREQUAL "")
    message(FATAL_ERROR "${NAME}.te: expected a syntax error (exit 1, no dump); got exit ${rc}\n${out}${err}")
  endif()
  set(actual "${err}")
else()
  if(NOT rc EQUAL 0 OR NOT err STREQUAL "")
    message(FATAL_ERROR "${NAME}.te: expected to parse; got exit ${rc}\n${err}")
  endif()
  set(actual "${out}")
endif()
if(UPDATE)
  file(WRITE ${expected} "${actual}")
  return()
endif()
if(NOT EXISTS ${expected})
  message(FATAL_ERROR "missing ${expected}; output was:\n${actual}")
endif()
file(READ ${expected} want)
if(NOT actual STREQUAL want)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${NAME}.actual "${actual}")
  execute_process(COMMAND diff -u ${expected} ${CMAKE_CURRENT_BINARY_DIR}/${NAME}.actual)
  message(FATAL_ERROR "${NAME}.te: output differs from ${expected}")
endif()
