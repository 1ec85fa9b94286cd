/*
 * init_fails (test plugin, C99): refuses to load unless plugins.init_fails.apiKey
 * is set, reporting "init_fails: missing required setting 'apiKey'". Once
 * loaded, its call.statusUpdate before hook just continues.
 */
#include <string.h>
#include <switchboard/plugin.h>

static switchboard_str_t str_of(const char* s) {
    switchboard_str_t out;
    out.data = s;
    out.size = strlen(s);
    return out;
}

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

static void init_fails_destroy(void* state) { (void)state; }

static switchboard_before_action_t init_fails_before(void* state, switchboard_context_t* context,
                                                     switchboard_event_t* event) {
    (void)state;
    (void)context;
    (void)event;
    return SWITCHBOARD_CONTINUE;
}

static const switchboard_hook_t init_fails_hooks[] = {
    {.event_name = "call.statusUpdate", .before = init_fails_before, .after = NULL},
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
    .destroy = init_fails_destroy,
    .hooks = init_fails_hooks,
    .hook_count = sizeof init_fails_hooks / sizeof init_fails_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &init_fails_descriptor;
}
