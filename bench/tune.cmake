# Tuning throughput and per-trial overhead (run by hand: bench_tune examples/matmul.te 512 40).
add_executable(bench_tune ${CMAKE_CURRENT_SOURCE_DIR}/bench_tune.c)
target_link_libraries(bench_tune tec_tuner)
