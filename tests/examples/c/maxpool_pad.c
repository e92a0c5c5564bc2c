#include "maxpool_pad.h"
#include "qa_check.h"
enum { N = 1, C = 3, H = 13, W = 7, OH = (H - 1) / 2 + 1, OW = (W - 1) / 2 + 1 };
static float data[N][C][H][W], out[N][C][OH][OW];
int main(void) {
    QA_FILL(&data[0][0][0][0], N * C * H * W,
            (float)qa_unit() - 5.0f); /* all negative: padding must lose */
    QA_FILL(&out[0][0][0][0], N * C * OH * OW, 1e30f);
    maxpool_pad(&data[0][0][0][0], &out[0][0][0][0]);
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++)
            for (int y = 0; y < OH; y++)
                for (int x = 0; x < OW; x++) {
                    float m = -INFINITY;
                    for (int ry = 0; ry < 3; ry++)
                        for (int rx = 0; rx < 3; rx++) {
                            int iy = y * 2 + ry - 1, ix = x * 2 + rx - 1;
                            if (iy >= 0 && iy < H && ix >= 0 && ix < W && data[n][c][iy][ix] > m)
                                m = data[n][c][iy][ix];
                        }
                    qa_near("out", ((n * C + c) * OH + y) * OW + x, out[n][c][y][x], m, 0);
                }
    return qa_done("maxpool_pad");
}
