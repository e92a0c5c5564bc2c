# The GA and XGB tuners: unit tests on hand-built spaces with a synthetic measurement, and
# (tune_e2e_ga / tune_e2e_xgb) whole tuning runs of tec with each.
add_executable(test_mltuners ${TEC_TESTS}/test_mltuners.c)
target_include_directories(test_mltuners PRIVATE ${TEC_TESTS})
target_link_libraries(test_mltuners tec_tuner)
add_test(NAME mltuners COMMAND test_mltuners)
set_tests_properties(mltuners PROPERTIES TIMEOUT 120)

add_executable(test_mltuners_e2e ${TEC_TESTS}/test_mltuners_e2e.c)
target_include_directories(test_mltuners_e2e PRIVATE ${TEC_TESTS} ${CJSON_INCLUDE_DIR})
target_link_libraries(test_mltuners_e2e ${CJSON_LIBRARY})
foreach(t ga xgb)
  add_test(NAME mltuners_e2e_${t}
           COMMAND test_mltuners_e2e ${t} ${TEC_EXE} ${TEC_TESTS} ${CMAKE_CURRENT_BINARY_DIR}/mltuners_e2e_${t})
  set_tests_properties(mltuners_e2e_${t} PROPERTIES TIMEOUT 300)
endforeach()
