# The reference evaluator: semantics on hand-built instances, and every example against a C
# loop nest at small sizes.
add_executable(test_eval_unit ${TEC_TESTS}/test_eval_unit.c)
target_link_libraries(test_eval_unit tec_lang)
add_test(NAME eval_unit COMMAND test_eval_unit)

# Needs the parser and sema: the examples are bound as `tec -D ...` would bind them.
add_executable(test_eval_examples ${TEC_TESTS}/test_eval_examples.c)
target_link_libraries(test_eval_examples tec_lang)
add_test(NAME eval_examples COMMAND test_eval_examples ${CMAKE_SOURCE_DIR})
