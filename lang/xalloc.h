/* Checked allocation for every layer: the malloc family that never returns NULL. Running out of
 * memory prints "tec: out of memory" and exits with status 1. */
#ifndef TEC_XALLOC_H
#define TEC_XALLOC_H
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s); /* s may be NULL: then "" */
#endif
