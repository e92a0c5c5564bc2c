# Style: every C source and header is formatted with the root .clang-format (skipped when
# clang-format is not installed).
add_test(NAME style.format
         COMMAND sh -c "command -v clang-format >/dev/null && command -v git >/dev/null || exit 77; cd '${CMAKE_SOURCE_DIR}' && git ls-files '*.c' '*.h' | xargs -r clang-format --dry-run -Werror")
set_tests_properties(style.format PROPERTIES SKIP_RETURN_CODE 77)
