/*
 * crasher: kills the host process the way a buggy plugin would, to test that the host
 * records which plugin generation was running and refuses that file at the next start.
 * Before hook on message.statusUpdate: Crash=segv raises SIGSEGV, as a wild pointer
 * would (raised rather than provoked, so that UndefinedBehaviorSanitizer builds crash
 * the same way instead of reporting the null write), Crash=abort calls abort();
 * anything else continues.
 */
#include <signal.h>
#include <stdlib.h>

#include "test_plugin.h"

static switchboard_before_action_t crasher_before(void* state, switchboard_context_t* context,
                                                  switchboard_event_t* event) {
    const switchboard_host_api_t* host = host_of(state);
    (void)context;
    if (field_is(host, event, "Crash", "segv")) {
        raise(SIGSEGV);
    }
    if (field_is(host, event, "Crash", "abort")) abort();
    return SWITCHBOARD_CONTINUE;
}

static const switchboard_hook_t crasher_hooks[] = {
    {"message.statusUpdate", crasher_before, NULL},
};

static const switchboard_plugin_descriptor_t crasher_descriptor = {
    SWITCHBOARD_ABI_VERSION_MAJOR,
    SWITCHBOARD_ABI_VERSION_MINOR,
    sizeof(switchboard_plugin_descriptor_t),
    "crasher",
    "1.0.0",
    "Crashes the host on demand (tests only)",
    SWITCHBOARD_PLUGIN_CONCURRENT,
    host_state_init,
    host_state_destroy,
    crasher_hooks,
    sizeof crasher_hooks / sizeof crasher_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &crasher_descriptor;
}
