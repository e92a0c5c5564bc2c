/* Reads a tuning log into LogRecords for the end-to-end tuning tests (log_records.h). */
#include "tests/tune/log_records.h"
#include "tests/lib/testlib.h"
#include <cjson/cJSON.h>
#include <stdlib.h>

static bool is_string(const cJSON *j, const char *want, size_t prefix) {
    return cJSON_IsString(j) &&
           (prefix ? !strncmp(j->valuestring, want, prefix) : !strcmp(j->valuestring, want));
}

/* A record of matmul [64, 64, 64, float32] on this machine's llvm target, in log version 0.2,
 * whose entity holds nknobs knobs, the first a split. */
static bool is_task_record(const cJSON *j, int nknobs) {
    const cJSON *input = cJSON_GetObjectItem(j, "input");
    const cJSON *config = cJSON_GetObjectItem(j, "config");
    const cJSON *ent = cJSON_GetObjectItem(config, "entity");
    const cJSON *version = cJSON_GetObjectItem(j, "version");
    char *args = input ? cJSON_PrintUnformatted(cJSON_GetArrayItem(input, 2)) : NULL;
    bool ok = j && is_string(cJSON_GetArrayItem(input, 0), "llvm -mcpu=", 11) &&
              is_string(cJSON_GetArrayItem(input, 1), "matmul", 0) && args &&
              !strcmp(args, "[64,64,64,\"float32\"]") && cJSON_GetArraySize(ent) == nknobs &&
              is_string(cJSON_GetArrayItem(cJSON_GetArrayItem(ent, 0), 1), "sp", 0) &&
              cJSON_IsNumber(cJSON_GetObjectItem(config, "index")) &&
              cJSON_GetArraySize(cJSON_GetObjectItem(j, "result")) == 4 &&
              cJSON_IsNumber(version) && version->valuedouble == 0.2;
    free(args);
    return ok;
}

void log_records_read(const char *path, int nknobs, LogRecords *lg) {
    memset(lg, 0, sizeof *lg);
    char *text = test_text(path);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        cJSON *j = cJSON_Parse(line);
        if (!is_task_record(j, nknobs) || lg->n == LOG_RECORDS_MAX) {
            lg->invalid++;
            cJSON_Delete(j);
            continue;
        }
        const cJSON *result = cJSON_GetObjectItem(j, "result"), *c;
        LogRec *r = &lg->r[lg->n++];
        r->index =
            (int64_t)cJSON_GetObjectItem(cJSON_GetObjectItem(j, "config"), "index")->valuedouble;
        r->error_no = (int)cJSON_GetArrayItem(result, 1)->valuedouble;
        double s = 0;
        cJSON_ArrayForEach(c, cJSON_GetArrayItem(result, 0)) {
            s += c->valuedouble;
            r->ncosts++;
        }
        r->cost = r->error_no == 0 && r->ncosts ? s / r->ncosts : 1e9;
        cJSON_Delete(j);
    }
    free(text);
}

/* The mean cost of config index over the first n records (error-free ones); *count of them. */
static double mean_of(const LogRecords *lg, int n, int64_t index, int *count) {
    double sum = 0;
    *count = 0;
    for (int i = 0; i < n; i++)
        if (lg->r[i].index == index && lg->r[i].error_no == 0) sum += lg->r[i].cost, ++*count;
    return *count ? sum / *count : 0;
}

/* The best config by mean over the first n records. */
static int64_t best_within(const LogRecords *lg, int n) {
    int64_t best = -1;
    double cost = 0;
    for (int i = 0; i < n; i++) { /* first records in order: ties go to the first measured */
        bool first = true;
        for (int k = 0; k < i && first; k++) first = lg->r[k].index != lg->r[i].index;
        int c;
        double m = mean_of(lg, n, lg->r[i].index, &c);
        if (first && c && (best < 0 || m < cost)) best = lg->r[i].index, cost = m;
    }
    return best;
}

int64_t log_records_best(const LogRecords *lg) {
    return best_within(lg, lg->n);
}

bool log_records_rechecks_ok(const LogRecords *lg, int max_again, int *distinct, int *again) {
    *distinct = *again = 0;
    bool ok = true;
    for (int i = 0; i < lg->n; i++) {
        int before = 0;
        for (int k = 0; k < i; k++) before += lg->r[k].index == lg->r[i].index;
        if (!before) {
            ++*distinct;
            continue;
        }
        ++*again;
        int first = 0;
        while (lg->r[first].index != lg->r[i].index) first++;
        if (before > max_again || best_within(lg, first + 1) != lg->r[i].index) {
            fprintf(stderr, "record %d re-measures config %lld (%d times before), which %s\n", i,
                    (long long)lg->r[i].index, before,
                    before > max_again ? "is too many" : "did not lead after its first record");
            ok = false;
        }
    }
    return ok;
}
