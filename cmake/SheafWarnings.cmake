# sheaf_target_warnings(tgt): the project's warning set, -Werror when asked.
function(sheaf_target_warnings tgt)
  if(CMAKE_C_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${tgt} PRIVATE -Wall -Wextra -pedantic -Wshadow
                           -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter)
    if(SHEAF_WERROR)
      target_compile_options(${tgt} PRIVATE -Werror)
    endif()
  endif()
endfunction()
