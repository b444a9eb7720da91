/*
 * fuzz_csv_decl.c: libFuzzer target for csv_decl_parse(). Seeds: fuzz/corpus/csv_decl/.
 */
#include <stddef.h>
#include <stdint.h>

#include "csv_decl.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lv_error err = {0};
    decl_batch *batch = csv_decl_parse((const char *)data, size, FUZZ_MAX_LINES, &err);
    if (batch) {
        FUZZ_ASSERT(batch->n_subs >= 1 && batch->n_subs <= batch->cap_subs);
        for (size_t i = 0; i < batch->n_subs; i++) {
            fuzz_check_submission(batch->subs[i]);
            FUZZ_ASSERT(batch->subs[i]->source == DECL_SOURCE_CSV);
            /* grouping: no two submissions share (provider_agb, reference) */
            for (size_t k = 0; k < i; k++)
                FUZZ_ASSERT(strcmp(batch->subs[i]->provider_agb, batch->subs[k]->provider_agb) ||
                            strcmp(batch->subs[i]->reference, batch->subs[k]->reference));
        }
    } else {
        fuzz_check_error(&err);
    }
    decl_batch_free(batch);
    return 0;
}
