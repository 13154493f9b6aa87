# Warnings and sanitizers applied to every target of the project (not to dependencies).
add_library(canopee_options INTERFACE)
target_compile_options(canopee_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
                       -Wconversion -Wsign-conversion -Wimplicit-fallthrough)
# Warnings stay at zero: an error with GCC, which builds the product and runs the
# tests. The clang fuzz build keeps them as warnings (clang warns differently).
if(CANOPEE_WERROR AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(canopee_options INTERFACE -Werror)
endif()
if(CANOPEE_SANITIZE)
  # vptr is left out: it needs the RTTI of SOCI's internal classes, which
  # libsoci does not export.
  target_compile_options(canopee_options INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr
                         -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(canopee_options INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr)
endif()
if(CANOPEE_FUZZ)
  # Coverage for libFuzzer in every project object; the targets add the fuzzer's main.
  target_compile_options(canopee_options INTERFACE -fsanitize=fuzzer-no-link)
endif()
