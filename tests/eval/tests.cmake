# The reference evaluator (tests/eval): semantics on instances built by hand (eval_build.h), and
# every example against a C loop nest at small sizes, bound as `tec -D ...` would bind them.
set(EVAL ${TEC_TESTS}/eval)
tec_c_test(test_eval_unit SOURCES ${EVAL}/test_eval_unit.c LIBS tec_lang)
add_test(NAME eval.unit COMMAND test_eval_unit)
tec_c_test(test_eval_examples SOURCES ${EVAL}/test_eval_examples.c LIBS tec_lang)
add_test(NAME eval.examples COMMAND test_eval_examples ${CMAKE_SOURCE_DIR})
