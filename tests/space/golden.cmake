# Runs `TEC ARGS` (ARGS separated by '|') and compares its standard output with the file
# EXPECTED; with -DERROR=1 it expects a non-zero exit and compares standard error instead.
# Fails with both texts when they differ.
# cmake -DTEC=path/to/tec "-DARGS=--space|file.te|-D|N=512" -DEXPECTED=file -P golden.cmake
string(REPLACE "|" ";" args "${ARGS}")
execute_process(COMMAND ${TEC} ${args} OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(ERROR)
  if(rc EQUAL 0)
    message(FATAL_ERROR "tec ${args} succeeded; expected an error:\n${out}")
  endif()
  set(out "${err}")
elseif(NOT rc EQUAL 0)
  message(FATAL_ERROR "tec ${args} exited with ${rc}:\n${err}")
endif()
file(READ "${EXPECTED}" want)
if(NOT out STREQUAL want)
  message(FATAL_ERROR "tec ${args}: output differs from ${EXPECTED}\n--- got\n${out}--- want\n${want}")
endif()
