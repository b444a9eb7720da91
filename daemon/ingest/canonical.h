/*
 * canonical.h: the canonical form of a submission's content, with every clear BSN replaced
 * by its keyed hash. Its SHA-256 decides whether a resend of (provider, reference) is a
 * replay (same content) or a conflict (different content), and the stored form lets a 409
 * name the fields that differ. It holds no clear BSN, so it may be stored.
 */
#ifndef LVHCMON_CANONICAL_H
#define LVHCMON_CANONICAL_H

#include <jansson.h>

#include "declaration.h"
#include "privacy.h"

/**
 * The canonical text of a submission: one JSON object, compact, keys sorted, exactly the
 * bytes json_dumps(JSON_COMPACT | JSON_SORT_KEYS) writes for it (stored hashes depend on
 * those bytes, so they must never change).
 * @param client_hashes one hex hash per line ("" where the line had no usable BSN)
 * @return a new NUL-terminated string owned by the caller (free), or NULL when out of memory.
 */
char *canonical_submission_text_new(const decl_submission *sub,
                                    const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1]);

/**
 * Compares a stored canonical form with a new one.
 * @return a new JSON array (owned by the caller) of the paths that differ, such as
 *         "reference", "lines" (count) or "lines[2].minutes"; empty when equal.
 */
json_t *canonical_diff_new(const json_t *stored, const json_t *fresh);

#endif
