# Codegen tests: hand-built IR through LLVM and the JIT, objects and headers linked with cc.
add_executable(test_cg_kernels ${CMAKE_CURRENT_LIST_DIR}/test_cg_kernels.c)
target_link_libraries(test_cg_kernels tec_compiler)
foreach(t matmul vector gather unroll parallel divmod float64 math select_guard types global_buf
          vec_fallback control semantics
          vec_nested)
  add_test(NAME cg_kernels_${t} COMMAND test_cg_kernels ${t})
endforeach()
add_executable(test_cg_emit ${CMAKE_CURRENT_LIST_DIR}/test_cg_emit.c)
target_link_libraries(test_cg_emit tec_compiler)
foreach(t link write object_mem target)
  add_test(NAME cg_emit_${t} COMMAND test_cg_emit ${t})
endforeach()
