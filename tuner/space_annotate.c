/* Annotate knobs: AutoTVM's AnnotateSpace order (try_unroll, try_vec, try_unroll_vec), the
 * k-th annotation computed by counting so that no list of entities is ever built. */
#include "tuner/space_knob.h"

/* ---- Annotate: every axis tries the policy's options ("try" read as "none": try_unroll_vec
 * is none, unroll, vec); all assignments with the last axis fastest, keeping those with at most
 * one vec. ---- */

/* Assignments of n axes with at most `vecs` (0 or 1) vec. */
static int64_t ann_count(const KnobSpace *ks, int n, int vecs) {
    int64_t q = ks->vec_opt < 0 ? ks->nopts : ks->nopts - 1, qn = 1, qn1 = 1;
    for (int j = 0; j < n; j++) qn1 = qn, qn *= q;
    if (ks->vec_opt < 0 || !vecs) return qn;
    return qn + (n > 0 ? n * qn1 : 0);
}

bool space_annotate_init(Diag *d, KnobSpace *ks) {
    const Knob *k = ks->knob;
    if (!space_knob_axes(d, ks, "annotate")) return false;
    ks->opts[0] = ANN_NONE;
    ks->nopts = 2;
    ks->vec_opt = -1;
    switch (k->policy) {
    case POL_TRY_UNROLL:
        ks->opts[1] = ANN_UNROLL;
        break;
    case POL_TRY_VEC:
        ks->opts[1] = ANN_VEC, ks->vec_opt = 1;
        break;
    case POL_TRY_UNROLL_VEC:
        ks->opts[1] = ANN_UNROLL, ks->opts[2] = ANN_VEC, ks->vec_opt = 2, ks->nopts = 3;
        break;
    default:
        TEC_BUG("annotate knob '%s' with policy %s", k->name, policy_name(k->policy));
    }
    ks->len = ann_count(ks, k->naxes, 1);
    return true;
}

void space_annotate_get(const KnobSpace *ks, int64_t i, KnobVal *v) {
    int n = ks->nvals, vecs = 1;
    v->n = n;
    for (int a = 0; a < n; a++)
        for (int o = 0; o < ks->nopts; o++) {
            bool vec = o == ks->vec_opt;
            if (vec && !vecs) continue;
            int64_t c = ann_count(ks, n - a - 1, vecs - vec);
            if (i < c) {
                v->v[a] = ks->opts[o];
                vecs -= vec;
                break;
            }
            i -= c;
        }
}

int64_t space_annotate_index(const KnobSpace *ks, const KnobVal *v) {
    int n = ks->nvals, vecs = 1;
    if (v->n != n) return -1;
    int64_t index = 0;
    for (int a = 0; a < n; a++) {
        int o = 0;
        while (o < ks->nopts && ks->opts[o] != v->v[a]) o++;
        if (o == ks->nopts) return -1;
        bool vec = o == ks->vec_opt;
        if (vec && !vecs) return -1;
        for (int e = 0; e < o; e++)
            if (e != ks->vec_opt || vecs)
                index += ann_count(ks, n - a - 1, vecs - (e == ks->vec_opt));
        vecs -= vec;
    }
    return index;
}
