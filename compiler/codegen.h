/* LLVM code generation: IR function -> LLVM module (verified, optimised with default<O3> for the
 * target) -> object/asm/IR file or an in-process JIT. One Cg is reused across many configs. */
#ifndef TEC_CODEGEN_H
#define TEC_CODEGEN_H
#include "compiler/ir.h"

typedef struct CgTarget {
    const char *triple;   /* NULL: the host */
    const char *cpu;      /* NULL: the host CPU name */
    const char *features; /* NULL: the host features when cpu is NULL, else none */
} CgTarget;

typedef enum CgOutput { CG_OBJ, CG_ASM, CG_LLVM } CgOutput;

typedef struct Cg Cg;             /* LLVM context, target machine, JIT session */
typedef struct CgModule CgModule; /* one compiled kernel, optimised */
typedef struct CgJit CgJit;       /* a JIT-loaded kernel */

/* Calls the kernel with args[i] = pointer to the buffer of argument i. Every compiled module
 * holds the ABI function NAME(...) and this packed entry NAME__tec_packed(void *const *args). */
typedef void (*KernelFn)(void *const *args);

Cg *cg_new(const CgTarget *t, char *err, size_t errlen);
void cg_free(Cg *cg);
const char *cg_triple(const Cg *cg); /* the target triple string, for logs and headers */
const char *cg_cpu(const Cg *cg);
/* The host's target triple, normalised. */
void cg_host_triple(char *buf, size_t n);
/* True when code for triple can run on this machine: its architecture (the part before the
 * first '-', both triples normalised) is the host's. */
bool cg_runs_on_host(const char *triple);

/* Build, verify and optimise. Returns NULL with a message in err on failure. */
CgModule *cg_compile(Cg *cg, const IrFunc *f, char *err, size_t errlen);
void cg_module_free(CgModule *m);
/* Link src (consumed, even on failure) into dst; both compiled by the same Cg, with distinct
 * kernel names. For a library of several kernels in one object (compiler/cg_link.c). */
bool cg_link(CgModule *dst, CgModule *src, char *err, size_t errlen);
bool cg_write(Cg *cg, CgModule *m, CgOutput kind, const char *path, char *err, size_t errlen);
/* JIT-load m (consumed, even on failure). */
CgJit *cg_jit(Cg *cg, CgModule *m, char *err, size_t errlen);
KernelFn cg_jit_kernel(CgJit *j);

/* For the tuner's builder/runner processes: emit the optimised module as an object image in
 * memory (*buf malloc'd, caller frees), and JIT-load such an image in another process (the
 * kernel's packed entry `NAME__tec_packed(void *const *args)` is looked up by name). */
bool cg_emit_object_mem(Cg *cg, CgModule *m, void **buf, size_t *len, char *err, size_t errlen);
CgJit *cg_jit_object(Cg *cg, const void *buf, size_t len, const char *name, char *err,
                     size_t errlen);
void cg_jit_free(CgJit *j);
#endif
