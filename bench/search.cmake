# Search quality of the tuners (run by hand from the source root: bench_search --help is its
# header; bench_search --small --seeds 1 --trials 20 is a functional check).
add_executable(bench_search ${CMAKE_CURRENT_SOURCE_DIR}/bench_search.c)
target_link_libraries(bench_search tec_tuner tec_testlib)
