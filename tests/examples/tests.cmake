# Whole templates as a user writes them (tests/examples):
#   NAME.te + c/NAME.c  templates in the TVM tutorial and TOPI style, each run through
#                   `tec --run` on several configs (examples.run.NAME: run_configs.sh) and
#                   linked, as emitted, into its own C checker c/NAME.c that compares the kernel
#                   with plain C loops (examples.link.NAME: run_c.sh)
#   check/NAME.check   `tec --check` of every template in examples/ (the bound instance, FLOPs
#                   checked by hand against AutoTVM's compute_flop, and the prototype)
set(EXAMPLES ${TEC_TESTS}/examples)
file(GLOB EXAMPLE_TEMPLATES CONFIGURE_DEPENDS ${EXAMPLES}/*.te)
foreach(f ${EXAMPLE_TEMPLATES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME examples.run.${n} COMMAND sh ${EXAMPLES}/run_configs.sh ${TEC_EXE} ${f} spread)
  add_test(NAME examples.link.${n}
           COMMAND sh ${EXAMPLES}/run_c.sh ${TEC_EXE} ${f} ${TEC_WORK}/examples.link.${n} 0 last)
  set_tests_properties(examples.run.${n} examples.link.${n} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()

file(GLOB EXAMPLE_CHECKS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.te)
foreach(f ${EXAMPLE_CHECKS})
  get_filename_component(n ${f} NAME_WE)
  tec_golden(examples.check.${n} EXPECTED ${EXAMPLES}/check/${n}.check
             WORKDIR ${CMAKE_SOURCE_DIR}/examples COMMAND ${TEC_EXE} --check ${n}.te)
endforeach()

# The blocked templates of examples/ (gemm, conv2d, conv2d_nchwc, depthwise_conv2d) at small odd
# sizes, where every tile is partial somewhere: `tec --run` on spread configs and on
# register-tiled ones, against the reference evaluator (examples.run.NAME.CASE).
function(example_run name file)
  add_test(NAME examples.run.${name}
           COMMAND sh ${EXAMPLES}/run_configs.sh ${TEC_EXE} ${CMAKE_SOURCE_DIR}/examples/${file}
                   ${ARGN})
  set_tests_properties(examples.run.${name} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endfunction()
set(GEMM_ODD -D N=37 -D L=29 -D M=45)
example_run(gemm.odd gemm.te ${GEMM_ODD} spread 47246 71299)
example_run(gemm.row gemm.te -D N=1 -D L=70 -D M=33 47246 71299)
set(CONV_ODD -D N=1 -D CI=5 -D H=9 -D W=11 -D CO=7)
example_run(conv2d.3x3s1 conv2d.te ${CONV_ODD} -D stride=1 -D pad=1 spread 7596 6358)
example_run(conv2d.3x3s2 conv2d.te ${CONV_ODD} -D stride=2 -D pad=1 spread 7596 6358)
example_run(conv2d.1x1s1 conv2d.te ${CONV_ODD} -D KH=1 -D KW=1 -D pad=0 spread 7596)
example_run(conv2d.1x1s2 conv2d.te -D N=2 -D CI=17 -D H=9 -D W=11 -D CO=19 -D KH=1 -D KW=1
            -D stride=2 -D pad=0 0 7596 6358)
# conv2d_nchwc.te: blocked data, kernel and output (IB, KB, OB), channel counts that the blocks
# do not divide (padding channels), NCHWc tiles over output blocks (tcb) and NHWC-like ones over
# vectors of the output block (tv: part of a kernel block, or several, as KB / 16 and the factor
# fall; 3 of OB = 48's 3 vectors in the last case).
set(NCHWC_ODD -D N=1 -D CI=5 -D H=9 -D W=11 -D CO=20 -D IB=4)
example_run(conv2d_nchwc.3x3s1 conv2d_nchwc.te ${NCHWC_ODD} -D stride=1 -D pad=1 spread 1815 3735)
example_run(conv2d_nchwc.3x3s2 conv2d_nchwc.te ${NCHWC_ODD} -D stride=2 -D pad=1 spread 1815)
example_run(conv2d_nchwc.3x3s1_nhwc conv2d_nchwc.te ${NCHWC_ODD} -D OB=32 spread 3653 1146)
example_run(conv2d_nchwc.1x1s1 conv2d_nchwc.te ${NCHWC_ODD} -D KH=1 -D KW=1 -D pad=0 spread 3735)
example_run(conv2d_nchwc.1x1s2 conv2d_nchwc.te -D N=2 -D CI=17 -D IB=17 -D H=9 -D W=11 -D CO=40
            -D OB=48 -D KH=1 -D KW=1 -D stride=2 -D pad=0 0 601 mid last)
set(DW_ODD -D N=2 -D C=19 -D H=9 -D W=11)
example_run(depthwise_conv2d.3x3s1 depthwise_conv2d.te ${DW_ODD} spread 101 250)
example_run(depthwise_conv2d.3x3s2 depthwise_conv2d.te ${DW_ODD} -D stride=2 spread 101)
example_run(depthwise_conv2d.5x5 depthwise_conv2d.te -D N=1 -D C=16 -D H=8 -D W=9 -D KH=5 -D KW=5
            -D pad=2 spread)
