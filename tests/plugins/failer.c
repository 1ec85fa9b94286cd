/*
 * failer (test plugin, C99): fails message.statusUpdate on demand.
 *   before: when the field Fail is "yes", fails with "failer refused this
 *           delivery" (Twilio gets a 500 naming the plugin);
 *   after:  when the field FailAfter is "yes", fails with "failer after hook
 *           failed" (the host logs and counts it; the answer is already sent).
 */
#include "test_plugin.h"

static switchboard_before_action_t failer_before(void* state, switchboard_context_t* context,
                                                 switchboard_event_t* event) {
    const switchboard_host_api_t* host = host_of(state);
    if (!field_is(host, event, "Fail", "yes")) return SWITCHBOARD_CONTINUE;
    host->fail(context, str_of("failer refused this delivery"));
    return SWITCHBOARD_FAIL;
}

static int failer_after(void* state, const switchboard_context_t* context,
                        const switchboard_event_t* event, const switchboard_response_t* response) {
    const switchboard_host_api_t* host = host_of(state);
    (void)response;
    if (!field_is(host, event, "FailAfter", "yes")) return 0;
    host->fail(context, str_of("failer after hook failed"));
    return 1;
}

static const switchboard_hook_t failer_hooks[] = {
    {.event_name = "message.statusUpdate", .before = failer_before, .after = failer_after},
};

static const switchboard_plugin_descriptor_t failer_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "failer",
    .version = "1.0.0",
    .description = "Test plugin: fails message.statusUpdate on Fail=yes or FailAfter=yes",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT, /* no mutable state */
    .init = host_state_init,
    .destroy = host_state_destroy,
    .hooks = failer_hooks,
    .hook_count = sizeof failer_hooks / sizeof failer_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &failer_descriptor;
}
