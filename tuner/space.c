/* The config space of an instance: builds every knob's space, maps a config index to one
 * entity per knob by mixed radix (first-declared knob fastest) and back, and prints the space,
 * a config and a knob value the way AutoTVM does. */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "tuner/space_knob.h"

struct Space {
    const Inst *in;
    int nknobs;
    KnobSpace *knobs;
    int64_t len;
};

/* A list knob (define_knob): its candidates in order, one value each. */
static bool list_init(KnobSpace *ks) {
    ks->nvals = 1;
    ks->len = ks->knob->nvals;
    return true;
}

Space *space_new(Arena *a, Diag *d, const Inst *in) {
    Space *s = ARENA_NEW(a, Space);
    s->in = in;
    s->nknobs = in->nknobs;
    s->knobs = ARENA_ARRAY(a, KnobSpace, in->nknobs > 0 ? in->nknobs : 1);
    s->len = 1;
    bool ok = true;
    for (int i = 0; i < in->nknobs; i++) {
        KnobSpace *ks = &s->knobs[i];
        const Knob *k = ks->knob = &in->knobs[i];
        bool kok = false;
        switch (k->kind) {
        case KNOB_LIST:
            kok = list_init(ks);
            break;
        case KNOB_SPLIT:
            kok = space_split_init(a, d, ks);
            break;
        case KNOB_REORDER:
            kok = space_reorder_init(d, ks);
            break;
        case KNOB_ANNOTATE:
            kok = space_annotate_init(d, ks);
            break;
        }
        if (kok && ks->len == 0)
            kok = diag_error(d, k->loc, "knob '%s' has no candidates", k->name);
        if (!kok) {
            ok = false;
            continue;
        }
        if (ok && __builtin_mul_overflow(s->len, ks->len, &s->len)) {
            diag_error(d, k->loc,
                       "config space too large: knob '%s' (len=%" PRId64 ") takes it past %" PRId64
                       " configs",
                       k->name, ks->len, INT64_MAX);
            ok = false;
        }
    }
    return ok ? s : NULL;
}

const Inst *space_inst(const Space *s) {
    return s->in;
}

int64_t space_len(const Space *s) {
    return s->len;
}

int64_t space_knob_len(const Space *s, int knob) {
    return s->knobs[knob].len;
}

int space_nknobs(const Space *s) {
    return s->nknobs;
}

const Knob *space_knob(const Space *s, int knob) {
    return s->knobs[knob].knob;
}

bool space_knob_get(const Space *s, int knob, int64_t i, KnobVal *v) {
    const KnobSpace *ks = &s->knobs[knob];
    if (i < 0 || i >= ks->len) return false;
    switch (ks->knob->kind) {
    case KNOB_LIST:
        v->n = 1;
        v->v[0] = ks->knob->vals[i];
        break;
    case KNOB_SPLIT:
        space_split_get(ks, i, v);
        break;
    case KNOB_REORDER:
        space_reorder_get(ks, i, v);
        break;
    case KNOB_ANNOTATE:
        space_annotate_get(ks, i, v);
        break;
    }
    return true;
}

int64_t space_knob_index(const Space *s, int knob, const KnobVal *v) {
    const KnobSpace *ks = &s->knobs[knob];
    switch (ks->knob->kind) {
    case KNOB_LIST:
        if (v->n != 1) return -1;
        for (int i = 0; i < ks->knob->nvals; i++)
            if (ks->knob->vals[i] == v->v[0]) return i;
        return -1;
    case KNOB_SPLIT:
        return space_split_index(ks, v);
    case KNOB_REORDER:
        return space_reorder_index(ks, v);
    case KNOB_ANNOTATE:
        return space_annotate_index(ks, v);
    }
    return -1;
}

bool space_get(const Space *s, int64_t index, Config *cfg) {
    if (index < 0 || index >= s->len) return false;
    cfg->index = index;
    cfg->nknobs = s->nknobs;
    for (int i = 0; i < s->nknobs; i++) {
        int64_t n = s->knobs[i].len;
        space_knob_get(s, i, index % n, &cfg->vals[i]);
        index /= n;
    }
    return true;
}

int64_t space_index(const Space *s, const Config *cfg) {
    if (cfg->nknobs != s->nknobs) return -1;
    int64_t index = 0, radix = 1;
    for (int i = 0; i < s->nknobs; i++) {
        int64_t k = space_knob_index(s, i, &cfg->vals[i]);
        if (k < 0) return -1;
        index += k * radix; /* k < len(knob), so this stays below space_len */
        radix *= s->knobs[i].len;
    }
    return index;
}

/* ---- Printing, as Python's str() of AutoTVM's objects ---- */

/* A growable string in the arena. */
typedef struct Buf {
    Arena *a;
    char *p;
    size_t len, cap;
} Buf;

static void bprintf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void bprintf(Buf *b, const char *fmt, ...) {
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = 2 * b->cap + (size_t)n;
        b->p = arena_grow(b->a, b->p, b->cap, cap, 1);
        b->cap = cap;
    }
}

static Buf buf_new(Arena *a) {
    Buf b = {.a = a, .cap = 128};
    b.p = ARENA_ARRAY(a, char, b.cap);
    return b;
}

static const char *ann_names[] = {[ANN_NONE] = "none", [ANN_UNROLL] = "unroll", [ANN_VEC] = "vec"};

const char *space_ann_name(int64_t ann) {
    return ann >= 0 && ann < 3 ? ann_names[ann] : NULL;
}

int space_ann_parse(const char *name) {
    for (int i = 0; i < 3; i++)
        if (!strcmp(name, ann_names[i])) return i;
    return -1;
}

/* open, v[0..n), close: Python's list or tuple of ints. */
static void ints(Buf *b, const char *open, const int64_t *v, int n, const char *close) {
    bprintf(b, "%s", open);
    for (int i = 0; i < n; i++) bprintf(b, "%s%" PRId64, i ? ", " : "", v[i]);
    bprintf(b, "%s%s", n == 1 && !strcmp(open, "(") ? "," : "", close);
}

/* Python's str() of the knob's entity: SplitEntity and AnnotateEntity print lists, an
 * OtherOptionEntity its value; a ReorderEntity its perm as AutoTVM builds it: range(0, n) for
 * identity, a tuple for all and interval_all, a list for candidate. */
static void entity(Buf *b, const Knob *k, const KnobVal *v) {
    switch (k->kind) {
    case KNOB_LIST:
        bprintf(b, "%" PRId64, v->v[0]);
        break;
    case KNOB_SPLIT:
        ints(b, "[", v->v, v->n, "]");
        break;
    case KNOB_REORDER:
        if (k->policy == POL_IDENTITY)
            bprintf(b, "range(0, %d)", v->n);
        else if (k->policy == POL_CANDIDATE)
            ints(b, "[", v->v, v->n, "]");
        else
            ints(b, "(", v->v, v->n, ")");
        break;
    case KNOB_ANNOTATE:
        bprintf(b, "[");
        for (int i = 0; i < v->n; i++) {
            const char *name = space_ann_name(v->v[i]);
            bprintf(b, "%s'%s'", i ? ", " : "", name ? name : "?");
        }
        bprintf(b, "]");
        break;
    }
}

char *space_entity_str(Arena *a, const Space *s, const Config *cfg) {
    Buf b = buf_new(a);
    bprintf(&b, "[");
    for (int i = 0; i < s->nknobs && i < cfg->nknobs; i++) {
        bprintf(&b, "%s('%s', ", i ? ", " : "", s->knobs[i].knob->name);
        entity(&b, s->knobs[i].knob, &cfg->vals[i]);
        bprintf(&b, ")");
    }
    bprintf(&b, "]");
    return b.p;
}

/* The knob's TransformSpace repr. */
static void knob_space(Buf *b, const KnobSpace *ks) {
    const Knob *k = ks->knob;
    switch (k->kind) {
    case KNOB_LIST:
        ints(b, "OtherOption([", k->vals, k->nvals, "])");
        break;
    case KNOB_SPLIT:
        bprintf(b, "Split(policy=%s, product=%" PRId64 ", num_outputs=%d)", policy_name(k->policy),
                k->extent, k->nouts);
        break;
    case KNOB_REORDER:
        bprintf(b, "Reorder(policy=%s)", policy_name(k->policy));
        break;
    case KNOB_ANNOTATE:
        bprintf(b, "Annotate(policy=%s)", policy_name(k->policy));
        break;
    }
    bprintf(b, " len=%" PRId64, ks->len);
}

void space_print(FILE *out, const Space *s) {
    Arena *a = arena_new();
    Buf b = buf_new(a);
    bprintf(&b, "ConfigSpace (len=%" PRId64 ", space_map=\n", s->len);
    for (int i = 0; i < s->nknobs; i++) {
        bprintf(&b, "  %2d %s: ", i, s->knobs[i].knob->name);
        knob_space(&b, &s->knobs[i]);
        bprintf(&b, "\n");
    }
    bprintf(&b, ")\n");
    fputs(b.p, out);
    arena_free(a);
}

bool space_knob_axes(Diag *d, KnobSpace *ks, const char *kind) {
    const Knob *k = ks->knob;
    if (k->naxes < 1 || k->naxes > KNOB_MAX_VALS)
        return diag_error(d, k->loc, "%s knob '%s' needs 1 to %d axes, not %d", kind, k->name,
                          KNOB_MAX_VALS, k->naxes);
    ks->nvals = k->naxes;
    return true;
}

const char *space_knob_tag(const Knob *k) {
    static const char *tags[] = {
        [KNOB_LIST] = "ot", [KNOB_SPLIT] = "sp", [KNOB_REORDER] = "re", [KNOB_ANNOTATE] = "an"};
    return tags[k->kind];
}

size_t space_value_json(const Knob *k, const KnobVal *v, char *buf, size_t cap) {
    Arena *a = arena_new();
    Buf b = buf_new(a);
    switch (k->kind) {
    case KNOB_LIST:
        bprintf(&b, "%" PRId64, v->v[0]);
        break;
    case KNOB_SPLIT:
    case KNOB_REORDER:
        ints(&b, "[", v->v, v->n, "]");
        break;
    case KNOB_ANNOTATE:
        bprintf(&b, "[");
        for (int i = 0; i < v->n; i++) {
            const char *name = space_ann_name(v->v[i]);
            bprintf(&b, "%s\"%s\"", i ? ", " : "", name ? name : "?");
        }
        bprintf(&b, "]");
        break;
    }
    size_t n = b.len;
    if (cap) {
        size_t c = n < cap ? n : cap - 1;
        memcpy(buf, b.p, c);
        buf[c] = 0;
    }
    arena_free(a);
    return n;
}
