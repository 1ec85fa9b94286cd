/*
 * crash_on_load: its entry function crashes the host, as a library with a broken constructor
 * or entry would, to test that a crash while a file is being loaded quarantines it too.
 */
#include <signal.h>
#include <switchboard/plugin.h>

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    raise(SIGSEGV);
    return 0;
}
