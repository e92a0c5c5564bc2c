/* libFuzzer target: task-list lines through driver/task_file.c (the input as one line, then as a
 * whole list), checking what a parsed task promises: a file name, a finite weight > 0, -D names
 * and values not empty and without '=' in the name, no name given twice. */
#include "driver/task_file.h"
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(const TaskLine *t) {
    if (!t->file || !*t->file || !(t->weight > 0) || !isfinite(t->weight)) abort();
    if (t->file_loc.line < 1) abort();
    for (int i = 0; i < t->ndefs; i++) {
        if (!*t->defs[i].name || !*t->defs[i].value || strchr(t->defs[i].name, '=')) abort();
        for (int j = 0; j < i; j++)
            if (!strcmp(t->defs[i].name, t->defs[j].name)) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static FILE *devnull;
    if (!devnull) devnull = fopen("/dev/null", "w");
    const char *src = (const char *)data;
    Arena *a = arena_new();
    Diag d;
    diag_init(&d, "fuzz.txt", src, size);
    d.out = devnull;
    TaskLine t;
    size_t line = size;
    const char *nl = memchr(src, '\n', size);
    if (nl) line = (size_t)(nl - src);
    int r = task_file_parse_line(&d, a, src, line, 1, &t);
    if (r == 1) check(&t);
    if ((r < 0) != (d.nerrors > 0)) abort(); /* an error is reported exactly when it fails */
    diag_init(&d, "fuzz.txt", src, size);
    d.out = devnull;
    TaskLine *all;
    int n = task_file_parse(&d, a, &all);
    for (int i = 0; i < n; i++) check(&all[i]);
    arena_free(a);
    return 0;
}
