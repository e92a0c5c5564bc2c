# Whole templates as a user writes them (tests/examples):
#   NAME.te + c/NAME.c  templates in the TVM tutorial and TOPI style, each run through
#                   `tec --run` on several configs (examples.run.NAME: run_configs.sh) and
#                   linked, as emitted, into its own C checker c/NAME.c that compares the kernel
#                   with plain C loops (examples.link.NAME: run_c.sh)
#   check/NAME.check   `tec --check` of every template in examples/ (the bound instance, FLOPs
#                   checked by hand against AutoTVM's compute_flop, and the prototype)
set(EXAMPLES ${TEC_TESTS}/examples)
file(GLOB EXAMPLE_TEMPLATES CONFIGURE_DEPENDS ${EXAMPLES}/*.te)
foreach(f ${EXAMPLE_TEMPLATES})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME examples.run.${n} COMMAND sh ${EXAMPLES}/run_configs.sh ${TEC_EXE} ${f} spread)
  add_test(NAME examples.link.${n}
           COMMAND sh ${EXAMPLES}/run_c.sh ${TEC_EXE} ${f} ${TEC_WORK}/examples.link.${n} 0 last)
  set_tests_properties(examples.run.${n} examples.link.${n} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()

file(GLOB EXAMPLE_CHECKS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/examples/*.te)
foreach(f ${EXAMPLE_CHECKS})
  get_filename_component(n ${f} NAME_WE)
  tec_golden(examples.check.${n} EXPECTED ${EXAMPLES}/check/${n}.check
             WORKDIR ${CMAKE_SOURCE_DIR}/examples COMMAND ${TEC_EXE} --check ${n}.te)
endforeach()
