#include "softmax_at.h"
#include "qa_check.h"
enum { N = 7, M = 13 };
static double x[N][M], out[N][M];
int main(void) {
    QA_FILL(&x[0][0], N * M, 10 * qa_unit());
    QA_FILL(&out[0][0], N * M, 1e300);
    softmax_at(&x[0][0], &out[0][0]);
    for (int i = 0; i < N; i++) {
        double mx = -INFINITY, den = 0;
        for (int j = 0; j < M; j++) mx = x[i][j] > mx ? x[i][j] : mx;
        for (int j = 0; j < M; j++) den += exp(x[i][j] - mx);
        for (int j = 0; j < M; j++)
            qa_near("out", i * M + j, out[i][j], exp(x[i][j] - mx) / den, 1e-12);
    }
    return qa_done("softmax_at");
}
