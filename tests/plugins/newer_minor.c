/*
 * newer_minor (test plugin, C99): a well-formed descriptor of the current major
 * ABI but the next minor, SWITCHBOARD_ABI_VERSION_MINOR + 1 (as if built against
 * a newer SDK); the host must refuse it before calling anything but the entry
 * point.
 */
#include "test_plugin.h"

static const switchboard_hook_t newer_minor_hooks[] = {
    {.event_name = "message.received", .before = before_continue, .after = NULL},
};

static const switchboard_plugin_descriptor_t newer_minor_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR + 1,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "newer_minor",
    .version = "1.0.0",
    .description = "Test plugin: built for a newer minor ABI",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT,
    .init = null_state_init,
    .destroy = null_state_destroy,
    .hooks = newer_minor_hooks,
    .hook_count = sizeof newer_minor_hooks / sizeof newer_minor_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &newer_minor_descriptor;
}
