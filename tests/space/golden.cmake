# Runs `TEC ARGS` (ARGS separated by '|') and compares its standard output with the file
# EXPECTED; fails with both texts when they differ or tec exits non-zero.
# cmake -DTEC=path/to/tec "-DARGS=--space|file.te|-D|N=512" -DEXPECTED=file -P golden.cmake
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${TEC} ${args} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tec ${args} exited with ${rc}:\n${err}")
endif()
file(READ "${EXPECTED}" want)
if(NOT out STREQUAL want)
  message(FATAL_ERROR "tec ${args}: output differs from ${EXPECTED}\n--- got\n${out}--- want\n${want}")
endif()
