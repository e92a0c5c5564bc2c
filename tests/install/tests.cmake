# Installing tec (tests/install): `cmake --install` to a scratch prefix, then the example consumer
# project (examples/consumer) configured, built and run against it through find_package(tec) and
# tec_add_kernel, and rebuilt after touching its log and its source.
add_test(NAME install.consumer
         COMMAND sh ${TEC_TESTS}/install/install_consumer.sh ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR}
                 ${CMAKE_SOURCE_DIR} ${TEC_WORK}/install.consumer)
set_tests_properties(install.consumer PROPERTIES TIMEOUT ${TEC_HANG_GUARD})
