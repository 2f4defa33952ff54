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

# coapjws-scan reads captures with libwiretap, Wireshark's capture reader
# (docs/ARCHITECTURE.md, "Reading captures"), and so do the checks of the
# bundled captures (tests/pcaps). It has no pkg-config module of its own: its
# headers sit beside libwireshark's, with GLib's.
if(COAPJWS_BUILD_ANALYZER OR COAPJWS_BUILD_BENCH OR (COAPJWS_BUILD_TESTS AND COAPJWS_BUILD_TOOLS))
  if(NOT WIRESHARK_FOUND)
    coapjws_require_pkgconfig(WIRESHARK wireshark libwireshark-dev)
  endif()
  coapjws_require_pkgconfig(GLIB glib-2.0 libglib2.0-dev)
  find_library(WIRETAP_LIBRARY wiretap)
  find_library(WSUTIL_LIBRARY wsutil)
  find_path(WIRETAP_INCLUDE_DIR wiretap/wtap.h PATHS ${WIRESHARK_INCLUDE_DIRS} NO_DEFAULT_PATH)
  if(NOT WIRETAP_LIBRARY OR NOT WSUTIL_LIBRARY OR NOT WIRETAP_INCLUDE_DIR)
    message(FATAL_ERROR "libwiretap not found: apt-get install libwiretap-dev libwsutil-dev")
  endif()
  add_library(coapjws_wiretap INTERFACE)
  target_include_directories(coapjws_wiretap SYSTEM INTERFACE ${WIRESHARK_INCLUDE_DIRS})
  target_link_libraries(coapjws_wiretap INTERFACE ${WIRETAP_LIBRARY} ${WSUTIL_LIBRARY} PkgConfig::GLIB)
endif()

# The generator writes gzip, zstd and lz4 copies of captures (pcaps/); the
# analyzer's tests and benchmarks write and read such files too.
if(COAPJWS_BUILD_TOOLS OR COAPJWS_BUILD_ANALYZER)
  coapjws_require_pkgconfig(ZLIB zlib zlib1g-dev)
  coapjws_require_pkgconfig(ZSTD libzstd libzstd-dev)
  coapjws_require_pkgconfig(LZ4 liblz4 liblz4-dev)
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
