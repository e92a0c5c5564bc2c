/* Checked allocation: the malloc family, exiting with "tec: out of memory" instead of returning
 * NULL (a zero-byte request gets one byte, so NULL is never an answer). */
#include "lang/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Noreturn void out_of_memory(void) {
    fputs("tec: out of memory\n", stderr);
    exit(1);
}

void *xmalloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size) {
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) out_of_memory();
    return q;
}

char *xstrdup(const char *s) {
    char *r = strdup(s ? s : "");
    if (!r) out_of_memory();
    return r;
}
