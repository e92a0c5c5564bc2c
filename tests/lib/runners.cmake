# One runner per case format (docs/testing.md):
#   tec_c_test(NAME SOURCE... LIBS lib...)  a C test program linked with the test library
#   tec_golden(NAME EXPECTED file [STDERR] [EXIT n] [WORKDIR dir] [CASE file] COMMAND cmd...)
#       the command's stdout (stderr with STDERR) must equal the file EXPECTED byte for byte, the
#       other stream must be empty, the exit status must be n (0 by default); CASE names a case
#       file whose `# args:` line adds arguments and whose `# golden: PATH` line (relative to
#       the case) names EXPECTED instead. UPDATE_GOLDEN=1 in the environment rewrites EXPECTED.
#   tec_error_case(NAME CHECKER FILE.te)
#       a template with its expected errors inline (`# expect:` lines, see error_case.sh), run
#       through CHECKER in an empty directory that must stay empty.
# Every test gets a hang guard (TIMEOUT, many times its expected time): tests check behaviour,
# speed belongs in bench/.
set(TEC_HANG_GUARD 300)

function(tec_c_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} tec_testlib ${T_LIBS})
endfunction()

function(tec_golden name)
  cmake_parse_arguments(G "STDERR" "EXPECTED;EXIT;WORKDIR;CASE" "COMMAND" ${ARGN})
  if(NOT DEFINED G_EXIT)
    set(G_EXIT 0)
  endif()
  if(NOT G_WORKDIR)
    set(G_WORKDIR ${CMAKE_CURRENT_BINARY_DIR})
  endif()
  string(REPLACE ";" "|" cmd "${G_COMMAND}")
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} "-DCMD=${cmd}" -DEXPECTED=${G_EXPECTED} -DSTDERR=${G_STDERR}
                   -DEXIT=${G_EXIT} -DCASE=${G_CASE} -DGOT_DIR=${CMAKE_CURRENT_BINARY_DIR} -P ${TEC_TESTS}/lib/golden.cmake
           WORKING_DIRECTORY ${G_WORKDIR})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endfunction()

function(tec_error_case name checker file)
  add_test(NAME ${name} COMMAND sh ${TEC_TESTS}/lib/error_case.sh ${checker} ${file} ${TEC_WORK}/${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
endfunction()
