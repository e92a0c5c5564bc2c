# QA: templates written as a new user would (tests/qa/*.te, TVM tutorial and TOPI style), each
# run through `tec --run` on several configs and linked, as emitted, into its own C checker
# (tests/qa/c/NAME.c) that compares the kernel with plain C loops.
file(GLOB QA_TEMPLATES CONFIGURE_DEPENDS ${TEC_TESTS}/qa/*.te)
foreach(f ${QA_TEMPLATES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME qa_run_${n} COMMAND sh ${TEC_TESTS}/qa/run_configs.sh ${TEC_EXE} ${f} spread)
  add_test(NAME qa_link_${n}
           COMMAND sh ${TEC_TESTS}/qa/run_c.sh ${TEC_EXE} ${f} ${CMAKE_CURRENT_BINARY_DIR}/qa_work 0 last)
  # The driver's --run path keeps its arena until exit; leak checking is not what these test.
  set_tests_properties(qa_run_${n} qa_link_${n} PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0"
                       TIMEOUT 120)
endforeach()

# Scale: tens of thousands of stages are checked in linear time and memory.
add_executable(test_qa_scale ${TEC_TESTS}/qa/test_scale.c)
target_link_libraries(test_qa_scale tec_lang)
add_test(NAME qa_scale COMMAND test_qa_scale)
set_tests_properties(qa_scale PROPERTIES TIMEOUT 60)

# Spaces not in the space tests (split 48 in 3, 100 power2, 7 verbose, max_factor, reorder all
# on 5 axes, annotate on 4, interval_all, extent 1, a prime): lengths and entities at many
# indices, expected texts made with AutoTVM's algorithms in Python.
file(GLOB QA_SPACES CONFIGURE_DEPENDS ${TEC_TESTS}/qa/space/*.te)
foreach(f ${QA_SPACES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME qa_space_${n} COMMAND sh ${TEC_TESTS}/qa/space/run_space.sh ${TEC_EXE} ${f})
endforeach()

# Malformed templates through the driver (tests/qa/errors/, in the format of tests/errors/):
# one located error each (or the listed ones), exit 1, no file written, in time.
file(GLOB QA_ERRORS CONFIGURE_DEPENDS ${TEC_TESTS}/qa/errors/*.te)
foreach(f ${QA_ERRORS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME qa_error_${n}
           COMMAND sh ${TEC_TESTS}/qa/run_malformed.sh ${TEC_EXE} ${TEC_TESTS}/errors/run_error.sh ${f}
                   ${CMAKE_CURRENT_BINARY_DIR}/qa_work/error_${n})
endforeach()

# Malformed command lines and inputs (missing file, directory, empty, 10 MB of NULs, binary,
# a 10 MB template, bad -D values, options without values, --config out of range, ...).
add_test(NAME qa_cli COMMAND sh ${TEC_TESTS}/qa/cli/run_cli.sh ${TEC_EXE} ${TEC_TESTS}/qa/cli/cases.txt
                             ${CMAKE_CURRENT_BINARY_DIR}/qa_work/cli)
set_tests_properties(qa_cli PROPERTIES TIMEOUT 300)

# `tec --check` of every example: the bound instance, FLOPs (checked by hand against AutoTVM's
# compute_flop) and prototype, as goldens (tests/qa/check/NAME.check).
file(GLOB QA_EXAMPLES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.te)
foreach(f ${QA_EXAMPLES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME qa_check_${n}
           COMMAND ${CMAKE_COMMAND} -DTEC=${TEC_EXE} "-DARGS=--check|${n}.te"
                   -DEXPECTED=${TEC_TESTS}/qa/check/${n}.check -DERROR=0 -P ${TEC_TESTS}/space/golden.cmake
           WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}/examples)
endforeach()
