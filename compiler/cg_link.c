/* Linking compiled kernels into one module, for a task list's library: takes modules of one Cg
 * (one LLVM context: they must be live together), gives the first with the others linked in. */
#include "compiler/cg_internal.h"
#include <llvm-c/Linker.h>
#include <stdlib.h>

bool cg_link(CgModule *dst, CgModule *src, char *err, size_t errlen) {
    /* LLVMLinkModules2 consumes src's module whatever the outcome. */
    bool failed = LLVMLinkModules2(dst->mod, src->mod);
    src->mod = NULL;
    src->cg->live_modules--;
    free(src->name);
    free(src);
    if (failed) cg_err(err, errlen, "linking the kernels into one object failed");
    return !failed;
}
