/* A task list's library: the best kernel of every task compiled into one object, with one header
 * beside it holding every prototype. */
#ifndef TEC_LIB_OUT_H
#define TEC_LIB_OUT_H
#include "compiler/codegen.h"
#include "lang/arena.h"
#include "tuner/space.h"

typedef struct LibKernel {
    const Inst *in; /* named as the kernel's symbol (lib_out_name) */
    const Space *sp;
    int64_t index;              /* the config */
    const char *desc;           /* for the header's comment */
    const char *src_path, *src; /* for located lowering errors */
    size_t srclen;
} LibKernel;

/* The library name of a task's kernel: the template's name, then for each parameter in
 * declaration order '_' and, for an integer, its name and value ('-' written 'm'), for a dtype
 * the dtype's name: matmul(N=512, L=512, M=512, dtype=float32) -> matmul_N512_L512_M512_float32.
 * Two tasks with one name are refused when the list is read. */
const char *lib_out_name(Arena *a, const Inst *in);
/* in with its kernel named name (a shallow copy in a). */
const Inst *lib_out_renamed(Arena *a, const Inst *in, const char *name);

/* Compiles each kernel's config, links them into one object at obj (header beside it). False
 * after a message; then neither file is written. */
bool lib_out_write(const char *obj, const LibKernel *k, int n, const CgTarget *target);
#endif
