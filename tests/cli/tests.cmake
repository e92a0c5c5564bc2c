# The command line as a user types it (tests/cli):
#   NAME.cases      malformed command lines and inputs, one case a line (`NAME | ARGS | STDERR`,
#                   see run_cli.sh): exit 1, nothing on stdout, one clear error, nothing written
#   errors/NAME.te  malformed templates through tec, with their expected errors inline
#                   (`# expect:`), in an empty directory that must stay empty: tests/lib/error_case.sh
#   header_names.sh build and tune mode name the header alike
file(GLOB CLI_CASES CONFIGURE_DEPENDS ${TEC_TESTS}/cli/*.cases)
foreach(f ${CLI_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME cli.cases.${n} COMMAND sh ${TEC_TESTS}/cli/run_cli.sh ${TEC_EXE} ${f} ${TEC_WORK}/cli.cases.${n})
  set_tests_properties(cli.cases.${n} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()

file(GLOB CLI_ERRORS CONFIGURE_DEPENDS ${TEC_TESTS}/cli/errors/*.te)
foreach(f ${CLI_ERRORS})
  get_filename_component(n ${f} NAME_WE)
  tec_error_case(cli.error.${n} ${TEC_EXE} ${f})
endforeach()

add_test(NAME cli.header_names
         COMMAND sh ${TEC_TESTS}/cli/header_names.sh ${TEC_EXE} ${TEC_TESTS}/tune/i32_tune.te
                 ${TEC_WORK}/cli.header_names)
set_tests_properties(cli.header_names PROPERTIES TIMEOUT ${TEC_HANG_GUARD})

add_test(NAME cli.omp_wait COMMAND sh ${TEC_TESTS}/cli/omp_wait.sh ${TEC_EXE} ${TEC_WORK}/cli.omp_wait)
set_tests_properties(cli.omp_wait PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
