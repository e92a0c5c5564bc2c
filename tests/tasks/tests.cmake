# Task lists (tests/tasks): the task scheduler on a fake objective (test_task_sched.c), bad task
# lines (errors.sh), and whole task-list runs of the real tec (tasks_e2e.sh: one log, --budget
# exactly, --resume per task, the library linked into a C program that checks every kernel).
set(TASKS ${TEC_TESTS}/tasks)
tec_c_test(test_task_sched SOURCES ${TASKS}/test_task_sched.c LIBS tec_tuner)
add_test(NAME tasks.sched COMMAND test_task_sched)
add_test(NAME tasks.e2e COMMAND sh ${TASKS}/tasks_e2e.sh ${TEC_EXE} ${CMAKE_C_COMPILER} ${TEC_TESTS}
                                   ${PROJECT_SOURCE_DIR} ${TEC_WORK}/tasks.e2e)
set_tests_properties(tasks.e2e PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
add_test(NAME tasks.errors COMMAND sh ${TASKS}/errors.sh ${TEC_EXE} ${PROJECT_SOURCE_DIR}/examples
                                      ${TEC_WORK}/tasks.errors)
set_tests_properties(tasks.errors PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
# Over MPI (only when CMake found MPI): the same scenarios under mpirun with two worker ranks,
# and a worker killed mid-run then resumed on one.
if(TEC_MPI AND MPI_C_FOUND AND MPIEXEC_EXECUTABLE)
  add_test(NAME tasks.mpi COMMAND sh ${TASKS}/tasks_e2e.sh ${TEC_EXE} ${CMAKE_C_COMPILER} ${TEC_TESTS}
                                     ${PROJECT_SOURCE_DIR} ${TEC_WORK}/tasks.mpi ${MPIEXEC_EXECUTABLE}
                                     --allow-run-as-root --oversubscribe)
  set_tests_properties(tasks.mpi PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
  # Open MPI's own allocations (hwloc, PMIx, unloaded MCA components) are never freed and cannot
  # be suppressed by module; tec's task-list code is leak-checked by tasks.e2e without MPI.
  if(TEC_SANITIZE)
    set_tests_properties(tasks.mpi PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
  endif()
endif()
# bench_tasks (bench/bench_tasks.c): two libraries of tiny.txt compared in one process, and its
# errors on a wrong kernel, a missing or foreign library.
add_test(NAME tasks.compare COMMAND sh ${TASKS}/compare.sh ${TEC_EXE} $<TARGET_FILE:bench_tasks>
                                       ${TEC_TESTS} ${PROJECT_SOURCE_DIR} ${TEC_WORK}/tasks.compare)
set_tests_properties(tasks.compare PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
