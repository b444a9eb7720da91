/*
 * json_shape.h: a streaming first pass over a JSON body that bounds what a JSON library
 * will build from it, before it builds anything.
 *
 * jansson parses a whole document into a tree, and a tree costs far more than its text: an
 * 8 MiB body of `{"lines":[{},{},...]}` is 2.8 million objects, some 600 MiB. Limits checked
 * on the tree (at most max_lines lines) come too late. This pass reads the text once,
 * allocating nothing, and refuses a body whose shape cannot be a submission within its
 * limits, so that what jansson builds afterwards stays proportional to what is accepted:
 *
 *   - the top level is an object (an array there: 9108, "the body is not a JSON object");
 *   - its fields are the known ones (another: 9108 naming it, as the decoder would);
 *   - the array field ("lines") is an array of at most max_items elements (more: 9207,
 *     with the count; something other than an array: 9108);
 *   - each element is an object (an array: 9108) whose members are known fields (another
 *     name: 9108 naming it, as the decoder would) holding single values, not objects or
 *     arrays (9108 naming the field); so are the other top-level values.
 *
 * With every name known, an element has at most as many members as there are fields,
 * unless one is given twice; the parser that follows must refuse duplicate names
 * (jansson's JSON_REJECT_DUPLICATES), which stops it at the first. So the tree it builds
 * has at most max_items elements of at most that many members: what a submission within
 * the limits has anyway.
 *
 * The rules are checked as the text is met, so even a body that breaks off (a syntax
 * error) has a prefix within them, which is all jansson would build before failing. The
 * pass reports nothing about syntax: text that is not JSON passes, and the parser that
 * follows reports it with its own line and column; so does a number the parser may refuse
 * (an exponent, or more than 18 digits): the pass stops there without objection. Scalars
 * of the wrong kind (a number where a string belongs) are the decoder's business too; they
 * cost no more than their text.
 */
#ifndef LVHCMON_JSON_SHAPE_H
#define LVHCMON_JSON_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/** The shape a body must have. */
typedef struct {
    const char *const *top_fields;  /* names allowed at the top level, NULL-terminated */
    const char *array_field;        /* the top-level field holding the elements: "lines" */
    size_t max_items;               /* most elements of that array; 0: no limit */
    const char *const *item_fields; /* names allowed in an element, NULL-terminated */
} json_shape;

/**
 * Checks the shape of @a data (see the file comment).
 * @param err receives why not: code, field path ("lines[3].minutes", "lines", "" for the
 *        body) and line_no (the element's index + 1, or max_items + 1 for 9207)
 * @return true when the body may go to the parser; false with @a err filled
 */
bool json_shape_check(const char *data, size_t len, const json_shape *shape, lv_error *err);

#endif
