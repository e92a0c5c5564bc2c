/* Diagnostics: user errors located in the source, printed as
 * FILE:LINE:COL: error: MESSAGE, then the source line and a caret under the fault. */
#ifndef TEC_DIAG_H
#define TEC_DIAG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* A source location: 1-based line and column (in bytes), and the length of the token
 * it points at (the caret line underlines len characters, at least one). line 0 = unknown. */
typedef struct Loc {
    int line, col, len;
} Loc;

typedef struct Diag {
    const char *path; /* file name as the user gave it */
    const char *src;  /* whole source text (may contain NUL bytes) */
    size_t srclen;
    int nerrors;
    int limit; /* stop reporting after this many errors (default 20) */
    FILE *out; /* default stderr */
} Diag;

void diag_init(Diag *d, const char *path, const char *src, size_t srclen);
/* Report one located error. Returns false (so `return diag_error(...)` reads naturally). */
bool diag_error(Diag *d, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A note attached to the previous error ("note: ..."), with its own source excerpt. */
void diag_note(Diag *d, Loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* True once the error limit is reached: callers stop checking further. */
bool diag_full(const Diag *d);

/* Internal errors are bugs of tec, not of the user's input. Prints and aborts. */
_Noreturn void diag_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define TEC_BUG(...) diag_bug(__FILE__, __LINE__, __VA_ARGS__)
#endif
