# Code generation (tests/codegen): hand-built IR through LLVM and the JIT (test_cg_kernels.c),
# objects and headers written and linked with cc (test_cg_emit.c), configs of each template's
# space through lower() compiled and run against the evaluator (test_cg_lower.c), and every
# config of a space (test_all_configs.c, below).
set(CG ${TEC_TESTS}/codegen)
set(CG_EX ${CMAKE_SOURCE_DIR}/examples)
tec_c_test(test_cg_kernels SOURCES ${CG}/test_cg_kernels.c LIBS tec_compiler)
foreach(t matmul vector gather unroll parallel divmod float64 math select_guard types global_buf
          buffer_chain vec_fallback control semantics vec_nested)
  add_test(NAME codegen.kernels.${t} COMMAND test_cg_kernels ${t})
endforeach()
tec_c_test(test_cg_emit SOURCES ${CG}/test_cg_emit.c LIBS tec_compiler)
foreach(t link write object_mem target bounded heap_align)
  add_test(NAME codegen.emit.${t} COMMAND test_cg_emit ${t})
endforeach()

tec_c_test(test_cg_lower SOURCES ${CG}/test_cg_lower.c LIBS tec_tuner)
add_test(NAME codegen.lower.matmul COMMAND test_cg_lower ${CG_EX}/matmul.te 100 N=64 L=48 M=32)
add_test(NAME codegen.lower.matmul_v1 COMMAND test_cg_lower ${CG_EX}/matmul_v1.te 25 N=32 L=32 M=32)
add_test(NAME codegen.lower.matmul_tuned COMMAND test_cg_lower ${CG_EX}/matmul_tuned.te 1 N=64 L=64 M=64)
add_test(NAME codegen.lower.matmul_tuned_ragged
         COMMAND test_cg_lower ${CG_EX}/matmul_tuned.te 1 N=37 L=19 M=45)
add_test(NAME codegen.lower.dense_relu COMMAND test_cg_lower ${TEC_TESTS}/sema/dense_relu.te 12)
foreach(ex batch_matmul conv2d_nchw dense_bias_relu dense_int8 pool_upsample softmax stencil_f64)
  add_test(NAME codegen.lower.${ex} COMMAND test_cg_lower ${CG_EX}/${ex}.te 12)
endforeach()

# Every config compiled and checked against the reference evaluator (issue 4's correctness line):
# each config of a space is lowered with IR verification, compiled with one reused Cg, JIT-run on
# random inputs in page-guarded buffers and compared with eval_run's reference. A config that
# takes more than --timeout (60 s) fails as hung; how long builds take is bench/'s business.
# About two minutes in all on 2 cores (Release or Debug). With TEC_SANITIZE (ASan+UBSan on our code; the
# JIT-compiled kernels and LLVM are not instrumented) the larger spaces take a stride, and the
# 512^3 runs (reference evaluation and kernels slowed down) check every 9th config: about 90 s.
tec_c_test(test_all_configs SOURCES ${CG}/test_all_configs.c LIBS tec_tuner tec_kernel_check)
set(ALLCFG_DIR ${CG}/allcfg)
if(TEC_SANITIZE)
  set(ALLCFG_BIG --stride 9)       # 512^3: 12 of 100 configs, 4 of 25
  set(ALLCFG_MID --stride 7)       # mixed 1152 -> 165 configs, policies 1620 -> 232
  set(ALLCFG_KNOBS --stride 183697) # knobs: 251 of 45,924,480, as in Release
  set(ALLCFG_SMALL --stride 3)     # tests/lower: 273 of 803
else()
  set(ALLCFG_SMALL)
  set(ALLCFG_BIG)
  set(ALLCFG_MID)
  set(ALLCFG_KNOBS --stride 183697) # knobs: 251 of 45,924,480
endif()
# The tutorial matmul: at 48 (2^4 * 3, ten divisors) its space has 512's shape, len=100; all of
# them. At 512^3 (the tutorial's size) through tests/space/matmul.te below.
add_test(NAME codegen.allcfg.matmul_48 COMMAND test_all_configs ${CG_EX}/matmul.te
         -D N=48 -D L=20 -D M=48 --len 100)
# matmul_v1's list knobs [1, 2, 4, 8, 16] at 36: 8 and 16 do not divide (tails).
add_test(NAME codegen.allcfg.matmul_v1_36 COMMAND test_all_configs ${CG_EX}/matmul_v1.te
         -D N=36 -D L=20 -D M=36 --len 25)
# Every knob kind on extents that are not powers of two (14, 9, 6), with compute_at and parallel.
add_test(NAME codegen.allcfg.mixed COMMAND test_all_configs ${ALLCFG_DIR}/mixed.te --len 1152 ${ALLCFG_MID})
# The spaces of tests/space/ with their goldens' -D values (too_large.te has no space).
set(MM512 -D N=512 -D L=512 -D M=512)
add_test(NAME codegen.allcfg.space_matmul COMMAND test_all_configs ${TEC_TESTS}/space/matmul.te
         ${MM512} --len 100 ${ALLCFG_BIG})
add_test(NAME codegen.allcfg.space_matmul_v1 COMMAND test_all_configs ${TEC_TESTS}/space/matmul_v1.te
         ${MM512} --len 25 ${ALLCFG_BIG})
add_test(NAME codegen.allcfg.space_policies COMMAND test_all_configs ${TEC_TESTS}/space/policies.te
         --len 1620 ${ALLCFG_MID})
add_test(NAME codegen.allcfg.space_knobs COMMAND test_all_configs ${TEC_TESTS}/space/knobs.te
         --len 45924480 ${ALLCFG_KNOBS})
# `unroll` around a loop nest (T copies of 7 loops), replicated neither by pass_unroll (T = 64)
# nor by codegen (T = 128): it used to take 5 s and a minute to compile.
foreach(t 64 128)
  add_test(NAME codegen.allcfg.unroll_nest_${t} COMMAND test_all_configs ${ALLCFG_DIR}/unroll_nest.te
           -D T=${t})
endforeach()
# gemm.te at odd sizes, where every tile kind is partial somewhere and pass_unswitch makes two
# versions of the guarded register tiles' loops: a spread of its 80,640 configs (a prime stride
# walks every knob's values).
if(TEC_SANITIZE)
  set(ALLCFG_GEMM --stride 4999)  # 17 configs
else()
  set(ALLCFG_GEMM --stride 1999)  # 41 configs
endif()
add_test(NAME codegen.allcfg.gemm_odd COMMAND test_all_configs ${CG_EX}/gemm.te
         -D N=37 -D L=29 -D M=45 --len 80640 ${ALLCFG_GEMM})
set_tests_properties(codegen.allcfg.space_matmul codegen.allcfg.space_knobs codegen.allcfg.mixed
                     codegen.allcfg.space_policies PROPERTIES TIMEOUT 600)
# The spaces of the lowering tests (tests/lower/*.te at their defaults: cache_write tiles,
# compute_at at several levels, inlining, fused and parallel loops; 803 configs in all).
file(GLOB ALLCFG_LOWER CONFIGURE_DEPENDS ${TEC_TESTS}/lower/*.te)
foreach(f ${ALLCFG_LOWER})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME codegen.allcfg.lower_${n} COMMAND test_all_configs ${f} ${ALLCFG_SMALL})
endforeach()
