/* OpenMP's wait policy for the kernels tec runs itself (--run, --tune): passive unless the user
 * chose one. Takes argv; gives, at most once, a re-executed tec with the variable set. */
#ifndef TEC_OMP_ENV_H
#define TEC_OMP_ENV_H
/* Unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set, sets OMP_WAIT_POLICY=passive and re-executes
 * tec with the same arguments: libgomp reads the variable once, when it is loaded, before main.
 * Returns (changing nothing else) when the variable is already set or the exec fails. */
void omp_env_passive(char **argv);
#endif
