# Semantic checking and binding (tests/sema):
#   errors/NAME.te  the error corpus: each template with its expected errors inline (`# expect:`),
#                   through test_sema (parse + bind, as `tec --check`): tests/lib/error_case.sh
#   NAME.te         goldens of the bound instance (inst_print): `# args:` on line 1 gives the
#                   -D/-t arguments; the expected text is NAME.golden, or the file its
#                   `# golden:` line names (one text shared with tests/examples/check)
#   test_sema_api.c binding through the C API; test_sema_robust.c: mutants of every case above
#                   (no crash, no silent rejection); test_scale.c: tens of thousands of stages
set(SEMA ${TEC_TESTS}/sema)
tec_c_test(test_sema SOURCES ${SEMA}/test_sema.c LIBS tec_lang)
file(GLOB SEMA_ERRORS CONFIGURE_DEPENDS ${SEMA}/errors/*.te)
foreach(f ${SEMA_ERRORS})
  get_filename_component(n ${f} NAME_WE)
  tec_error_case(sema.error.${n} $<TARGET_FILE:test_sema> ${f})
endforeach()
file(GLOB SEMA_GOLDENS CONFIGURE_DEPENDS ${SEMA}/*.te)
foreach(f ${SEMA_GOLDENS})
  get_filename_component(n ${f} NAME_WE)
  tec_golden(sema.golden.${n} EXPECTED ${SEMA}/${n}.golden CASE ${f}
             COMMAND $<TARGET_FILE:test_sema> ${f})
endforeach()

tec_c_test(test_sema_robust SOURCES ${SEMA}/test_sema_robust.c LIBS tec_lang)
# Under ASan+UBSan every second mutant (a minute and a half for all of them).
if(TEC_SANITIZE)
  set(ROBUST_SAMPLE --sample 2)
endif()
add_test(NAME sema.robust COMMAND test_sema_robust ${ROBUST_SAMPLE} ${SEMA_ERRORS} ${SEMA_GOLDENS})
tec_c_test(test_sema_api SOURCES ${SEMA}/test_sema_api.c LIBS tec_lang)
add_test(NAME sema.api COMMAND test_sema_api)
# Scale: tens of thousands of stages are bound, counted and printed (a quadratic step would hang).
tec_c_test(test_sema_scale SOURCES ${SEMA}/test_scale.c LIBS tec_lang)
add_test(NAME sema.scale COMMAND test_sema_scale)
set_tests_properties(sema.robust sema.scale PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
