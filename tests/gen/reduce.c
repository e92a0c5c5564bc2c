/* The reducer of failing generated templates (reduce.h): line-based deletion to a fixed point. */
#include "tests/gen/reduce.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct Lines {
    char **l;
    int n;
} Lines;

static Lines split_lines(const char *src) {
    Lines ls = {calloc(strlen(src) + 2, sizeof(char *)), 0};
    for (const char *p = src; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        ls.l[ls.n++] = strndup(p, n);
        p += n;
    }
    return ls;
}

/* The text of the lines not marked in drop. */
static char *join(const Lines *ls, const bool *drop) {
    size_t n = 1;
    for (int i = 0; i < ls->n; i++) n += strlen(ls->l[i]);
    char *s = calloc(n, 1), *p = s;
    for (int i = 0; i < ls->n; i++)
        if (!drop || !drop[i]) p = stpcpy(p, ls->l[i]);
    return s;
}

static bool has_word(const char *line, const char *w, size_t wl) {
    for (const char *p = strstr(line, w); p; p = strstr(p + 1, w))
        if ((p == line || !(isalnum((unsigned char)p[-1]) || p[-1] == '_')) &&
            !(isalnum((unsigned char)p[wl]) || p[wl] == '_'))
            return true;
    return false;
}

/* Marks the lines to delete with line i: its block, or a knob and every line naming it. */
static void group(const Lines *ls, int i, bool *drop) {
    const char *s = ls->l[i] + strspn(ls->l[i], " ");
    drop[i] = true;
    if (!strncmp(s, "schedule ", 9)) {
        for (int j = i + 1; j < ls->n; j++) {
            drop[j] = true;
            if (!strcmp(ls->l[j] + strspn(ls->l[j], " "), "}\n")) break;
        }
    } else if (!strncmp(s, "knob ", 5)) {
        char name[64];
        size_t n = strcspn(s + 5, " =");
        if (n >= sizeof name) return;
        memcpy(name, s + 5, n), name[n] = 0;
        for (int j = i + 1; j < ls->n; j++)
            if (has_word(ls->l[j], name, n)) drop[j] = true;
    }
}

/* One pass over the lines, last to first; true when something was deleted. */
static bool pass(Lines *ls, StillFails fails, void *ctx) {
    bool any = false;
    for (int i = ls->n - 1; i >= 0; i--) {
        const char *s = ls->l[i] + strspn(ls->l[i], " ");
        if (!strncmp(s, "template", 8) || *s == '}' || *s == '#') continue;
        bool *drop = calloc((size_t)ls->n, sizeof *drop);
        group(ls, i, drop);
        char *t = join(ls, drop);
        if (fails(t, ctx)) {
            int k = 0;
            for (int j = 0; j < ls->n; j++) {
                if (drop[j])
                    free(ls->l[j]);
                else
                    ls->l[k++] = ls->l[j];
            }
            ls->n = k, any = true;
            i = i < k ? i : k;
        }
        free(t), free(drop);
    }
    return any;
}

char *reduce_template(const char *src, StillFails fails, void *ctx) {
    Lines ls = split_lines(src);
    for (int round = 0; round < 4 && pass(&ls, fails, ctx); round++) {
    }
    char *r = join(&ls, NULL);
    for (int i = 0; i < ls.n; i++) free(ls.l[i]);
    free(ls.l);
    return r;
}
