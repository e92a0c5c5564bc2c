# Lowering: every example and every template in tests/lower/ lowered with its first config and
# random configs (non-dividing splits, any reorder, any annotation), the IR verified after every
# pass, interpreted (tests/ir_interp.c) and compared with the reference evaluator; goldens of the
# printed loops (tests/loops/); config-dependent schedule errors.
add_executable(test_lower ${TEC_TESTS}/test_lower.c ${TEC_TESTS}/ir_interp.c)
target_link_libraries(test_lower tec_compiler)

set(LOWER_RANDOM 40)
function(lower_example name file)
  add_test(NAME lower_example_${name}
           COMMAND test_lower ${CMAKE_SOURCE_DIR}/examples/${file} ${ARGN} --random ${LOWER_RANDOM})
endfunction()
lower_example(matmul matmul.te -D N=13 -D L=7 -D M=12)
lower_example(matmul_f64 matmul.te -D N=8 -D L=9 -D M=10 -D dtype=float64)
lower_example(matmul_i32 matmul.te -D N=6 -D L=5 -D M=9 -D dtype=int32)
lower_example(matmul_basic matmul_basic.te -D N=20 -D L=5 -D M=17)
lower_example(matmul_v1 matmul_v1.te -D N=18 -D L=6 -D M=12)
lower_example(batch_matmul batch_matmul.te -D batch=3 -D N=5 -D L=6 -D M=7)
lower_example(conv2d_nchw conv2d_nchw.te -D CI=3 -D H=7 -D W=6 -D CO=5)
lower_example(dense_bias_relu dense_bias_relu.te -D N=10 -D K=7 -D M=12)
lower_example(softmax softmax.te -D N=5 -D M=13)
lower_example(dense_int8 dense_int8.te -D N=4 -D K=17 -D M=10)
lower_example(stencil_f64 stencil_f64.te -D N=9 -D M=7)
lower_example(pool_upsample pool_upsample.te -D C=2 -D H=7 -D W=6)

file(GLOB LOWER_CASES CONFIGURE_DEPENDS ${TEC_TESTS}/lower/*.te)
foreach(f ${LOWER_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME lower_${n} COMMAND test_lower ${f} --random ${LOWER_RANDOM})
endforeach()

file(GLOB LOWER_GOLDENS CONFIGURE_DEPENDS ${TEC_TESTS}/loops/*.args)
foreach(f ${LOWER_GOLDENS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME lower_loops_${n}
           COMMAND sh ${TEC_TESTS}/loops/run_golden.sh $<TARGET_FILE:test_lower> ${CMAKE_SOURCE_DIR} ${f})
endforeach()

file(GLOB LOWER_ERRORS CONFIGURE_DEPENDS ${TEC_TESTS}/lower_errors/*.te)
foreach(f ${LOWER_ERRORS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME lower_error_${n}
           COMMAND sh ${TEC_TESTS}/lower_errors/run_error.sh $<TARGET_FILE:test_lower> ${f})
endforeach()

# End to end through codegen: each template of tests/lower/ compiled by tec (config 0), run on
# random inputs and checked against the reference evaluator.
foreach(f ${LOWER_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME lower_run_${n} COMMAND ${TEC_EXE} --run ${f} --config 0 --repeat 1)
  # The driver's --run path returns without freeing its arena (driver/main.c); leak checking
  # would turn that into a failure of this test, which checks the kernel's answer.
  set_tests_properties(lower_run_${n} PROPERTIES
                       PASS_REGULAR_EXPRESSION "checked against the reference evaluator: ok"
                       ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0" TIMEOUT 120)
endforeach()

# Parts: simplify keeps values (random expressions) and makes the expected rewrites; the
# verifier rejects each broken invariant.
add_executable(test_lower_unit ${TEC_TESTS}/test_lower_unit.c ${TEC_TESTS}/ir_interp.c)
target_link_libraries(test_lower_unit tec_compiler)
add_test(NAME lower_unit COMMAND test_lower_unit)
