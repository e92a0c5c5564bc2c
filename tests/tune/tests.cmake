# The tuner (tests/tune): the log format and reading (test_tune_log.c), the grid/random tuners
# (test_tune_tuner.c), the GA and XGB tuners on hand-built spaces with a synthetic measurement
# (test_mltuners.c), session_run through its C API (test_tune_api.c), and whole tuning runs of the
# real tec, one scenario per test in its own directory (test_tune_e2e.c on the tutorial matmul
# at 64^3; test_mltuners_e2e.c with each model tuner; interrupt_rebuild.sh).
set(TUNE ${TEC_TESTS}/tune)
tec_c_test(test_tune_log SOURCES ${TUNE}/test_tune_log.c LIBS tec_tuner)
target_compile_definitions(test_tune_log PRIVATE TEC_VERSION="${PROJECT_VERSION}")
add_test(NAME tune.log COMMAND test_tune_log ${CMAKE_CURRENT_BINARY_DIR})
tec_c_test(test_tune_tuner SOURCES ${TUNE}/test_tune_tuner.c LIBS tec_tuner)
add_test(NAME tune.tuner COMMAND test_tune_tuner)
tec_c_test(test_mltuners SOURCES ${TUNE}/test_mltuners.c LIBS tec_tuner)
add_test(NAME tune.mltuners COMMAND test_mltuners)
# build timeout, a template without knobs, quiet progress
tec_c_test(test_tune_api SOURCES ${TUNE}/test_tune_api.c LIBS tec_tuner)
add_test(NAME tune.api COMMAND test_tune_api ${TEC_TESTS} ${CMAKE_CURRENT_BINARY_DIR})

tec_c_test(test_tune_e2e SOURCES ${TUNE}/test_tune_e2e.c ${TUNE}/log_records.c LIBS ${CJSON_LIBRARY})
target_include_directories(test_tune_e2e PRIVATE ${CJSON_INCLUDE_DIR})
foreach(s basic resume faults cutslow interrupt kill9 early diskfull recheck)
  add_test(NAME tune.e2e.${s} COMMAND test_tune_e2e ${s} ${TEC_EXE} ${TEC_TESTS} ${TEC_WORK}/tune.e2e.${s})
endforeach()
tec_c_test(test_mltuners_e2e SOURCES ${TUNE}/test_mltuners_e2e.c ${TUNE}/log_records.c LIBS ${CJSON_LIBRARY})
target_include_directories(test_mltuners_e2e PRIVATE ${CJSON_INCLUDE_DIR})
foreach(t ga xgb)
  add_test(NAME tune.e2e.${t} COMMAND test_mltuners_e2e ${t} ${TEC_EXE} ${TEC_TESTS} ${TEC_WORK}/tune.e2e.${t})
endforeach()

# Ctrl-C of a resumed run while a build hangs: the best config is still rebuilt and written.
add_test(NAME tune.interrupt_rebuild
         COMMAND sh ${TUNE}/interrupt_rebuild.sh ${TEC_EXE} ${TUNE}/i32_tune.te
                 ${TEC_WORK}/tune.interrupt_rebuild)
# --build-timeout is honoured: 1 ms times every build out, 60 s none.
add_test(NAME tune.build_timeout
         COMMAND sh ${TUNE}/build_timeout.sh ${TEC_EXE} ${TUNE}/mm.te ${TEC_WORK}/tune.build_timeout)
set_tests_properties(tune.mltuners tune.build_timeout tune.e2e.basic tune.e2e.resume tune.e2e.faults tune.e2e.cutslow tune.e2e.interrupt
                     tune.e2e.kill9 tune.e2e.early tune.e2e.diskfull tune.e2e.recheck tune.e2e.ga tune.e2e.xgb tune.interrupt_rebuild
                     PROPERTIES TIMEOUT ${TEC_HANG_GUARD})

# Loop features of every example template and of generated programs (test_features.c).
set(GEN_SRC ${TEC_TESTS}/gen/gen.c ${TEC_TESTS}/gen/gen_expr.c ${TEC_TESTS}/gen/gen_sched.c)
tec_c_test(test_features SOURCES ${TUNE}/test_features.c ${GEN_SRC} LIBS tec_tuner)
add_test(NAME tune.features COMMAND test_features ${CMAKE_SOURCE_DIR})
# --transfer: a log of another shape shapes the first plan; bad logs are clear errors.
tec_c_test(test_transfer SOURCES ${TUNE}/test_transfer.c LIBS tec_tuner)
add_test(NAME tune.transfer COMMAND test_transfer ${CMAKE_SOURCE_DIR} ${TEC_WORK}/tune.transfer)
# The XGB tuner's feature-row cache: exact rows, its byte limit, the same proposals without it.
tec_c_test(test_feature_cache SOURCES ${TUNE}/test_feature_cache.c LIBS tec_tuner)
add_test(NAME tune.feature_cache COMMAND test_feature_cache ${CMAKE_SOURCE_DIR})
# The analytic cost prior: tiles ranked by registers and spills, the machine's peak, the XGB
# tuner's first proposals from it.
tec_c_test(test_cost_prior SOURCES ${TUNE}/test_cost_prior.c LIBS tec_tuner)
add_test(NAME tune.cost_prior COMMAND test_cost_prior ${CMAKE_SOURCE_DIR})
