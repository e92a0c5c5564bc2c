# The log tools (tests/logtools): tec --log-best, --log-stats and --plot on hand-written logs of
# several tasks with error records, a torn line and a malformed one (several.log), a second log
# of one of its tasks (second.log), a log without FLOPs as AutoTVM writes them (autotvm.log), and
# a log with re-measured configs (rechecked.log, --recheck), a short --tune's log (its records
# carry the kernel's FLOPs).
# The SVG is checked by a small XML parser (xml_check.c), not by eye.
set(LOGTOOLS ${TEC_TESTS}/logtools)
tec_c_test(test_log_tools SOURCES ${LOGTOOLS}/test_log_tools.c ${LOGTOOLS}/xml_check.c)
add_test(NAME logtools.cli COMMAND test_log_tools ${TEC_EXE} ${LOGTOOLS} ${TEC_WORK}/logtools.cli
                                   ${CMAKE_SOURCE_DIR}/examples/matmul.te)
