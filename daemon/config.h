/*
 * config.h: loading the configuration file for lvhcmond and lvhcmon. This is the I/O half
 * of the configuration (lib/config_parse.h is the pure half): it reads the file, reads the
 * client hash key from client_hash_key_file, resolves relative paths against the folder of
 * the configuration file, fills in the shipped sql/ and web/ folders where the file names
 * none (data_dir.h), and applies the environment: LVHCMON_DB, when non-empty, replaces
 * [database] conninfo, and LVHCMON_MIGRATE_DB [database] migrate_conninfo.
 */
#ifndef LVHCMON_DAEMON_CONFIG_H
#define LVHCMON_DAEMON_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "config_parse.h"

/** Default configuration file, relative to the working directory. */
#define CONFIG_DEFAULT_PATH "config/lvhcmon.conf"

/**
 * Loads and checks a configuration file.
 * @param path the configuration file
 * @param for_daemon true for the daemon: refuse a configuration without a usable client
 *        hash key (see config_check_complete()), and read and check the TLS certificate and
 *        key when they are set (tls_files.h); the command line needs neither
 * @param err receives why not (may be NULL): a message naming the file, line and key, the
 *        key as field
 * @return a new configuration owned by the caller (config_free()), or NULL
 */
lv_config *config_load(const char *path, bool for_daemon, lv_error *err);

#endif
