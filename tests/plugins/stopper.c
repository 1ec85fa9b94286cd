/*
 * stopper (test plugin, C99, hand-written descriptor, serial): stops the before
 * chain of message.received.
 *   Body == "DROP":   returns SWITCHBOARD_STOP without an answer of its own, so
 *                     the host sends the usual (empty) TwiML;
 *   Body == "CUSTOM": answers 200 text/plain "custom answer" and stops;
 *   anything else:    continues.
 */
#include "test_plugin.h"

static switchboard_before_action_t stopper_before(void* state, switchboard_context_t* context,
                                                  switchboard_event_t* event) {
    const switchboard_host_api_t* host = host_of(state);
    switchboard_str_t body = {NULL, 0};
    if (host->event_get(event, str_of("Body"), &body) != SWITCHBOARD_OK) {
        return SWITCHBOARD_CONTINUE;
    }
    if (str_is(body, "DROP")) return SWITCHBOARD_STOP;
    if (str_is(body, "CUSTOM")) {
        if (host->respond(context, 200, str_of("text/plain"), str_of("custom answer")) !=
            SWITCHBOARD_OK) {
            host->fail(context, str_of("stopper: respond was refused"));
            return SWITCHBOARD_FAIL;
        }
        return SWITCHBOARD_STOP;
    }
    return SWITCHBOARD_CONTINUE;
}

static const switchboard_hook_t stopper_hooks[] = {
    {.event_name = "message.received", .before = stopper_before, .after = NULL},
};

static const switchboard_plugin_descriptor_t stopper_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "stopper",
    .version = "1.0.0",
    .description = "Test plugin: stops message.received on Body DROP or CUSTOM",
    .flags = 0, /* serial */
    .init = host_state_init,
    .destroy = host_state_destroy,
    .hooks = stopper_hooks,
    .hook_count = sizeof stopper_hooks / sizeof stopper_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &stopper_descriptor;
}
