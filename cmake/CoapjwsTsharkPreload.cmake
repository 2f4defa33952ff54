# COAPJWS_TSHARK_PRELOAD: the sanitizer runtimes to preload into tshark when
# the plugin is a sanitizer build (COAPJWS_SANITIZE), colon-separated as
# LD_PRELOAD takes them; empty otherwise. tshark is not built with the
# sanitizers, so an instrumented coapjws.so only loads when the runtimes come
# first. tests/tshark/run_tshark.sh applies it to tshark alone (the test
# scripts around it need no runtimes), so every test that starts tshark with
# the plugin passes it through its environment. GCC's names, then clang's
# shared ASan runtime.
set(COAPJWS_TSHARK_PRELOAD "")
if(COAPJWS_SANITIZE)
  set(runtimes "")
  foreach(runtime libasan.so libubsan.so libclang_rt.asan-x86_64.so)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=${runtime}
                    OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(IS_ABSOLUTE "${path}" AND EXISTS "${path}")
      list(APPEND runtimes "${path}")
    endif()
  endforeach()
  if(NOT runtimes)
    message(WARNING "no sanitizer runtime found to preload into tshark: the tshark tests "
                    "will not load the sanitizer build of the plugin")
  endif()
  list(JOIN runtimes ":" COAPJWS_TSHARK_PRELOAD)
endif()
