/* Writes and reads the AutoTVM v0.2 JSON-lines tuning log with cJSON. Takes a task (target,
 * template, args, space) and configs with their results; gives log lines, and back from a log
 * the records of one task (for --resume), its best record (for --log), or every record of every
 * task (log_scan, for the log tools). */
#include "tuner/log.h"
#include "tuner/log_pick.h"
#include "lang/xalloc.h"
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const err_names[ERR_COUNT] = {
    "NO_ERROR",     "INSTANTIATION_ERROR", "COMPILE_HOST", "COMPILE_DEVICE", "RUNTIME_DEVICE",
    "WRONG_ANSWER", "BUILD_TIMEOUT",       "RUN_TIMEOUT",  "UNKNOWN_ERROR",
};
static const char *const err_labels[ERR_COUNT] = {
    "no error",     "instantiation", "compile host", "compile device", "runtime device",
    "wrong answer", "build timeout", "run timeout",  "unknown",
};

const char *log_err_name(int e) {
    return e >= 0 && e < ERR_COUNT ? err_names[e] : "UNKNOWN_ERROR";
}

const char *log_err_label(int e) {
    return e >= 0 && e < ERR_COUNT ? err_labels[e] : "unknown";
}

double log_mean_cost(const LogResult *r) {
    if (r->ncosts <= 0) return LOG_ERROR_COST;
    double s = 0;
    for (int i = 0; i < r->ncosts; i++) s += r->costs[i];
    return s / r->ncosts;
}

static int cmp_cost(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void log_sort_costs(double *v, int n) {
    if (n > 1) qsort(v, (size_t)n, sizeof *v, cmp_cost);
}

double log_median_cost(double *v, int n) {
    if (n <= 0) return LOG_ERROR_COST;
    log_sort_costs(v, n);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void log_target_string(char *buf, size_t n, const char *triple, const char *cpu) {
    if (triple && *triple)
        snprintf(buf, n, "llvm -mtriple=%s -mcpu=%s", triple, cpu ? cpu : "generic");
    else
        snprintf(buf, n, "llvm -mcpu=%s", cpu ? cpu : "generic");
}

struct LogTask {
    char *target, *name;
    cJSON *args; /* the bound parameters in declaration order */
    const Inst *in;
    const Space *sp;
    double flop; /* the kernel's FLOPs, written as "flop" so log readers can give GFLOPS */
};

LogTask *log_task_new(const char *target, const Inst *in, const Space *sp) {
    LogTask *t = xcalloc(1, sizeof *t);
    t->target = xstrdup(target);
    t->name = xstrdup(in->name);
    t->args = cJSON_CreateArray();
    t->in = in;
    t->sp = sp;
    t->flop = inst_flops(in);
    for (int i = 0; i < in->nparams; i++) {
        const ParamVal *p = &in->params[i];
        cJSON_AddItemToArray(t->args, p->is_dtype ? cJSON_CreateString(dtype_name(p->dtype))
                                                  : cJSON_CreateNumber((double)p->ival));
    }
    return t;
}

void log_task_free(LogTask *t) {
    if (!t) return;
    free(t->target);
    free(t->name);
    cJSON_Delete(t->args);
    free(t);
}

/* The config's entity as AutoTVM serialises it: [[name, tag, value], ...]. */
static cJSON *entity_json(const Inst *in, const Config *cfg) {
    static const char *const ann[] = {"none", "unroll", "vec"};
    cJSON *ent = cJSON_CreateArray();
    for (int i = 0; i < in->nknobs && i < cfg->nknobs; i++) {
        const Knob *k = &in->knobs[i];
        const KnobVal *v = &cfg->vals[i];
        cJSON *row = cJSON_CreateArray();
        cJSON_AddItemToArray(row, cJSON_CreateString(k->name));
        cJSON_AddItemToArray(row, cJSON_CreateString(space_knob_tag(k)));
        cJSON *val;
        if (k->kind == KNOB_LIST) {
            val = cJSON_CreateNumber((double)v->v[0]);
        } else {
            val = cJSON_CreateArray();
            for (int j = 0; j < v->n; j++) {
                if (k->kind == KNOB_ANNOTATE)
                    cJSON_AddItemToArray(
                        val,
                        cJSON_CreateString(v->v[j] >= 0 && v->v[j] <= 2 ? ann[v->v[j]] : "none"));
                else
                    cJSON_AddItemToArray(val, cJSON_CreateNumber((double)v->v[j]));
            }
        }
        cJSON_AddItemToArray(row, val);
        cJSON_AddItemToArray(ent, row);
    }
    return ent;
}

/* Entity of index in the task's space, or NULL without a space or out of range. */
static cJSON *entity_of_index(const LogTask *t, int64_t index) {
    if (!t->sp) return NULL;
    KnobVal vals[t->in->nknobs > 0 ? t->in->nknobs : 1];
    Config cfg = {.index = index, .nknobs = t->in->nknobs, .vals = vals};
    memset(vals, 0, sizeof vals);
    if (!space_get(t->sp, index, &cfg)) return NULL;
    return entity_json(t->in, &cfg);
}

struct LogWriter {
    int fd;
    bool do_fsync;
    char *path;
};

LogWriter *log_open(const char *path, bool do_fsync, char *err, size_t errlen) {
    int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open log '%s': %s", path, strerror(errno));
        return NULL;
    }
    /* A run killed mid-write leaves a torn last line: end it so our records start clean. */
    struct stat st;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        char last = '\n';
        if (pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n' && write(fd, "\n", 1) != 1) {
            snprintf(err, errlen, "cannot write log '%s': %s", path, strerror(errno));
            close(fd);
            return NULL;
        }
    }
    LogWriter *w = xcalloc(1, sizeof *w);
    w->fd = fd;
    w->do_fsync = do_fsync;
    w->path = xstrdup(path);
    return w;
}

bool log_sync(LogWriter *w) {
    return !w || fdatasync(w->fd) == 0;
}

void log_close(LogWriter *w) {
    if (!w) return;
    close(w->fd);
    free(w->path);
    free(w);
}

static cJSON *record_json(const LogTask *t, const Config *cfg, const LogResult *r) {
    cJSON *root = cJSON_CreateObject();
    cJSON *input = cJSON_AddArrayToObject(root, "input");
    cJSON_AddItemToArray(input, cJSON_CreateString(t->target));
    cJSON_AddItemToArray(input, cJSON_CreateString(t->name));
    cJSON_AddItemToArray(input, cJSON_Duplicate(t->args, true));
    cJSON_AddItemToArray(input, cJSON_CreateObject());
    cJSON *config = cJSON_AddObjectToObject(root, "config");
    cJSON_AddNumberToObject(config, "index", (double)r->index);
    cJSON_AddNullToObject(config, "code_hash");
    cJSON_AddItemToObject(config, "entity", entity_json(t->in, cfg));
    cJSON *result = cJSON_AddArrayToObject(root, "result");
    cJSON *costs = cJSON_CreateArray();
    if (r->error_no == ERR_NONE && r->ncosts > 0)
        for (int i = 0; i < r->ncosts; i++)
            cJSON_AddItemToArray(costs, cJSON_CreateNumber(r->costs[i]));
    else
        cJSON_AddItemToArray(costs, cJSON_CreateNumber(LOG_ERROR_COST));
    cJSON_AddItemToArray(result, costs);
    cJSON_AddItemToArray(result, cJSON_CreateNumber(r->error_no));
    cJSON_AddItemToArray(result, cJSON_CreateNumber(r->all_cost));
    cJSON_AddItemToArray(result, cJSON_CreateNumber(r->timestamp));
    cJSON_AddNumberToObject(root, "version", 0.2);
    cJSON_AddStringToObject(root, "tvm_version", "tec " TEC_VERSION);
    /* Not in AutoTVM's format either: the FLOPs, so log readers (--log-stats, --plot) give GFLOPS
     * without the template. */
    if (t->flop > 0) cJSON_AddNumberToObject(root, "flop", t->flop);
    /* Not in AutoTVM's format (readers ignore unknown keys): why the trial failed. */
    if (r->error_no != ERR_NONE && r->error_msg && *r->error_msg)
        cJSON_AddStringToObject(root, "error_msg", r->error_msg);
    /* Nor this: kernel calls the runner made (warm-up included); 1 when --cut-slow stopped. */
    if (r->calls > 0) cJSON_AddNumberToObject(root, "calls", (double)r->calls);
    return root;
}

double log_timestamp_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

bool log_append(LogWriter *w, const LogTask *t, const Config *cfg, const LogResult *r, char *err,
                size_t errlen) {
    cJSON *root = record_json(t, cfg, r);
    char *text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!text) {
        snprintf(err, errlen, "out of memory writing the log");
        return false;
    }
    size_t len = strlen(text);
    char *line = xmalloc(len + 2);
    memcpy(line, text, len);
    line[len++] = '\n';
    free(text);
    /* One write of the whole line on an O_APPEND descriptor: a kill leaves either the line or a
     * torn tail that the reader skips and the next log_open terminates. A failed write (a full
     * disk, a file size limit) is cut back to the last whole line at once. */
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(w->fd, line + off, len - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            int e = n < 0 ? errno : ENOSPC;
            /* the off bytes written are the file's last (O_APPEND): cut them */
            off_t end = off > 0 ? lseek(w->fd, 0, SEEK_END) : 0;
            if (off > 0 && (end < (off_t)off || ftruncate(w->fd, end - (off_t)off) != 0))
                snprintf(err, errlen,
                         "cannot write log '%s': %s (and cannot cut its torn line: %s)", w->path,
                         strerror(e), strerror(errno));
            else
                snprintf(err, errlen, "cannot write log '%s': %s", w->path, strerror(e));
            free(line);
            return false;
        }
        off += (size_t)n;
    }
    free(line);
    if (w->do_fsync) fdatasync(w->fd);
    return true;
}

/* ---- reading ---- */

static bool is_int_number(const cJSON *j) {
    return cJSON_IsNumber(j) && j->valuedouble == floor(j->valuedouble) &&
           fabs(j->valuedouble) < 9.007199254740992e15;
}

/* Parse one record. Returns NULL on success, else why the line is malformed. *mine tells whether
 * it belongs to the task (input and entity match). */
/* A well-formed record of this task whose entity is not the one this template's space gives its
 * index: a changed template, or another template of the same name. Counted, not warned per line. */
static const char MISMATCH[] = "entity does not match this template's config space";

static const char *parse_record(const LogTask *t, const cJSON *root, LogResult *r, bool *mine) {
    *mine = false;
    memset(r, 0, sizeof *r);
    if (!cJSON_IsObject(root)) return "not a JSON object";
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(root, "input");
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(root, "config");
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(root, "result");
    if (!cJSON_IsArray(input) || cJSON_GetArraySize(input) < 3)
        return "no \"input\" [target, task, args, ...]";
    if (!cJSON_IsObject(config)) return "no \"config\" object";
    if (!cJSON_IsArray(result) || cJSON_GetArraySize(result) < 4)
        return "no \"result\" [costs, error_no, all_cost, timestamp]";
    const cJSON *tgt = cJSON_GetArrayItem(input, 0), *name = cJSON_GetArrayItem(input, 1),
                *args = cJSON_GetArrayItem(input, 2);
    if (!cJSON_IsString(tgt) || !cJSON_IsString(name) || !cJSON_IsArray(args))
        return "malformed \"input\"";
    const cJSON *index = cJSON_GetObjectItemCaseSensitive(config, "index");
    const cJSON *entity = cJSON_GetObjectItemCaseSensitive(config, "entity");
    if (!is_int_number(index) || index->valuedouble < 0) return "malformed \"config\" index";
    const cJSON *costs = cJSON_GetArrayItem(result, 0), *eno = cJSON_GetArrayItem(result, 1),
                *all = cJSON_GetArrayItem(result, 2), *ts = cJSON_GetArrayItem(result, 3);
    /* an error number beyond int is malformed (converting it would be undefined) */
    if (!cJSON_IsArray(costs) || !is_int_number(eno) || fabs(eno->valuedouble) > 2147483647.0 ||
        !cJSON_IsNumber(all) || !cJSON_IsNumber(ts))
        return "malformed \"result\"";
    r->index = (int64_t)index->valuedouble;
    r->error_no = (int)eno->valuedouble;
    const cJSON *calls = cJSON_GetObjectItemCaseSensitive(root, "calls");
    if (is_int_number(calls) && calls->valuedouble > 0) r->calls = (int64_t)calls->valuedouble;
    r->all_cost = all->valuedouble;
    r->timestamp = ts->valuedouble;
    const cJSON *c;
    cJSON_ArrayForEach(c, costs) {
        /* AutoTVM error records may hold strings; only numbers are costs. */
        if (!cJSON_IsNumber(c)) {
            if (r->error_no == ERR_NONE) return "non-numeric cost in an error-free record";
            continue;
        }
        if (r->ncosts < LOG_MAX_COSTS) r->costs[r->ncosts++] = c->valuedouble;
    }
    if (r->error_no == ERR_NONE && r->ncosts == 0) return "error-free record without costs";
    for (int i = 0; r->error_no == ERR_NONE && i < r->ncosts; i++) {
        /* a time is positive and finite: a zero or negative cost would win every comparison */
        if (!isfinite(r->costs[i])) return "non-finite cost in an error-free record";
        if (r->costs[i] <= 0) return "cost <= 0 in an error-free record";
    }
    if (!t) { /* log_scan: every record */
        *mine = true;
        return NULL;
    }
    if (strcmp(tgt->valuestring, t->target) != 0 || strcmp(name->valuestring, t->name) != 0 ||
        !cJSON_Compare(args, t->args, true))
        return NULL;
    if (t->sp) {
        cJSON *want = entity_of_index(t, r->index);
        bool same = want && cJSON_Compare(want, entity, true);
        cJSON_Delete(want);
        if (!same) return MISMATCH;
    }
    *mine = true;
    return NULL;
}

/* False with "cannot read log 'PATH': REASON" in err and errno kept. */
static bool read_failed(const char *path, int e, char *err, size_t errlen) {
    snprintf(err, errlen, "cannot read log '%s': %s", path, strerror(e));
    errno = e;
    return false;
}

/* The record as log_scan gives it: its task's fields as text. */
static void fill_record(LogRecord *rec, const cJSON *root, char **texts) {
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(root, "input");
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(root, "config");
    const cJSON *entity = cJSON_GetObjectItemCaseSensitive(config, "entity");
    const cJSON *flop = cJSON_GetObjectItemCaseSensitive(root, "flop");
    rec->target = cJSON_GetArrayItem(input, 0)->valuestring;
    rec->name = cJSON_GetArrayItem(input, 1)->valuestring;
    texts[0] = cJSON_PrintUnformatted(cJSON_GetArrayItem(input, 2));
    texts[1] = entity ? cJSON_PrintUnformatted(entity) : NULL;
    rec->args = texts[0] ? texts[0] : "[]";
    rec->entity = texts[1] ? texts[1] : "[]";
    rec->flop = cJSON_IsNumber(flop) && isfinite(flop->valuedouble) && flop->valuedouble > 0
                    ? flop->valuedouble
                    : 0;
}

/* The reader both entries share: task t's records to fn, or (t NULL) every record to rfn. */
static bool read_log(const char *path, const LogTask *t, LogVisit fn, LogRecordVisit rfn, void *ctx,
                     FILE *warn, char *err, size_t errlen) {
    FILE *f = fopen(path, "r");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) { /* fopen opens directories */
        fclose(f);
        f = NULL;
        errno = EISDIR;
    }
    if (!f) return read_failed(path, errno, err, errlen);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    long lineno = 0, mismatched = 0, first_mismatch = 0;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        const char *p = line;
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
        if (*p == '\0' || *p == '#') continue;
        cJSON *root = cJSON_ParseWithLength(line, (size_t)len);
        LogResult r;
        bool mine = false;
        const char *why = root ? parse_record(t, root, &r, &mine) : "not valid JSON (torn line?)";
        if (why == MISMATCH) {
            if (!mismatched++) first_mismatch = lineno;
        } else if (why) {
            if (warn) fprintf(warn, "%s:%ld: warning: skipping log line: %s\n", path, lineno, why);
        } else if (mine && t) {
            fn(ctx, &r);
        } else if (mine) {
            while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
            char *texts[2];
            LogRecord rec = {.line = line, .lineno = lineno, .r = r};
            fill_record(&rec, root, texts);
            rfn(ctx, &rec);
            cJSON_free(texts[0]);
            cJSON_free(texts[1]);
        }
        cJSON_Delete(root);
    }
    if (mismatched && warn)
        fprintf(warn,
                "%s:%ld: warning: skipping %ld record%s of %s whose entity does not fit this "
                "template's config space (a changed template, or another of the same name?)\n",
                path, first_mismatch, mismatched, mismatched == 1 ? "" : "s", t->name);
    int read_errno = ferror(f) ? (errno ? errno : EIO) : 0;
    free(line);
    fclose(f);
    if (read_errno) return read_failed(path, read_errno, err, errlen);
    return true;
}

bool log_read(const char *path, const LogTask *t, LogVisit fn, void *ctx, FILE *warn, char *err,
              size_t errlen) {
    return read_log(path, t, fn, NULL, ctx, warn, err, errlen);
}

bool log_scan(const char *path, LogRecordVisit fn, void *ctx, FILE *warn, char *err,
              size_t errlen) {
    return read_log(path, NULL, NULL, fn, ctx, warn, err, errlen);
}

static void visit_trial(void *ctx, const LogResult *r) {
    LogTrials *w = ctx;
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 64;
        w->index = xrealloc(w->index, sizeof *w->index * (size_t)w->cap);
        w->gflops = xrealloc(w->gflops, sizeof *w->gflops * (size_t)w->cap);
        w->timestamp = xrealloc(w->timestamp, sizeof *w->timestamp * (size_t)w->cap);
    }
    double cost = r->error_no == ERR_NONE ? log_mean_cost(r) : 0;
    w->index[w->n] = r->index;
    w->gflops[w->n] = cost > 0 ? w->flops / cost / 1e9 : 0;
    w->timestamp[w->n++] = r->timestamp;
}

bool log_trials(const char *path, const LogTask *t, double flops, LogTrials *out, FILE *warn,
                char *err, size_t errlen) {
    memset(out, 0, sizeof *out);
    out->flops = flops;
    return log_read(path, t, visit_trial, out, warn, err, errlen);
}

void log_trials_free(LogTrials *t) {
    free(t->index);
    free(t->gflops);
    free(t->timestamp);
    memset(t, 0, sizeof *t);
}

typedef struct Input {
    char *key; /* target, name and args as text: equal inputs, equal keys */
    char *target, *name, *args;
    long records;
} Input;

typedef struct InputsCtx {
    Input *in;
    int n, cap;
} InputsCtx;

static void visit_input(void *ctx, const LogRecord *rec) {
    InputsCtx *c = ctx;
    size_t klen = strlen(rec->target) + strlen(rec->name) + strlen(rec->args) + 3;
    char *key = xmalloc(klen);
    snprintf(key, klen, "%s\n%s\n%s", rec->target, rec->name, rec->args);
    int i = 0;
    while (i < c->n && strcmp(c->in[i].key, key) != 0) i++;
    if (i == c->n) {
        if (c->n == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 8;
            c->in = xrealloc(c->in, sizeof *c->in * (size_t)c->cap);
        }
        c->in[c->n++] = (Input){.key = key,
                                .target = xstrdup(rec->target),
                                .name = xstrdup(rec->name),
                                .args = xstrdup(rec->args)};
    } else {
        free(key);
    }
    c->in[i].records++;
}

static char *arg_text(const cJSON *a) {
    char buf[64];
    if (cJSON_IsString(a)) return xstrdup(a->valuestring);
    if (is_int_number(a)) {
        snprintf(buf, sizeof buf, "%lld", (long long)a->valuedouble);
        return xstrdup(buf);
    }
    return xstrdup("?");
}

static void give_input(const Input *x, LogInputVisit fn, void *ctx) {
    cJSON *args = cJSON_Parse(x->args);
    int nargs = cJSON_GetArraySize(args);
    char **text = xmalloc(sizeof *text * (size_t)(nargs ? nargs : 1));
    for (int k = 0; k < nargs; k++) text[k] = arg_text(cJSON_GetArrayItem(args, k));
    fn(ctx, x->target, x->name, (const char *const *)text, nargs, x->records);
    for (int k = 0; k < nargs; k++) free(text[k]);
    free(text);
    cJSON_Delete(args);
}

bool log_inputs(const char *path, LogInputVisit fn, void *ctx, char *err, size_t errlen) {
    InputsCtx c = {0};
    bool ok = log_scan(path, visit_input, &c, NULL, err, errlen);
    for (int i = 0; i < c.n; i++) {
        if (ok) give_input(&c.in[i], fn, ctx);
        free(c.in[i].key);
        free(c.in[i].target);
        free(c.in[i].name);
        free(c.in[i].args);
    }
    free(c.in);
    return ok;
}

static void visit_best(void *ctx, const LogResult *r) {
    if (r->error_no == ERR_NONE) log_pick_add(ctx, r->index, log_mean_cost(r));
}

bool log_best(const char *path, const LogTask *t, int64_t *index, double *cost, FILE *warn,
              char *err, size_t errlen) {
    LogPick *p = log_pick_new();
    if (errlen) err[0] = '\0';
    bool found =
        log_read(path, t, visit_best, p, warn, err, errlen) && log_pick_best(p, index, cost);
    log_pick_free(p);
    return found;
}
