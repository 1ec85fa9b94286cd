/*
 * wrong_abi (test plugin, C99): a well-formed descriptor that claims the next
 * major ABI version, SWITCHBOARD_ABI_VERSION_MAJOR + 1; the host must refuse it
 * before calling anything but the entry point.
 */
#include "test_plugin.h"

static const switchboard_hook_t wrong_abi_hooks[] = {
    {.event_name = "message.received", .before = before_continue, .after = NULL},
};

static const switchboard_plugin_descriptor_t wrong_abi_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR + 1,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "wrong_abi",
    .version = "1.0.0",
    .description = "Test plugin: built for the next major ABI",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT,
    .init = null_state_init,
    .destroy = null_state_destroy,
    .hooks = wrong_abi_hooks,
    .hook_count = sizeof wrong_abi_hooks / sizeof wrong_abi_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &wrong_abi_descriptor;
}
