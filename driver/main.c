/* tec's command line: reads options, then runs the pipeline for the chosen mode
 * (--check, --space, --run, --tune, or compile one config to an object and header). */
#include "compiler/codegen.h"
#include "lang/xalloc.h"
#include "compiler/header.h"
#include "compiler/lower.h"
#include "driver/run.h"
#include "lang/eval.h"
#include "tuner/space.h"
#include "tuner/tune.h"
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum Mode { MODE_BUILD, MODE_CHECK, MODE_SPACE, MODE_RUN, MODE_TUNE } Mode;

typedef struct Options {
    Mode mode;
    const char *file, *tname, *out, *emit, *log, *triple, *cpu;
    Define *defs;
    int ndefs;
    int64_t config; /* -1: none given */
    bool fallback, verify;
    int repeat;
    const char *dump_after;
    TuneCli tune;
} Options;

static const char usage[] =
    "usage: tec [options] FILE.te\n"
    "\n"
    "modes:\n"
    "  (default)            compile one config to an object file and a C header\n"
    "  --check              check the template and print the bound instance\n"
    "  --space              print the config space (with --config I: print config I)\n"
    "  --run                compile in process, run on random inputs, check against the\n"
    "                       reference evaluator, print the median time and GFLOPS\n"
    "  --tune               tune: measure configs, log every trial, emit the best kernel\n"
    "\n"
    "options:\n"
    "  -D NAME=VALUE        bind a template parameter (an integer or a dtype)\n"
    "  -t NAME              the template to use when the file holds several\n"
    "  -o OUT               output file (default NAME.o, NAME.s, NAME.ll; --emit loops: stdout)\n"
    "  --emit KIND          obj (default), asm, llvm or loops\n"
    "  --config I           use config index I of the space (default 0)\n"
    "  --log FILE           use the best record of a tuning log\n"
    "  --fallback           with --log: use config 0 when the log has no matching record\n"
    "  --target TRIPLE      target triple (default: the host)\n"
    "  --mcpu CPU           target CPU (default: the host CPU)\n"
    "  -j N                 parallel builds (default: the number of cores)\n"
    "\n"
    "tuning options (--tune):\n"
    "  --tuner NAME         random (default), grid, ga or xgb\n"
    "  --trials N           configs to measure (capped at the space size)\n"
    "  --early-stopping N   stop when the last N trials found nothing better\n"
    "  --number N           calls per timed repeat (default 4)\n"
    "  --repeat N           timed repeats per config (default 3; --run: timed runs, default 10)\n"
    "  --min-repeat-ms MS   grow --number until a repeat takes this long (default 0)\n"
    "  --timeout S          seconds per trial before it is killed (default 10)\n"
    "  --flush-cache        flush the cache between repeats\n"
    "  --resume             continue from the log: measured configs are not measured again\n"
    "  --seed N             random seed of the tuner\n"
    "  --log FILE           the tuning log (default NAME.log)\n"
    "  --verify-ir          verify the IR after every lowering pass\n"
    "  --dump-after PASS    print the IR after lowering pass PASS to stderr\n"
    "  -h, --help           print this help\n"
    "  --version            print the version\n";

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("tec: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static int64_t parse_count(const char *flag, const char *s, int64_t min) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < min)
        die("%s expects an integer >= %lld, got '%s'", flag, (long long)min, s);
    return v;
}

/* An option stored in an int: larger values would wrap silently (--number 4294967297 ran 1). */
static int parse_int(const char *flag, const char *s, int min) {
    int64_t v = parse_count(flag, s, min);
    if (v > INT_MAX) die("%s expects an integer from %d to %d, got '%s'", flag, min, INT_MAX, s);
    return (int)v;
}

enum {
    OPT_CHECK = 256,
    OPT_SPACE,
    OPT_RUN,
    OPT_TUNE,
    OPT_EMIT,
    OPT_CONFIG,
    OPT_LOG,
    OPT_FALLBACK,
    OPT_TARGET,
    OPT_MCPU,
    OPT_REPEAT,
    OPT_VERSION,
    OPT_VERIFY,
    OPT_DUMP_AFTER,
    OPT_TUNER,
    OPT_TRIALS,
    OPT_EARLY,
    OPT_NUMBER,
    OPT_MIN_REPEAT_MS,
    OPT_TIMEOUT,
    OPT_FLUSH,
    OPT_RESUME,
    OPT_SEED,
};

static double parse_seconds(const char *flag, const char *s) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= 0) || v > 1e7)
        die("%s expects a number from 0 to 10000000, got '%s'", flag, s);
    return v;
}

static void parse_args(int argc, char **argv, Options *o) {
    static const struct option longopts[] = {
        {"check", no_argument, 0, OPT_CHECK},
        {"space", no_argument, 0, OPT_SPACE},
        {"run", no_argument, 0, OPT_RUN},
        {"tune", no_argument, 0, OPT_TUNE},
        {"emit", required_argument, 0, OPT_EMIT},
        {"config", required_argument, 0, OPT_CONFIG},
        {"log", required_argument, 0, OPT_LOG},
        {"fallback", no_argument, 0, OPT_FALLBACK},
        {"target", required_argument, 0, OPT_TARGET},
        {"mcpu", required_argument, 0, OPT_MCPU},
        {"repeat", required_argument, 0, OPT_REPEAT},
        {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, OPT_VERSION},
        {"verify-ir", no_argument, 0, OPT_VERIFY},
        {"dump-after", required_argument, 0, OPT_DUMP_AFTER},
        {"tuner", required_argument, 0, OPT_TUNER},
        {"trials", required_argument, 0, OPT_TRIALS},
        {"early-stopping", required_argument, 0, OPT_EARLY},
        {"number", required_argument, 0, OPT_NUMBER},
        {"min-repeat-ms", required_argument, 0, OPT_MIN_REPEAT_MS},
        {"timeout", required_argument, 0, OPT_TIMEOUT},
        {"flush-cache", no_argument, 0, OPT_FLUSH},
        {"resume", no_argument, 0, OPT_RESUME},
        {"seed", required_argument, 0, OPT_SEED},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    o->config = -1;
    o->repeat = 0;
    o->defs = xcalloc((size_t)argc, sizeof(Define));
    int modes = 0, c;
    opterr = 0;
    TuneCli *t = &o->tune;
    while ((c = getopt_long(argc, argv, ":D:t:o:j:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'D': {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg || !eq[1]) die("-D expects NAME=VALUE, got '%s'", optarg);
            *eq = 0;
            for (int i = 0; i < o->ndefs; i++)
                if (strcmp(o->defs[i].name, optarg) == 0) die("-D %s is given twice", optarg);
            o->defs[o->ndefs++] = (Define){optarg, eq + 1};
            break;
        }
        case 't':
            o->tname = optarg;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            exit(0);
        case OPT_VERSION:
            printf("tec %s (LLVM 19)\n", TEC_VERSION);
            exit(0);
        case OPT_CHECK:
            o->mode = MODE_CHECK, modes++;
            break;
        case OPT_SPACE:
            o->mode = MODE_SPACE, modes++;
            break;
        case OPT_RUN:
            o->mode = MODE_RUN, modes++;
            break;
        case OPT_TUNE:
            o->mode = MODE_TUNE, modes++;
            break;
        case OPT_EMIT:
            if (strcmp(optarg, "obj") && strcmp(optarg, "asm") && strcmp(optarg, "llvm") &&
                strcmp(optarg, "loops"))
                die("--emit expects obj, asm, llvm or loops, got '%s'", optarg);
            o->emit = optarg;
            break;
        case OPT_CONFIG:
            o->config = parse_count("--config", optarg, 0);
            break;
        case OPT_LOG:
            o->log = optarg;
            break;
        case OPT_FALLBACK:
            o->fallback = true;
            break;
        case OPT_TARGET:
            o->triple = optarg;
            break;
        case OPT_MCPU:
            o->cpu = optarg;
            break;
        case OPT_REPEAT:
            o->repeat = parse_int("--repeat", optarg, 1);
            break;
        case 'j':
            t->jobs = parse_int("-j", optarg, 1);
            break;
        case OPT_TUNER:
            if (strcmp(optarg, "random") && strcmp(optarg, "grid") && strcmp(optarg, "ga") &&
                strcmp(optarg, "xgb"))
                die("--tuner expects random, grid, ga or xgb, got '%s'", optarg);
            t->tuner = optarg;
            break;
        case OPT_TRIALS:
            t->trials = parse_count("--trials", optarg, 1);
            break;
        case OPT_EARLY:
            t->early_stopping = parse_count("--early-stopping", optarg, 1);
            break;
        case OPT_NUMBER:
            t->number = parse_int("--number", optarg, 1);
            break;
        case OPT_MIN_REPEAT_MS:
            t->min_repeat_ms = parse_seconds("--min-repeat-ms", optarg);
            break;
        case OPT_TIMEOUT:
            t->timeout = parse_seconds("--timeout", optarg);
            /* 0 used to mean the default (10 s) silently; no trial can finish in 0 s. */
            if (t->timeout == 0) die("--timeout expects a number of seconds > 0, got '%s'", optarg);
            break;
        case OPT_FLUSH:
            t->flush_cache = true;
            break;
        case OPT_RESUME:
            t->resume = true;
            break;
        case OPT_SEED:
            t->seed = (uint64_t)parse_count("--seed", optarg, 0);
            t->seed_given = true;
            break;
        case OPT_VERIFY:
            o->verify = true;
            break;
        case OPT_DUMP_AFTER:
            if (!lower_is_pass(optarg))
                die("--dump-after expects build, unit_loops, simplify, unroll, vectorize or "
                    "parallel, got '%s'",
                    optarg);
            o->dump_after = optarg;
            break;
        case ':':
            die("option '%s' needs a value (see tec --help)", argv[optind - 1]);
        default:
            die("unknown option '%s' (see tec --help)", argv[optind - 1]);
        }
    }
    if (modes > 1) die("give at most one of --check, --space, --run and --tune");
    if (optind >= argc) die("no input file (usage: tec [options] FILE.te; see tec --help)");
    if (optind + 1 < argc)
        die("more than one input file: '%s' and '%s'", argv[optind], argv[optind + 1]);
    o->file = argv[optind];
    if (!o->emit) o->emit = "obj";
    if (o->config >= 0 && o->log && o->mode != MODE_TUNE) die("give --config or --log, not both");
    if (o->mode != MODE_TUNE &&
        (t->tuner || t->trials || t->early_stopping || t->number || t->min_repeat_ms > 0 ||
         t->timeout > 0 || t->flush_cache || t->resume || t->seed_given))
        die("tuning options (--tuner, --trials, --resume, ...) need --tune");
    t->repeat = o->repeat;
    if (!o->repeat) o->repeat = 10;
    t->file = o->file;
    t->out = o->out;
    t->log = o->log;
    t->triple = o->triple;
    t->cpu = o->cpu;
}

/* Reads the whole file; a directory, a missing or unreadable file is an error naming it. */
static char *read_file(const char *path, size_t *len) {
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f) die("cannot open '%s': %s", path, strerror(errno));
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) die("'%s' is a directory", path);
    size_t cap = 4096, n = 0;
    char *buf = xmalloc(cap);
    for (size_t got; (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            char *more = realloc(buf, cap *= 2);
            if (!more) die("'%s' is too large", path);
            buf = more;
        }
    }
    if (ferror(f)) die("cannot read '%s': %s", path, strerror(errno));
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Default output name: the kernel's name with the emit kind's extension. */
static const char *default_out(Arena *a, const Inst *in, const char *emit) {
    const char *ext = !strcmp(emit, "asm") ? "s" : !strcmp(emit, "llvm") ? "ll" : "o";
    return arena_printf(a, "%s.%s", in->name, ext);
}

static const char *header_path(Arena *a, const char *obj) {
    size_t n = strlen(obj) + 3;
    char *buf = arena_alloc(a, n);
    header_path_for(buf, n, obj);
    return buf;
}

static const char *base_name(const char *path) {
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* True when a and b name the same file (textually, or the same inode when both exist). */
static bool same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (!strcmp(a, b)) return true;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Refuse, before any work, to write an output over the template or the tuning log (as cc refuses
 * `-o x.c x.c`): `-o mm.te` or `--log mm.o -o mm.o` used to replace them with the object. */
static void check_outputs(const char *file, const char *log, const char *out, const char *header) {
    const char *outs[2] = {out, header};
    for (int i = 0; i < 2 && outs[i]; i++) {
        if (same_file(outs[i], file))
            die("output '%s' would overwrite the template '%s'", outs[i], file);
        if (log && same_file(outs[i], log))
            die("output '%s' would overwrite the tuning log '%s'", outs[i], log);
    }
}

/* A source with a NUL byte is not text (an object file, an image, a zeroed disk block): one
 * located error at the first NUL says so, instead of a screen of "unexpected character". */
static bool looks_like_text(Diag *d) {
    const char *nul = memchr(d->src, 0, d->srclen);
    if (!nul) return true;
    Loc loc = {1, 1, 1};
    for (const char *p = d->src; p < nul; p++) {
        if (*p == '\n') {
            loc.line++;
            loc.col = 1;
        } else {
            loc.col++;
        }
    }
    return diag_error(d, loc,
                      "a NUL byte: this is not a .te source file (it does not look like text)");
}

/* Runs the chosen mode on the checked source; returns the exit status. Everything it allocates
 * lives in arena or is freed before it returns. */
static int run(const Options *opt, Arena *arena, Diag *diag) {
    Options o = *opt;
    if (!looks_like_text(diag)) return 1;
    Program *prog = parse_program(arena, diag, diag->src, diag->srclen);
    if (!prog) return 1;
    Inst *in = sema_bind(arena, diag, prog, o.tname, o.defs, o.ndefs);
    if (!in) return 1;
    if (o.mode == MODE_CHECK) {
        inst_print(stdout, in);
        return 0;
    }

    Space *space = space_new(arena, diag, in);
    if (!space) return 1;
    Config cfg = {.index = 0,
                  .nknobs = in->nknobs,
                  .vals = ARENA_ARRAY(arena, KnobVal, in->nknobs > 0 ? in->nknobs : 1)};
    int64_t index = o.config >= 0 ? o.config : 0;
    if (o.log && o.mode != MODE_TUNE) {
        if (!driver_best_from_log(o.log, in, space, o.triple, o.cpu, &index)) {
            if (!o.fallback) return 1;
            fprintf(stderr,
                    "tec: warning: no record of %s in '%s': compiling config 0 (--fallback)\n",
                    in->name, o.log);
            index = 0;
        }
    }
    if (!space_get(space, index, &cfg)) {
        fprintf(stderr, "tec: error: config index %lld is outside the space of %s (len=%lld)\n",
                (long long)index, in->name, (long long)space_len(space));
        return 1;
    }
    cfg.index = index;

    if (o.mode == MODE_SPACE) {
        if (o.config >= 0)
            printf("%s\n", space_entity_str(arena, space, &cfg));
        else
            space_print(stdout, space);
        return 0;
    }
    if (o.mode == MODE_TUNE) {
        const char *out = o.out ? o.out : arena_printf(arena, "%s.o", in->name);
        char hpath[4096];
        header_path_for(hpath, sizeof hpath, out); /* the header tune_run writes */
        check_outputs(o.file, o.log ? o.log : arena_printf(arena, "%s.log", in->name), out, hpath);
        if (o.log && same_file(o.log, o.file))
            die("the tuning log '%s' is the template itself", o.log);
        return driver_tune(&o.tune, in, space, diag->src, diag->srclen);
    }

    LowerOptions lopt = {.verify = o.verify, .dump_after = o.dump_after};
    IrFunc *fn = lower(arena, diag, in, in->nknobs ? &cfg : NULL, &lopt);
    if (!fn) return 1;
    if (o.mode == MODE_BUILD && (o.out || strcmp(o.emit, "loops"))) {
        const char *out = o.out ? o.out : default_out(arena, in, o.emit);
        check_outputs(o.file, o.log, out, !strcmp(o.emit, "obj") ? header_path(arena, out) : NULL);
    }
    if (o.mode == MODE_BUILD && !strcmp(o.emit, "loops")) {
        if (!o.out) {
            ir_print(stdout, fn);
            return 0;
        }
        return driver_write_loops(o.out, fn) ? 0 : 1;
    }

    char err[1024] = "";
    CgTarget target = {.triple = o.triple, .cpu = o.cpu};
    Cg *cg = cg_new(&target, err, sizeof err);
    if (!cg) {
        fprintf(stderr, "tec: error: %s\n", err);
        return 1;
    }
    int rc = 1;
    CgModule *mod = cg_compile(cg, fn, err, sizeof err);
    if (!mod) {
        fprintf(stderr, "tec: error: compiling %s failed: %s\n", in->name, err);
    } else if (o.mode == MODE_RUN) {
        rc = driver_run(cg, mod, in, o.repeat) ? 0 : 1; /* consumes mod */
        mod = NULL;
    } else {
        const char *out = o.out ? o.out : default_out(arena, in, o.emit);
        CgOutput kind = !strcmp(o.emit, "asm")    ? CG_ASM
                        : !strcmp(o.emit, "llvm") ? CG_LLVM
                                                  : CG_OBJ;
        const char *desc = in->nknobs ? arena_printf(arena, "config %lld of %lld: %s",
                                                     (long long)index, (long long)space_len(space),
                                                     space_entity_str(arena, space, &cfg))
                                      : NULL;
        if (!driver_write_output(cg, mod, kind, out, err, sizeof err)) {
            fprintf(stderr, "tec: error: %s\n", err);
        } else if (kind == CG_OBJ &&
                   !header_write(header_path(arena, out), in, desc, base_name(out),
                                 ir_has_parallel(fn), cg_triple(cg), err, sizeof err)) {
            unlink(out);
            fprintf(stderr, "tec: error: %s\n", err);
        } else {
            rc = 0;
        }
    }
    if (mod) cg_module_free(mod);
    cg_free(cg);
    return rc;
}

int main(int argc, char **argv) {
    Options o;
    parse_args(argc, argv, &o);
    size_t len;
    char *src = read_file(o.file, &len);
    Arena *arena = arena_new();
    Diag diag;
    diag_init(&diag, o.file, src, len);
    int rc = run(&o, arena, &diag);
    arena_free(arena);
    free(src);
    free(o.defs);
    return rc;
}
