/* The generator's schedules: every primitive (split by a factor, nparts or a knob, fuse, reorder,
 * vectorize, unroll, parallel, compute_at, compute_inline, cache_write) and every knob kind. */
#include "tests/gen/gen.h"
#include <stdio.h>
#include <string.h>

typedef struct Leaf {
    char name[16];
    int ext; /* -1 when a knob decides it */
    bool reduce, ann;
} Leaf;
typedef struct Blk {
    Gen *g;
    Str *o;
    Leaf l[GEN_MAX_AX * 3];
    int n;
    bool no_fuse, root;
} Blk;

static void fresh(Gen *g, char *name, const char *prefix) {
    snprintf(name, 16, "%s%d", prefix, g->names++);
}

static int free_leaf(Blk *b) { /* a random leaf that is not annotated, -1 if none */
    int c[GEN_MAX_AX * 3], n = 0;
    for (int i = 0; i < b->n; i++)
        if (!b->l[i].ann) c[n++] = i;
    return n ? c[rn(&b->g->r, n)] : -1;
}

/* Replaces leaf x by n leaves (names and extents given). */
static void replace(Blk *b, int x, Leaf *nl, int n) {
    if (b->n + n - 1 > GEN_MAX_AX * 3) return;
    memmove(&b->l[x + n], &b->l[x + 1], (size_t)(b->n - x - 1) * sizeof *b->l);
    memcpy(&b->l[x], nl, (size_t)n * sizeof *nl);
    b->n += n - 1;
}

static void split_knob(Blk *b, int x, Leaf *nl) {
    Gen *g = b->g;
    int n = 2 + (chance(&g->r, 30) ? 1 : 0);
    char k[16];
    fresh(g, k, "K");
    str_add(b->o, "        knob %s = split(%s, ", k, b->l[x].name);
    str_add(b->o, chance(&g->r, 30) ? "num_outputs = %d" : "%d", n);
    int p = rn(&g->r, 5);
    if (p == 1) str_add(b->o, ", policy = power2");
    if (p == 2) str_add(b->o, ", policy = verbose");
    if (p == 3) str_add(b->o, ", max_factor = %d", 1 + rn(&g->r, 8));
    if (p == 4) {
        str_add(b->o, ", candidate = [");
        for (int c = 0, nc = 1 + rn(&g->r, 3); c < nc; c++) {
            str_add(b->o, "%s[-1", c ? ", " : "");
            for (int i = 1; i < n; i++) str_add(b->o, ", %d", 1 + rn(&g->r, 6));
            str_add(b->o, "]");
        }
        str_add(b->o, "]");
    }
    str_add(b->o, ")\n        split %s -> ", b->l[x].name);
    for (int i = 0; i < n; i++) {
        nl[i] = (Leaf){.ext = -1, .reduce = b->l[x].reduce};
        fresh(g, nl[i].name, "x");
        str_add(b->o, "%s%s", nl[i].name, i + 1 < n ? ", " : "");
    }
    str_add(b->o, " by %s\n", k);
    replace(b, x, nl, n);
}

static void op_split(Blk *b) {
    Gen *g = b->g;
    int x = free_leaf(b), e;
    if (x < 0) return;
    Leaf nl[3], *l = &b->l[x];
    e = l->ext;
    if (e > 0 && chance(&g->r, 30)) return split_knob(b, x, nl);
    nl[0] = nl[1] = (Leaf){.ext = -1, .reduce = l->reduce};
    if (chance(&g->r, 20))
        memcpy(nl[0].name, l->name, 16);
    else
        fresh(g, nl[0].name, "x");
    fresh(g, nl[1].name, "x");
    bool nparts = chance(&g->r, 25), knob = chance(&g->r, 25);
    char k[16] = "";
    if (knob) { /* a list knob */
        fresh(g, k, "K");
        str_add(b->o, "        knob %s = [%d", k, 1 + rn(&g->r, 9));
        for (int i = 0, n = rn(&g->r, 3); i < n; i++) str_add(b->o, ", %d", 1 + rn(&g->r, 9));
        str_add(b->o, "]\n");
    }
    str_add(b->o, "        split %s -> %s, %s %s ", l->name, nl[0].name, nl[1].name,
            nparts ? "nparts" : "by");
    if (knob) {
        str_add(b->o, "%s\n", k);
    } else {
        int f = 1 + rn(&g->r, e > 0 ? e + 1 : 8);
        str_add(b->o, "%d\n", f);
        nl[nparts ? 0 : 1].ext = f;
        if (e > 0) nl[nparts ? 1 : 0].ext = (e + f - 1) / f;
    }
    replace(b, x, nl, 2);
}

static void op_fuse(Blk *b) {
    for (int t = 0; t < 4 && !b->no_fuse && b->n >= 2; t++) {
        int x = rn(&b->g->r, b->n - 1);
        Leaf *l = &b->l[x];
        if (l[0].ann || l[1].ann || l[0].reduce != l[1].reduce) continue;
        Leaf f = {.reduce = l->reduce,
                  .ext = l[0].ext > 0 && l[1].ext > 0 ? l[0].ext * l[1].ext : -1};
        fresh(b->g, f.name, "f");
        str_add(b->o, "        fuse %s, %s -> %s\n", l[0].name, l[1].name, f.name);
        memmove(&b->l[x + 1], &b->l[x + 2], (size_t)(b->n - x - 2) * sizeof *b->l);
        b->n--;
        b->l[x] = f;
        return;
    }
}

/* m distinct random leaves (their indices in pick[], in a random order). */
static int pick_leaves(Blk *b, int *pick, int m) {
    int idx[GEN_MAX_AX * 3];
    for (int i = 0; i < b->n; i++) idx[i] = i;
    for (int i = b->n - 1; i > 0; i--) {
        int j = rn(&b->g->r, i + 1), t = idx[i];
        idx[i] = idx[j], idx[j] = t;
    }
    m = m < b->n ? m : b->n;
    memcpy(pick, idx, (size_t)m * sizeof *pick);
    return m;
}

static void op_reorder(Blk *b) {
    int pick[4], m = pick_leaves(b, pick, 2 + rn(&b->g->r, 3));
    if (m < 2) return;
    str_add(b->o, "        reorder ");
    for (int i = 0; i < m; i++) str_add(b->o, "%s%s", b->l[pick[i]].name, i + 1 < m ? ", " : "\n");
    /* the listed axes take, in the order listed, the positions they held */
    int pos[4];
    Leaf tmp[4];
    for (int i = 0; i < m; i++) pos[i] = pick[i], tmp[i] = b->l[pick[i]];
    for (int i = 1; i < m; i++)
        for (int j = i; j > 0 && pos[j - 1] > pos[j]; j--) {
            int t = pos[j];
            pos[j] = pos[j - 1], pos[j - 1] = t;
        }
    for (int i = 0; i < m; i++) b->l[pos[i]] = tmp[i];
}

static void op_reorder_knob(Blk *b) {
    Gen *g = b->g;
    int pick[4], m = pick_leaves(b, pick, 2 + rn(&g->r, 3));
    if (m < 2) return;
    char k[16];
    fresh(g, k, "K");
    str_add(b->o, "        knob %s = reorder(", k);
    for (int i = 0; i < m; i++) str_add(b->o, "%s, ", b->l[pick[i]].name);
    int p = rn(&g->r, 4);
    if (p == 0) str_add(b->o, "policy = identity)\n");
    if (p == 1) str_add(b->o, "policy = all)\n");
    if (p == 2) {
        int lo = rn(&g->r, m - 1);
        str_add(b->o, "policy = interval_all, interval = (%d, %d))\n", lo,
                lo + 2 + rn(&g->r, m - lo - 1));
    }
    if (p == 3) {
        str_add(b->o, "policy = candidate, candidate = [");
        for (int c = 0, nc = 1 + rn(&g->r, 3); c < nc; c++) {
            int perm[4];
            memcpy(perm, pick, sizeof perm);
            for (int i = m - 1; i > 0; i--) {
                int j = rn(&g->r, i + 1), t = perm[i];
                perm[i] = perm[j], perm[j] = t;
            }
            for (int i = 0; i < m; i++)
                str_add(b->o, "%s%s", i ? ", " : c ? ", [" : "[", b->l[perm[i]].name);
            str_add(b->o, "]");
        }
        str_add(b->o, "])\n");
    }
    str_add(b->o, "        reorder %s\n", k);
    b->no_fuse = true; /* the order depends on the config now */
}

static void op_annotate(Blk *b) {
    Gen *g = b->g;
    static const char *const pol[] = {"try_unroll", "try_vec", "try_unroll_vec"};
    int x = free_leaf(b), y = chance(&g->r, 40) ? free_leaf(b) : -1;
    if (x < 0) return;
    char k[16];
    fresh(g, k, "K");
    str_add(b->o, "        knob %s = annotate(%s", k, b->l[x].name);
    if (y >= 0 && y != x) str_add(b->o, ", %s", b->l[y].name), b->l[y].ann = true;
    str_add(b->o, ", policy = %s)\n        annotate %s\n", pol[rn(&g->r, 3)], k);
    b->l[x].ann = true;
}

/* vectorize, unroll and parallel, last (an annotated axis is not split or fused afterwards). */
static void annotations(Blk *b) {
    Gen *g = b->g;
    if (b->root && !b->l[0].reduce && !b->l[0].ann && chance(&g->r, 25)) {
        str_add(b->o, "        parallel %s\n", b->l[0].name);
        b->l[0].ann = true;
    }
    for (int k = 0; k < 2; k++) {
        int x = chance(&g->r, 35) ? (chance(&g->r, 60) ? b->n - 1 : free_leaf(b)) : -1;
        if (x < 0 || b->l[x].ann) continue;
        str_add(b->o, "        %s %s\n", k ? "unroll" : "vectorize", b->l[x].name);
        b->l[x].ann = true;
    }
}

static void ops(Blk *b) {
    for (int i = 0, n = rn(&b->g->r, 6); i < n; i++) {
        int k = rn(&b->g->r, 10);
        if (k < 4)
            op_split(b);
        else if (k < 6)
            op_fuse(b);
        else if (k < 7)
            op_reorder(b);
        else if (k < 8)
            op_reorder_knob(b);
        else if (k < 9)
            op_annotate(b);
    }
    annotations(b);
}

/* compute_at a leaf of stage `into` (after its whole schedule), sometimes; a producer is not put
 * in a reader that has a cache stage (the cache stage reads it, outside that loop). */
static bool attach(Gen *g, Str *o, int into, int pct, bool own_cache) {
    if (into < 0 || g->st[into].inlined || (g->st[into].cached && !own_cache) ||
        !chance(&g->r, pct) || !g->st[into].nleaves)
        return false;
    const GStage *d = &g->st[into];
    str_add(o, "        compute_at S%d.%s\n", into, d->leaves[rn(&g->r, d->nleaves)]);
    return true;
}

static void start(Blk *b, const GStage *s, bool with_reduce) {
    b->n = 0;
    for (int a = 0; a < s->ndata + (with_reduce ? s->nred : 0); a++) {
        Leaf *l = &b->l[b->n++];
        *l = (Leaf){.ext = s->ax[a].hi - s->ax[a].lo, .reduce = s->ax[a].reduce};
        memcpy(l->name, s->ax[a].name, 16);
    }
}

void gen_schedule(Gen *g, int si) {
    GStage *s = &g->st[si];
    Str *o = &s->sched;
    Blk b = {.g = g, .o = o};
    if (!s->reduction && !s->output && chance(&g->r, 30)) {
        s->inlined = true;
        str_add(o, "    schedule S%d {\n        compute_inline\n    }\n", si);
        return;
    }
    if (chance(&g->r, 15)) return; /* no schedule */
    str_add(o, "    schedule S%d {\n", si);
    s->cached = chance(&g->r, 20);
    if (s->cached) str_add(o, "        C%d = cache_write()\n", si);
    start(&b, s, !s->cached);
    b.root = !attach(g, o, s->reader, 40, false);
    ops(&b);
    str_add(o, "    }\n");
    for (int i = 0; i < b.n; i++) memcpy(s->leaves[i], b.l[i].name, 16);
    s->nleaves = b.n;
    if (!s->cached) return;
    str_add(o, "    schedule C%d {\n", si);
    start(&b, s, true);
    b.root = !attach(g, o, si, 60, true) && b.root;
    ops(&b);
    str_add(o, "    }\n");
}
