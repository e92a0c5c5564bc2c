# The config space: unit tests on hand-built knobs (AutoTVM's lengths, orders and print forms),
# and `tec --space` goldens through the driver for the templates in tests/space/.
add_executable(test_space ${TEC_TESTS}/test_space.c)
target_link_libraries(test_space tec_tuner)
add_test(NAME space_unit COMMAND test_space ${TEC_TESTS}/space)

# space_golden(NAME TEMPLATE EXPECTED ARGS...): `tec --space TEMPLATE ARGS...` prints EXPECTED.
function(space_golden name te expected)
  set(args "--space|${TEC_TESTS}/space/${te}")
  foreach(a ${ARGN})
    string(APPEND args "|${a}")
  endforeach()
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -DTEC=${TEC_EXE} "-DARGS=${args}"
           -DEXPECTED=${TEC_TESTS}/space/${expected} -P ${TEC_TESTS}/space/golden.cmake)
endfunction()
set(MM512 -D N=512 -D L=512 -D M=512)
space_golden(space_matmul matmul.te matmul.space ${MM512})
space_golden(space_matmul_13 matmul.te matmul.13 ${MM512} --config 13)
space_golden(space_matmul_56 matmul.te matmul.56 ${MM512} --config 56)
space_golden(space_matmul_v1 matmul_v1.te matmul_v1.space ${MM512})
space_golden(space_matmul_v1_7 matmul_v1.te matmul_v1.7 ${MM512} --config 7)
space_golden(space_knobs knobs.te knobs.space)
space_golden(space_knobs_mid knobs.te knobs.12345678 --config 12345678)
space_golden(space_knobs_last knobs.te knobs.45924479 --config 45924479)
