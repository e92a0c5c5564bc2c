#include "bool_select.h"
#include "qa_check.h"
enum { N = 13, M = 7 };
static int8_t x[N][M];
static int16_t y[N][M];
static int32_t m[N][M];
int main(void) {
    QA_FILL(&x[0][0], N * M, (int8_t)qa_int(-10, 10));
    x[3][4] = -100;
    QA_FILL(&y[0][0], N * M, 777);
    QA_FILL(&m[0][0], N * M, 777);
    bool_select(&x[0][0], &y[0][0], &m[0][0]);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            int v = x[i][j];
            int inr = (v >= 0 && v <= 6) || v == -100;
            int clip = v < 0 ? 0 : v > 6 ? 6 : v;
            qa_eq("y", i * M + j, y[i][j], inr ? v : clip * 10);
            qa_eq("m", i * M + j, m[i][j], inr + 2 * !inr);
        }
    return qa_done("bool_select");
}
