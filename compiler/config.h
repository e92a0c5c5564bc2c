/* A config as the compiler takes it: one plain value per knob of the instance, in the
 * instance's knob order. The tuner's space maps an index to this; a user can write one by hand.
 * The compiler never includes a tuner header. */
#ifndef TEC_CONFIG_H
#define TEC_CONFIG_H
#include "lang/inst.h"
#include <stdint.h>

/* The chosen entity of one knob.
 * KNOB_LIST:     n = 1, v[0] = the chosen value.
 * KNOB_SPLIT:    n = nouts, v = AutoTVM's entity [-1, s1, ..., s_{n-1}] (v[0] is never read).
 * KNOB_REORDER:  n = naxes, v = a permutation: v[p] is the index into knob->axes of the axis that
 *                goes to position p of the listed axes' positions.
 * KNOB_ANNOTATE: n = naxes, v[i] = ANN_NONE / ANN_UNROLL / ANN_VEC for knob->axes[i]. */
enum { ANN_NONE = 0, ANN_UNROLL = 1, ANN_VEC = 2 };
typedef struct KnobVal {
    int n;
    int64_t v[KNOB_MAX_VALS];
} KnobVal;

typedef struct Config {
    int64_t index; /* the config index it came from, or -1 if made by hand */
    int nknobs;
    KnobVal *vals; /* nknobs entries */
} Config;
#endif
