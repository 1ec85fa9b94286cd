/*
 * failer (test plugin, C99): fails message.statusUpdate on demand.
 *   before: when the field Fail is "yes", fails with "failer refused this
 *           delivery" (Twilio gets a 500 naming the plugin);
 *   after:  when the field FailAfter is "yes", fails with "failer after hook
 *           failed" (the host logs and counts it; the answer is already sent).
 */
#include <stdlib.h>
#include <string.h>
#include <switchboard/plugin.h>

typedef struct failer_state {
    const switchboard_host_api_t* host;
} failer_state;

static switchboard_str_t str_of(const char* s) {
    switchboard_str_t out;
    out.data = s;
    out.size = strlen(s);
    return out;
}

/* Whether the event's field key exists and is "yes". */
static int field_is_yes(const switchboard_host_api_t* host, const switchboard_event_t* event,
                        const char* key) {
    switchboard_str_t value = {NULL, 0};
    return host->event_get(event, str_of(key), &value) == SWITCHBOARD_OK && value.size == 3 &&
           memcmp(value.data, "yes", 3) == 0;
}

static int failer_init(const switchboard_host_api_t* host,
                       const switchboard_plugin_handle_t* plugin, switchboard_str_t config_json,
                       void** state) {
    failer_state* s = (failer_state*)malloc(sizeof *s);
    (void)config_json;
    if (s == NULL) {
        host->report_error(plugin, str_of("out of memory"));
        return 1;
    }
    s->host = host;
    *state = s;
    return 0;
}

static void failer_destroy(void* state) { free(state); }

static switchboard_before_action_t failer_before(void* state, switchboard_context_t* context,
                                                 switchboard_event_t* event) {
    const switchboard_host_api_t* host = ((const failer_state*)state)->host;
    if (!field_is_yes(host, event, "Fail")) return SWITCHBOARD_CONTINUE;
    host->fail(context, str_of("failer refused this delivery"));
    return SWITCHBOARD_FAIL;
}

static int failer_after(void* state, const switchboard_context_t* context,
                        const switchboard_event_t* event, const switchboard_response_t* response) {
    const switchboard_host_api_t* host = ((const failer_state*)state)->host;
    (void)response;
    if (!field_is_yes(host, event, "FailAfter")) return 0;
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
    .init = failer_init,
    .destroy = failer_destroy,
    .hooks = failer_hooks,
    .hook_count = sizeof failer_hooks / sizeof failer_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &failer_descriptor;
}
