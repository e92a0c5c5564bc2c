#include "reduce_min_col.h"
#include "qa_check.h"
enum { N = 100, M = 7 };
static int16_t A[N][M], colmin[M], rowmax[N];
int main(void) {
    QA_FILL(&A[0][0], N * M, (int16_t)qa_int(-32768, 32767));
    QA_FILL(colmin, M, 5);
    QA_FILL(rowmax, N, 5);
    reduce_min_col(&A[0][0], colmin, rowmax);
    for (int j = 0; j < M; j++) {
        int m = 32767;
        for (int r = 0; r < N; r++) m = A[r][j] < m ? A[r][j] : m;
        qa_eq("colmin", j, colmin[j], m);
    }
    for (int i = 0; i < N; i++) {
        int m = -32768;
        for (int c = 0; c < M; c++) m = A[i][c] > m ? A[i][c] : m;
        qa_eq("rowmax", i, rowmax[i], m);
    }
    return qa_done("reduce_min_col");
}
