# bench_ops: tuned kernels against OpenBLAS and oneDNN over issue 9's shapes (bench/README.md).
# Run by hand; only its --quick --check-only smoke test (correctness, no timing) is a CTest test.
find_path(DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.h)
find_library(DNNL_LIBRARY dnnl)
if(OPENBLAS_LIBRARY AND DNNL_INCLUDE_DIR AND DNNL_LIBRARY)
  add_executable(bench_ops ${CMAKE_CURRENT_LIST_DIR}/bench_ops.c ${CMAKE_CURRENT_LIST_DIR}/ops_child.c
                           ${CMAKE_CURRENT_LIST_DIR}/ops_lib.c ${CMAKE_CURRENT_LIST_DIR}/ops_peak.c
                           ${CMAKE_CURRENT_LIST_DIR}/ops_shapes.c)
  target_include_directories(bench_ops PRIVATE ${DNNL_INCLUDE_DIR})
  target_link_libraries(bench_ops tec_tuner tec_bench_time ${OPENBLAS_LIBRARY} ${DNNL_LIBRARY} m)
  target_compile_definitions(bench_ops PRIVATE TEC_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  # Not in the sanitizer build: there the unrolled gemm and conv2d configs outlast the tuner's
  # 10 s build timeout, and the test would check the machine's speed instead of the path.
  if(NOT TEC_SANITIZE)
    add_test(NAME bench.smoke.quick_check
             COMMAND bench_ops --quick --check-only --trials 2
                     --out ${CMAKE_CURRENT_BINARY_DIR}/quick_check.md)
  endif()
else()
  message(STATUS "OpenBLAS or oneDNN (libdnnl-dev) not found: bench_ops is not built")
endif()
