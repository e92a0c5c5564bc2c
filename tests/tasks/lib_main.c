/* Links the library of tests/tasks/tiny.txt (one object, one header) and checks every kernel
 * against a plain C loop nest of its template's definition. */
#include "lib.h"
#include "tests/examples/c/qa_check.h"

static float A[16 * 16], B[16 * 16], C[16 * 16];
static float data[4 * 8 * 8], kern[8 * 4 * 3 * 3], conv[8 * 8 * 8];
static float X[2 * 8 * 8], Y[2 * 8 * 8], Z[2 * 8 * 8];

int main(void) {
    QA_FILL(A, 256, (float)qa_unit());
    QA_FILL(B, 256, (float)qa_unit());
    matmul_N16_L16_M16_float32(A, B, C);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            double s = 0;
            for (int k = 0; k < 16; k++) s += (double)A[i * 16 + k] * B[k * 16 + j];
            qa_near("C", i * 16 + j, C[i * 16 + j], s, 1e-5);
        }
    QA_FILL(data, 4 * 64, (float)qa_unit());
    QA_FILL(kern, 8 * 4 * 9, (float)qa_unit());
    conv2d_nchw_N1_CI4_H8_W8_CO8_float32(data, kern, conv);
    for (int f = 0; f < 8; f++)
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++) {
                double s = 0;
                for (int c = 0; c < 4; c++)
                    for (int ry = 0; ry < 3; ry++)
                        for (int rx = 0; rx < 3; rx++) {
                            int yy = y + ry - 1, xx = x + rx - 1;
                            if (yy < 0 || yy >= 8 || xx < 0 || xx >= 8) continue;
                            s += (double)data[(c * 8 + yy) * 8 + xx] *
                                 kern[((f * 4 + c) * 3 + ry) * 3 + rx];
                        }
                qa_near("conv", (f * 8 + y) * 8 + x, conv[(f * 8 + y) * 8 + x], s, 1e-5);
            }
    QA_FILL(X, 128, (float)qa_unit());
    QA_FILL(Y, 128, (float)qa_unit());
    batch_matmul_batch2_N8_L8_M8_float32(X, Y, Z);
    for (int b = 0; b < 2; b++)
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) {
                double s = 0;
                for (int k = 0; k < 8; k++)
                    s += (double)X[(b * 8 + i) * 8 + k] * Y[(b * 8 + k) * 8 + j];
                qa_near("Z", (b * 8 + i) * 8 + j, Z[(b * 8 + i) * 8 + j], s, 1e-5);
            }
    return qa_done("tiny.txt library");
}
