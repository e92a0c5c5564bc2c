/* Task lists: splits each line into words, reads the words as the command line's -t, -D and
 * --weight, and reports a bad word at its column with the line and a caret (lang/diag.c). */
#include "driver/task_file.h"
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool task_file_is_list(const char *path) {
    size_t n = strlen(path);
    return (n > 4 && !strcmp(path + n - 4, ".txt")) || (n > 6 && !strcmp(path + n - 6, ".tasks"));
}

/* One whitespace-separated word of the line, and where it starts. */
typedef struct Word {
    const char *s;
    int len, col;
} Word;

static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static Loc word_loc(int lineno, const Word *w) {
    return (Loc){lineno, w->col, w->len > 0 ? w->len : 1};
}

/* A C-identifier-like parameter or template name: what -D and -t accept on the command line
 * is checked later by sema; here only that the word is not empty. */
static bool parse_define(Diag *d, Arena *a, int lineno, const Word *w, int skip, TaskLine *out) {
    const char *s = w->s + skip;
    int n = w->len - skip;
    const char *eq = memchr(s, '=', (size_t)n);
    Word at = {s, n, w->col + skip};
    if (n == 0) return diag_error(d, word_loc(lineno, w), "-D expects NAME=VALUE");
    if (!eq || eq == s || eq == s + n - 1)
        return diag_error(d, word_loc(lineno, &at), "-D expects NAME=VALUE, got '%.*s'", n, s);
    const char *name = arena_strndup(a, s, (size_t)(eq - s));
    for (int i = 0; i < out->ndefs; i++)
        if (!strcmp(out->defs[i].name, name))
            return diag_error(d, word_loc(lineno, &at), "-D %s is given twice", name);
    out->defs[out->ndefs++] = (Define){name, arena_strndup(a, eq + 1, (size_t)(s + n - eq - 1))};
    return true;
}

static bool parse_weight(Diag *d, Arena *a, int lineno, const Word *w, TaskLine *out) {
    const char *s = arena_strndup(a, w->s, (size_t)w->len);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || !(v > 0) || v > 1e12)
        return diag_error(d, word_loc(lineno, w),
                          "--weight expects a number > 0 (times the model runs the task), got "
                          "'%s'",
                          s);
    out->weight = v;
    return true;
}

int task_file_parse_line(Diag *d, Arena *a, const char *line, size_t len, int lineno,
                         TaskLine *out) {
    /* Words, up to a '#' that starts one. */
    int cap = 8, n = 0;
    Word *w = arena_alloc(a, sizeof *w * (size_t)cap);
    for (size_t i = 0; i < len;) {
        if (is_space(line[i])) {
            i++;
            continue;
        }
        if (line[i] == '#') break;
        size_t b = i;
        while (i < len && !is_space(line[i])) i++;
        if (n == cap) {
            w = arena_grow(a, w, (size_t)cap, (size_t)cap * 2, sizeof *w);
            cap *= 2;
        }
        w[n++] = (Word){line + b, (int)(i - b), (int)(b + 1)};
    }
    if (n == 0) return 0;
    *out = (TaskLine){.weight = 1, .defs = arena_alloc(a, sizeof(Define) * (size_t)n)};
    int errors = d->nerrors;
    bool weight_given = false;
    for (int k = 0; k < n && !diag_full(d); k++) {
        const Word *x = &w[k];
        bool has_next = k + 1 < n;
        if (memchr(x->s, 0, (size_t)x->len) ||
            (has_next && memchr(w[k + 1].s, 0, (size_t)w[k + 1].len))) {
            const Word *bad = memchr(x->s, 0, (size_t)x->len) ? x : &w[k + 1];
            diag_error(d, word_loc(lineno, bad), "a NUL byte: this is not a task list (not text)");
            k += bad != x;
            continue;
        }
        if (x->len == 2 && !memcmp(x->s, "-D", 2)) {
            if (!has_next) {
                diag_error(d, word_loc(lineno, x), "-D needs NAME=VALUE after it");
                continue;
            }
            parse_define(d, a, lineno, &w[++k], 0, out);
        } else if (x->len > 2 && !memcmp(x->s, "-D", 2)) {
            parse_define(d, a, lineno, x, 2, out);
        } else if (x->len == 2 && !memcmp(x->s, "-t", 2)) {
            if (!has_next) {
                diag_error(d, word_loc(lineno, x), "-t needs a template name after it");
                continue;
            }
            if (out->tname) diag_error(d, word_loc(lineno, x), "-t is given twice");
            k++;
            out->tname = arena_strndup(a, w[k].s, (size_t)w[k].len);
        } else if (x->len == 8 && !memcmp(x->s, "--weight", 8)) {
            if (!has_next) {
                diag_error(d, word_loc(lineno, x), "--weight needs a number after it");
                continue;
            }
            if (weight_given) diag_error(d, word_loc(lineno, x), "--weight is given twice");
            weight_given = true;
            parse_weight(d, a, lineno, &w[++k], out);
        } else if (x->s[0] == '-') {
            diag_error(d, word_loc(lineno, x),
                       "unknown option '%.*s' in a task (a task takes -t NAME, -D NAME=VALUE "
                       "and --weight W)",
                       x->len, x->s);
        } else if (out->file) {
            diag_error(d, word_loc(lineno, x),
                       "a second template file '%.*s' on one line (one task per line)", x->len,
                       x->s);
        } else {
            out->file = arena_strndup(a, x->s, (size_t)x->len);
            out->file_loc = word_loc(lineno, x);
        }
    }
    if (d->nerrors == errors && !out->file)
        diag_error(d, word_loc(lineno, &w[0]), "the task names no template file (FILE.te first)");
    return d->nerrors == errors ? 1 : -1;
}

int task_file_parse(Diag *d, Arena *a, TaskLine **out) {
    int cap = 16, n = 0, lineno = 0;
    TaskLine *tasks = arena_alloc(a, sizeof *tasks * (size_t)cap);
    bool bad = false;
    for (size_t i = 0; i < d->srclen && !diag_full(d);) {
        const char *nl = memchr(d->src + i, '\n', d->srclen - i);
        size_t end = nl ? (size_t)(nl - d->src) : d->srclen;
        lineno++;
        TaskLine t;
        int r = task_file_parse_line(d, a, d->src + i, end - i, lineno, &t);
        if (r < 0) bad = true;
        if (r > 0) {
            if (n == cap) {
                tasks = arena_grow(a, tasks, (size_t)cap, (size_t)cap * 2, sizeof *tasks);
                cap *= 2;
            }
            tasks[n++] = t;
        }
        i = end + 1;
    }
    if (bad || d->nerrors) return -1;
    if (n == 0) {
        fprintf(d->out, "%s: error: the task list holds no task (one FILE.te per line)\n", d->path);
        d->nerrors++;
        return -1;
    }
    *out = tasks;
    return n;
}

const char *task_file_resolve(Arena *a, const char *list_path, const char *file) {
    const char *slash = strrchr(list_path, '/');
    if (file[0] == '/' || !slash) return file;
    return arena_printf(a, "%.*s/%s", (int)(slash - list_path + 1), list_path, file);
}
