# Every dependency is found here, once. A missing one stops configure with the
# Debian package that provides it, so a new machine knows what to install.
find_package(PkgConfig)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

function(coapjws_require_pkgconfig prefix module debian_package)
  pkg_check_modules(${prefix} IMPORTED_TARGET ${module})
  if(NOT ${prefix}_FOUND)
    message(FATAL_ERROR "${module} not found (pkg-config): apt-get install ${debian_package}")
  endif()
endfunction()

find_package(OpenSSL 3.0)
if(NOT OpenSSL_FOUND)
  message(FATAL_ERROR "OpenSSL 3 not found: apt-get install libssl-dev")
endif()

find_path(RAPIDJSON_INCLUDE_DIR rapidjson/reader.h)
if(NOT RAPIDJSON_INCLUDE_DIR)
  message(FATAL_ERROR "RapidJSON not found: apt-get install rapidjson-dev")
endif()
add_library(coapjws_rapidjson INTERFACE)
target_include_directories(coapjws_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIR})
# std::string support in RapidJSON's value API.
target_compile_definitions(coapjws_rapidjson INTERFACE RAPIDJSON_HAS_STDSTRING=1)

find_package(Threads REQUIRED)

if(COAPJWS_BUILD_PLUGIN)
  coapjws_require_pkgconfig(WIRESHARK wireshark libwireshark-dev)
  coapjws_require_pkgconfig(GLIB glib-2.0 libglib2.0-dev)
endif()

if(COAPJWS_BUILD_ANALYZER OR COAPJWS_BUILD_TOOLS OR COAPJWS_BUILD_BENCH)
  coapjws_require_pkgconfig(PCAP libpcap libpcap-dev)
endif()

if(COAPJWS_BUILD_TESTS AND COAPJWS_BUILD_UNIT_TESTS)
  find_package(GTest)
  if(NOT GTest_FOUND)
    message(FATAL_ERROR "GoogleTest not found: apt-get install libgtest-dev libgmock-dev")
  endif()
endif()

if(COAPJWS_BUILD_BENCH)
  find_package(benchmark)
  if(NOT benchmark_FOUND)
    message(FATAL_ERROR "Google Benchmark not found: apt-get install libbenchmark-dev")
  endif()
endif()
