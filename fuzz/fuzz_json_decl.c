/*
 * fuzz_json_decl.c: libFuzzer target for json_decl_parse(). Seeds: fuzz/corpus/json_decl/.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "json_decl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lv_error err = {0};
    decl_submission *sub = json_decl_parse((const char *)data, size, FUZZ_MAX_LINES, &err);
    if (sub) {
        fuzz_check_submission(sub);
        FUZZ_ASSERT(sub->source == DECL_SOURCE_JSON);
    } else {
        fuzz_check_error(&err);
    }
    decl_submission_free(sub);
    return 0;
}
