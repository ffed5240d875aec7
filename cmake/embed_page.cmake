# Writes OUT: a C++ file defining FUNCTION() (declared in src/server/web_page.hpp)
# as the text of PAGE, so the binary serves its page and its API description
# with no file beside it. Run by the build whenever the file changes.
file(READ ${PAGE} page)
string(FIND "${page}" ")__page__\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${PAGE} contains the raw string delimiter )__page__\"")
endif()
set(body "// Generated from ${PAGE} by cmake/embed_page.cmake; do not edit.\n")
string(APPEND body "#include \"server/web_page.hpp\"\n\n")
string(APPEND body "std::string_view ${FUNCTION}() {\n  return R\"__page__(${page})__page__\";\n}\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
