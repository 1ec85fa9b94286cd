/*
 * wrong_abi (test plugin, C99): a well-formed descriptor that claims the next
 * major ABI version, SWITCHBOARD_ABI_VERSION_MAJOR + 1; the host must refuse it
 * before calling anything but the entry point.
 */
#include <stddef.h>
#include <switchboard/plugin.h>

static int wrong_abi_init(const switchboard_host_api_t* host,
                          const switchboard_plugin_handle_t* plugin, switchboard_str_t config_json,
                          void** state) {
    (void)host;
    (void)plugin;
    (void)config_json;
    *state = NULL;
    return 0;
}

static void wrong_abi_destroy(void* state) { (void)state; }

static switchboard_before_action_t wrong_abi_before(void* state, switchboard_context_t* context,
                                                    switchboard_event_t* event) {
    (void)state;
    (void)context;
    (void)event;
    return SWITCHBOARD_CONTINUE;
}

static const switchboard_hook_t wrong_abi_hooks[] = {
    {.event_name = "message.received", .before = wrong_abi_before, .after = NULL},
};

static const switchboard_plugin_descriptor_t wrong_abi_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR + 1,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "wrong_abi",
    .version = "1.0.0",
    .description = "Test plugin: built for the next major ABI",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT,
    .init = wrong_abi_init,
    .destroy = wrong_abi_destroy,
    .hooks = wrong_abi_hooks,
    .hook_count = sizeof wrong_abi_hooks / sizeof wrong_abi_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &wrong_abi_descriptor;
}
