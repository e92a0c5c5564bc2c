#include "broadcast_chain.h"
#include "qa_check.h"
enum { N = 7, M = 100 };
static float x[N][M], bias[M], scale[N][1], out[N][M];
int main(void) {
    QA_FILL(&x[0][0], N * M, (float)qa_unit());
    QA_FILL(bias, M, (float)qa_unit());
    QA_FILL(&scale[0][0], N, (float)(2 * qa_unit()));
    QA_FILL(&out[0][0], N * M, 1e30f);
    broadcast_chain(&x[0][0], bias, &scale[0][0], &out[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            float t = (x[i][j] + bias[j]) * scale[i][0];
            qa_near("out", i * M + j, out[i][j], (t > 0 ? t : 0.0f) - 0.5f, 1e-6);
        }
    return qa_done("broadcast_chain");
}
