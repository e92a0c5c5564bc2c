# The random program generator (tests/gen): seeds' templates compiled on several configs and
# checked against the reference evaluator (gen.test.N: one range of seeds each, so -j2 helps),
# and the regression corpus of reduced failing templates (gen.regress.NAME: tec --run on a
# spread of configs). docs/testing.md says how to run it longer and how a failure is added.
set(GEN ${TEC_TESTS}/gen)
tec_c_test(test_gen SOURCES ${GEN}/test_gen.c ${GEN}/gen.c ${GEN}/gen_expr.c ${GEN}/gen_sched.c
           ${GEN}/reduce.c LIBS tec_tuner tec_kernel_check)
# Seeds per test: the sanitizer build is about 5 times slower.
if(TEC_SANITIZE)
  set(GEN_SEEDS 12)
else()
  set(GEN_SEEDS 60)
endif()
foreach(chunk 0 1 2 3)
  math(EXPR from "1 + ${chunk} * 1000")
  add_test(NAME gen.test.${chunk} COMMAND test_gen --from ${from} --seeds ${GEN_SEEDS}
           --save ${TEC_WORK})
  set_tests_properties(gen.test.${chunk} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()
file(GLOB GEN_REGRESS CONFIGURE_DEPENDS ${GEN}/regress/*.te)
foreach(f ${GEN_REGRESS})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME gen.regress.${n} COMMAND sh ${TEC_TESTS}/examples/run_configs.sh ${TEC_EXE} ${f} spread)
  set_tests_properties(gen.regress.${n} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()
