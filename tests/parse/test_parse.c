/* Parser test driver.
 *   test_parse FILE          parse FILE, print the AST dump (stdout) or the errors (stderr);
 *                            exit 0 if it parsed, 1 if it had errors
 *   test_parse --locs FILE   print every node's and name's location instead of the dump
 *   test_parse --stress      generated inputs: deep nesting, huge files, mutations */
#include "lang/ast.h"
#include "tests/lib/testlib.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* --locs: every location the parser records, in tree order. */
static void loc_line(const char *what, const char *name, Loc l, int indent) {
    printf("%*s%s %s @%d:%d+%d\n", indent, "", what, name ? name : "", l.line, l.col, l.len);
}

static const char *kind_name(NodeKind k) {
    static const char *names[] = {"int",   "float",  "name",  "index", "call",  "kwarg",
                                  "unary", "binary", "tuple", "list",  "lambda"};
    return names[k];
}

static void locs_node(const Node *n, int indent) {
    char text[32] = "";
    if (n->kind == AST_INT) snprintf(text, sizeof text, "%lld", (long long)n->ival);
    loc_line(kind_name(n->kind),
             n->name                                         ? n->name
             : n->kind == AST_UNARY || n->kind == AST_BINARY ? op_name(n->op)
                                                             : text,
             n->loc, indent);
    for (int i = 0; i < n->nargs; i++) locs_node(n->args[i], indent + 2);
    if (n->lhs) locs_node(n->lhs, indent + 2);
    if (n->rhs) locs_node(n->rhs, indent + 2);
}

static void locs_stmt(const Stmt *s, int indent) {
    static const char *kinds[] = {"assign",   "schedule", "knob",       "split",
                                  "fuse",     "reorder",  "vectorize",  "unroll",
                                  "parallel", "annotate", "compute_at", "compute_inline"};
    loc_line(kinds[s->kind], NULL, s->loc, indent);
    if (s->name.name) loc_line("  id", s->name.name, s->name.loc, indent);
    for (int i = 0; i < s->nids; i++) loc_line("  id", s->ids[i].name, s->ids[i].loc, indent);
    if (s->at_axis.name) loc_line("  id", s->at_axis.name, s->at_axis.loc, indent);
    if (s->value) locs_node(s->value, indent + 2);
    for (int i = 0; i < s->nbody; i++) locs_stmt(s->body[i], indent + 2);
}

static void dump_locs(const Program *p) {
    for (int t = 0; t < p->ntemplates; t++) {
        const Template *tp = p->templates[t];
        loc_line("template", NULL, tp->loc, 0);
        loc_line("  id", tp->name.name, tp->name.loc, 0);
        for (int i = 0; i < tp->nparams; i++) {
            loc_line("  param", tp->params[i].name.name, tp->params[i].name.loc, 0);
            if (tp->params[i].def) locs_node(tp->params[i].def, 4);
        }
        for (int i = 0; i < tp->nbody; i++) locs_stmt(tp->body[i], 2);
    }
}

/* ---- --stress ---- */

typedef struct Result {
    Program *prog;
    int nerrors;
    char *msgs; /* everything the diagnostics printed */
} Result;

static Arena *arena;

static Result parse_text(const char *src, size_t len) {
    Result r = {0};
    size_t msglen;
    FILE *out = open_memstream(&r.msgs, &msglen);
    Diag d;
    diag_init(&d, "t.te", src, len);
    d.out = out;
    r.prog = parse_program(arena, &d, src, len);
    fclose(out);
    r.nerrors = d.nerrors;
    return r;
}

static void check(bool ok, const char *name, const char *fmt, ...) {
    if (ok) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL %s: ", name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    test_fail();
}

/* Source = prefix + body repeated n times + suffix. */
static char *repeat(const char *prefix, const char *body, int n, const char *suffix, size_t *len) {
    size_t pl = strlen(prefix), bl = strlen(body), sl = strlen(suffix);
    *len = pl + bl * (size_t)n + sl;
    char *s = malloc(*len + 1);
    memcpy(s, prefix, pl);
    for (int i = 0; i < n; i++) memcpy(s + pl + bl * (size_t)i, body, bl);
    memcpy(s + pl + bl * (size_t)n, suffix, sl + 1);
    return s;
}

/* Parsing `text` fails with exactly one error whose message contains `want`. */
static void expect_one_error(const char *name, const char *text, size_t len, const char *want) {
    Result r = parse_text(text, len);
    check(!r.prog, name, "parsed, expected an error");
    check(r.nerrors == 1, name, "%d errors, expected 1:\n%s", r.nerrors, r.msgs);
    check(strstr(r.msgs, want) != NULL, name, "message lacks '%s':\n%s", want, r.msgs);
    free(r.msgs);
}

static void expect_ok(const char *name, const char *text, size_t len) {
    Result r = parse_text(text, len);
    check(r.prog && r.nerrors == 0, name, "did not parse:\n%.2000s", r.msgs);
    free(r.msgs);
}

static void deep(const char *name, const char *body, int n, const char *close, bool ok) {
    size_t len;
    char *close_all = repeat("", close, n, "\n}\n", &len);
    char *pre = repeat("template t() {\n x = ", body, n, "1", &len);
    size_t l2 = strlen(pre) + strlen(close_all);
    char *src = malloc(l2 + 1);
    strcpy(src, pre);
    strcat(src, close_all);
    if (ok)
        expect_ok(name, src, l2);
    else
        expect_one_error(name, src, l2, "nested too deeply");
    free(pre);
    free(close_all);
    free(src);
}

static const char example[] =
    "template matmul(N, L, M, dtype = float32) {\n"
    "    A = placeholder((N, L), dtype)\n"
    "    B = placeholder((L, M), dtype)\n"
    "    k = reduce_axis(0, L)\n"
    "    C = compute((N, M), (i, j) => sum(A[i, k] * B[k, j], k))\n"
    "    schedule C {\n"
    "        knob tile_y = split(i, 2, policy = power2, max_factor = 64)\n"
    "        knob t = [1, 2.5e-3, -4]\n"
    "        split i -> yo, yi by tile_y\n"
    "        split j -> xo, xi nparts 4; fuse yo, xo -> f\n"
    "        reorder f, k, yi, xi\n"
    "        vectorize xi; unroll yi; parallel f; annotate a\n"
    "        compute_at D.x; compute_inline\n"
    "        CC = cache_write()\n"
    "    }\n"
    "}\n";

/* Every error message starts FILE:LINE:COL: error: with a real line and column. */
static bool located(const char *msgs) {
    for (const char *m = msgs; m && *m; m = strchr(m, '\n'), m = m ? m + 1 : m) {
        if (strncmp(m, "t.te:", 5) != 0) continue; /* excerpt lines */
        int line, col, n = 0;
        if (strstr(m, "too many errors") == m + 5 + 1) continue;
        if (sscanf(m, "t.te:%d:%d: %n", &line, &col, &n) != 2 || n == 0 || line < 1 || col < 1)
            return false;
    }
    return true;
}

/* Whatever the text, parsing gives a program exactly when it reports no error, and every
 * error it reports is located. */
static void check_recovery(const char *buf, size_t len, const char *what, int round) {
    Result res = parse_text(buf, len);
    char name[48];
    snprintf(name, sizeof name, "%s %d", what, round);
    check((res.prog != NULL) == (res.nerrors == 0), name, "result and errors disagree");
    if (res.nerrors) check(located(res.msgs), name, "unlocated message:\n%s", res.msgs);
    free(res.msgs);
}

/* Random edits of a valid program: never a crash, and a result iff no error. */
static void mutations(int rounds) {
    static const char *pieces[] = {
        "(", ")",     "[", "]",    "{",     "}",        ",", "=>", "->",
        "=", "\n",    ";", "knob", "split", "template", "#", "\0", "9999999999999999999999",
        "x", "1e999", "&", ".",    "by",    "nparts",   " "};
    unsigned seed = 12345;
    size_t n = sizeof example - 1;
    char *buf = malloc(n + 64);
    for (int r = 0; r < rounds; r++) {
        memcpy(buf, example, n);
        size_t len = n;
        int edits = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 3;
        for (int e = 0; e < edits; e++) {
            seed = seed * 1103515245u + 12345u;
            size_t at = (seed >> 8) % (len + 1);
            seed = seed * 1103515245u + 12345u;
            int op = (int)(seed >> 16) % 3;
            if (op == 0 && len > 0 && at < len) { /* delete a byte */
                memmove(buf + at, buf + at + 1, len - at - 1);
                len--;
            } else if (op == 1) { /* insert a piece */
                seed = seed * 1103515245u + 12345u;
                const char *pc = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
                size_t pl = *pc ? strlen(pc) : 1;
                if (len + pl > n + 60) continue;
                memmove(buf + at + pl, buf + at, len - at);
                memcpy(buf + at, pc, pl);
                len += pl;
            } else { /* truncate */
                len = at;
            }
        }
        check_recovery(buf, len, "mutation", r);
    }
    free(buf);
}

/* Random token soup, mostly inside a template: exercises every recovery path. */
static void token_soup(int rounds) {
    static const char *toks[] = {
        "template",  "schedule", "knob",     "split",    "fuse",       "reorder",
        "vectorize", "unroll",   "parallel", "annotate", "compute_at", "compute_inline",
        "by",        "nparts",   "x",        "A",        "1",          "2.5",
        "(",         ")",        "[",        "]",        "{",          "}",
        ",",         ".",        "=",        "+",        "-",          "*",
        "/",         "%",        "<",        ">",        "!",          "->",
        "=>",        "==",       "!=",       "<=",       ">=",         "&&",
        "||",        "\n",       ";",        "$",        "#c\n",       "\n"};
    unsigned seed = 777;
    char buf[1024];
    for (int r = 0; r < rounds; r++) {
        size_t len = (size_t)snprintf(buf, sizeof buf, "template t(N) {\n schedule C {\n");
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 40;
        for (int i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *t = toks[(seed >> 16) % (sizeof toks / sizeof *toks)];
            len += (size_t)snprintf(buf + len, sizeof buf - len, "%s ", t);
        }
        if (r % 2) len += (size_t)snprintf(buf + len, sizeof buf - len, "\n}\n}\n");
        check_recovery(buf, len, "token soup", r);
    }
}

static int stress(void) {
    size_t len;
    char *s;

    /* Nesting: brackets, unary operators, operator chains, lambdas, lists. */
    deep("200 parens are fine", "(", 200, ")", true);
    deep("201 parens", "(", 201, ")", false);
    deep("100000 parens", "(", 100000, ")", false);
    deep("100000 brackets", "[", 100000, "]", false);
    deep("100000 minus", "-", 100000, "", false);
    deep("100000 not", "!", 100000, "", false);
    deep("199 minus is fine", "-", 199, "", true);
    deep("200 minus is too deep", "-", 200, "", false);
    deep("150 parens are fine", "(", 150, ")", true);
    deep("100000 calls", "f(", 100000, ")", false);
    deep("100000 lambdas", "i => ", 100000, "", false);
    s = repeat("template t() {\n x = 1", " + 1", 100000, "\n}\n", &len);
    expect_one_error("long + chain", s, len, "nested too deeply");
    free(s);
    s = repeat("template t() {\n x = (", "(", 100000, "\n y = 1\n}\n", &len);
    expect_one_error("unclosed parens", s, len, "nested too deeply");
    free(s);

    /* Size: many templates, long statements, long lines. */
    s = repeat("", "template t(N = 4) { A = placeholder((N,), float32) }\n", 20000, "", &len);
    Result r = parse_text(s, len);
    check(r.prog && r.prog->ntemplates == 20000, "20000 templates", "got %d",
          r.prog ? r.prog->ntemplates : -1);
    free(r.msgs);
    free(s);
    s = repeat("template t() {\n k = [0", ", 1", 200000, "]\n}\n", &len);
    expect_ok("200000-element list", s, len);
    free(s);
    s = repeat("template t() {\n", " x = 1\n", 200000, "}\n", &len);
    expect_ok("200000 statements", s, len);
    free(s);
    s = repeat("template t() {\n x = f(a", ", a", 100000, ")\n}\n", &len);
    expect_ok("100000 call arguments", s, len);
    free(s);

    /* Edges. */
    expect_ok("empty", "", 0);
    r = parse_text("", 0);
    check(r.prog && r.prog->ntemplates == 0, "empty", "expected 0 templates");
    free(r.msgs);
    expect_ok("only comments", "# a\n\n;;\n# b", 12);
    expect_ok("no final newline", "template t() { x = 1 }", 22);
    expect_one_error("only a NUL byte", "\0", 1, "unexpected character '\\x00'");
    s = repeat("template t() {\n", " x = = 1\n", 100, "}\n", &len);
    r = parse_text(s, len);
    check(!r.prog && r.nerrors > 20 && strstr(r.msgs, "too many errors"), "error limit",
          "%d errors", r.nerrors);
    free(r.msgs);
    free(s);

    mutations(3000);
    token_soup(3000);
    if (!test_failures) printf("stress: all passed\n");
    return test_failures ? 1 : 0;
}

int main(int argc, char **argv) {
    arena = arena_new();
    if (argc == 2 && strcmp(argv[1], "--stress") == 0) {
        int rc = stress();
        arena_free(arena);
        return rc;
    }
    bool locs = argc == 3 && strcmp(argv[1], "--locs") == 0;
    if (argc != 2 && !locs) {
        fprintf(stderr, "usage: test_parse [--locs] FILE | --stress\n");
        return 2;
    }
    const char *path = argv[argc - 1];
    size_t len;
    char *src = test_slurp(path, &len);
    if (!src) {
        fprintf(stderr, "test_parse: cannot read %s\n", path);
        return 2;
    }
    Diag d;
    diag_init(&d, path, src, len);
    Program *p = parse_program(arena, &d, src, len);
    if (p && locs)
        dump_locs(p);
    else if (p)
        ast_dump(stdout, p);
    free(src);
    arena_free(arena);
    return p ? 0 : 1;
}
