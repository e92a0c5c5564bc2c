#include "layer_norm.h"
#include "qa_check.h"
enum { N = 6, M = 100 };
static float x[N][M], gamma_[M], beta[M], out[N][M];
int main(void) {
    QA_FILL(&x[0][0], N * M, (float)(3 * qa_unit() + 1));
    QA_FILL(gamma_, M, (float)qa_unit());
    QA_FILL(beta, M, (float)qa_unit());
    QA_FILL(&out[0][0], N * M, 1e30f);
    layer_norm(&x[0][0], gamma_, beta, &out[0][0]);
    for (int i = 0; i < N; i++) {
        double mean = 0, var = 0;
        for (int j = 0; j < M; j++) mean += x[i][j] / (double)M;
        for (int j = 0; j < M; j++) var += (x[i][j] - mean) * (x[i][j] - mean) / M;
        for (int j = 0; j < M; j++)
            qa_near("out", i * M + j, out[i][j],
                    (x[i][j] - mean) / sqrt(var + 1e-5) * gamma_[j] + beta[j], 1e-4);
    }
    return qa_done("layer_norm");
}
