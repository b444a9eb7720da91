/*
 * fuzz_aw319.c: libFuzzer target for aw319_parse(). Seeds: fuzz/corpus/aw319/.
 */
#include <stddef.h>
#include <stdint.h>

#include "aw319.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lv_error err = {0};
    decl_submission *sub = aw319_parse((const char *)data, size, FUZZ_MAX_LINES, &err);
    if (sub) {
        fuzz_check_submission(sub);
        FUZZ_ASSERT(sub->source == DECL_SOURCE_AW319);
        FUZZ_ASSERT(sub->period_from != LV_DATE_NONE && sub->period_from <= sub->period_to);
    } else {
        fuzz_check_error(&err);
    }
    decl_submission_free(sub);
    return 0;
}
