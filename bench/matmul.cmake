# bench_matmul: tec's hand-scheduled matmul against OpenBLAS, and the per-config compile time.
# Built with the project, run by hand (bench/README.md); not a CTest test.
if(OPENBLAS_LIBRARY)
  add_executable(bench_matmul ${CMAKE_CURRENT_LIST_DIR}/bench_matmul.c)
  target_link_libraries(bench_matmul tec_tuner tec_testlib tec_bench_time ${OPENBLAS_LIBRARY})
  target_compile_definitions(bench_matmul PRIVATE TEC_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
else()
  message(STATUS "OpenBLAS not found: bench_matmul is not built")
endif()
