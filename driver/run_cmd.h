/* `tec --run`: JIT a compiled kernel, run it on random inputs, check every output against the
 * reference evaluator, and time it. */
#ifndef TEC_RUN_CMD_H
#define TEC_RUN_CMD_H
#include "compiler/codegen.h"

/* JIT-loads mod (consumed), fills the inputs with random values, runs, checks every output
 * against the reference evaluator, times `repeat` runs and prints the median and GFLOPS.
 * False (with a message) if loading or a check failed. */
bool run_cmd(Cg *cg, CgModule *mod, const Inst *in, int repeat);

/* Buffers for in's arguments (args[i], 64-byte aligned): inputs filled with random values from
 * seed (one seed, the same values), outputs with 0xA5 bytes so an element a kernel never writes
 * is caught, as the tuner's runner does; with ref, the reference evaluator's too (the inputs
 * themselves, zeroed outputs). False with a message when one cannot be allocated.
 * run_cmd_free_buffers frees them and the arrays args and ref (malloc'd, in->nargs entries,
 * zeroed before; ref may be NULL), also after a failure. */
bool run_cmd_buffers(const Inst *in, uint64_t seed, void **args, void **ref);
void run_cmd_free_buffers(int n, void **args, void **ref);
/* Every output of args compared with ref's (eval_compare_at: the tuner's tolerance); false with
 * the first mismatch described in why ("output C differs from the reference: ..."). */
bool run_cmd_compare(const Inst *in, void *const *args, void *const *ref, char *why, size_t whylen);
#endif
