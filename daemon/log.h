/*
 * log.h: structured logging. Every line on standard error is one JSON object:
 *   {"time":"2026-11-23T10:00:00.123Z","level":"info","message":"listening",
 *    "fields":{"address":"127.0.0.1","port":8080}}
 * so that journald, Docker and the integration tests can read it back without guessing.
 *
 * Messages are constant English sentences; variable data goes into fields, built with a
 * jansson json_pack() format. Never pass a secret (client hash key, token, conninfo with a
 * password, a BSN) as a field. Thread-safe: each line is written with one write(2) under a
 * mutex. The level can change at any time (SIGHUP reload).
 */
#ifndef LVHCMON_LOG_H
#define LVHCMON_LOG_H

#include <stdbool.h>

#include "config_parse.h" /* lv_log_level */

/**
 * Sets the lowest level that is written.
 * @param level the new minimum level
 */
void log_set_level(lv_log_level level);

/** @return the lowest level that is written. */
lv_log_level log_get_level(void);

/**
 * @param level a level
 * @return true when a line of @a level would be written (to skip costly field building)
 */
bool log_enabled(lv_log_level level);

/**
 * Writes one log line.
 * @param level severity; nothing is written below the current level
 * @param message constant, human-readable text
 * @param fields_fmt a json_pack() object format such as "{s:s, s:i}" followed by its
 *        arguments, or NULL for no fields
 */
void log_write(lv_log_level level, const char *message, const char *fields_fmt, ...);

#define log_debug(...) log_write(LV_LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LV_LOG_INFO, __VA_ARGS__)
#define log_warning(...) log_write(LV_LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_write(LV_LOG_ERROR, __VA_ARGS__)

#endif
