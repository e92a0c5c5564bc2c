# tec_add_kernel(<target> TEMPLATE file.te [TEMPLATE_NAME name] [DEFINES N=512 ...]
#                [LOG file.log | CONFIG index] [TARGET_TRIPLE triple] [MCPU cpu])
#
# At build time, runs tec on the template with those bindings to compile one kernel: the best
# record of LOG for them (the template, its args and the target, as `tec --log` picks it), config
# CONFIG, or config 0. Gives the static library <target> holding it: link it with
# target_link_libraries(app PRIVATE <target>) and include "<target>.h" (on its include path); the
# kernel keeps the template's name. The step reruns when the template, the log or tec changes,
# and not otherwise. Kernels with parallel loops bring -fopenmp to the link, as their header says.

function(tec_add_kernel target)
  cmake_parse_arguments(PARSE_ARGV 1 TEC "" "TEMPLATE;TEMPLATE_NAME;LOG;CONFIG;TARGET_TRIPLE;MCPU"
                        "DEFINES")
  if(TEC_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tec_add_kernel(${target}): unknown arguments: ${TEC_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TEC_TEMPLATE)
    message(FATAL_ERROR "tec_add_kernel(${target}): TEMPLATE file.te is required")
  endif()
  if(TEC_LOG AND DEFINED TEC_CONFIG)
    message(FATAL_ERROR "tec_add_kernel(${target}): give LOG or CONFIG, not both")
  endif()
  if(NOT TARGET tec::tec)
    message(FATAL_ERROR "tec_add_kernel(${target}): no tec::tec (call find_package(tec) first)")
  endif()

  get_filename_component(template "${TEC_TEMPLATE}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/tec_kernels/${target}")
  # tec writes the object and its header to out/; the header is copied up only when its text
  # changed, so a rebuilt kernel with the same prototype recompiles none of its includers.
  set(obj "${dir}/out/${target}.o")
  set(header "${dir}/${target}.h")
  set(link "${dir}/${target}.link")
  file(MAKE_DIRECTORY "${dir}/out")

  set(args "${template}" -o "${obj}")
  foreach(d IN LISTS TEC_DEFINES)
    list(APPEND args -D "${d}")
  endforeach()
  if(TEC_TEMPLATE_NAME)
    list(APPEND args -t "${TEC_TEMPLATE_NAME}")
  endif()
  set(depends "${template}" "$<TARGET_FILE:tec::tec>")
  if(TEC_LOG)
    get_filename_component(log "${TEC_LOG}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND args --log "${log}")
    list(APPEND depends "${log}")
  elseif(DEFINED TEC_CONFIG)
    list(APPEND args --config "${TEC_CONFIG}")
  endif()
  if(TEC_TARGET_TRIPLE)
    list(APPEND args --target "${TEC_TARGET_TRIPLE}")
  endif()
  if(TEC_MCPU)
    list(APPEND args --mcpu "${TEC_MCPU}")
  endif()

  add_custom_command(
    OUTPUT "${obj}" "${link}"
    BYPRODUCTS "${header}"
    COMMAND "$<TARGET_FILE:tec::tec>" ${args}
    COMMAND "${CMAKE_COMMAND}" -E copy_if_different "${dir}/out/${target}.h" "${header}"
    COMMAND "${CMAKE_COMMAND}" "-DHEADER=${header}" "-DOUT=${link}"
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/tec_link_flags.cmake"
    DEPENDS ${depends}
    COMMENT "tec: compiling kernel ${target} from ${TEC_TEMPLATE}"
    VERBATIM)

  add_library(${target} STATIC "${obj}")
  set_source_files_properties("${obj}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  get_property(languages GLOBAL PROPERTY ENABLED_LANGUAGES)
  if("C" IN_LIST languages)
    set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  else()
    set_target_properties(${target} PROPERTIES LINKER_LANGUAGE CXX)
  endif()
  target_include_directories(${target} INTERFACE "${dir}")
  # The flags the header names, read at link time from the file the build step writes: whether a
  # kernel needs OpenMP is known only once tec has chosen its config.
  target_link_options(${target} INTERFACE "@${link}")
endfunction()
