# Lowering (tests/lower):
#   NAME.te         templates lowered with their first config and random configs (non-dividing
#                   splits, any reorder, any annotation), the IR verified after every pass,
#                   interpreted (tests/ir_interp.c) and compared with the reference evaluator
#                   (lower.case.NAME); then compiled by `tec --run` with config 0 and checked
#                   against the evaluator (lower.run.NAME); every example at small sizes likewise
#   loops/NAME.args goldens of the printed loops: `test_lower --loops ARGS` (the schedule data
#                   when ARGS start with --sched; paths relative to the source root) prints
#                   loops/NAME.loops
#   errors/NAME.te  config-dependent schedule errors, inline (`# expect:`), the config on the
#                   `# args: --loops --knob ...` line: tests/lib/error_case.sh
#   test_lower_unit.c  simplify keeps values and makes the expected rewrites; unswitch hoists
#                   invariant tests within its budget and keeps values; the verifier rejects
#                   each broken invariant
set(LOWER ${TEC_TESTS}/lower)
tec_c_test(test_lower SOURCES ${LOWER}/test_lower.c ${TEC_TESTS}/ir_interp.c LIBS tec_compiler)
tec_c_test(test_lower_unit SOURCES ${LOWER}/test_lower_unit.c ${TEC_TESTS}/ir_interp.c
           LIBS tec_compiler)
add_test(NAME lower.unit COMMAND test_lower_unit)

set(LOWER_RANDOM 40)
function(lower_example name file)
  add_test(NAME lower.example.${name}
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
lower_example(gemm gemm.te -D N=37 -D L=29 -D M=45)
lower_example(conv2d conv2d.te -D N=1 -D CI=5 -D H=9 -D W=11 -D CO=7)
lower_example(conv2d_s2 conv2d.te -D N=1 -D CI=5 -D H=9 -D W=11 -D CO=7 -D stride=2)
lower_example(conv2d_1x1 conv2d.te -D N=2 -D CI=9 -D H=5 -D W=7 -D CO=17 -D KH=1 -D KW=1 -D pad=0)
lower_example(conv2d_nchwc conv2d_nchwc.te -D N=1 -D CI=5 -D H=9 -D W=11 -D CO=20 -D IB=4)
lower_example(conv2d_nchwc_nhwc conv2d_nchwc.te -D N=2 -D CI=6 -D IB=6 -D H=5 -D W=7 -D CO=40
              -D OB=48 -D stride=2)
lower_example(conv2d_nchwc_1x1 conv2d_nchwc.te -D N=1 -D CI=9 -D IB=8 -D H=5 -D W=6 -D CO=33
              -D KH=1 -D KW=1 -D pad=0)

file(GLOB LOWER_CASES CONFIGURE_DEPENDS ${LOWER}/*.te)
foreach(f ${LOWER_CASES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME lower.case.${n} COMMAND test_lower ${f} --random ${LOWER_RANDOM})
  # End to end through codegen: exit status 0 and the evaluator's verdict both required.
  add_test(NAME lower.run.${n}
           COMMAND sh ${TEC_TESTS}/lib/run_checked.sh ${TEC_EXE} --run ${f} --config 0 --repeat 1)
  set_tests_properties(lower.run.${n} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()

file(GLOB LOWER_LOOPS CONFIGURE_DEPENDS ${LOWER}/loops/*.args)
foreach(f ${LOWER_LOOPS})
  get_filename_component(n ${f} NAME_WE)
  file(READ ${f} args)
  separate_arguments(args UNIX_COMMAND "${args}")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
  tec_golden(lower.loops.${n} EXPECTED ${LOWER}/loops/${n}.loops WORKDIR ${CMAKE_SOURCE_DIR}
             COMMAND $<TARGET_FILE:test_lower> --loops ${args})
endforeach()

file(GLOB LOWER_ERRORS CONFIGURE_DEPENDS ${LOWER}/errors/*.te)
foreach(f ${LOWER_ERRORS})
  get_filename_component(n ${f} NAME_WE)
  tec_error_case(lower.error.${n} $<TARGET_FILE:test_lower> ${f})
endforeach()
lower_example(depthwise_conv2d depthwise_conv2d.te -D N=2 -D C=19 -D H=9 -D W=11)
lower_example(depthwise_conv2d_s2 depthwise_conv2d.te -D N=1 -D C=17 -D H=10 -D W=9 -D stride=2)
