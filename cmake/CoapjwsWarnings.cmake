# Warnings for our own targets only; third-party headers are included as SYSTEM.
function(coapjws_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
                         -Wno-sign-conversion -Wnon-virtual-dtor -Wold-style-cast)
  if(COAPJWS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
