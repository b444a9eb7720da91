/*
 * line_index.h: the sorted index behind validate_submission(). It answers, for one
 * submission and the provider's prior lines, the questions of validate_lookup (validate.h)
 * in O(log(n + p)) or O(1) each, after one O((n + p) log(n + p)) build:
 *   - line references of the submission and of the accepted prior lines, sorted: is a
 *     reference taken (8021), which line or stored debit a credit names (8017);
 *   - services: every debit that can ever be live is filed under (client, prestatie,
 *     calendar month). A line covers one calendar month (9104 is checked before), so two
 *     periods that overlap share that key. A key with two or more debits keeps a count per
 *     day of the month of the live debits covering it, so "does this period overlap a live
 *     debit" (0587) costs at most 31 steps however many lines share the key, and a debit
 *     joining or leaving the live set as many.
 * Sorting rather than hashing keeps the worst case O((n + p) log(n + p)) whatever the keys:
 * a hash table over references a provider chooses could be flooded with collisions.
 *
 * Ownership: line_index_new() returns an index the caller owns (line_index_free()). It
 * points into the validate_ctx and decl_submission it was built from, which must outlive
 * it unchanged.
 */
#ifndef LVHCMON_LINE_INDEX_H
#define LVHCMON_LINE_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "validate.h"

typedef struct line_index line_index;

/** The index as a validate_lookup, for validate_submission_with(). */
extern const validate_lookup line_index_lookup;

/**
 * Builds the index of @a sub and @a ctx's prior lines; at the start the live debits are
 * the accepted prior debits not credited.
 * @return a new index owned by the caller, or NULL when out of memory.
 */
line_index *line_index_new(const validate_ctx *ctx, const decl_submission *sub);

/** Releases @a ix. Accepts NULL. */
void line_index_free(line_index *ix);

/** @return true when an earlier line or an accepted prior line has line @a line's reference. */
bool line_index_ref_taken(const line_index *ix, size_t line);

/** The slot a credit naming @a ref reverses (validate_lookup.ref_holder). */
size_t line_index_ref_holder(const line_index *ix, const char *ref);

/** @return whether @a slot was reversed by line_index_reverse(). */
bool line_index_reversed(const line_index *ix, size_t slot);

/** Marks @a slot reversed; a live debit stops being live. */
void line_index_reverse(line_index *ix, size_t slot);

/** Makes debit line @a line live (no effect when it already is, or cannot be). */
void line_index_add_live(line_index *ix, size_t line);

/**
 * @return whether a live debit of line @a line's client and prestatie overlaps its period;
 *         *witness gets the live debit added last under that key when it is one of them,
 *         else VALIDATE_NO_SLOT.
 */
bool line_index_overlaps_live(const line_index *ix, size_t line, size_t *witness);

#endif
