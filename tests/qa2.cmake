# QA of tuning as a new user (tests/qa2/): bugs found by tuning new templates, one test each.
set(QA2_WORK ${CMAKE_CURRENT_BINARY_DIR}/qa2_work)
add_test(NAME qa2_interrupt_rebuild
         COMMAND sh ${TEC_TESTS}/qa2/interrupt_rebuild.sh ${TEC_EXE} ${TEC_TESTS}/qa2/i32_tune.te
                 ${QA2_WORK}/interrupt_rebuild)
set_tests_properties(qa2_interrupt_rebuild PROPERTIES TIMEOUT 60 ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")

# Odd tuning option values: one clear error each, exit 1, nothing written.
add_test(NAME qa2_cli COMMAND sh ${TEC_TESTS}/qa/cli/run_cli.sh ${TEC_EXE} ${TEC_TESTS}/qa2/cli_cases.txt
                              ${QA2_WORK}/cli)
set_tests_properties(qa2_cli PROPERTIES TIMEOUT 120)

# One header naming rule for build and tune mode.
add_test(NAME qa2_header_names
         COMMAND sh ${TEC_TESTS}/qa2/header_names.sh ${TEC_EXE} ${TEC_TESTS}/qa2/i32_tune.te
                 ${QA2_WORK}/header_names)
set_tests_properties(qa2_header_names PROPERTIES TIMEOUT 60 ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
