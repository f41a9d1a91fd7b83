# mingw-w64.cmake - toolchain file for the Windows cross build (`make windows`, build-win/): 64-bit
# Windows executables and DLLs from Linux with mingw-w64, statically linked against libgcc (and
# winpthreads, should anything pull it in) so that they run under wine with nothing but the system
# DLLs, and run by ctest through scripts/wine-run.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(EBPF_MINGW_TRIPLET x86_64-w64-mingw32 CACHE STRING "Target triplet of the mingw-w64 toolchain")
set(CMAKE_C_COMPILER ${EBPF_MINGW_TRIPLET}-gcc)
set(CMAKE_RC_COMPILER ${EBPF_MINGW_TRIPLET}-windres)

# Headers and libraries come from the target sysroot only; programs (code generators, wine) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${EBPF_MINGW_TRIPLET})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# (The top-level CMakeLists.txt selects mingw-w64's C99 printf family for every WIN32 build.)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static-libgcc")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static-libgcc")

# ctest (add_test with a target as COMMAND) and try_run start the .exe files through wine.
get_filename_component(EBPF_WINE_RUN "${CMAKE_CURRENT_LIST_DIR}/../scripts/wine-run" ABSOLUTE)
set(CMAKE_CROSSCOMPILING_EMULATOR "${EBPF_WINE_RUN}")
