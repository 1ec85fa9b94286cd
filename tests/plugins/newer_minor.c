/*
 * newer_minor (test plugin, C99): a well-formed descriptor of the current major
 * ABI but the next minor, SWITCHBOARD_ABI_VERSION_MINOR + 1 (as if built against
 * a newer SDK); the host must refuse it before calling anything but the entry
 * point.
 */
#include <stddef.h>
#include <switchboard/plugin.h>

static int newer_minor_init(const switchboard_host_api_t* host,
                            const switchboard_plugin_handle_t* plugin,
                            switchboard_str_t config_json, void** state) {
    (void)host;
    (void)plugin;
    (void)config_json;
    *state = NULL;
    return 0;
}

static void newer_minor_destroy(void* state) { (void)state; }

static switchboard_before_action_t newer_minor_before(void* state, switchboard_context_t* context,
                                                      switchboard_event_t* event) {
    (void)state;
    (void)context;
    (void)event;
    return SWITCHBOARD_CONTINUE;
}

static const switchboard_hook_t newer_minor_hooks[] = {
    {.event_name = "message.received", .before = newer_minor_before, .after = NULL},
};

static const switchboard_plugin_descriptor_t newer_minor_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR + 1,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "newer_minor",
    .version = "1.0.0",
    .description = "Test plugin: built for a newer minor ABI",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT,
    .init = newer_minor_init,
    .destroy = newer_minor_destroy,
    .hooks = newer_minor_hooks,
    .hook_count = sizeof newer_minor_hooks / sizeof newer_minor_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &newer_minor_descriptor;
}
