/*
 * no_entry (test plugin, C99): a shared object that exports a function but not
 * switchboard_plugin_entry; the host must refuse it as "no entry symbol".
 * Built with a plain add_library(MODULE), not switchboard_add_plugin, whose
 * version script exports only the entry symbol.
 */
__attribute__((visibility("default"))) int not_a_plugin(void);

int not_a_plugin(void) { return 42; }
