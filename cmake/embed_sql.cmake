# Writes OUT: a C++ file holding every sql/*.sql (migrations) and
# sql/queries/*.sql (named queries), and PostgreSQL's in sql/postgresql/, as
# string literals, so the binary needs no file beside it. Run by the build
# whenever an SQL file changes.
file(GLOB migrations ${SQL_DIR}/*.sql)
file(GLOB queries ${SQL_DIR}/queries/*.sql)
file(GLOB pg_migrations ${SQL_DIR}/postgresql/*.sql)
file(GLOB pg_queries ${SQL_DIR}/postgresql/queries/*.sql)
list(SORT migrations)
list(SORT queries)
list(SORT pg_migrations)
list(SORT pg_queries)

# Appends to the variable named OUT_VAR a C++ function FUNCTION returning
# FILES as {name, text}; NAME_PART is NAME (with extension) or NAME_WE.
function(append_sql_function out_var function files name_part)
  set(text "const std::vector<SqlFile>& ${function}() {\n  static const std::vector<SqlFile> files = {\n")
  foreach(file ${files})
    get_filename_component(name ${file} ${name_part})
    file(READ ${file} sql)
    string(APPEND text "    {\"${name}\", R\"__sql__(${sql})__sql__\"},\n")
  endforeach()
  string(APPEND text "  };\n  return files;\n}\n\n")
  set(${out_var} "${${out_var}}${text}" PARENT_SCOPE)
endfunction()

set(body "// Generated from sql/ by cmake/embed_sql.cmake; do not edit.\n")
string(APPEND body "#include \"storage/embedded_sql.hpp\"\n\nnamespace sql {\n\n")
append_sql_function(body migrations "${migrations}" NAME)
append_sql_function(body queries "${queries}" NAME_WE)
append_sql_function(body pg_migrations "${pg_migrations}" NAME)
append_sql_function(body pg_queries "${pg_queries}" NAME_WE)
string(APPEND body "}  // namespace sql\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
