/*
 * test_plugin.h: helpers shared by the C test plugins (C99, header only).
 *
 *   str_of(s), str_is(s, literal)   a view of a C string; whether a view holds exactly literal.
 *   field_is(host, event, key, v)   whether the event has the field key and its value is v.
 *   host_state_init/_destroy        init/destroy for a descriptor: the state is a malloc'd
 *                                   host_state holding the host API, read back with host_of.
 *   null_state_init/_destroy        init/destroy for a plugin without state (state is NULL).
 *   before_continue                 a before hook that does nothing and continues.
 *
 * Every function is static, so each plugin keeps a private copy and still exports only
 * switchboard_plugin_entry.
 */
#ifndef SWITCHBOARD_TEST_PLUGIN_H
#define SWITCHBOARD_TEST_PLUGIN_H

#include <stdlib.h>
#include <string.h>
#include <switchboard/plugin.h>

static inline switchboard_str_t str_of(const char* s) {
    switchboard_str_t out = {s, strlen(s)};
    return out;
}

static inline int str_is(switchboard_str_t s, const char* literal) {
    const size_t n = strlen(literal);
    return s.size == n && (n == 0 || memcmp(s.data, literal, n) == 0);
}

static inline int field_is(const switchboard_host_api_t* host, const switchboard_event_t* event,
                           const char* key, const char* expected) {
    switchboard_str_t value = {NULL, 0};
    return host->event_get(event, str_of(key), &value) == SWITCHBOARD_OK && str_is(value, expected);
}

typedef struct host_state {
    const switchboard_host_api_t* host;
} host_state;

/* Fails with "out of memory" (reported to the host) when the state cannot be allocated. */
static inline int host_state_init(const switchboard_host_api_t* host,
                                  const switchboard_plugin_handle_t* plugin,
                                  switchboard_str_t config_json, void** state) {
    host_state* s = (host_state*)malloc(sizeof *s);
    (void)config_json;
    if (s == NULL) {
        host->report_error(plugin, str_of("out of memory"));
        return 1;
    }
    s->host = host;
    *state = s;
    return 0;
}

static inline void host_state_destroy(void* state) { free(state); }

static inline const switchboard_host_api_t* host_of(const void* state) {
    return ((const host_state*)state)->host;
}

static inline int null_state_init(const switchboard_host_api_t* host,
                                  const switchboard_plugin_handle_t* plugin,
                                  switchboard_str_t config_json, void** state) {
    (void)host;
    (void)plugin;
    (void)config_json;
    *state = NULL;
    return 0;
}

static inline void null_state_destroy(void* state) { (void)state; }

static inline switchboard_before_action_t before_continue(void* state,
                                                          switchboard_context_t* context,
                                                          switchboard_event_t* event) {
    (void)state;
    (void)context;
    (void)event;
    return SWITCHBOARD_CONTINUE;
}

#endif /* SWITCHBOARD_TEST_PLUGIN_H */
