# The tuner: log format and reading, tuners, and (tune_e2e_*) tuning runs of the real tec.
add_executable(test_tune_log ${TEC_TESTS}/test_tune_log.c)
target_link_libraries(test_tune_log tec_tuner)
target_compile_definitions(test_tune_log PRIVATE TEC_VERSION="${PROJECT_VERSION}")
add_test(NAME tune_log COMMAND test_tune_log ${CMAKE_CURRENT_BINARY_DIR})

add_executable(test_tune_tuner ${TEC_TESTS}/test_tune_tuner.c)
target_link_libraries(test_tune_tuner tec_tuner)
add_test(NAME tune_tuner COMMAND test_tune_tuner)

# Whole tuning runs of tec on the tutorial matmul at 64^3, one scenario per test, each in its
# own directory (they may run in parallel).
add_executable(test_tune_e2e ${TEC_TESTS}/test_tune_e2e.c)
target_include_directories(test_tune_e2e PRIVATE ${TEC_TESTS} ${CJSON_INCLUDE_DIR})
target_link_libraries(test_tune_e2e ${CJSON_LIBRARY})
foreach(s basic resume faults interrupt kill9 early)
  add_test(NAME tune_e2e_${s}
           COMMAND test_tune_e2e ${s} ${TEC_EXE} ${TEC_TESTS} ${CMAKE_CURRENT_BINARY_DIR}/tune_e2e_${s})
  set_tests_properties(tune_e2e_${s} PROPERTIES TIMEOUT 300)
endforeach()

# tune_run through its C API: build timeout, a template without knobs, quiet progress.
add_executable(test_tune_api ${TEC_TESTS}/test_tune_api.c)
target_link_libraries(test_tune_api tec_tuner)
add_test(NAME tune_api COMMAND test_tune_api ${TEC_TESTS} ${CMAKE_CURRENT_BINARY_DIR})
