# The layers of src/ (src/README.md): every library puts src/ on its include
# path, so includes name their layer ("storage/ingest.hpp"), and each layer is
# fenced from the layers above it: uptime_layer(NAME LIBRARY ABOVE...) gives
# LIBRARY a folder, searched first, holding for each header of the layers
# ABOVE one of the same path that stops the build with a message. So
# including "server/metrics.hpp" from storage/ fails to compile.
function(uptime_layer layer library)
  target_include_directories(${library} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  set(fence ${CMAKE_CURRENT_BINARY_DIR}/fence)
  foreach(above ${ARGN})
    file(GLOB_RECURSE headers CONFIGURE_DEPENDS RELATIVE ${CMAKE_SOURCE_DIR}/src
         ${CMAKE_SOURCE_DIR}/src/${above}/*.hpp)
    foreach(header ${headers})
      file(WRITE ${fence}/${header}
           "#error src/${layer} may not include ${header} (a layer above it): see src/README.md\n")
    endforeach()
  endforeach()
  target_include_directories(${library} BEFORE PRIVATE ${fence})
endfunction()
