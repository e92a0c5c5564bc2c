#include "conv1d_stride2.h"
#include "qa_check.h"
enum { N = 1, CI = 4, W = 13, CO = 6, OW = (W + 4 - 5) / 2 + 1 };
static float data[N][CI][W], kernel[CO][CI][5], out[N][CO][OW];
int main(void) {
    QA_FILL(&data[0][0][0], N * CI * W, (float)qa_unit());
    QA_FILL(&kernel[0][0][0], CO * CI * 5, (float)qa_unit());
    QA_FILL(&out[0][0][0], N * CO * OW, 1e30f);
    conv1d_stride2(&data[0][0][0], &kernel[0][0][0], &out[0][0][0]);
    for (int n = 0; n < N; n++)
        for (int f = 0; f < CO; f++)
            for (int x = 0; x < OW; x++) {
                double s = 0;
                for (int c = 0; c < CI; c++)
                    for (int r = 0; r < 5; r++) {
                        int ix = x * 2 + r - 2;
                        if (ix >= 0 && ix < W) s += (double)data[n][c][ix] * kernel[f][c][r];
                    }
                qa_near("out", (n * CO + f) * OW + x, out[n][f][x], s, 1e-5);
            }
    return qa_done("conv1d_stride2");
}
