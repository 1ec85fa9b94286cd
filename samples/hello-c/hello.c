/*
 * hello_c: a Switchboard hook plugin in plain C99, with the descriptor written
 * by hand. On message.received, when the body is "hello" (any case, surrounding
 * blanks ignored), it adds the reply "Hello from C, <From>!".
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <switchboard/plugin.h>

/* What init hands back as `state`: the host pointers, kept for the hooks. */
typedef struct hello_state {
    const switchboard_host_api_t* host;
    const switchboard_plugin_handle_t* plugin;
} hello_state;

static switchboard_str_t str_of(const char* s) {
    switchboard_str_t out;
    out.data = s;
    out.size = strlen(s);
    return out;
}

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Whether body, trimmed, is "hello" ignoring ASCII case. */
static int is_hello(switchboard_str_t body) {
    static const char word[] = "hello";
    const char* p = body.data;
    size_t n = body.size;
    size_t i;
    while (n > 0 && is_blank(p[0])) {
        ++p;
        --n;
    }
    while (n > 0 && is_blank(p[n - 1])) --n;
    if (n != sizeof word - 1) return 0;
    for (i = 0; i < n; ++i) {
        if (tolower((unsigned char)p[i]) != word[i]) return 0;
    }
    return 1;
}

static int hello_init(const switchboard_host_api_t* host, const switchboard_plugin_handle_t* plugin,
                      switchboard_str_t config_json, void** state) {
    hello_state* s;
    (void)config_json; /* no configuration */
    s = (hello_state*)malloc(sizeof *s);
    if (s == NULL) {
        host->report_error(plugin, str_of("out of memory"));
        return 1;
    }
    s->host = host;
    s->plugin = plugin;
    *state = s;
    host->log(plugin, SWITCHBOARD_LOG_INFO, str_of("hello_c ready"));
    return 0;
}

static void hello_destroy(void* state) { free(state); }

static switchboard_before_action_t hello_before(void* state, switchboard_context_t* context,
                                                switchboard_event_t* event) {
    static const char prefix[] = "Hello from C, ";
    static const char suffix[] = "!";
    const hello_state* s = (const hello_state*)state;
    const switchboard_host_api_t* host = s->host;
    switchboard_str_t body = {NULL, 0};
    switchboard_str_t from = {NULL, 0};
    switchboard_str_t reply;
    switchboard_result_t result;
    char* text;
    size_t size;

    if (host->event_get(event, str_of("Body"), &body) != SWITCHBOARD_OK || !is_hello(body)) {
        return SWITCHBOARD_CONTINUE;
    }
    if (host->event_get(event, str_of("From"), &from) != SWITCHBOARD_OK) from = str_of("there");

    /* The host copies the text, so a buffer on the heap only for this call. */
    size = sizeof prefix - 1 + from.size + sizeof suffix - 1;
    text = (char*)malloc(size);
    if (text == NULL) {
        host->fail(context, str_of("out of memory"));
        return SWITCHBOARD_FAIL;
    }
    memcpy(text, prefix, sizeof prefix - 1);
    if (from.size > 0) memcpy(text + sizeof prefix - 1, from.data, from.size);
    memcpy(text + sizeof prefix - 1 + from.size, suffix, sizeof suffix - 1);
    reply.data = text;
    reply.size = size;
    result = host->reply_message(context, reply, NULL, 0);
    free(text);
    if (result != SWITCHBOARD_OK) {
        host->fail(context, str_of("reply_message refused the reply"));
        return SWITCHBOARD_FAIL;
    }

    host->log(s->plugin, SWITCHBOARD_LOG_INFO, str_of("said hello"));
    return SWITCHBOARD_CONTINUE;
}

/* Static and constant: switchboard_plugin_entry only returns its address. */
static const switchboard_hook_t hello_hooks[] = {
    {.event_name = "message.received", .before = hello_before, .after = NULL},
};

static const switchboard_plugin_descriptor_t hello_descriptor = {
    .abi_major = SWITCHBOARD_ABI_VERSION_MAJOR,
    .abi_minor = SWITCHBOARD_ABI_VERSION_MINOR,
    .struct_size = sizeof(switchboard_plugin_descriptor_t),
    .name = "hello_c",
    .version = "1.0.0",
    .description = "Answers \"hello\" with a greeting (C sample)",
    .flags = SWITCHBOARD_PLUGIN_CONCURRENT, /* no mutable state */
    .init = hello_init,
    .destroy = hello_destroy,
    .hooks = hello_hooks,
    .hook_count = sizeof hello_hooks / sizeof hello_hooks[0],
};

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void) {
    return &hello_descriptor;
}
