/*
 * grow.h: the one growth rule of the daemon's append-only byte buffers (COPY rows,
 * text[] literals, JSON text): double the capacity, from a first size, until @a need fits.
 */
#ifndef LVHCMON_GROW_H
#define LVHCMON_GROW_H

#include <stdbool.h>
#include <stddef.h>

/**
 * Makes the buffer *@a data (capacity *@a cap) hold at least @a need bytes.
 * @param first  capacity of the first allocation
 * @return false when out of memory (the buffer is then unchanged and still owned by the
 *         caller)
 */
bool grow_to(char **data, size_t *cap, size_t need, size_t first);

#endif
