# Codegen tests: hand-built IR through LLVM and the JIT, objects and headers linked with cc.
add_executable(test_cg_kernels ${CMAKE_CURRENT_LIST_DIR}/test_cg_kernels.c)
target_link_libraries(test_cg_kernels tec_compiler)
foreach(t matmul vector gather unroll parallel divmod float64 math select_guard types global_buf
          buffer_chain vec_fallback control semantics
          vec_nested)
  add_test(NAME cg_kernels_${t} COMMAND test_cg_kernels ${t})
endforeach()
add_executable(test_cg_emit ${CMAKE_CURRENT_LIST_DIR}/test_cg_emit.c)
target_link_libraries(test_cg_emit tec_compiler)
foreach(t link write object_mem target bounded)
  add_test(NAME cg_emit_${t} COMMAND test_cg_emit ${t})
endforeach()

# Through lower(): configs of each template's space, compiled and run against the evaluator.
add_executable(test_cg_lower ${CMAKE_CURRENT_LIST_DIR}/test_cg_lower.c)
target_link_libraries(test_cg_lower tec_tuner)
set(CG_EX ${CMAKE_SOURCE_DIR}/examples)
add_test(NAME cg_lower_matmul COMMAND test_cg_lower ${CG_EX}/matmul.te 100 N=64 L=48 M=32)
add_test(NAME cg_lower_matmul_v1 COMMAND test_cg_lower ${CG_EX}/matmul_v1.te 25 N=32 L=32 M=32)
add_test(NAME cg_lower_matmul_tuned COMMAND test_cg_lower ${CG_EX}/matmul_tuned.te 1 N=64 L=64 M=64)
add_test(NAME cg_lower_matmul_tuned_ragged COMMAND test_cg_lower ${CG_EX}/matmul_tuned.te 1 N=37 L=19 M=45)
add_test(NAME cg_lower_dense_relu COMMAND test_cg_lower ${CMAKE_SOURCE_DIR}/tests/sema/dense_relu.te 12)
foreach(ex batch_matmul conv2d_nchw dense_bias_relu dense_int8 pool_upsample softmax stencil_f64)
  add_test(NAME cg_lower_${ex} COMMAND test_cg_lower ${CG_EX}/${ex}.te 12)
endforeach()
