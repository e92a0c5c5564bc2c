# The config space (tests/space): unit tests on hand-built knobs (AutoTVM's lengths, orders and
# print forms), and goldens of `tec --space` (expected texts made with AutoTVM's algorithms in
# Python), run in tests/space:
#   NAME.te + NAME.space (the whole space) and NAME.INDEX (`--config INDEX`), listed below
#   autotvm/NAME.te + NAME.space + NAME.entities (`INDEX ENTITY` lines): spaces not covered
#                   above (split 48 in 3, 100 power2, 7 verbose, max_factor, reorder all on 5
#                   axes, annotate on 4, interval_all, extent 1, a prime), by run_space.sh
set(SPACE ${TEC_TESTS}/space)
tec_c_test(test_space SOURCES ${SPACE}/test_space.c LIBS tec_tuner)
add_test(NAME space.unit COMMAND test_space ${SPACE})

# space_golden(CASE EXPECTED ARGS...): `tec --space ARGS...` prints the file EXPECTED.
function(space_golden name expected)
  tec_golden(space.golden.${name} EXPECTED ${SPACE}/${expected} WORKDIR ${SPACE}
             COMMAND ${TEC_EXE} --space ${ARGN})
endfunction()
set(MM512 -D N=512 -D L=512 -D M=512)
space_golden(matmul matmul.space matmul.te ${MM512})
space_golden(matmul_13 matmul.13 matmul.te ${MM512} --config 13)
space_golden(matmul_56 matmul.56 matmul.te ${MM512} --config 56)
space_golden(matmul_v1 matmul_v1.space matmul_v1.te ${MM512})
space_golden(matmul_v1_7 matmul_v1.7 matmul_v1.te ${MM512} --config 7)
space_golden(knobs knobs.space knobs.te)
space_golden(knobs_mid knobs.12345678 knobs.te --config 12345678)
space_golden(knobs_last knobs.45924479 knobs.te --config 45924479)
space_golden(policies policies.space policies.te)
space_golden(policies_1234 policies.1234 policies.te --config 1234)
# A space too large to index: the error text, exit 1.
tec_golden(space.error.too_large EXPECTED ${SPACE}/too_large.err STDERR EXIT 1 WORKDIR ${SPACE}
           COMMAND ${TEC_EXE} --space too_large.te)

file(GLOB SPACE_AUTOTVM CONFIGURE_DEPENDS ${SPACE}/autotvm/*.te)
foreach(f ${SPACE_AUTOTVM})
  get_filename_component(n ${f} NAME_WE)
  add_test(NAME space.autotvm.${n} COMMAND sh ${SPACE}/autotvm/run_space.sh ${TEC_EXE} ${f})
  set_tests_properties(space.autotvm.${n} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endforeach()
