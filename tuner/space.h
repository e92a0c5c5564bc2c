/* The config space of an instance: each knob's candidates in AutoTVM's order, the space length
 * as their product, and index <-> entity by mixed radix (first-declared knob fastest), without
 * materialising the space. */
#ifndef TEC_SPACE_H
#define TEC_SPACE_H
#include "compiler/config.h"
#include "lang/inst.h"

typedef struct Space Space;

/* Returns NULL after reporting to d (located at the knob) if a knob's space is empty or the
 * total length overflows int64. */
Space *space_new(Arena *a, Diag *d, const Inst *in);
int64_t space_len(const Space *s);
const Inst *space_inst(const Space *s); /* the instance it was made from */
int64_t space_knob_len(const Space *s, int knob);
/* The knobs in declaration order (the index's digit order), for tuners that read entities. */
int space_nknobs(const Space *s);
const Knob *space_knob(const Space *s, int knob);
/* Fill cfg (cfg->vals must have room for in->nknobs) with config index. False if out of range. */
bool space_get(const Space *s, int64_t index, Config *cfg);
/* The index of a config (inverse of space_get); -1 if some value is not a candidate. */
int64_t space_index(const Space *s, const Config *cfg);
/* `ConfigSpace (len=100, space_map=\n   0 tile_y: Split(policy=factors, product=512, num_outputs=2)
 * len=10\n ...)` */
void space_print(FILE *out, const Space *s);
/* AutoTVM's entity print form: [('tile_y', [-1, 64]), ('tile_x', [-1, 32])] */
char *space_entity_str(Arena *a, const Space *s, const Config *cfg);
/* One knob's digit: its entity i (false if i is out of range), and the position of a value
 * among its candidates (-1 if none). For one-knob moves of the tuners. */
bool space_knob_get(const Space *s, int knob, int64_t i, KnobVal *v);
int64_t space_knob_index(const Space *s, int knob, const KnobVal *v);
/* AutoTVM's log tag of a knob's entity: "sp" split, "re" reorder, "an" annotate, "ot" list. */
const char *space_knob_tag(const Knob *k);
/* A knob value in the JSON form of AutoTVM's log entity: [-1, 8], [0, 2, 1],
 * ["none", "vec"], 16. Writes at most cap bytes with a NUL (truncating); returns the full
 * length, as snprintf does. */
size_t space_value_json(const Knob *k, const KnobVal *v, char *buf, size_t cap);
/* "none" / "unroll" / "vec" for ANN_NONE / ANN_UNROLL / ANN_VEC (NULL otherwise), and back
 * (-1 for an unknown name). */
const char *space_ann_name(int64_t ann);
int space_ann_parse(const char *name);
#endif
