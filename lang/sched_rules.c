/* Schedule legality rules, each with its one message (lang/sched_rules.h). */
#include "lang/sched_rules.h"

bool sched_rule_factor(Diag *d, Loc loc, FactorSrc src, const char *name, bool nparts, int64_t f) {
    if (f >= 1) return true;
    switch (src) {
    case FACTOR_SOURCE:
        return diag_error(d, loc, "split factor must be at least 1, got %lld", (long long)f);
    case FACTOR_CONFIG:
        return diag_error(d, loc, "split %s: %s %lld is not positive", name,
                          nparts ? "nparts" : "factor", (long long)f);
    case FACTOR_SPLIT:
        break;
    }
    return diag_error(d, loc, "split knob '%s': factor %lld is not positive", name, (long long)f);
}

bool sched_rule_fuse_count(Diag *d, Loc loc, int naxes) {
    return naxes >= 2 || diag_error(d, loc, "fuse needs at least two axes");
}

bool sched_rule_reorder_once(Diag *d, Loc loc, const int *axes, int k, const char *name) {
    for (int j = 0; j < k; j++)
        if (axes[j] == axes[k]) return diag_error(d, loc, "reorder lists axis '%s' twice", name);
    return true;
}

bool sched_rule_parallel(Diag *d, Loc loc, const char *axis, bool reduce) {
    if (!reduce) return true;
    return diag_error(d, loc,
                      "cannot parallelize the reduce axis '%s': threads would race on the "
                      "accumulator",
                      axis);
}

bool sched_rule_inline(Diag *d, Loc loc, const Stage *s, const char *name, bool outputs_known) {
    if (s->body && s->body->kind == EX_REDUCE)
        return diag_error(d, loc, "cannot inline %s: it is a reduction", name);
    if (outputs_known && s->is_output)
        return diag_error(d, loc,
                          "cannot inline %s: it is an output of the kernel (no other stage reads "
                          "it)",
                          name);
    return true;
}

void sched_reorder_slots(int *slots, int n) {
    for (int i = 1; i < n; i++) /* insertion sort: n is small */
        for (int j = i; j > 0 && slots[j - 1] > slots[j]; j--) {
            int t = slots[j];
            slots[j] = slots[j - 1];
            slots[j - 1] = t;
        }
}
