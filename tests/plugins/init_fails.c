/*
 * init_fails (test plugin, C99): refuses to load unless plugins.init_fails.apiKey
 * is set, reporting "init_fails: missing required setting 'apiKey'". Once
 * loaded, its call.statusUpdate before hook just continues.
 */
#include "test_plugin.h"

static int init_fails_init(const switchboard_host_api_t* host,
                           const switchboard_plugin_handle_t* plugin, switchboard_str_t config_json,
                           void** state) {
    switchboard_str_t api_key = {NULL, 0};
    (void)config_json;
    *state = NULL;
    if (host->config_get(plugin, str_of("apiKey"), &api_key) != SWITCHBOARD_OK) {
        host->report_error(plugin, str_of("init_fails: missing required setting 'apiKey'"));
        return 1;
    }
    return 0;
}

static const switchboard_hook_t init_fails_hooks[] = {
    {.event_name = "call.statusUpdate", .before = before_continue, .after = NULL},
};

static const switchboard_plugin_descriptor_t init_fails_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "init_fails",
    .version = "1.0.0",
    .description = "Test plugin: init fails unless apiKey is configured",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT,
    .init = init_fails_init,
    .destroy = null_state_destroy,
    .hooks = init_fails_hooks,
    .hook_count = sizeof init_fails_hooks / sizeof init_fails_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &init_fails_descriptor;
}
