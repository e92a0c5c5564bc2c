# The tuner: log format and reading, tuners, and (tune_e2e_*) tuning runs of the real tec.
add_executable(test_tune_log ${TEC_TESTS}/test_tune_log.c)
target_link_libraries(test_tune_log tec_tuner)
target_compile_definitions(test_tune_log PRIVATE TEC_VERSION="${PROJECT_VERSION}")
add_test(NAME tune_log COMMAND test_tune_log ${CMAKE_CURRENT_BINARY_DIR})

add_executable(test_tune_tuner ${TEC_TESTS}/test_tune_tuner.c)
target_link_libraries(test_tune_tuner tec_tuner)
add_test(NAME tune_tuner COMMAND test_tune_tuner)
