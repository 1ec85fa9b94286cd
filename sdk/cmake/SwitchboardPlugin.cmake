# switchboard_add_plugin(<name> <source>...)
#
# Builds the Switchboard hook plugin <name>.so (a MODULE library: loaded with
# dlopen, never linked against) from C or C++ sources, against Switchboard::sdk.
#
# What it sets, and why:
#   - hidden visibility (plus a linker version script where the linker takes
#     one): the only exported symbol is switchboard_plugin_entry, so two plugins
#     (or two generations of one) can never bind to each other's symbols;
#   - -fno-gnu-unique (GCC, C++): STB_GNU_UNIQUE symbols, which GCC emits for
#     inline/template statics, make dlclose a no-op, which would pin every old
#     generation in memory after a hot reload;
#   - -z defs: a plugin needs nothing from the host executable (the host's
#     functions come through switchboard_host_api_t), so an undefined symbol is
#     a bug to catch at link time rather than at dlopen. Set
#     SWITCHBOARD_PLUGIN_NO_UNDEFINED=OFF for toolchains that need undefined
#     symbols in shared objects (e.g. clang's static sanitizer runtimes);
#   - C++17 at least for C++ sources (plugin.hpp needs it), C99 for C sources;
#   - PREFIX "": the file is <name>.so, the name the host shows.
# The output directory is left to the caller (LIBRARY_OUTPUT_DIRECTORY).
include_guard(GLOBAL)

option(SWITCHBOARD_PLUGIN_NO_UNDEFINED "Link Switchboard plugins with -z defs" ON)

function(switchboard_add_plugin name)
    if(NOT ARGN)
        message(FATAL_ERROR "switchboard_add_plugin(${name}): no source files given")
    endif()
    if(NOT TARGET Switchboard::sdk)
        message(FATAL_ERROR "switchboard_add_plugin: Switchboard::sdk is not defined; "
                            "use find_package(SwitchboardSDK) or add_subdirectory(sdk) first")
    endif()

    add_library(${name} MODULE ${ARGN})
    target_link_libraries(${name} PRIVATE Switchboard::sdk)
    set_target_properties(${name} PROPERTIES
        PREFIX ""
        POSITION_INDEPENDENT_CODE ON
        C_VISIBILITY_PRESET hidden
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)

    # Compile features only for languages the project enabled: a C-only
    # project has no C++ compiler to ask about cxx_std_17.
    get_property(_languages GLOBAL PROPERTY ENABLED_LANGUAGES)
    if("CXX" IN_LIST _languages)
        target_compile_features(${name} PRIVATE cxx_std_17)
        if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
            target_compile_options(${name} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fno-gnu-unique>)
        endif()
    endif()
    if("C" IN_LIST _languages)
        target_compile_features(${name} PRIVATE c_std_99)
    endif()

    if(CMAKE_SYSTEM_NAME STREQUAL "Linux" OR CMAKE_SYSTEM_NAME MATCHES "BSD")
        if(SWITCHBOARD_PLUGIN_NO_UNDEFINED)
            target_link_options(${name} PRIVATE "LINKER:-z,defs")
        endif()
        # Belt and braces with hidden visibility: libstdc++ declares namespace
        # std with default visibility, so template instantiations such as
        # std::vector<std::string> members would otherwise be exported.
        set(_map "${CMAKE_BINARY_DIR}/switchboard_plugin.map")
        file(CONFIGURE OUTPUT "${_map}"
             CONTENT "{\n  global: switchboard_plugin_entry;\n  local: *;\n};\n")
        target_link_options(${name} PRIVATE "LINKER:--version-script=${_map}"
                                            "LINKER:--exclude-libs,ALL")
        set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${_map}")
    endif()
endfunction()
