# Every config compiled and checked against the reference evaluator (issue 4's correctness line).
add_executable(test_all_configs ${TEC_TESTS}/test_all_configs.c)
target_link_libraries(test_all_configs tec_tuner)
set(ALLCFG_EX ${CMAKE_SOURCE_DIR}/examples)
add_test(NAME allcfg_matmul_48 COMMAND test_all_configs ${ALLCFG_EX}/matmul.te
         -D N=48 -D L=20 -D M=48 --len 100)
