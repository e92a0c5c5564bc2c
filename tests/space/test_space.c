/* Unit tests of the config space on hand-built knobs: AutoTVM's lengths and orders per knob
 * kind (split orders against goldens from AutoTVM's algorithm), index <-> entity round trips
 * on spaces past 10^10, the tutorial's configs, the printed forms and the errors.
 * Usage: test_space DIR (tests/space: split_orders.txt and the --space goldens) */
#include "tests/lib/testlib.h"
#include "tuner/space.h"
#include "tuner/space_knob.h"
#include <stdlib.h>

/* ---- Building instances by hand: only the knobs are set. ---- */

typedef TestKnobs T;

static Knob *add_list(T *t, const char *name, const int64_t *vals, int n) {
    Knob *k = test_knob_add(t, name, KNOB_LIST, POL_NONE);
    k->vals = (int64_t *)vals;
    k->nvals = n;
    return k;
}

static Knob *add_split(T *t, const char *name, int64_t L, int m, KnobPolicy pol, int64_t maxf) {
    Knob *k = test_knob_add(t, name, KNOB_SPLIT, pol);
    k->axis = "i";
    k->extent = L;
    k->nouts = m;
    k->max_factor = maxf;
    return k;
}

static const char *AXES[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i",
                             "j", "k", "l", "m", "n", "o", "p", "q"};

static Knob *add_axes(T *t, const char *name, KnobKind kind, KnobPolicy pol, int n) {
    Knob *k = test_knob_add(t, name, kind, pol);
    k->axes = AXES;
    k->naxes = n;
    return k;
}

/* space_new with errors captured in t->errors. */
static Space *t_space(T *t) {
    FILE *f = tmpfile();
    t->d.out = f;
    Space *s = space_new(t->a, &t->d, &t->in);
    rewind(f);
    size_t n = fread(t->errors, 1, sizeof t->errors - 1, f);
    t->errors[n] = 0;
    fclose(f);
    return s;
}

static Config t_config(T *t) {
    return (Config){
        .index = -1, .nknobs = t->in.nknobs, .vals = ARENA_ARRAY(t->a, KnobVal, t->in.nknobs + 1)};
}

static int64_t split_len(int64_t L, int m, KnobPolicy pol, int64_t maxf) {
    T *t = test_knobs_new();
    add_split(t, "s", L, m, pol, maxf);
    Space *s = t_space(t);
    int64_t n = s ? space_len(s) : -1;
    test_knobs_free(t);
    return n;
}

/* Entity i of a one-knob space, as its JSON value (Python's list form for splits). */
static const char *entity_at(T *t, Space *s, int64_t i) {
    static char buf[512];
    Config c = t_config(t);
    if (!space_get(s, i, &c)) return "<out of range>";
    space_value_json(&t->knobs[0], &c.vals[0], buf, sizeof buf);
    return buf;
}

/* ---- AutoTVM's numbers (autotvm-facts.md) ---- */

static void test_split_lengths(void) {
    CHECK_INT(split_len(512, 2, POL_FACTORS, 0), 10);
    CHECK_INT(split_len(512, 3, POL_FACTORS, 0), 55);
    CHECK_INT(split_len(512, 4, POL_FACTORS, 0), 220);
    CHECK_INT(split_len(1000, 2, POL_FACTORS, 0), 16);
    CHECK_INT(split_len(1000, 2, POL_POWER2, 0), 10);
    CHECK_INT(split_len(1000, 2, POL_VERBOSE, 0), 22);
    CHECK_INT(split_len(1000, 3, POL_FACTORS, 0), 100);
    CHECK_INT(split_len(1000, 3, POL_POWER2, 0), 55);
    CHECK_INT(split_len(1000, 3, POL_VERBOSE, 0), 201);
    CHECK_INT(split_len(256, 3, POL_FACTORS, 0), 45);
    CHECK_INT(split_len(256, 3, POL_POWER2, 0), 45);
    CHECK_INT(split_len(256, 3, POL_VERBOSE, 0), 45);
    CHECK_INT(split_len(224, 3, POL_FACTORS, 0), 63);
    CHECK_INT(split_len(224, 3, POL_POWER2, 0), 36);
    CHECK_INT(split_len(224, 3, POL_VERBOSE, 0), 84);
    CHECK_INT(split_len((int64_t)1 << 25, 4, POL_FACTORS, 0), 3276);
    CHECK_INT(split_len(512, 2, POL_FACTORS, 64), 7);
    /* AutoTVM's default max_factor is 1 << 31: 2**32's own factor 2**32 is not tried */
    CHECK_INT(split_len((int64_t)1 << 32, 2, POL_FACTORS, 0), 32);
    /* a large prime extent factors at once: 1 and itself (below 2**31) */
    CHECK_INT(split_len(2147483629, 2, POL_FACTORS, 0), 2);
    CHECK_INT(split_len(4611686018427387847LL, 2, POL_FACTORS, 0), 1); /* prime, > 2**31 */
    CHECK_INT(split_len(1, 4, POL_VERBOSE, 0), 1);
}

static void test_split_order(void) {
    T *t = test_knobs_new();
    add_split(t, "s", 512, 3, POL_FACTORS, 0);
    Space *s = t_space(t);
    CHECK_STR(entity_at(t, s, 0), "[-1, 1, 1]");
    CHECK_STR(entity_at(t, s, 1), "[-1, 2, 1]");
    CHECK_STR(entity_at(t, s, 9), "[-1, 512, 1]");
    CHECK_STR(entity_at(t, s, 10), "[-1, 1, 2]");
    CHECK_STR(entity_at(t, s, 54), "[-1, 1, 512]");
    CHECK_STR(entity_at(t, s, 55), "<out of range>");
    test_knobs_free(t);

    t = test_knobs_new();
    add_split(t, "s", 1000, 2, POL_POWER2, 0);
    s = t_space(t);
    CHECK_STR(entity_at(t, s, 0), "[-1, 1]");
    CHECK_STR(entity_at(t, s, 9), "[-1, 512]");
    test_knobs_free(t);

    t = test_knobs_new(); /* candidate: the rows as given */
    static int64_t rows[] = {-1, 4, 4, -1, 1, 16, -1, 16, 1};
    Knob *k = add_split(t, "s", 64, 3, POL_CANDIDATE, 0);
    k->cand = rows;
    k->ncand = 3;
    s = t_space(t);
    CHECK_INT(space_len(s), 3);
    CHECK_STR(entity_at(t, s, 1), "[-1, 1, 16]");
    Config c = t_config(t);
    c.vals[0] = (KnobVal){3, {-1, 16, 1}};
    CHECK_INT(space_index(s, &c), 2);
    c.vals[0] = (KnobVal){3, {-1, 2, 2}};
    CHECK_INT(space_index(s, &c), -1);
    test_knobs_free(t);
}

static KnobPolicy policy_of(const char *name) {
    if (!strcmp(name, "factors")) return POL_FACTORS;
    if (!strcmp(name, "power2")) return POL_POWER2;
    if (!strcmp(name, "verbose")) return POL_VERBOSE;
    return POL_NONE;
}

/* Every entity of every split case in the goldens, in order, and every verbose factor list. */
static void test_split_goldens(const char *path) {
    FILE *f = fopen(path, "r");
    CHECK(f != NULL, "cannot open %s", path);
    if (!f) return;
    static char line[1 << 16];
    T *t = NULL;
    Space *s = NULL;
    int64_t i = 0, ncases = 0, nlists = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char pol[16];
        long long L, mf;
        int m;
        if (line[0] == '#') continue;
        if (sscanf(line, "split %lld %15s %d %lld", &L, pol, &m, &mf) == 4) {
            if (t) CHECK_INT(space_len(s), i);
            if (t) test_knobs_free(t);
            t = test_knobs_new();
            add_split(t, "s", L, m, policy_of(pol), mf);
            s = t_space(t);
            CHECK(s != NULL, "split %lld %s %d: %s", L, pol, m, t->errors);
            i = 0;
            ncases++;
        } else if (sscanf(line, "verbose %lld", &L) == 1) {
            if (!fgets(line, sizeof line, f)) break;
            line[strcspn(line, "\n")] = 0;
            Arena *a = arena_new();
            int64_t *v;
            int n = space_split_verbose_factors(a, L, &v);
            char *got = arena_strdup(a, "[");
            for (int j = 0; j < n; j++)
                got = arena_printf(a, "%s%s%" PRId64, got, j ? ", " : "", v[j]);
            got = arena_printf(a, "%s]", got);
            CHECK(!strcmp(got, line), "verbose %lld: got %s, want %s", L, got, line);
            arena_free(a);
            nlists++;
        } else if (s && line[0] == '[') {
            const char *got = entity_at(t, s, i);
            CHECK(!strcmp(got, line), "split entity %" PRId64 ": got %s, want %s", i, got, line);
            Config c = t_config(t);
            space_get(s, i, &c);
            CHECK_INT(space_index(s, &c), i);
            i++;
        }
    }
    if (t) {
        CHECK_INT(space_len(s), i);
        test_knobs_free(t);
    }
    fclose(f);
    CHECK(ncases >= 10 && nlists >= 300, "goldens incomplete: %" PRId64 " cases, %" PRId64 " lists",
          ncases, nlists);
}

/* ---- Reorder ---- */

static bool next_perm(int64_t *p, int n) {
    int i = n - 2;
    while (i >= 0 && p[i] >= p[i + 1]) i--;
    if (i < 0) return false;
    int j = n - 1;
    while (p[j] <= p[i]) j--;
    int64_t x = p[i];
    p[i] = p[j], p[j] = x;
    for (int a = i + 1, b = n - 1; a < b; a++, b--) x = p[a], p[a] = p[b], p[b] = x;
    return true;
}

static void test_reorder(void) {
    /* all: itertools.permutations order, checked against next_permutation */
    for (int n = 1; n <= 6; n++) {
        T *t = test_knobs_new();
        add_axes(t, "r", KNOB_REORDER, POL_ALL, n);
        Space *s = t_space(t);
        int64_t p[16];
        for (int j = 0; j < n; j++) p[j] = j;
        int64_t i = 0;
        Config c = t_config(t);
        do {
            space_get(s, i, &c);
            CHECK(c.vals[0].n == n && !memcmp(c.vals[0].v, p, (size_t)n * sizeof *p),
                  "reorder all n=%d entity %" PRId64, n, i);
            c.vals[0] = (KnobVal){.n = n};
            memcpy(c.vals[0].v, p, (size_t)n * sizeof *p);
            CHECK_INT(space_index(s, &c), i);
            i++;
        } while (next_perm(p, n));
        CHECK_INT(space_len(s), i);
        test_knobs_free(t);
    }
    T *t = test_knobs_new();
    add_axes(t, "order", KNOB_REORDER, POL_ALL, 4);
    Space *s = t_space(t);
    CHECK_INT(space_len(s), 24);
    Config c = t_config(t);
    space_get(s, 23, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('order', (3, 2, 1, 0))]");
    test_knobs_free(t);

    /* 16 axes: 16! entities, the last one computed directly */
    t = test_knobs_new();
    add_axes(t, "r", KNOB_REORDER, POL_ALL, 16);
    s = t_space(t);
    CHECK_INT(space_len(s), 20922789888000LL);
    c = t_config(t);
    space_get(s, space_len(s) - 1, &c);
    for (int j = 0; j < 16; j++) CHECK_INT(c.vals[0].v[j], 15 - j);
    CHECK_INT(space_index(s, &c), space_len(s) - 1);
    test_knobs_free(t);

    /* interval_all (1, 3) on 4 axes: prefix 0 and suffix 3 fixed */
    t = test_knobs_new();
    Knob *k = add_axes(t, "r", KNOB_REORDER, POL_INTERVAL_ALL, 4);
    k->ib = 1, k->ie = 3;
    s = t_space(t);
    CHECK_INT(space_len(s), 2);
    c = t_config(t);
    space_get(s, 1, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('r', (0, 2, 1, 3))]");
    c.vals[0] = (KnobVal){4, {1, 0, 2, 3}};
    CHECK_INT(space_index(s, &c), -1);
    test_knobs_free(t);

    /* identity prints as AutoTVM's range(); candidate rows as lists */
    t = test_knobs_new();
    add_axes(t, "r", KNOB_REORDER, POL_IDENTITY, 3);
    static int64_t rows[] = {2, 0, 1, 0, 1, 2};
    k = add_axes(t, "q", KNOB_REORDER, POL_CANDIDATE, 3);
    k->cand = rows;
    k->ncand = 2;
    s = t_space(t);
    CHECK_INT(space_len(s), 2);
    c = t_config(t);
    space_get(s, 0, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('r', range(0, 3)), ('q', [2, 0, 1])]");
    char json[64];
    space_value_json(&t->knobs[0], &c.vals[0], json, sizeof json);
    CHECK_STR(json, "[0, 1, 2]");
    test_knobs_free(t);

    /* a one-axis tuple prints with its comma */
    t = test_knobs_new();
    add_axes(t, "r", KNOB_REORDER, POL_ALL, 1);
    s = t_space(t);
    c = t_config(t);
    space_get(s, 0, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('r', (0,))]");
    test_knobs_free(t);
}

/* ---- Annotate ---- */

/* AutoTVM's depth-first generation, materialised, to compare with the ranked entities. */
static void ann_dfs(const int64_t *opts, int nopts, int n, int depth, int64_t *stack, int64_t *out,
                    int64_t *count) {
    if (depth == n) {
        int vecs = 0;
        for (int j = 0; j < n; j++) vecs += stack[j] == ANN_VEC;
        if (vecs <= 1) memcpy(out + (*count)++ * n, stack, (size_t)n * sizeof *stack);
        return;
    }
    for (int o = 0; o < nopts; o++) {
        stack[depth] = opts[o];
        ann_dfs(opts, nopts, n, depth + 1, stack, out, count);
    }
}

static void test_annotate(void) {
    static const struct {
        KnobPolicy pol;
        int64_t opts[3];
        int nopts;
        int64_t len3;
    } pols[] = {{POL_TRY_UNROLL_VEC, {ANN_NONE, ANN_UNROLL, ANN_VEC}, 3, 20},
                {POL_TRY_VEC, {ANN_NONE, ANN_VEC}, 2, 4},
                {POL_TRY_UNROLL, {ANN_NONE, ANN_UNROLL}, 2, 8}};
    static int64_t all[729 * 6];
    for (int p = 0; p < 3; p++)
        for (int n = 1; n <= 6; n++) {
            T *t = test_knobs_new();
            add_axes(t, "ann", KNOB_ANNOTATE, pols[p].pol, n);
            Space *s = t_space(t);
            int64_t stack[16], count = 0;
            ann_dfs(pols[p].opts, pols[p].nopts, n, 0, stack, all, &count);
            CHECK_INT(space_len(s), count);
            if (n == 3) CHECK_INT(space_len(s), pols[p].len3);
            Config c = t_config(t);
            for (int64_t i = 0; i < count; i++) {
                space_get(s, i, &c);
                CHECK(c.vals[0].n == n && !memcmp(c.vals[0].v, all + i * n, (size_t)n * 8),
                      "annotate %s n=%d entity %" PRId64, policy_name(pols[p].pol), n, i);
                CHECK_INT(space_index(s, &c), i);
            }
            test_knobs_free(t);
        }
    T *t = test_knobs_new();
    add_axes(t, "ann", KNOB_ANNOTATE, POL_TRY_UNROLL_VEC, 2);
    Space *s = t_space(t);
    Config c = t_config(t);
    space_get(s, 2, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('ann', ['none', 'vec'])]");
    char json[64];
    space_value_json(&t->knobs[0], &c.vals[0], json, sizeof json);
    CHECK_STR(json, "[\"none\", \"vec\"]");
    c.vals[0] = (KnobVal){2, {ANN_VEC, ANN_VEC}};
    CHECK_INT(space_index(s, &c), -1); /* two vecs are never in the space */
    test_knobs_free(t);

    /* 16 axes: 2^16 + 16 * 2^15 entities, ranked without a table */
    t = test_knobs_new();
    add_axes(t, "ann", KNOB_ANNOTATE, POL_TRY_UNROLL_VEC, 16);
    s = t_space(t);
    CHECK_INT(space_len(s), 65536 + 16 * 32768);
    c = t_config(t);
    space_get(s, space_len(s) - 1, &c);
    CHECK_INT(c.vals[0].v[0], ANN_VEC);
    CHECK_INT(c.vals[0].v[15], ANN_UNROLL);
    CHECK_INT(space_index(s, &c), space_len(s) - 1);
    test_knobs_free(t);
}

/* ---- Whole spaces ---- */

static const int64_t V5[] = {1, 2, 4, 8, 16};

/* What space_print prints of s (free it). */
static char *printed(const Space *s) {
    char *text;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    space_print(f, s);
    fclose(f);
    return text;
}

static void test_tutorial(void) {
    T *t = test_knobs_new();
    add_split(t, "tile_y", 512, 2, POL_FACTORS, 0);
    add_split(t, "tile_x", 512, 2, POL_FACTORS, 0);
    Space *s = t_space(t);
    CHECK_INT(space_len(s), 100);
    Config c = t_config(t);
    CHECK(space_get(s, 13, &c), "index 13");
    CHECK_STR(space_entity_str(t->a, s, &c), "[('tile_y', [-1, 8]), ('tile_x', [-1, 2])]");
    CHECK_INT(c.index, 13);
    CHECK(space_get(s, 56, &c), "index 56");
    CHECK_STR(space_entity_str(t->a, s, &c), "[('tile_y', [-1, 64]), ('tile_x', [-1, 32])]");
    CHECK_INT(space_index(s, &c), 56);
    CHECK(!space_get(s, 100, &c) && !space_get(s, -1, &c), "out of range");

    char *text = printed(s);
    CHECK_STR(text, "ConfigSpace (len=100, space_map=\n"
                    "   0 tile_y: Split(policy=factors, product=512, num_outputs=2) len=10\n"
                    "   1 tile_x: Split(policy=factors, product=512, num_outputs=2) len=10\n"
                    ")\n");
    free(text);
    CHECK_STR(space_knob_tag(&t->knobs[0]), "sp");
    char json[64];
    CHECK_INT(space_value_json(&t->knobs[0], &c.vals[0], json, sizeof json), 8);
    CHECK_STR(json, "[-1, 64]");
    CHECK_INT(space_value_json(&t->knobs[0], &c.vals[0], json, 4), 8); /* truncated, terminated */
    CHECK_STR(json, "[-1");
    test_knobs_free(t);

    /* matmul_v1: two list knobs, the first one the fastest digit */
    t = test_knobs_new();
    add_list(t, "tile_y", V5, 5);
    add_list(t, "tile_x", V5, 5);
    s = t_space(t);
    CHECK_INT(space_len(s), 25);
    c = t_config(t);
    space_get(s, 1, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('tile_y', 2), ('tile_x', 1)]");
    space_get(s, 5, &c);
    CHECK_STR(space_entity_str(t->a, s, &c), "[('tile_y', 1), ('tile_x', 2)]");
    CHECK_STR(space_knob_tag(&t->knobs[0]), "ot");
    space_value_json(&t->knobs[0], &c.vals[0], json, sizeof json);
    CHECK_STR(json, "1");
    c.vals[1].v[0] = 3;
    CHECK_INT(space_index(s, &c), -1);
    text = printed(s);
    CHECK_STR(text, "ConfigSpace (len=25, space_map=\n"
                    "   0 tile_y: OtherOption([1, 2, 4, 8, 16]) len=5\n"
                    "   1 tile_x: OtherOption([1, 2, 4, 8, 16]) len=5\n"
                    ")\n");
    free(text);
    test_knobs_free(t);
}

static void test_print_kinds(void) {
    T *t = test_knobs_new();
    add_split(t, "tile_k", 1000, 3, POL_VERBOSE, 64);
    add_axes(t, "order", KNOB_REORDER, POL_ALL, 4);
    add_axes(t, "ann", KNOB_ANNOTATE, POL_TRY_VEC, 3);
    Space *s = t_space(t);
    char *text = printed(s);
    char want[512];
    snprintf(want, sizeof want,
             "ConfigSpace (len=%" PRId64 ", space_map=\n"
             "   0 tile_k: Split(policy=verbose, product=1000, num_outputs=3) len=%" PRId64 "\n"
             "   1 order: Reorder(policy=all) len=24\n"
             "   2 ann: Annotate(policy=try_vec) len=4\n"
             ")\n",
             space_knob_len(s, 0) * 96, space_knob_len(s, 0));
    CHECK_STR(text, want);
    free(text);
    CHECK_STR(space_knob_tag(&t->knobs[1]), "re");
    CHECK_STR(space_knob_tag(&t->knobs[2]), "an");
    test_knobs_free(t);

    /* no knobs: one config */
    t = test_knobs_new();
    s = t_space(t);
    CHECK_INT(space_len(s), 1);
    Config c = t_config(t);
    CHECK(space_get(s, 0, &c), "index 0 of an empty space");
    CHECK_STR(space_entity_str(t->a, s, &c), "[]");
    CHECK_INT(space_index(s, &c), 0);
    test_knobs_free(t);
}

/* Random index <-> entity round trips on spaces past 10^10, and per-knob digits. */
static void test_large_round_trips(void) {
    T *t = test_knobs_new();
    add_split(t, "tile_y", 1024, 4, POL_VERBOSE, 0);
    add_split(t, "tile_x", 720720, 3, POL_FACTORS, 0);
    add_axes(t, "order", KNOB_REORDER, POL_ALL, 7);
    add_axes(t, "ann", KNOB_ANNOTATE, POL_TRY_UNROLL_VEC, 5);
    add_list(t, "unroll", V5, 5);
    Space *s = t_space(t);
    CHECK(s != NULL, "%s", t->errors);
    if (!s) return test_knobs_free(t);
    int64_t len = space_len(s), prod = 1;
    for (int k = 0; k < 5; k++) prod *= space_knob_len(s, k);
    CHECK_INT(len, prod);
    CHECK(len > 10000000000LL, "len %" PRId64, len);
    Config c = t_config(t);
    uint64_t x = 88172645463325252ULL;
    for (int r = 0; r < 20000; r++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int64_t i = (int64_t)(x % (uint64_t)len);
        CHECK(space_get(s, i, &c), "get %" PRId64, i);
        CHECK_INT(space_index(s, &c), i);
        /* mixed radix, first knob fastest */
        int64_t rest = i;
        for (int k = 0; k < 5; k++) {
            CHECK_INT(space_knob_index(s, k, &c.vals[k]), rest % space_knob_len(s, k));
            rest /= space_knob_len(s, k);
        }
    }
    space_get(s, len - 1, &c);
    CHECK_INT(space_index(s, &c), len - 1);
    KnobVal v;
    CHECK(!space_knob_get(s, 4, 5, &v) && space_knob_get(s, 4, 4, &v) && v.v[0] == 16, "knob get");
    test_knobs_free(t);
}

/* The text of DIR/NAME; "" and a failed check when it cannot be read. Free it. */
static char *golden(const char *dir, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = test_slurp(path, NULL);
    CHECK(text != NULL, "cannot open %s", path);
    return text ? text : calloc(1, 1);
}

/* The knobs of tests/space/knobs.te at its defaults, built by hand: the same text as its
 * --space goldens (made by AutoTVM's algorithms in Python). */
static void test_knobs_te(const char *dir) {
    T *t = test_knobs_new();
    add_split(t, "tile_i", 1000, 3, POL_VERBOSE, 0);
    add_split(t, "tile_j", 224, 3, POL_POWER2, 64);
    add_split(t, "tile_k", 64, 2, POL_FACTORS, 0);
    add_axes(t, "order", KNOB_REORDER, POL_ALL, 5);
    add_axes(t, "ann", KNOB_ANNOTATE, POL_TRY_UNROLL_VEC, 2);
    Space *s = t_space(t);
    char *text = printed(s);
    char *want_space = golden(dir, "knobs.space");
    CHECK_STR(text, want_space);
    free(want_space);
    free(text);
    static const int64_t idx[] = {12345678, 45924479};
    for (int j = 0; j < 2; j++) {
        Config c = t_config(t);
        space_get(s, idx[j], &c);
        char name[64];
        snprintf(name, sizeof name, "knobs.%" PRId64, idx[j]);
        char *want = golden(dir, name);
        want[strcspn(want, "\n")] = 0;
        CHECK_STR(space_entity_str(t->a, s, &c), want);
        free(want);
    }
    test_knobs_free(t);
}

static void test_errors(void) {
    T *t = test_knobs_new(); /* 2^64 configs */
    for (int k = 0; k < 16; k++) add_split(t, "s", 1 << 15, 2, POL_FACTORS, 0);
    Space *s = t_space(t);
    CHECK(s == NULL, "overflow accepted");
    CHECK(strstr(t->errors, "t.te:1:6: error: config space too large") != NULL, "%s", t->errors);
    CHECK(strstr(t->errors, "knob k = ...\n       ^") != NULL, "no caret: %s", t->errors);
    test_knobs_free(t);

    t = test_knobs_new(); /* 2^62 fits, 2^63 does not */
    for (int k = 0; k < 62; k++) add_split(t, "s", 2, 2, POL_FACTORS, 0);
    s = t_space(t);
    CHECK_INT(s ? space_len(s) : -1, (int64_t)1 << 62);
    add_split(t, "s", 2, 2, POL_FACTORS, 0);
    CHECK(t_space(t) == NULL, "2^63 configs accepted");
    test_knobs_free(t);

    t = test_knobs_new();
    add_list(t, "empty", V5, 0);
    CHECK(t_space(t) == NULL && strstr(t->errors, "knob 'empty' has no candidates"), "%s",
          t->errors);
    test_knobs_free(t);

    t = test_knobs_new();
    Knob *k = add_axes(t, "r", KNOB_REORDER, POL_INTERVAL_ALL, 3);
    k->ib = 2, k->ie = 5;
    CHECK(t_space(t) == NULL && strstr(t->errors, "interval (2, 5)"), "%s", t->errors);
    test_knobs_free(t);

    t = test_knobs_new(); /* too many split entities to tabulate: an error, not a hang */
    add_split(t, "big", 720720, 6, POL_VERBOSE, 0);
    CHECK(t_space(t) == NULL && strstr(t->errors, "split knob 'big' has more than"), "%s",
          t->errors);
    test_knobs_free(t);

    t = test_knobs_new();
    add_split(t, "z", 0, 2, POL_FACTORS, 0);
    CHECK(t_space(t) == NULL && strstr(t->errors, "extent 0"), "%s", t->errors);
    test_knobs_free(t);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: test_space DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/split_orders.txt", argv[1]);
    test_split_lengths();
    test_split_order();
    test_split_goldens(path);
    test_knobs_te(argv[1]);
    test_reorder();
    test_annotate();
    test_tutorial();
    test_print_kinds();
    test_large_round_trips();
    test_errors();
    return test_report("test_space");
}
