# Installing tec (tests/install): `cmake --install` to a scratch prefix, then the example consumer
# project (examples/consumer) configured, built and run against it through find_package(tec) and
# tec_add_kernel, and rebuilt after touching its log and its source (install.consumer). The same
# program built in this tree with tec_add_kernel, as a project adding tec with add_subdirectory
# would (install.in_tree). The example's log was tuned for x86-64-v2: x86-64 hosts only.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  add_test(NAME install.consumer
           COMMAND sh ${TEC_TESTS}/install/install_consumer.sh ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR}
                   ${CMAKE_SOURCE_DIR} ${TEC_WORK}/install.consumer)
  set_tests_properties(install.consumer PROPERTIES TIMEOUT ${TEC_HANG_GUARD})

  set(CONSUMER ${CMAKE_SOURCE_DIR}/examples/consumer)
  tec_add_kernel(mm TEMPLATE ${CMAKE_SOURCE_DIR}/examples/matmul.te DEFINES N=64 L=64 M=64
                 LOG ${CONSUMER}/matmul.log MCPU x86-64-v2)
  tec_add_kernel(sm TEMPLATE ${CMAKE_SOURCE_DIR}/examples/softmax.te DEFINES N=32 M=100 CONFIG 2)
  add_executable(install_in_tree ${CONSUMER}/main.c)
  target_link_libraries(install_in_tree PRIVATE mm sm m)
  add_test(NAME install.in_tree COMMAND install_in_tree)
  set_tests_properties(install.in_tree PROPERTIES PASS_REGULAR_EXPRESSION "matmul.*: ok\n.*softmax.*: ok")
endif()
