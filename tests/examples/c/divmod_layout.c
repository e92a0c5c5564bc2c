#include "divmod_layout.h"
#include "qa_check.h"
enum { N = 3, C = 13 };
static int64_t x[N][C], back[N][C];
int main(void) {
    QA_FILL(&x[0][0], N * C, qa_int(-4000000000000LL, 4000000000000LL));
    QA_FILL(&back[0][0], N * C, 1);
    divmod_layout(&x[0][0], &back[0][0]);
    for (int n = 0; n < N; n++)
        for (int c = 0; c < C; c++) qa_eq("back", n * C + c, back[n][c], x[n][c] * 2 + 1);
    return qa_done("divmod_layout");
}
