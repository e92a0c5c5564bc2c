# Style: every C source and header is formatted with the root .clang-format (skipped when
# clang-format is not installed).
add_test(NAME style.format
         COMMAND sh -c "command -v clang-format >/dev/null && command -v git >/dev/null || exit 77; cd '${CMAKE_SOURCE_DIR}' && git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run -Werror")
set_tests_properties(style.format PROPERTIES SKIP_RETURN_CODE 77)

# Layering: with each library's own include path, a header of a module above it does not compile
# (docs/design.md, "Modules and the dependency rule").
add_test(NAME style.layering
         COMMAND sh ${TEC_TESTS}/style/layering.sh ${CMAKE_C_COMPILER}
                 "$<TARGET_PROPERTY:tec_lang,INTERFACE_INCLUDE_DIRECTORIES>"
                 "$<TARGET_PROPERTY:tec_compiler,INTERFACE_INCLUDE_DIRECTORIES>"
                 "$<TARGET_PROPERTY:tec_tuner,INTERFACE_INCLUDE_DIRECTORIES>")
