# Front end: parser goldens (tests/parse/ok: AST dumps; tests/parse/err: error messages),
# and generated robustness inputs.
add_executable(test_parse ${TEC_TESTS}/test_parse.c)
target_link_libraries(test_parse tec_lang)

file(GLOB PARSE_OK CONFIGURE_DEPENDS ${TEC_TESTS}/parse/ok/*.te)
file(GLOB PARSE_ERR CONFIGURE_DEPENDS ${TEC_TESTS}/parse/err/*.te)
foreach(src ${PARSE_OK} ${PARSE_ERR})
  get_filename_component(name ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(group ${dir} NAME)
  add_test(NAME parse.${group}.${name}
           COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:test_parse> -DDIR=${dir}
                   -DNAME=${name} -DGROUP=${group} -P ${TEC_TESTS}/parse/run_golden.cmake)
  set_tests_properties(parse.${group}.${name} PROPERTIES TIMEOUT 20)
endforeach()

# Every location the parser records, for the contract's example.
add_test(NAME parse.locs
         COMMAND ${CMAKE_COMMAND} -DPROG=$<TARGET_FILE:test_parse> -DDIR=${TEC_TESTS}/parse
                 -DNAME=matmul -DGROUP=locs -P ${TEC_TESTS}/parse/run_golden.cmake)
add_test(NAME parse.stress COMMAND test_parse --stress)
set_tests_properties(parse.stress PROPERTIES TIMEOUT 300)
