/* A recursive-descent XML well-formedness checker for the --plot tests: takes a document's
 * text; gives its elements, or the first place it breaks XML's rules. */
#include "tests/logtools/xml_check.h"
#include "lang/xalloc.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct P {
    const char *s, *start;
    XmlDoc *d;
    char *err;
    size_t errlen;
    bool failed;
} P;

static bool fail(P *p, const char *why) {
    if (!p->failed) {
        int line = 1;
        for (const char *c = p->start; c < p->s; c++) line += *c == '\n';
        snprintf(p->err, p->errlen, "line %d: %s", line, why);
    }
    p->failed = true;
    return false;
}

static void skip_ws(P *p) {
    while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t' || *p->s == '\r') p->s++;
}

static bool name_char(char c, bool first) {
    return isalpha((unsigned char)c) || c == '_' || c == ':' ||
           (!first && (isdigit((unsigned char)c) || c == '-' || c == '.'));
}

static char *read_name(P *p) {
    const char *b = p->s;
    if (!name_char(*p->s, true)) return fail(p, "expected a name"), NULL;
    while (name_char(*p->s, false)) p->s++;
    char *n = xmalloc((size_t)(p->s - b) + 1);
    memcpy(n, b, (size_t)(p->s - b));
    n[p->s - b] = 0;
    return n;
}

/* Text up to stop (a quote, or '<'), entity references checked and replaced, appended to *out. */
static bool read_text(P *p, char stop, char **out) {
    size_t len = *out ? strlen(*out) : 0;
    while (*p->s && *p->s != stop) {
        char c = *p->s;
        if (c == '<') return fail(p, "'<' in an attribute value");
        if ((unsigned char)c < 0x20 && c != '\n' && c != '\t' && c != '\r')
            return fail(p, "a control character");
        if (c == '&') {
            static const char *const ent[][2] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}};
            size_t k = 0;
            for (; k < 5; k++)
                if (!strncmp(p->s, ent[k][0], strlen(ent[k][0]))) break;
            if (k < 5) {
                c = ent[k][1][0];
                p->s += strlen(ent[k][0]) - 1;
            } else if (p->s[1] == '#') {
                const char *e = p->s + 2;
                while (isxdigit((unsigned char)*e) || *e == 'x') e++;
                if (*e != ';' || e == p->s + 2) return fail(p, "a malformed character reference");
                c = '?';
                p->s = e;
            } else {
                return fail(p, "'&' that starts no entity reference");
            }
        }
        *out = xrealloc(*out, len + 2);
        (*out)[len++] = c;
        (*out)[len] = 0;
        p->s++;
    }
    if (!*out) *out = xstrdup("");
    return true;
}

static bool skip_comment(P *p) {
    const char *e = strstr(p->s + 4, "-->");
    if (!e) return fail(p, "an unclosed comment");
    p->s = e + 3;
    return true;
}

static bool element(P *p, int parent) {
    if (*p->s != '<') return fail(p, "expected '<'");
    p->s++;
    XmlDoc *d = p->d;
    if (d->n == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 64;
        d->el = xrealloc(d->el, (size_t)d->cap * sizeof *d->el);
    }
    int me = d->n++;
    XmlElem *e = &d->el[me];
    memset(e, 0, sizeof *e);
    e->parent = parent;
    if (!(e->name = read_name(p))) return false;
    for (;;) {
        const char *before = p->s;
        skip_ws(p);
        if (*p->s == '/' || *p->s == '>') break;
        if (p->s == before) return fail(p, "no space before an attribute");
        e = &d->el[me];
        if (e->nattrs == XML_MAX_ATTRS) return fail(p, "too many attributes");
        char *key = read_name(p);
        if (!key) return false;
        for (int i = 0; i < e->nattrs; i++)
            if (!strcmp(e->keys[i], key)) return free(key), fail(p, "a repeated attribute");
        e->keys[e->nattrs] = key;
        e->vals[e->nattrs] = NULL;
        int a = e->nattrs++; /* counted at once: xml_free frees it whatever happens next */
        skip_ws(p);
        if (*p->s++ != '=') return fail(p, "expected '=' after an attribute name");
        skip_ws(p);
        char q = *p->s++;
        if (q != '"' && q != '\'') return fail(p, "an unquoted attribute value");
        if (!read_text(p, q, &e->vals[a])) return false;
        if (*p->s++ != q) return fail(p, "an unterminated attribute value");
    }
    if (p->s[0] == '/') {
        if (p->s[1] != '>') return fail(p, "expected '/>'");
        p->s += 2;
        return true;
    }
    p->s++; /* '>' */
    for (;;) {
        if (!strncmp(p->s, "</", 2)) {
            p->s += 2;
            char *n = read_name(p);
            if (!n) return false;
            bool same = !strcmp(n, d->el[me].name);
            free(n);
            if (!same) return fail(p, "an end tag that does not match its start tag");
            skip_ws(p);
            if (*p->s++ != '>') return fail(p, "expected '>' ending an end tag");
            return true;
        }
        if (!strncmp(p->s, "<!--", 4)) {
            if (!skip_comment(p)) return false;
        } else if (*p->s == '<') {
            if (!element(p, me)) return false;
        } else if (!*p->s) {
            return fail(p, "an element left open at the end");
        } else {
            /* text runs to the next '<' */
            if (!read_text(p, '<', &d->el[me].text)) return false;
        }
    }
}

bool xml_parse(const char *text, XmlDoc *d, char *err, size_t errlen) {
    memset(d, 0, sizeof *d);
    P p = {.s = text, .start = text, .d = d, .err = err, .errlen = errlen};
    if (!strncmp(p.s, "<?xml", 5)) {
        const char *e = strstr(p.s, "?>");
        if (!e) return fail(&p, "an unclosed XML declaration");
        p.s = e + 2;
    }
    for (skip_ws(&p); !strncmp(p.s, "<!--", 4); skip_ws(&p))
        if (!skip_comment(&p)) return false;
    if (!element(&p, -1)) return false;
    for (skip_ws(&p); !strncmp(p.s, "<!--", 4); skip_ws(&p))
        if (!skip_comment(&p)) return false;
    if (*p.s) return fail(&p, "content after the root element");
    return true;
}

void xml_free(XmlDoc *d) {
    for (int i = 0; i < d->n; i++) {
        free(d->el[i].name);
        free(d->el[i].text);
        for (int k = 0; k < d->el[i].nattrs; k++) free(d->el[i].keys[k]), free(d->el[i].vals[k]);
    }
    free(d->el);
    memset(d, 0, sizeof *d);
}

const char *xml_attr(const XmlDoc *d, int i, const char *key) {
    for (int k = 0; k < d->el[i].nattrs; k++)
        if (!strcmp(d->el[i].keys[k], key)) return d->el[i].vals[k];
    return NULL;
}
