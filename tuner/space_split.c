/* Split knobs: AutoTVM's factor list for an extent (per policy, with max_factor) and the table
 * of split entities in the order of SplitSpace._generate_space; index <-> entity on it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tuner/space_knob.h"

/* AutoTVM's default max_factor (define_split's kwargs.get("max_factor", 1 << 31)). */
#define DEFAULT_MAX_FACTOR ((int64_t)1 << 31)

/* ---- Factoring an int64: trial division, then Miller-Rabin and Pollard's rho so that a
 * large prime extent never takes seconds. ---- */

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m) {
    return (uint64_t)((unsigned __int128)a * b % m);
}

static uint64_t powmod(uint64_t b, uint64_t e, uint64_t m) {
    uint64_t r = 1;
    for (b %= m; e; e >>= 1, b = mulmod(b, b, m))
        if (e & 1) r = mulmod(r, b, m);
    return r;
}

/* Deterministic for all 64-bit n with these bases. */
static bool is_prime(uint64_t n) {
    static const uint64_t bases[] = {2, 325, 9375, 28178, 450775, 9780504, 1795265022};
    if (n < 2) return false;
    if (n % 2 == 0) return n == 2;
    uint64_t d = n - 1;
    int s = 0;
    while (d % 2 == 0) d /= 2, s++;
    for (size_t i = 0; i < sizeof bases / sizeof *bases; i++) {
        uint64_t a = bases[i] % n;
        if (a == 0) continue;
        uint64_t x = powmod(a, d, n);
        if (x == 1 || x == n - 1) continue;
        bool witness = true;
        for (int r = 1; r < s && witness; r++) {
            x = mulmod(x, x, n);
            if (x == n - 1) witness = false;
        }
        if (witness) return false;
    }
    return true;
}

static uint64_t gcd(uint64_t a, uint64_t b) {
    while (b) {
        uint64_t t = a % b;
        a = b, b = t;
    }
    return a;
}

/* A nontrivial factor of the odd composite n. */
static uint64_t rho(uint64_t n) {
    for (uint64_t c = 1;; c++) {
        uint64_t x = 2, y = 2, g = 1;
        while (g == 1) {
            x = (mulmod(x, x, n) + c) % n;
            y = (mulmod(y, y, n) + c) % n;
            y = (mulmod(y, y, n) + c) % n;
            g = gcd(x > y ? x - y : y - x, n);
        }
        if (g != n) return g;
    }
}

/* Append the prime factors of n (with multiplicity) to p. */
static void factor(uint64_t n, uint64_t *p, int *np) {
    if (n == 1) return;
    if (is_prime(n)) {
        p[(*np)++] = n;
        return;
    }
    uint64_t f = rho(n);
    factor(f, p, np);
    factor(n / f, p, np);
}

static int cmp_i64(const void *x, const void *y) {
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

static int cmp_u64(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

int space_split_divisors(Arena *a, int64_t n, int64_t **out) {
    uint64_t p[64];
    int np = 0;
    uint64_t m = (uint64_t)n;
    for (uint64_t q = 2; q < 64 && q * q <= m; q++)
        while (m % q == 0) p[np++] = q, m /= q;
    factor(m, p, &np);
    qsort(p, (size_t)np, sizeof *p, cmp_u64);
    int count = 1;
    for (int i = 0; i < np;) {
        int e = 0;
        uint64_t q = p[i];
        while (i < np && p[i] == q) i++, e++;
        count *= e + 1;
    }
    int64_t *d = ARENA_ARRAY(a, int64_t, count);
    int nd = 1;
    d[0] = 1;
    for (int i = 0; i < np;) {
        int e = 0;
        uint64_t q = p[i];
        while (i < np && p[i] == q) i++, e++;
        int base = nd;
        int64_t pw = 1;
        for (int k = 1; k <= e; k++) {
            pw *= (int64_t)q;
            for (int j = 0; j < base; j++) d[nd++] = d[j] * pw;
        }
    }
    qsort(d, (size_t)nd, sizeof *d, cmp_i64);
    *out = d;
    return nd;
}

/* Python's get_pow2s: 2**x for x in range(floor(log2(n)) + 1), with log2 taken of n as a
 * double (as math.log2 does), so for n just below a large power of two it reaches that power. */
static int pow2_count(int64_t n) {
    return (int)floor(log2((double)n)) + 1;
}

int space_split_pow2s(Arena *a, int64_t n, int64_t **out) {
    int c = pow2_count(n);
    if (c > 63) c = 63; /* 2**63 is no int64 (and above any max_factor) */
    int64_t *v = ARENA_ARRAY(a, int64_t, c);
    for (int i = 0; i < c; i++) v[i] = (int64_t)1 << i;
    *out = v;
    return c;
}

/* ---- CPython's set of ints (Objects/setobject.c), enough to reproduce the iteration order
 * of `set(divisors) | set(pow2s)`: AutoTVM's verbose factor list is that set's order, which
 * is not ascending. Keys are positive ints, hash(k) = k mod (2**61 - 1); 0 marks a free slot.
 * There are no deletions, so no dummies. ---- */

#define PYSET_MINSIZE 8
#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5

typedef struct PySet {
    uint64_t *table;
    size_t mask, fill;
    Arena *a;
} PySet;

static uint64_t py_hash(uint64_t k) {
    return k % (((uint64_t)1 << 61) - 1);
}

static void pyset_init(PySet *s, Arena *a) {
    s->a = a;
    s->mask = PYSET_MINSIZE - 1;
    s->fill = 0;
    s->table = ARENA_ARRAY(a, uint64_t, PYSET_MINSIZE);
}

/* set_insert_clean: k is known to be absent and there is room. */
static void insert_clean(uint64_t *table, size_t mask, uint64_t k) {
    uint64_t h = py_hash(k);
    size_t perturb = h, i = h & mask;
    for (;;) {
        if (!table[i]) goto found;
        if (i + LINEAR_PROBES <= mask)
            for (size_t j = 1; j <= LINEAR_PROBES; j++)
                if (!table[i + j]) {
                    i += j;
                    goto found;
                }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found:
    table[i] = k;
}

/* set_table_resize: the smallest power of two above minused, entries reinserted in table order. */
static void pyset_resize(PySet *s, size_t minused) {
    size_t size = PYSET_MINSIZE;
    while (size <= minused) size <<= 1;
    uint64_t *old = s->table;
    size_t oldmask = s->mask;
    s->table = ARENA_ARRAY(s->a, uint64_t, size);
    s->mask = size - 1;
    for (size_t i = 0; i <= oldmask; i++)
        if (old[i]) insert_clean(s->table, s->mask, old[i]);
}

/* set_add_entry. */
static void pyset_add(PySet *s, uint64_t k) {
    uint64_t h = py_hash(k);
    size_t mask = s->mask, perturb = h, i = h & mask;
    for (;;) {
        size_t probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
        for (size_t j = 0; j <= probes; j++) {
            uint64_t e = s->table[i + j];
            if (!e) {
                s->table[i + j] = k;
                s->fill++;
                if (s->fill * 5 >= mask * 3)
                    pyset_resize(s, s->fill > 50000 ? s->fill * 2 : s->fill * 4);
                return;
            }
            if (e == k) return;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

/* set_merge(s, o): one resize up front, then a slot-by-slot copy (empty s, same size), clean
 * inserts (empty s) or ordinary adds, each in o's table order. */
static void pyset_merge(PySet *s, const PySet *o) {
    if (o->fill == 0) return;
    if ((s->fill + o->fill) * 5 >= s->mask * 3) pyset_resize(s, (s->fill + o->fill) * 2);
    if (s->fill == 0 && s->mask == o->mask) {
        memcpy(s->table, o->table, (o->mask + 1) * sizeof *o->table);
        s->fill = o->fill;
        return;
    }
    if (s->fill == 0) {
        for (size_t i = 0; i <= o->mask; i++)
            if (o->table[i]) insert_clean(s->table, s->mask, o->table[i]);
        s->fill = o->fill;
        return;
    }
    for (size_t i = 0; i <= o->mask; i++)
        if (o->table[i]) pyset_add(s, o->table[i]);
}

int space_split_verbose_factors(Arena *a, int64_t n, int64_t **out) {
    int64_t *divs;
    int nd = space_split_divisors(a, n, &divs);
    PySet sd, sp, u;
    pyset_init(&sd, a);
    for (int i = 0; i < nd; i++) pyset_add(&sd, (uint64_t)divs[i]);
    pyset_init(&sp, a);
    int np = pow2_count(n);
    for (int i = 0; i < np; i++) pyset_add(&sp, (uint64_t)1 << i);
    pyset_init(&u, a); /* set_or: a copy of the left set, then the right one merged in */
    pyset_merge(&u, &sd);
    pyset_merge(&u, &sp);
    int64_t *v = ARENA_ARRAY(a, int64_t, u.fill);
    int nv = 0;
    for (size_t i = 0; i <= u.mask; i++)
        if (u.table[i] && u.table[i] <= (uint64_t)INT64_MAX) v[nv++] = (int64_t)u.table[i];
    *out = v;
    return nv;
}

/* ---- The entities: (m-1)-tuples t over the factors, t[0] the outermost loop of the search,
 * kept when their product P divides the extent L, or (tails allowed) P <= L. Entity
 * [-1, t[m-2], ..., t[0]]. Prefixes that cannot lead to a kept tuple are pruned, which leaves
 * the order unchanged. ---- */

typedef struct SplitGen {
    const KnobSpace *ks;
    int64_t L;
    bool tails;
    bool ascending; /* factors ascending (not verbose): stop at the first product past L */
    int64_t t[KNOB_MAX_VALS];
    int64_t count, cap;
    int64_t *out; /* NULL: only count */
} SplitGen;

/* False once more than cap entities were found. */
static bool gen(SplitGen *g, int depth, int64_t prod) {
    const KnobSpace *ks = g->ks;
    int m = ks->nvals;
    if (depth == m - 1) {
        if (g->count >= g->cap) return false;
        if (g->out) {
            int64_t *row = g->out + g->count * m;
            row[0] = -1;
            for (int j = 0; j < m - 1; j++) row[1 + j] = g->t[m - 2 - j];
        }
        g->count++;
        return true;
    }
    for (int i = 0; i < ks->nfactors; i++) {
        int64_t f = ks->factors[i], p;
        if (__builtin_mul_overflow(prod, f, &p) || p > g->L) {
            if (g->ascending) break;
            continue;
        }
        if (!g->tails && g->L % p != 0) continue;
        g->t[depth] = f;
        if (!gen(g, depth + 1, p)) return false;
    }
    return true;
}

bool space_split_init(Arena *a, Diag *d, KnobSpace *ks) {
    const Knob *k = ks->knob;
    if (k->nouts < 2 || k->nouts > KNOB_MAX_VALS)
        return diag_error(d, k->loc, "split knob '%s' needs 2 to %d outputs, not %d", k->name,
                          KNOB_MAX_VALS, k->nouts);
    ks->nvals = k->nouts;
    if (k->policy == POL_CANDIDATE) {
        ks->rows = k->cand;
        ks->len = k->ncand;
        return true;
    }
    if (k->extent < 1)
        return diag_error(d, k->loc, "split knob '%s' splits an axis of extent %lld", k->name,
                          (long long)k->extent);
    int64_t *f;
    int nf;
    switch (k->policy) {
    case POL_FACTORS:
        nf = space_split_divisors(a, k->extent, &f);
        break;
    case POL_POWER2:
        nf = space_split_pow2s(a, k->extent, &f);
        break;
    case POL_VERBOSE:
        nf = space_split_verbose_factors(a, k->extent, &f);
        break;
    default:
        TEC_BUG("split knob '%s' with policy %s", k->name, policy_name(k->policy));
    }
    int64_t maxf = k->max_factor > 0 ? k->max_factor : DEFAULT_MAX_FACTOR;
    int kept = 0;
    for (int i = 0; i < nf; i++)
        if (f[i] <= maxf) f[kept++] = f[i];
    ks->factors = f;
    ks->nfactors = kept;
    /* positions by factor value, for lookups (verbose lists are not ascending) */
    ks->by_value = ARENA_ARRAY(a, int, kept + 1);
    int64_t *pairs = ARENA_ARRAY(a, int64_t, 2 * kept + 2); /* (value, position) */
    for (int i = 0; i < kept; i++) pairs[2 * i] = f[i], pairs[2 * i + 1] = i;
    qsort(pairs, (size_t)kept, 2 * sizeof *pairs, cmp_i64); /* values are distinct */
    for (int i = 0; i < kept; i++) ks->by_value[i] = (int)pairs[2 * i + 1];

    SplitGen g = {.ks = ks,
                  .L = k->extent,
                  .tails = k->policy != POL_FACTORS,
                  .ascending = k->policy != POL_VERBOSE,
                  .cap = SPACE_MAX_SPLIT_VALS / ks->nvals};
    if (!gen(&g, 0, 1))
        return diag_error(d, k->loc,
                          "split knob '%s' has more than %lld candidates; lower max_factor or the "
                          "number of outputs",
                          k->name, (long long)g.cap);
    int64_t *rows = ARENA_ARRAY(a, int64_t, g.count * ks->nvals + 1);
    g.out = rows;
    g.count = 0;
    gen(&g, 0, 1);
    ks->rows = rows;
    ks->len = g.count;
    return true;
}

void space_split_get(const KnobSpace *ks, int64_t i, KnobVal *v) {
    v->n = ks->nvals;
    memcpy(v->v, ks->rows + i * ks->nvals, (size_t)ks->nvals * sizeof *v->v);
}

/* Position of f in the factor list, or -1. */
static int factor_pos(const KnobSpace *ks, int64_t f) {
    int lo = 0, hi = ks->nfactors;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int64_t x = ks->factors[ks->by_value[mid]];
        if (x == f) return ks->by_value[mid];
        if (x < f)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* Compare row r with key (factor positions of t[0], t[1], ...: the search order). */
static int cmp_row(const KnobSpace *ks, const int64_t *r, const int *key) {
    int m = ks->nvals;
    for (int j = 0; j < m - 1; j++) {
        int p = factor_pos(ks, r[m - 1 - j]);
        if (p != key[j]) return p < key[j] ? -1 : 1;
    }
    return 0;
}

int64_t space_split_index(const KnobSpace *ks, const KnobVal *v) {
    int m = ks->nvals;
    if (v->n != m) return -1;
    if (ks->knob->policy == POL_CANDIDATE) {
        /* v[0] is never read, so a row matches on the sizes after it */
        for (int64_t i = 0; i < ks->len; i++)
            if (!memcmp(ks->rows + i * m + 1, v->v + 1, (size_t)(m - 1) * sizeof *v->v)) return i;
        return -1;
    }
    int key[KNOB_MAX_VALS];
    for (int j = 0; j < m - 1; j++)
        if ((key[j] = factor_pos(ks, v->v[m - 1 - j])) < 0) return -1;
    int64_t lo = 0, hi = ks->len;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int c = cmp_row(ks, ks->rows + mid * m, key);
        if (c == 0) return mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}
