# bench_tasks: a task list's libraries timed against each other in one process (bench/README.md,
# task_sched.sh). Its functional test is tasks.compare (tests/tasks).
add_executable(bench_tasks ${CMAKE_CURRENT_LIST_DIR}/bench_tasks.c)
target_link_libraries(bench_tasks tec_driver tec_bench_time)
