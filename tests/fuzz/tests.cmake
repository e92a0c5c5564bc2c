# The libFuzzer targets (tests/fuzz, clang-19 with -fsanitize=fuzzer,address,undefined), built as
# a project of their own when clang-19 with libFuzzer is found (TEC_FUZZ): fuzz.run.NAME runs a
# target for a bounded time from the seed corpora, fuzz.regress.NAME.FILE replays every input
# kept in regress/NAME/ (each a crash once found). docs/testing.md says how to run them longer.
set(FUZZ ${TEC_TESTS}/fuzz)
find_program(CLANG19 clang-19)
set(TEC_FUZZ_OK OFF)
if(CLANG19)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe.c
       "int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n")
  execute_process(COMMAND ${CLANG19} -fsanitize=fuzzer,address,undefined fuzz_probe.c -o fuzz_probe
                  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR} RESULT_VARIABLE rc OUTPUT_QUIET
                  ERROR_QUIET)
  if(rc EQUAL 0)
    set(TEC_FUZZ_OK ON)
  endif()
endif()
# The targets carry their own sanitizers and do not depend on this build's type: the sanitizer
# build would only build and run the same programs a second time.
if(TEC_SANITIZE)
  set(TEC_FUZZ_OK OFF)
endif()
option(TEC_FUZZ "Build and run the libFuzzer targets (needs clang-19 with libFuzzer)" ${TEC_FUZZ_OK})
if(TEC_FUZZ)
  include(ExternalProject)
  set(FUZZ_BIN ${CMAKE_CURRENT_BINARY_DIR}/fuzz)
  ExternalProject_Add(tec_fuzz SOURCE_DIR ${FUZZ} BINARY_DIR ${FUZZ_BIN}
                      CMAKE_ARGS -DCMAKE_C_COMPILER=${CLANG19} -DTEC_ROOT=${PROJECT_SOURCE_DIR}
                      INSTALL_COMMAND "" BUILD_ALWAYS ON)
  # about 30 s each (the time cap; the run cap ends the log target sooner)
  add_test(NAME fuzz.run.source COMMAND sh ${FUZZ}/run_fuzz.sh ${FUZZ_BIN}/fuzz_source
           ${TEC_WORK}/fuzz.run.source 30 300000 ${PROJECT_SOURCE_DIR}/examples ${TEC_TESTS})
  add_test(NAME fuzz.run.log COMMAND sh ${FUZZ}/run_fuzz.sh ${FUZZ_BIN}/fuzz_log
           ${TEC_WORK}/fuzz.run.log 30 300000 ${FUZZ}/corpus/log_line)
  add_test(NAME fuzz.run.task_line COMMAND sh ${FUZZ}/run_fuzz.sh ${FUZZ_BIN}/fuzz_task_line
           ${TEC_WORK}/fuzz.run.task_line 20 200000 ${FUZZ}/corpus/task_line)
  set_tests_properties(fuzz.run.source fuzz.run.log fuzz.run.task_line PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
  foreach(t source log task_line)
    file(GLOB inputs CONFIGURE_DEPENDS ${FUZZ}/regress/${t}/*)
    foreach(f ${inputs})
      get_filename_component(n ${f} NAME_WE)
      add_test(NAME fuzz.regress.${t}.${n} COMMAND ${FUZZ_BIN}/fuzz_${t} ${f})
    endforeach()
  endforeach()
endif()
