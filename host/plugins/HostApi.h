#pragma once

#include <switchboard/plugin.h>

namespace switchboard::plugins {

class LoadedPlugin;
struct HookContext;

/// The table of host functions handed to every plugin's init; one for the whole process.
const switchboard_host_api_t& hostApi();

// The opaque ABI handles are the host objects themselves, so no lookup or allocation is
// needed per call.
inline const switchboard_plugin_handle_t* toHandle(const LoadedPlugin* plugin) {
    return reinterpret_cast<const switchboard_plugin_handle_t*>(plugin);
}
inline switchboard_context_t* toContext(HookContext* context) {
    return reinterpret_cast<switchboard_context_t*>(context);
}
inline switchboard_event_t* toEvent(HookContext* context) {
    return reinterpret_cast<switchboard_event_t*>(context);
}

}  // namespace switchboard::plugins
