/* OpenMP's wait policy for the kernels tec runs (omp_env.h): set OMP_WAIT_POLICY=passive in the
 * environment and re-execute, since libgomp has already read its environment when main starts.
 * Why passive: docs/codegen.md, "OpenMP wait policy". */
#include "driver/omp_env.h"
#include <stdlib.h>
#include <unistd.h>

void omp_env_passive(char **argv) {
    if (getenv("OMP_WAIT_POLICY") || getenv("GOMP_SPINCOUNT")) return; /* the user's choice */
    if (setenv("OMP_WAIT_POLICY", "passive", 0) != 0) return;
    execv("/proc/self/exe", argv);
    /* no /proc: keep running under the default policy; the variable stays set for any child */
}
