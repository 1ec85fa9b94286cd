/*
 * Switchboard plugin ABI.
 *
 * This header is the whole contract between the Switchboard host and a hook
 * plugin: a shared object built on its own, dropped into the host's plugin
 * directory and loaded at run time. It is plain C99 (it also compiles as C++),
 * includes nothing but the C standard library, and passes no C++ type across
 * the boundary.
 *
 * Naming:
 *   switchboard_*_t            types;
 *   switchboard_plugin_entry   the one symbol a plugin exports;
 *   switchboard_on_*_fn        functions the plugin implements and the host calls;
 *   switchboard_host_api_t     the table of functions the host implements and
 *                              the plugin calls.
 *
 * Evolution rules, so that a plugin built against an old header keeps working:
 *   - The major version changes only when an existing declaration changes
 *     meaning. The host refuses a plugin of another major.
 *   - The minor version grows when something is added. Structs grow only at
 *     their end; every struct that may grow starts with (or carries) a size
 *     field, and the reader checks it before reading a later field. The host
 *     refuses a plugin built against a newer minor than its own.
 *   - Nothing is ever removed or reordered within a major version.
 *
 * Strings: every string crossing the boundary is a switchboard_str_t, a pointer
 * and a length in bytes, UTF-8, not necessarily NUL-terminated. The exceptions
 * are the static strings of the descriptor, which are NUL-terminated.
 *
 * Threads: the host serves requests on many threads. A plugin that sets
 * SWITCHBOARD_PLUGIN_CONCURRENT in its descriptor has its hooks called on any
 * thread at the same time; without that flag the host calls its hooks one at a
 * time (never two hooks of the same plugin instance concurrently).
 *
 * Reload: the host may load a new generation of the same plugin (a new file)
 * while the old one still serves requests in flight. Each generation gets its
 * own init and its own destroy; they share no state unless the plugin keeps it
 * outside the process.
 */
#ifndef SWITCHBOARD_PLUGIN_H
#define SWITCHBOARD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions                                                                  */
/* ------------------------------------------------------------------------ */

/* The ABI version this header describes. A plugin records the values it was
 * compiled with in its descriptor; the host compares them with its own before
 * it calls anything in the plugin. */
#define SWITCHBOARD_ABI_VERSION_MAJOR 1
#define SWITCHBOARD_ABI_VERSION_MINOR 0

/* The name of the one symbol a plugin exports (see switchboard_plugin_entry). */
#define SWITCHBOARD_PLUGIN_ENTRY_SYMBOL "switchboard_plugin_entry"

/* Marks the entry symbol as exported even when the plugin is compiled with
 * -fvisibility=hidden (which it should be, to keep its other symbols private). */
#if defined(__GNUC__) || defined(__clang__)
#define SWITCHBOARD_EXPORT __attribute__((visibility("default")))
#else
#define SWITCHBOARD_EXPORT
#endif

/* ------------------------------------------------------------------------ */
/* Basic types                                                               */
/* ------------------------------------------------------------------------ */

/* A borrowed run of bytes (UTF-8 text unless said otherwise).
 * data may be NULL only when size is 0. Who owns the bytes, and for how long
 * they stay valid, is said where a switchboard_str_t is passed. */
typedef struct switchboard_str_t {
    const char* data;
    size_t size;
} switchboard_str_t;

/* Whether a host function did what was asked. */
typedef enum switchboard_result_t {
    SWITCHBOARD_OK = 0,
    /* The object, key or index does not exist. */
    SWITCHBOARD_NOT_FOUND = 1,
    /* The call is not allowed here: a mutating call from an `after` hook, a
     * reply on an event that takes none, an argument out of range. */
    SWITCHBOARD_INVALID = 2
} switchboard_result_t;

/* What a `before` hook tells the host to do next. */
typedef enum switchboard_before_action_t {
    /* Go on with the next hook, then answer Twilio as usual. An answer set
     * with host_api->respond during this hook is dropped: it belongs to the
     * hook that stops with it. */
    SWITCHBOARD_CONTINUE = 0,
    /* Answer now: no later `before` hook runs. The answer is the one set with
     * host_api->respond, or, when none was set, the usual answer for the
     * event (TwiML with the replies added so far, or 204). The `after` hooks
     * still run. */
    SWITCHBOARD_STOP = 1,
    /* The hook failed: no later `before` hook runs, Twilio gets a 500 whose
     * JSON body names the plugin and carries the message given to
     * host_api->fail. The `after` hooks still run and see that 500, so that
     * an audit plugin records failed deliveries too. */
    SWITCHBOARD_FAIL = 2
} switchboard_before_action_t;

typedef enum switchboard_log_level_t {
    SWITCHBOARD_LOG_DEBUG = 0,
    SWITCHBOARD_LOG_INFO = 1,
    SWITCHBOARD_LOG_WARNING = 2,
    SWITCHBOARD_LOG_ERROR = 3
} switchboard_log_level_t;

/* Descriptor flags. */
/* The plugin's hooks may be called from many threads at once. */
#define SWITCHBOARD_PLUGIN_CONCURRENT 0x1u

/* ------------------------------------------------------------------------ */
/* Host objects: opaque to the plugin                                        */
/* ------------------------------------------------------------------------ */

/* One loaded plugin generation, as the host knows it. Given to `init`; valid
 * until `destroy` returns. The plugin passes it back to host functions that
 * act for the plugin (log, config, metrics). */
typedef struct switchboard_plugin_handle_t switchboard_plugin_handle_t;

/* One request being handled: its event name, ids, headers, and a key/value
 * store shared by the hooks of this request. Valid only during the hook call
 * it is passed to. */
typedef struct switchboard_context_t switchboard_context_t;

/* The decoded event: the ordered list of the request's parameters (form
 * fields or JSON members), repeated keys and blank values included, as left
 * by earlier `before` hooks. Valid only during the hook call it is passed to. */
typedef struct switchboard_event_t switchboard_event_t;

/* The answer sent to Twilio, as the `after` hooks see it. Owned by the host;
 * valid during the `after` call only. */
typedef struct switchboard_response_t {
    /* sizeof(switchboard_response_t) as the host knows it. */
    uint32_t struct_size;
    /* HTTP status code: 200, 204, 400, 500, ... */
    uint32_t status;
    /* e.g. "text/xml"; empty when the answer has no body. */
    switchboard_str_t content_type;
    switchboard_str_t body;
} switchboard_response_t;

/* ------------------------------------------------------------------------ */
/* Functions the host implements                                             */
/* ------------------------------------------------------------------------ */

/* The table of host functions, given to `init`. Owned by the host; the
 * pointer stays valid until `destroy` returns, so the plugin may keep it.
 *
 * Strings passed *to* a host function are copied by the host before it
 * returns: the plugin keeps ownership and may free them right after.
 * Strings returned *by* a host function are owned by the host and stay valid
 * until the hook call returns, or until the plugin writes to the same object
 * (any event_set/add/remove invalidates every view of the event's fields; any
 * context_set invalidates every view of the store), whichever is first; copy
 * them to keep them longer.
 *
 * New functions are appended at the end, with a higher minor version. The host
 * loads a plugin only when its own minor is at least the plugin's, so every
 * function the plugin was compiled against is present; struct_size tells a
 * plugin (or a debugger) how much of the table the host actually has. */
typedef struct switchboard_host_api_t {
    /* sizeof(switchboard_host_api_t) as the host was compiled. */
    uint32_t struct_size;
    /* The host's ABI version. */
    uint16_t abi_major;
    uint16_t abi_minor;

    /* ---- for the plugin as a whole; callable from init, hooks and destroy ---- */

    /* Writes message into the host's log, tagged with the plugin's name.
     * Cheap when level is below the host's log level. */
    void (*log)(const switchboard_plugin_handle_t* plugin, switchboard_log_level_t level,
                switchboard_str_t message);

    /* Records why the plugin failed; the host shows it in its log and admin API.
     * Call it from `init` before returning non-zero. */
    void (*report_error)(const switchboard_plugin_handle_t* plugin, switchboard_str_t message);

    /* Reads the plugin's own configuration value `key` (the host key
     * "plugins.<name>.<key>"). Returns SWITCHBOARD_OK and sets *value (owned by
     * the host, valid until destroy returns), or SWITCHBOARD_NOT_FOUND. */
    switchboard_result_t (*config_get)(const switchboard_plugin_handle_t* plugin,
                                       switchboard_str_t key, switchboard_str_t* value);

    /* How many configuration values the plugin has (the "plugins.<name>.*"
     * keys), so that a plugin can read keys it cannot name in advance, such
     * as one rule per key. */
    size_t (*config_count)(const switchboard_plugin_handle_t* plugin);

    /* The configuration value at index (0 .. count-1), in key order; key is
     * without the "plugins.<name>." prefix. Both are owned by the host and
     * valid until destroy returns. SWITCHBOARD_OK, or SWITCHBOARD_NOT_FOUND
     * when index is out of range. */
    switchboard_result_t (*config_at)(const switchboard_plugin_handle_t* plugin, size_t index,
                                      switchboard_str_t* key, switchboard_str_t* value);

    /* Adds delta to the counter `name`, exported by the host's /metrics as
     * switchboard_plugin_metric_total{plugin="<name>",metric="<name>"}. */
    void (*metric_add)(const switchboard_plugin_handle_t* plugin, switchboard_str_t name,
                       uint64_t delta);

    /* ---- the request context; callable from hooks ---- */

    /* The event name: "call.statusUpdate", "message.received" or
     * "message.statusUpdate". */
    switchboard_str_t (*context_event_name)(const switchboard_context_t* context);

    /* The host's id of this request, also in its log lines. */
    switchboard_str_t (*context_request_id)(const switchboard_context_t* context);

    /* When the host received the request, in microseconds since the Unix epoch. */
    int64_t (*context_received_at_us)(const switchboard_context_t* context);

    /* The request's AccountSid (empty when the event has none). */
    switchboard_str_t (*context_account_sid)(const switchboard_context_t* context);

    /* The I-Twilio-Idempotency-Token header: the same on every retry of one
     * delivery. Empty when the request had none. */
    switchboard_str_t (*context_idempotency_token)(const switchboard_context_t* context);

    /* Looks up a request header by name, case-insensitively; the first one
     * when repeated. SWITCHBOARD_OK and *value, or SWITCHBOARD_NOT_FOUND.
     * Headers are read-only. */
    switchboard_result_t (*context_header)(const switchboard_context_t* context,
                                           switchboard_str_t name, switchboard_str_t* value);

    /* The plugin's own configuration as a JSON object of strings (the same
     * text `init` received). */
    switchboard_str_t (*context_plugin_config)(const switchboard_context_t* context);

    /* Reads a value from the request's key/value store, which `before` hooks
     * fill and later hooks and the `after` hooks read. SWITCHBOARD_OK and
     * *value, or SWITCHBOARD_NOT_FOUND. */
    switchboard_result_t (*context_get)(const switchboard_context_t* context, switchboard_str_t key,
                                        switchboard_str_t* value);

    /* Sets key to value in the request's store (replacing an earlier value).
     * Only from `before` hooks: SWITCHBOARD_INVALID from an `after` hook. */
    switchboard_result_t (*context_set)(switchboard_context_t* context, switchboard_str_t key,
                                        switchboard_str_t value);

    /* ---- the event's fields; callable from hooks ---- */

    /* How many fields the event has. */
    size_t (*event_field_count)(const switchboard_event_t* event);

    /* The field at index (0 .. count-1), in arrival order. SWITCHBOARD_OK, or
     * SWITCHBOARD_NOT_FOUND when index is out of range. */
    switchboard_result_t (*event_field_at)(const switchboard_event_t* event, size_t index,
                                           switchboard_str_t* key, switchboard_str_t* value);

    /* The value of the first field named key (case-sensitive, as Twilio's
     * names are). SWITCHBOARD_OK and *value, or SWITCHBOARD_NOT_FOUND. */
    switchboard_result_t (*event_get)(const switchboard_event_t* event, switchboard_str_t key,
                                      switchboard_str_t* value);

    /* Sets the field key to value: the first field of that name gets the new
     * value and any later ones are removed; when there is none, the field is
     * appended. Only from `before` hooks (SWITCHBOARD_INVALID otherwise). */
    switchboard_result_t (*event_set)(switchboard_event_t* event, switchboard_str_t key,
                                      switchboard_str_t value);

    /* Appends a field, even when one of that name exists (a repeated key).
     * Only from `before` hooks (SWITCHBOARD_INVALID otherwise). */
    switchboard_result_t (*event_add)(switchboard_event_t* event, switchboard_str_t key,
                                      switchboard_str_t value);

    /* Removes every field named key. SWITCHBOARD_OK when at least one was
     * removed, SWITCHBOARD_NOT_FOUND when none existed. Only from `before`
     * hooks (SWITCHBOARD_INVALID otherwise). */
    switchboard_result_t (*event_remove)(switchboard_event_t* event, switchboard_str_t key);

    /* ---- answers; callable from `before` hooks only ---- */

    /* Adds a reply message to a message.received answer: the host renders it
     * as <Message> in the TwiML, XML-escaped, with one <Media> per URL.
     * media_urls may be NULL when media_count is 0; the array and its strings
     * are copied. SWITCHBOARD_INVALID on other events, from `after`, or when
     * text is not UTF-8. Characters XML cannot carry (C0 controls but tab and
     * LF) are sent as U+FFFD. */
    switchboard_result_t (*reply_message)(switchboard_context_t* context, switchboard_str_t text,
                                          const switchboard_str_t* media_urls, size_t media_count);

    /* Sets the exact answer sent when the hook returns SWITCHBOARD_STOP:
     * status (100-599), content type (may be empty) and body. Replaces the
     * usual answer, replies included. SWITCHBOARD_INVALID for a status outside
     * 100-599 or from `after`. */
    switchboard_result_t (*respond)(switchboard_context_t* context, uint32_t status,
                                    switchboard_str_t content_type, switchboard_str_t body);

    /* Records the message that goes with SWITCHBOARD_FAIL (or with a failing
     * `after` hook). The last call wins. */
    void (*fail)(const switchboard_context_t* context, switchboard_str_t message);
} switchboard_host_api_t;

/* ------------------------------------------------------------------------ */
/* Functions the plugin implements                                           */
/* ------------------------------------------------------------------------ */

/* Creates the plugin's state for one generation. Called once, after the host
 * has checked the ABI version, before any hook.
 *   host:        the host's functions; valid until destroy returns.
 *   plugin:      the host's handle for this generation; valid until destroy
 *                returns.
 *   config_json: the plugin's configuration, a JSON object of strings built
 *                from the host keys "plugins.<name>.*" (e.g. {"path":"/x"});
 *                owned by the host, valid until destroy returns.
 *   state:       out: the plugin's state, passed back to every hook and to
 *                destroy. Owned by the plugin. May be left NULL.
 * Returns 0 on success. Anything else refuses the plugin: call
 * host->report_error first to say why; destroy is then not called, so free
 * what was allocated before returning. */
typedef int (*switchboard_on_init_fn)(const switchboard_host_api_t* host,
                                      const switchboard_plugin_handle_t* plugin,
                                      switchboard_str_t config_json, void** state);

/* Frees the state returned by init. Called once, after the last hook of this
 * generation has returned; no hook runs after it. */
typedef void (*switchboard_on_destroy_fn)(void* state);

/* Runs before the host answers. May read and change the event and the
 * context, add replies, set the answer, or fail.
 *   state:   what init returned.
 *   context: the request; valid during this call only.
 *   event:   the event's fields; valid during this call only.
 * Returns what the host does next (see switchboard_before_action_t). */
typedef switchboard_before_action_t (*switchboard_on_before_fn)(void* state,
                                                                switchboard_context_t* context,
                                                                switchboard_event_t* event);

/* Runs after the answer was sent to Twilio, so a slow `after` never delays
 * it. Sees the final answer, the event as the `before` hooks left it and the
 * context; changes nothing.
 *   response: the answer sent; valid during this call only.
 * Returns 0, or non-zero when it failed (the host logs the message given to
 * host->fail and counts the error). */
typedef int (*switchboard_on_after_fn)(void* state, const switchboard_context_t* context,
                                       const switchboard_event_t* event,
                                       const switchboard_response_t* response);

/* The hooks of one event. Used as an array element, so its size is fixed for
 * all of ABI major 1: hooks added later come as a new table appended to the
 * descriptor, never as new fields here. */
typedef struct switchboard_hook_t {
    /* "call.statusUpdate", "message.received" or "message.statusUpdate";
     * NUL-terminated, static. A name the host does not know is ignored. */
    const char* event_name;
    /* Either may be NULL. */
    switchboard_on_before_fn before;
    switchboard_on_after_fn after;
} switchboard_hook_t;

/* What a plugin is and does. Returned by switchboard_plugin_entry; static,
 * owned by the plugin, valid while the library is loaded.
 *
 * The first three fields never move, in any version: the host reads them
 * before anything else to decide whether it can read the rest. */
typedef struct switchboard_plugin_descriptor_t {
    /* SWITCHBOARD_ABI_VERSION_MAJOR and _MINOR as the plugin was compiled. */
    uint16_t abi_major;
    uint16_t abi_minor;
    /* sizeof(switchboard_plugin_descriptor_t) as the plugin was compiled. */
    uint32_t struct_size;

    /* NUL-terminated, static. name is unique among loaded plugins: the host
     * refuses a second plugin of the same name; [a-z0-9_-]{1,64}. */
    const char* name;
    const char* version;
    const char* description;

    /* SWITCHBOARD_PLUGIN_* flags. */
    uint32_t flags;

    /* Required. */
    switchboard_on_init_fn init;
    /* Required. */
    switchboard_on_destroy_fn destroy;

    /* hook_count hooks, static; at most one entry per event name. */
    const switchboard_hook_t* hooks;
    size_t hook_count;
} switchboard_plugin_descriptor_t;

/* The one symbol a plugin exports. Returns the plugin's descriptor (never
 * NULL). The host calls it before anything else and may call it more than
 * once; it must not allocate or have side effects. */
typedef const switchboard_plugin_descriptor_t* (*switchboard_plugin_entry_fn)(void);

SWITCHBOARD_EXPORT const switchboard_plugin_descriptor_t* switchboard_plugin_entry(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SWITCHBOARD_PLUGIN_H */
