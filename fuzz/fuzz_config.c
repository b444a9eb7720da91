/*
 * fuzz_config.c: libFuzzer target for config_parse_new() (lib/config_parse.c). Seeds:
 * fuzz/corpus/config/. Whatever the text, the parser either returns a configuration whose
 * values keep their documented limits, or an error message that names its line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_parse.h"

#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            __builtin_trap();                                                                      \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    lv_error err;
    memset(&err, 0x55, sizeof err);
    lv_config *cfg = config_parse_new(text, &err);
    if (cfg != NULL) {
        FUZZ_ASSERT(cfg->threads >= 1 && cfg->threads <= 256);
        FUZZ_ASSERT(cfg->max_body_bytes >= 1024 && cfg->max_body_bytes <= (1u << 30));
        FUZZ_ASSERT(cfg->thresholds.n >= 1 && cfg->thresholds.n <= CONFIG_MAX_THRESHOLDS);
        for (size_t i = 0; i < cfg->thresholds.n; i++) {
            FUZZ_ASSERT(cfg->thresholds.bp[i] > 0 && cfg->thresholds.bp[i] <= 20000);
            FUZZ_ASSERT(i == 0 || cfg->thresholds.bp[i] > cfg->thresholds.bp[i - 1]);
        }
        FUZZ_ASSERT(memchr(cfg->listen.host, '\0', sizeof cfg->listen.host) != NULL);
        FUZZ_ASSERT(cfg->client_hash_key == NULL || strlen(cfg->client_hash_key) >= 32);
        FUZZ_ASSERT(cfg->client_hash_key == NULL || cfg->client_hash_key_file == NULL);
        lv_config *defaults = config_new();
        const char *names[32];
        config_restart_changes(defaults, cfg, names, 32);
        FUZZ_ASSERT(config_keep_restart_values(cfg, defaults));
        FUZZ_ASSERT(config_restart_changes(defaults, cfg, names, 32) == 0);
        config_free(defaults);
    } else {
        FUZZ_ASSERT(memchr(err.message, '\0', sizeof err.message) != NULL);
        FUZZ_ASSERT(memchr(err.field, '\0', sizeof err.field) != NULL);
        FUZZ_ASSERT(err.message[0] != '\0' && err.line_no >= 0);
        if (err.line_no > 0) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "line %d: ", err.line_no);
            FUZZ_ASSERT(strncmp(err.message, prefix, strlen(prefix)) == 0);
        }
    }
    config_free(cfg);
    free(text);
    return 0;
}
