# Writes a C++ source returning a text file as a string_view.
# INPUT: the file; OUTPUT: the .cpp; FUNCTION: the qualified function name.
file(READ ${INPUT} _text)
string(FIND "${_text}" ")canopee_text\"" _clash)
if(NOT _clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE ${OUTPUT}.tmp "// Generated from ${INPUT}. Do not edit.\n#include <string_view>\n\nnamespace canopee::api {\nstd::string_view openapi_text() {\n  static constexpr std::string_view kText = R\"canopee_text(${_text})canopee_text\";\n  return kText;\n}\n}  // namespace canopee::api\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
