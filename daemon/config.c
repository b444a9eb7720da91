/*
 * config.c: reads the configuration file and what it points to (see config.h).
 *
 * Paths in the file (sql_dir, web_dir, client_hash_key_file) are relative to the folder of
 * the configuration file, not to the working directory, so that one file works whether the
 * daemon is started by systemd, by scripts/run.sh or by hand from another folder.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_dir.h"
#include "tls_files.h"
#include "util/file_read.h"

/* The largest configuration and key files we accept: far beyond any real one. */
#define CONFIG_FILE_MAX (1024 * 1024)
#define KEY_FILE_MAX 4096

/* Reads a whole small text file into a new NUL-terminated buffer. */
static char *read_small_file(const char *path, size_t max, lv_error *err)
{
    size_t len;
    char *buf = file_read_all(path, max, &len, err);
    if (buf == NULL) {
        lv_error_prefix(err, "cannot read '%s'", path);
        return NULL;
    }
    if (strlen(buf) != len) {
        lv_error_set(err, LV_CONFIG_INVALID, 0, NULL, "'%s' contains a NUL byte", path);
        free(buf);
        return NULL;
    }
    return buf;
}

/* @return a new string: @p itself when absolute, else @base_dir/@p. */
static char *resolve(const char *base_dir, const char *p)
{
    if (p[0] == '/' || base_dir[0] == '\0')
        return strdup(p);
    size_t len = strlen(base_dir) + 1 + strlen(p) + 1;
    char *out = malloc(len);
    if (out != NULL)
        snprintf(out, len, "%s/%s", base_dir, p);
    return out;
}

/* Replaces *@slot by its resolution against @base_dir; when unset, by the shipped folder
 * @default_name (data_dir.h), or leaves it unset when @default_name is NULL. */
static bool resolve_slot(char **slot, const char *base_dir, const char *default_name)
{
    if (*slot == NULL && default_name == NULL)
        return true;
    char *resolved = *slot != NULL ? resolve(base_dir, *slot) : data_dir_dup(default_name);
    if (resolved == NULL)
        return false;
    free(*slot);
    *slot = resolved;
    return true;
}

/* Reads the key from cfg->client_hash_key_file into cfg->client_hash_key. */
static bool load_key_file(lv_config *cfg, lv_error *err)
{
    char *key = read_small_file(cfg->client_hash_key_file, KEY_FILE_MAX, err);
    if (key == NULL) {
        lv_error_prefix(err, "[privacy] client_hash_key_file");
        if (err != NULL)
            snprintf(err->field, sizeof err->field, "[privacy] client_hash_key_file");
        return false;
    }
    /* Files usually end with a newline; the key is the text without trailing blanks. */
    size_t len = strlen(key);
    while (len > 0 && (key[len - 1] == '\n' || key[len - 1] == '\r' || key[len - 1] == ' ' ||
                       key[len - 1] == '\t'))
        key[--len] = '\0';
    cfg->client_hash_key = key;
    return true;
}

static lv_config *out_of_memory(lv_config *cfg, lv_error *err)
{
    lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
    config_free(cfg);
    return NULL;
}

/* Replaces *@slot by the environment variable @name when that is set and not empty. */
static bool env_override(char **slot, const char *name)
{
    const char *value = getenv(name);
    if (value == NULL || value[0] == '\0')
        return true;
    char *copy = strdup(value);
    if (copy == NULL)
        return false;
    if (*slot != NULL) /* may hold a password */
        explicit_bzero(*slot, strlen(*slot));
    free(*slot);
    *slot = copy;
    return true;
}

lv_config *config_load(const char *path, bool for_daemon, lv_error *err)
{
    char *text = read_small_file(path, CONFIG_FILE_MAX, err);
    if (text == NULL)
        return NULL;
    lv_config *cfg = config_parse_new(text, err);
    explicit_bzero(text, strlen(text)); /* the file may hold the key inline */
    free(text);
    if (cfg == NULL) {
        lv_error_prefix(err, "%s", path);
        return NULL;
    }

    char *base_dir = strdup(path);
    if (base_dir == NULL)
        return out_of_memory(cfg, err);
    char *slash = strrchr(base_dir, '/');
    if (slash == NULL)
        base_dir[0] = '\0';
    else if (slash == base_dir)
        slash[1] = '\0';
    else
        *slash = '\0';

    bool ok = resolve_slot(&cfg->sql_dir, base_dir, "sql") &&
              resolve_slot(&cfg->web_dir, base_dir, "web") &&
              resolve_slot(&cfg->client_hash_key_file, base_dir, NULL) &&
              resolve_slot(&cfg->tls_cert_file, base_dir, NULL) &&
              resolve_slot(&cfg->tls_key_file, base_dir, NULL);
    free(base_dir);
    if (!ok)
        return out_of_memory(cfg, err);

    if (cfg->client_hash_key_file != NULL && !load_key_file(cfg, err)) {
        lv_error_prefix(err, "%s", path);
        config_free(cfg);
        return NULL;
    }

    if (!env_override(&cfg->conninfo, "LVHCMON_DB") ||
        !env_override(&cfg->migrate_conninfo, "LVHCMON_MIGRATE_DB"))
        return out_of_memory(cfg, err);

    if (for_daemon && (!config_check_complete(cfg, err) || !tls_files_load(cfg, err))) {
        lv_error_prefix(err, "%s", path);
        config_free(cfg);
        return NULL;
    }
    return cfg;
}
