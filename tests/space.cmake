# The config space: unit tests on hand-built knobs (AutoTVM's lengths, orders and print forms),
# and `tec --space` goldens through the driver for the templates in tests/space/ (expected
# texts made with AutoTVM's algorithms in Python).
add_executable(test_space ${TEC_TESTS}/test_space.c)
target_link_libraries(test_space tec_tuner)
add_test(NAME space_unit COMMAND test_space ${TEC_TESTS}/space)

# space_golden(NAME EXPECTED ARGS...): `tec --space ARGS...`, run in tests/space, prints
# EXPECTED; space_error: it fails with the error text EXPECTED.
function(space_run name error expected)
  set(args "--space")
  foreach(a ${ARGN})
    string(APPEND args "|${a}")
  endforeach()
  add_test(NAME ${name} COMMAND ${CMAKE_COMMAND} -DTEC=${TEC_EXE} "-DARGS=${args}"
           -DEXPECTED=${expected} -DERROR=${error} -P ${TEC_TESTS}/space/golden.cmake
           WORKING_DIRECTORY ${TEC_TESTS}/space)
endfunction()
function(space_golden name expected)
  space_run(${name} 0 ${expected} ${ARGN})
endfunction()
function(space_error name expected)
  space_run(${name} 1 ${expected} ${ARGN})
endfunction()

set(MM512 -D N=512 -D L=512 -D M=512)
space_golden(space_matmul matmul.space matmul.te ${MM512})
space_golden(space_matmul_13 matmul.13 matmul.te ${MM512} --config 13)
space_golden(space_matmul_56 matmul.56 matmul.te ${MM512} --config 56)
space_golden(space_matmul_v1 matmul_v1.space matmul_v1.te ${MM512})
space_golden(space_matmul_v1_7 matmul_v1.7 matmul_v1.te ${MM512} --config 7)
space_golden(space_knobs knobs.space knobs.te)
space_golden(space_knobs_mid knobs.12345678 knobs.te --config 12345678)
space_golden(space_knobs_last knobs.45924479 knobs.te --config 45924479)
space_golden(space_policies policies.space policies.te)
space_golden(space_policies_1234 policies.1234 policies.te --config 1234)
space_error(space_too_large too_large.err too_large.te)
