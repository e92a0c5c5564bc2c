/* Schedules as data: the schedule statements of an instance replayed with one config into, per
 * stage, axes with relations (split: parent -> outer, inner; fuse: outer, inner -> fused), a leaf
 * order, loop annotations and an attach point. Nothing is lowered; extents of attached stages
 * come from bound inference (lower_sched, compiler/lower.h). This is what lowering applies and the
 * tuner reads. */
#ifndef TEC_SCHEDULE_H
#define TEC_SCHEDULE_H
#include "compiler/config.h"
#include "compiler/ir.h"

typedef struct SchedAxis {
    const char *name;  /* the name schedule statements use; NULL for unnamed intermediates */
    const char *dname; /* the loop variable's name, TVM style: "i.outer", "i.j.fused", "i.c" */
    Loc loc;           /* where it was made (the root axis, or the split/fuse statement) */
    bool reduce;
    bool leaf;
    int root;       /* root axes: index into the stage's axes (data, then reduce); else -1 */
    ForKind kind;   /* annotation of a leaf */
    int64_t extent; /* loop extent; 0 until extents are inferred */
    IrVar *var;     /* leaf axes: the loop variable, once extents are inferred */
} SchedAxis;

typedef enum SchedRelKind {
    REL_SPLIT, /* parent -> outer, inner. factor: inner extent, or outer extent with nparts */
    REL_FUSE,  /* outer, inner -> parent (the fused axis) */
} SchedRelKind;

typedef struct SchedRel {
    SchedRelKind kind;
    int parent, outer, inner; /* indices into the stage's axes */
    int64_t factor;
    bool nparts;
} SchedRel;

typedef enum SchedAttach { ATTACH_ROOT, ATTACH_AT, ATTACH_INLINE } SchedAttach;

typedef struct SchedStage {
    const char *name; /* stage name; the cache stage's own name (`CC = cache_write()`) */
    StageRef ref;     /* the instance stage, and whether this is its cache stage */
    const Stage *st;  /* the instance stage */
    int cache;        /* stage with a cache_write: index of its cache stage (this one then only
                         copies the cache into its buffer); else -1 */
    bool reduction;   /* its values come from a reduction (init + update) */
    int ndata, nroot; /* root axes are axes[0, nroot): ndata data axes, then reduce axes */
    SchedAxis *axes;
    int naxes;
    SchedRel *rels; /* in the order the statements made them */
    int nrels;
    int *leaves; /* leaf axes in loop order, outermost first */
    int nleaves;
    SchedAttach attach;
    int at_stage, at_axis; /* ATTACH_AT: consumer's index in Sched.stages, its axis index */
    Loc attach_loc;
} SchedStage;

typedef struct Sched {
    const Inst *in;
    SchedStage *stages; /* producers first: instance order, a cache stage just before its stage */
    int nstages;
    int *of_inst; /* instance stage -> the sched stage holding its values (-1: placeholder) */
} Sched;

/* Replay the schedule statements with cfg (NULL only without knobs). Reports errors that depend
 * on the config (a reorder value that is not a permutation, fusing axes a reorder separated, a
 * split factor below 1, ...) through d at the statement and returns NULL. Extents are not set. */
Sched *sched_build(Arena *a, Diag *d, const Inst *in, const Config *cfg);

/* Extents from root extents (root_ext[nroot]) through the relations. False (with d told) if an
 * extent overflows. */
bool sched_pass_down(Diag *d, SchedStage *st, const int64_t *root_ext);

/* Debug / feature listing: per stage, its attach point and leaf loops with extents and kinds. */
void sched_print(FILE *out, const Sched *s);
#endif
