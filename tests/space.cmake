# The config space: unit tests on hand-built knobs (AutoTVM's lengths, orders and print forms).
add_executable(test_space ${TEC_TESTS}/test_space.c)
target_link_libraries(test_space tec_tuner)
add_test(NAME space_unit COMMAND test_space ${TEC_TESTS}/space/split_orders.txt)
