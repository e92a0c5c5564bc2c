#include "reentrant.h"
#include "qa_check.h"
#include <pthread.h>
enum { N = 24, M = 40, THREADS = 4, CALLS = 200 };
typedef struct Job {
    float X[N][M], Z[N][N];
    double want[N][N];
    int bad;
} Job;
static void *work(void *p) {
    Job *j = p;
    for (int c = 0; c < CALLS; c++) {
        for (int a = 0; a < N; a++)
            for (int b = 0; b < N; b++) j->Z[a][b] = 1e30f;
        reentrant(&j->X[0][0], &j->Z[0][0]);
        for (int a = 0; a < N; a++)
            for (int b = 0; b < N; b++)
                if (!(fabs(j->Z[a][b] - j->want[a][b]) <= 1e-4 * (1 + fabs(j->want[a][b]))))
                    j->bad++;
    }
    return NULL;
}
static Job jobs[THREADS];
int main(void) {
    pthread_t t[THREADS];
    for (int n = 0; n < THREADS; n++) {
        Job *j = &jobs[n];
        QA_FILL(&j->X[0][0], N * M, (float)qa_unit());
        double rs[N], Y[N][M];
        for (int i = 0; i < N; i++) {
            rs[i] = 0;
            for (int k = 0; k < M; k++) rs[i] += j->X[i][k];
            for (int k = 0; k < M; k++) Y[i][k] = j->X[i][k] * 2.0 - rs[i];
        }
        for (int a = 0; a < N; a++)
            for (int b = 0; b < N; b++) {
                double s = 0;
                for (int k = 0; k < M; k++) s += Y[a][k] * j->X[b][k];
                j->want[a][b] = s;
            }
    }
    for (int n = 0; n < THREADS; n++) pthread_create(&t[n], NULL, work, &jobs[n]);
    for (int n = 0; n < THREADS; n++) pthread_join(t[n], NULL);
    for (int n = 0; n < THREADS; n++)
        if (jobs[n].bad)
            fprintf(stderr, "thread %d: %d elements differ\n", n, jobs[n].bad), qa_bad++;
    return qa_done("reentrant");
}
