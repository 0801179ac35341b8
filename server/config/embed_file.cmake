# Writes OUTPUT: a C++ source defining signaal::config::embedded_defaults()
# over the bytes of INPUT. A byte array needs no escaping, whatever the file holds.
# Usage: cmake -DINPUT=<file> -DOUTPUT=<file.cpp> -P embed_file.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Twenty bytes per line keeps the generated file readable in a diff.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){20})" "\\1\n    " bytes "${bytes}")
set(content "// Generated from ${INPUT} by embed_file.cmake; do not edit.
#include \"server/config/embedded_defaults.hpp\"

namespace signaal::config {
namespace {
constexpr unsigned char bytes[${size} + 1] = {
    ${bytes}0x00};
} // namespace

std::string_view embedded_defaults() {
    return {reinterpret_cast<const char*>(bytes), ${size}};
}
} // namespace signaal::config
")
# Only touch the output when it changes, so an unchanged file rebuilds nothing.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${content}")
