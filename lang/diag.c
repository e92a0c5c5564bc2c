/* Diagnostics: formats located errors with an excerpt of the source line and a caret. */
#include "lang/diag.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void diag_init(Diag *d, const char *path, const char *src, size_t srclen) {
    d->path = path;
    d->src = src;
    d->srclen = srclen;
    d->nerrors = 0;
    d->limit = 20;
    d->out = stderr;
}

bool diag_full(const Diag *d) {
    return d->nerrors >= d->limit;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0: its bytes may be echoed as they are.
 * Anything else (binary garbage, a lone 0x9b that some terminals take as an escape) is not. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    size_t len = s[0] < 0x80             ? 1
                 : (s[0] & 0xe0) == 0xc0 ? 2
                 : (s[0] & 0xf0) == 0xe0 ? 3
                 : (s[0] & 0xf8) == 0xf0 ? 4
                                         : 0;
    if (len == 0 || len > n || (len == 2 && s[0] < 0xc2)) return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80) return 0;
    return len;
}

/* Print the source line of loc with a caret (^~~~) under loc.col .. col+len-1.
 * Tabs are kept in the caret line so the caret lines up; other control bytes and bytes that
 * are not UTF-8 print as '?'. */
static void excerpt(Diag *d, Loc loc) {
    if (!d->src || loc.line <= 0) return;
    size_t i = 0;
    for (int l = 1; l < loc.line && i < d->srclen; i++)
        if (d->src[i] == '\n') l++;
    if (i > d->srclen) return;
    size_t end = i;
    while (end < d->srclen && d->src[end] != '\n') end++;
    size_t n = end - i;
    const size_t maxw = 200; /* keep huge lines readable */
    size_t start = 0;
    size_t col = loc.col > 0 ? (size_t)loc.col - 1 : 0;
    if (col > n) col = n;
    if (n > maxw && col > maxw / 2) start = col - maxw / 2;
    size_t stop = n - start > maxw ? start + maxw : n;
    fputs("  ", d->out);
    for (size_t k = start; k < stop; k++) {
        const unsigned char *p = (const unsigned char *)d->src + i + k;
        size_t u = *p >= 0x80 ? utf8_len(p, stop - k) : 0;
        if (u > 0) {
            fwrite(p, 1, u, d->out);
            k += u - 1;
        } else {
            fputc(*p == '\t' || (*p >= 32 && *p < 127) ? *p : '?', d->out);
        }
    }
    fputs("\n  ", d->out);
    for (size_t k = start; k < col; k++) fputc(d->src[i + k] == '\t' ? '\t' : ' ', d->out);
    fputc('^', d->out);
    int len = loc.len > 1 ? loc.len : 1;
    for (int k = 1; k < len && col + (size_t)k < stop; k++) fputc('~', d->out);
    fputc('\n', d->out);
}

static void report(Diag *d, Loc loc, const char *kind, const char *fmt, va_list ap) {
    if (loc.line > 0)
        fprintf(d->out, "%s:%d:%d: %s: ", d->path, loc.line, loc.col, kind);
    else
        fprintf(d->out, "%s: %s: ", d->path, kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    excerpt(d, loc);
}

bool diag_error(Diag *d, Loc loc, const char *fmt, ...) {
    if (d->nerrors++ >= d->limit) return false;
    va_list ap;
    va_start(ap, fmt);
    report(d, loc, "error", fmt, ap);
    va_end(ap);
    if (d->nerrors == d->limit) fprintf(d->out, "%s: too many errors, stopping\n", d->path);
    return false;
}

void diag_note(Diag *d, Loc loc, const char *fmt, ...) {
    if (d->nerrors > d->limit) return;
    va_list ap;
    va_start(ap, fmt);
    report(d, loc, "note", fmt, ap);
    va_end(ap);
}

void diag_bug(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "tec: internal error (a bug in tec, please report) at %s:%d: ", file, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}
