/*
 * validate_oracle.h: the test oracle for validation: the questions of validate_lookup
 * (validate.h) answered by scanning every line and prior line, the obvious way, in
 * O(n + p) per question and O(n * (n + p)) for a submission. check_validate.c and
 * bench/validate_bench.c run every case through both this and line_index.h and require the
 * same results; the benchmark reports the index's speed as a ratio against it.
 * Never used outside tests and benchmarks.
 */
#ifndef LVHCMON_VALIDATE_ORACLE_H
#define LVHCMON_VALIDATE_ORACLE_H

#include "validate.h"

/** The scanning answerer, for validate_submission_with(). */
extern const validate_lookup validate_oracle_lookup;

/** validate_submission_with(&validate_oracle_lookup, ...). */
bool validate_submission_oracle(const validate_ctx *ctx, const decl_submission *sub,
                                line_result *results);

#endif
