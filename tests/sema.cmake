# sema: the checker program, the error corpus (one test per file) and the inst_print goldens.
add_executable(test_sema ${TEC_TESTS}/test_sema.c)
target_link_libraries(test_sema tec_lang)

file(GLOB SEMA_ERROR_CASES CONFIGURE_DEPENDS ${TEC_TESTS}/errors/*.te)
foreach(f ${SEMA_ERROR_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME sema_error_${n} COMMAND sh ${TEC_TESTS}/errors/run_error.sh $<TARGET_FILE:test_sema> ${f})
endforeach()

file(GLOB SEMA_GOLDEN_CASES CONFIGURE_DEPENDS ${TEC_TESTS}/sema/*.te)
foreach(f ${SEMA_GOLDEN_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME sema_golden_${n} COMMAND sh ${TEC_TESTS}/sema/run_golden.sh $<TARGET_FILE:test_sema> ${f})
endforeach()

# Mutants of every corpus and golden file: no crash, no silent rejection.
add_executable(test_sema_robust ${TEC_TESTS}/test_sema_robust.c)
target_link_libraries(test_sema_robust tec_lang)
add_test(NAME sema_robust COMMAND test_sema_robust ${SEMA_ERROR_CASES} ${SEMA_GOLDEN_CASES})

add_executable(test_sema_api ${TEC_TESTS}/test_sema_api.c)
target_link_libraries(test_sema_api tec_lang)
add_test(NAME sema_api COMMAND test_sema_api)
