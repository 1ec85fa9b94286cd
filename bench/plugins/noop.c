/*
 * noop: a hook plugin that does nothing, for bench/run and bench_micro.
 *
 * It hooks before and after on all three events, declares itself concurrent
 * (so the host takes no lock around its calls) and returns at once: what it
 * costs is the host's own price of one plugin. The same source is built as
 * noop, noop_alt (the same descriptor name "noop" with another version
 * string, so the file's bytes differ: the reload benchmark swaps the two) and
 * noop_01..noop_16 (distinct names, for the scaling runs).
 *
 * Compile definitions: NOOP_NAME (descriptor name), NOOP_VERSION.
 */
#include <switchboard/plugin.h>

#ifndef NOOP_NAME
#define NOOP_NAME "noop"
#endif
#ifndef NOOP_VERSION
#define NOOP_VERSION "1.0.0"
#endif

static int noop_init(const switchboard_host_api_t* host, const switchboard_plugin_handle_t* plugin,
                     switchboard_str_t config_json, void** state) {
    (void)host;
    (void)plugin;
    (void)config_json;
    *state = NULL;
    return 0;
}

static void noop_destroy(void* state) { (void)state; }

static switchboard_before_action_t noop_before(void* state, switchboard_context_t* context,
                                               switchboard_event_t* event) {
    (void)state;
    (void)context;
    (void)event;
    return SWITCHBOARD_CONTINUE;
}

static int noop_after(void* state, const switchboard_context_t* context,
                      const switchboard_event_t* event, const switchboard_response_t* response) {
    (void)state;
    (void)context;
    (void)event;
    (void)response;
    return 0;
}

static const switchboard_hook_t noop_hooks[] = {
    {"call.statusUpdate", noop_before, noop_after},
    {"message.received", noop_before, noop_after},
    {"message.statusUpdate", noop_before, noop_after},
};

static const switchboard_plugin_descriptor_t noop_descriptor = {
    SWITCHBOARD_ABI_VERSION_MAJOR,
    SWITCHBOARD_ABI_VERSION_MINOR,
    sizeof(switchboard_plugin_descriptor_t),
    NOOP_NAME,
    NOOP_VERSION,
    "does nothing, on every hook (benchmark plugin)",
    SWITCHBOARD_PLUGIN_CONCURRENT,
    noop_init,
    noop_destroy,
    noop_hooks,
    sizeof noop_hooks / sizeof noop_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &noop_descriptor;
}
