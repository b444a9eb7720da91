/*
 * validate.h: the rules a declaration line must pass, applied to a whole submission at
 * once so duplicates and credits inside one submission are seen. Pure: the daemon loads
 * what it needs from the database beforehand (reference data, the provider's earlier
 * lines that this submission may touch, the keyed hashes of the client BSNs).
 *
 * Checks of one line on its own (the first rejection wins):
 *   parse defect -> D/C -> line_ref -> BSN 11-test -> dates (exist, ordered, one month, not
 *   after the day the submission arrived: 8007)
 *   -> prestatie known for the year (a code in no list: 0582; a code only on other years'
 *      lists: 9101 when one of them maps it to a group without C&A, else 9102 when one maps
 *      it to a group whose C&A starts after date_from, else 0581)
 *   -> group has C&A and is declarable over the whole period
 *   -> provider known, its whole period inside ONE designation for the group (8022), rate
 *      for the year -> quantity (0638 zero or negative, 0584 above the maximum) -> travel
 *      amount (0638 negative, 9112 on a travel prestatie, 0584 above the maximum on a
 *      debit) -> reference not taken (8021: an earlier line of this submission or an
 *      accepted stored line) -> a debit's price.
 * Then the lines together, so that the order of lines inside one submission does not
 * matter:
 *   1. every credit, in submission order: it names an accepted stored debit or a debit of
 *      this submission that passed the checks above, anywhere in it (8017), not credited
 *      yet (8084: by a stored credit, or by an earlier credit of this submission), and it
 *      repeats that debit's client, prestatie, dates, quantity and, on a time line, travel
 *      amount (9111). It takes exactly minus the debit's amount.
 *   2. every debit, in submission order: one that a credit of this submission reverses is
 *      accepted as it is; any other must not overlap (0587) the period of an accepted debit
 *      of the same client and prestatie that no credit reverses, stored or earlier in this
 *      submission.
 *   3. warnings on accepted lines: 0611 declared amount differs, 0586 late.
 * So a provider may send the credit of a stored line and its replacing debit in either
 * order, and a credit before the debit of this submission it reverses.
 *
 * Every rejected line carries a reason that names the value found and the rule broken;
 * a BSN is never shown, not even one that fails the 11-test.
 *
 * Cost: O((n + p) log(n + p)) for n lines and p prior lines: the questions about other
 * lines (is this reference taken, which debit does this credit name, does this period
 * overlap a live debit) are answered by the sorted index of line_index.h, built once per
 * call. Out of memory is an error, never a slower path.
 */
#ifndef LVHCMON_VALIDATE_H
#define LVHCMON_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codes.h"
#include "declaration.h"
#include "refdata.h"

#define VALIDATE_MAX_CODES 4
#define VALIDATE_REASON_MAX 256
#define CLIENT_HASH_HEX_LEN 64

/** A line of the same provider already stored, that this submission may refer to. */
typedef struct {
    char line_ref[DECL_REF_MAX + 1];
    char debit_credit; /* 'D' or 'C' */
    bool accepted;
    bool credited; /* an accepted credit line already reverses it */
    char client_hash[CLIENT_HASH_HEX_LEN + 1];
    char prestatie[DECL_PRESTATIE_MAX + 1];
    lv_date date_from;
    lv_date date_to;
    int64_t quantity;
    int64_t amount_cents; /* signed */
    int64_t travel_cents; /* the stored line's travel part (column travel_cents):
                             positive for a debit; on a travel prestatie the whole
                             amount. A credit of a time line must repeat it (9111) */
} prior_line;

typedef struct {
    const refdata *ref;
    const prior_line *prior; /* any order */
    size_t n_prior;
    const char (*client_hashes)[CLIENT_HASH_HEX_LEN + 1]; /* one per line; "" if no BSN.
                                     NULL (tests only): the clear BSN stands in, which
                                     links lines inside the submission but never a
                                     prior line */
    lv_date received_on;               /* date the submission arrived (for 0586 and for 8007,
                                          a period that ends later); LV_DATE_NONE skips both */
    int deadline_working_days;         /* DOMAIN: 17 */
    int64_t max_minutes_per_line;      /* 0584 above this; <= 0: no maximum */
    int64_t max_units_per_line;        /* 0584 for travel units; <= 0: no maximum */
    int64_t max_travel_cents_per_line; /* 0584 for travel_cents on a debit ([declarations]
                                          max_travel_cents_per_line); <= 0: no maximum */
} validate_ctx;

typedef struct {
    bool accepted;
    bool late;
    lv_code codes[VALIDATE_MAX_CODES]; /* rejection code first, then warnings */
    size_t n_codes;
    char field[32];       /* field that caused the rejection, "" if none */
    char target_group[8]; /* also set on a rejected line once its prestatie is known */
    int32_t rate_bp;
    int64_t tariff_cents;
    int64_t minutes;      /* time minutes, 0 for travel lines; signed like amount */
    int64_t quantity;     /* minutes or trips/km after the time-unit mapping, never
                             negative (also for credits): what to store as
                             prior_line.quantity; 0 when rejected */
    int64_t travel_cents; /* travel part of amount; signed like amount */
    int64_t amount_cents; /* signed: negative for a credit; 0 when rejected */
    long corrects_index;  /* index in this submission of the debit a credit
                             reverses, -1 when it is a prior line or none */
    /* One readable text per code, in the order of codes, each led by the code's id and
     * naming the value and the rule: "0587: CAKOR 2026-10-05..2026-10-05 overlaps ...".
     * "" when the line has no codes. Never holds a BSN. */
    char reason[VALIDATE_REASON_MAX];
} line_result;

/** A position in the lines validation looks at: line i of the submission is slot i, prior
 *  line k is slot n_lines + k. */
#define VALIDATE_NO_SLOT SIZE_MAX

/**
 * The questions validation asks about other lines, answered by an implementation chosen
 * by the caller: line_index.h's sorted index in production (validate_submission()), a
 * plain scan as the oracle in the tests. All take the state open() returned.
 *
 * Live debits are the accepted debits no credit reverses: at open(), every accepted
 * stored debit not credited; validation then adds each debit of the submission it accepts
 * and not reversed (add_live) and takes out each debit a credit reverses (reverse).
 */
typedef struct {
    /** @return the state for one call of validation, or NULL when out of memory. */
    void *(*open)(const validate_ctx *ctx, const decl_submission *sub);
    /** Releases the state. Accepts NULL. */
    void (*close)(void *state);
    /** @return true when an earlier line of the submission, or an accepted prior line,
     *  has the line_ref of line @a line (8021). */
    bool (*ref_taken)(const void *state, size_t line);
    /**
     * @return the slot a credit naming @a ref reverses: the first line of the submission
     *         with that reference when no accepted prior line has it, else the first
     *         accepted prior debit with it (in the caller's order); VALIDATE_NO_SLOT when
     *         neither. Whether that line is a debit that passed its checks is the caller's
     *         question.
     */
    size_t (*ref_holder)(const void *state, const char *ref);
    /** @return whether a credit already reversed @a slot (through reverse()). */
    bool (*reversed)(const void *state, size_t slot);
    /** Marks @a slot reversed and, when it was live, no longer live. */
    void (*reverse)(void *state, size_t slot);
    /** Makes debit line @a line live. */
    void (*add_live)(void *state, size_t line);
    /**
     * @return whether a live debit of the same client and prestatie overlaps the period of
     *         line @a line; then *witness is such a debit's slot, or VALIDATE_NO_SLOT when
     *         the answer does not say which one.
     */
    bool (*overlaps_live)(const void *state, size_t line, size_t *witness);
} validate_lookup;

/**
 * Validates and prices every line of @a sub with line_index.h's sorted index.
 * @param ctx      reference data, prior lines, client hashes and settings
 * @param sub      the parsed submission
 * @param results  out: one result per line of @a sub
 * @return true when every line got its result; false when out of memory (then @a results
 *         must not be used and nothing of the submission may be stored).
 */
bool validate_submission(const validate_ctx *ctx, const decl_submission *sub, line_result *results);

/**
 * validate_submission() with another answerer of the questions about other lines: the
 * seam through which the tests compare the index with a plain scan. Same results.
 */
bool validate_submission_with(const validate_lookup *lookup, const validate_ctx *ctx,
                              const decl_submission *sub, line_result *results);

/**
 * @return the text that links line @a line to other lines of the same client: its keyed
 *         hash, or (without hashes, tests only) the clear BSN; never NULL.
 */
const char *validate_client_key(const validate_ctx *ctx, const decl_submission *sub, size_t line);

/** @return true when @a bsn is 9 digits and passes the 11-test. */
bool bsn_valid(const char *bsn);

#endif
