/* Distribution over MPI (built only when CMake finds MPI: TEC_HAVE_MPI). Under `mpirun -n K`,
 * rank 0 runs the tuners, the scheduler and the log (tuner/task_tune.c) and hands rounds to
 * ranks 1..K-1, each a station (builders and one runner) measuring one config at a time and
 * sending each outcome back as it ends. Without mpirun nothing here runs. */
#ifndef TEC_MPI_POOL_H
#define TEC_MPI_POOL_H
#include "tuner/task_tune.h"

/* True when started by mpirun with more than one rank (MPI is then initialised, and finalised
 * at exit). */
bool mpi_pool_active(void);
int mpi_pool_rank(void);
/* Every rank calls it with its log target string ("llvm -mcpu=..."): true when all ranks agree;
 * otherwise false on every rank, and rank 0's err names the odd rank and its host. */
bool mpi_pool_agree_target(const char *target, char *err, size_t errlen);
/* Ranks 1..K-1: measure the rounds rank 0 sends until it says stop. Returns the exit status. */
int mpi_pool_serve(const TuneTask *tasks, int ntasks, const MeasureOptions *m);

/* Rank 0: a pool of the other ranks, one slot each. */
typedef struct MpiPool MpiPool;
MpiPool *mpi_pool_new(TaskPool **pool);
/* Tells every worker rank to stop. After a failed wait (a rank died: mpirun is ending the job)
 * it does not talk to the ranks: the caller should exit at once. */
void mpi_pool_free(MpiPool *p);
bool mpi_pool_failed(const MpiPool *p);
#endif
