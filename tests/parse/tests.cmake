# The parser (tests/parse): goldens of test_parse, run inside the case's folder so messages name
# the file as a user would type it.
#   ok/NAME.te      must parse: the AST dump is ok/NAME.expected (nothing on stderr)
#   errors/NAME.te  must fail with exit 1: stderr is errors/NAME.expected byte for byte (the
#                   caret's column, long lines windowed, the error limit); nothing on stdout
#   ok/matmul.locs  every location the parser records (--locs), for the contract's example
# and parse.stress: generated pathological inputs (deep nesting, huge files, every byte value).
set(PARSE ${TEC_TESTS}/parse)
tec_c_test(test_parse SOURCES ${PARSE}/test_parse.c LIBS tec_lang)
file(GLOB PARSE_OK CONFIGURE_DEPENDS ${PARSE}/ok/*.te)
foreach(f ${PARSE_OK})
  get_filename_component(n ${f} NAME_WE)
  tec_golden(parse.ok.${n} EXPECTED ${PARSE}/ok/${n}.expected WORKDIR ${PARSE}/ok
             COMMAND $<TARGET_FILE:test_parse> ${n}.te)
endforeach()
file(GLOB PARSE_ERRORS CONFIGURE_DEPENDS ${PARSE}/errors/*.te)
foreach(f ${PARSE_ERRORS})
  get_filename_component(n ${f} NAME_WE)
  tec_golden(parse.error.${n} EXPECTED ${PARSE}/errors/${n}.expected STDERR EXIT 1
             WORKDIR ${PARSE}/errors COMMAND $<TARGET_FILE:test_parse> ${n}.te)
endforeach()
tec_golden(parse.locs.matmul EXPECTED ${PARSE}/ok/matmul.locs WORKDIR ${PARSE}/ok
           COMMAND $<TARGET_FILE:test_parse> --locs matmul.te)
add_test(NAME parse.stress COMMAND test_parse --stress)
set_tests_properties(parse.stress PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
