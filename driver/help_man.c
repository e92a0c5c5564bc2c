/* Writes tec(1) in roff from the --help text, so the options have one definition: "usage:" lines
 * become the synopsis, a "name:" line a subsection, "  TERM   TEXT" an option paragraph, and
 * lines indented to the text column its continuation. */
#include "driver/help_man.h"
#include <stdbool.h>
#include <string.h>

enum { TEXT_COL = 23 }; /* where --help's descriptions start */

/* Text with roff's specials escaped: backslash, and '-' as a minus sign (options stay
 * copyable); a leading '.' or '\'' would be read as a request. */
static void put_roff(FILE *f, const char *s, size_t n) {
    if (n && (*s == '.' || *s == '\'')) fputs("\\&", f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", f);
        else if (s[i] == '-')
            fputs("\\-", f);
        else
            fputc(s[i], f);
    }
}

/* An option's term: flags in bold, their values in italics ("-D NAME=VALUE", "-h, --help"). */
static void put_term(FILE *f, const char *s, size_t n) {
    for (size_t i = 0; i < n;) {
        size_t w = i;
        while (w < n && s[w] != ' ' && s[w] != ',') w++;
        if (w > i) {
            fputs(s[i] == '-' ? "\\fB" : s[i] == '(' ? "" : "\\fI", f);
            put_roff(f, s + i, w - i);
            if (s[i] != '(') fputs("\\fR", f);
        }
        if (w < n) fputc(s[w], f);
        i = w + 1;
    }
}

void help_man(FILE *f, const char *usage, const char *version) {
    fprintf(f,
            ".TH TEC 1 \"\" \"tec %s\" \"User Commands\"\n"
            ".SH NAME\ntec \\- compile and auto-tune tensor programs\n.SH SYNOPSIS\n",
            version);
    const char *p = usage;
    bool in_synopsis = true;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t indent = strspn(p, " ");
        if (n == 0) {
            if (in_synopsis)
                fputs(".SH DESCRIPTION\n"
                      "tec reads a \\fI.te\\fR template (tensors, a compute definition and a "
                      "schedule whose knobs span a config space), compiles configs through LLVM, "
                      "measures them, logs every trial in AutoTVM's log format and emits the "
                      "fastest kernel as an object file and a C header.\n.SH OPTIONS\n",
                      f);
            in_synopsis = false;
        } else if (in_synopsis) { /* "usage: tec ..." and its indented alternatives */
            const char *cmd = !strncmp(p, "usage: ", 7) ? p + 7 : p + indent;
            fputs(".PP\n", f);
            put_roff(f, cmd, n - (size_t)(cmd - p));
            fputc('\n', f);
        } else if (indent == 0 && p[n - 1] == ':') { /* "options (...):" */
            fputs(".SS ", f);
            put_roff(f, p, n - 1);
            fputc('\n', f);
        } else if (indent >= TEXT_COL) { /* a description's next line */
            put_roff(f, p + indent, n - indent);
            fputc('\n', f);
        } else { /* "  TERM   TEXT" */
            const char *gap = strstr(p + indent, "  ");
            size_t term = gap && gap < p + n ? (size_t)(gap - p) - indent : n - indent;
            fputs(".TP\n", f);
            put_term(f, p + indent, term);
            fputc('\n', f);
            if (n > TEXT_COL) {
                put_roff(f, p + TEXT_COL, n - TEXT_COL);
                fputc('\n', f);
            }
        }
        p += n + (nl ? 1 : 0);
    }
    fputs(".SH FILES\n.TP\n\\fINAME\\fR.log\nthe tuning log of \\fB\\-\\-tune\\fR, one JSON record "
          "a line in AutoTVM's v0.2 format\n"
          ".SH SEE ALSO\nThe documentation beside the sources: docs/driver.md (the command line, "
          "the log tools and CMake's \\fBtec_add_kernel\\fR), docs/tuning.md, "
          "docs/language.md.\n",
          f);
}
