/* Parser for .te files: takes the tokens of lang/lexer.l, gives the Program of lang/ast.h.
 * Pure and reentrant; syntax errors are reported at the offending token, and the parse resumes
 * at the next statement terminator so independent errors are all reported. */
%define api.pure full
%define api.location.type {Loc}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%lex-param {yyscan_t scanner}
%parse-param {yyscan_t scanner} {ParseCtx *p}

%code requires {
#include "lang/ast.h"
#ifndef YY_TYPEDEF_YY_SCANNER_T
#define YY_TYPEDEF_YY_SCANNER_T
typedef void *yyscan_t;
#endif

/* Growable arrays of the parser's semantic values, arena-allocated. */
typedef struct NodeVec { Node **v; int n, cap; } NodeVec;
typedef struct StmtVec { Stmt **v; int n, cap; } StmtVec;
typedef struct IdentVec { Ident *v; int n, cap; } IdentVec;
typedef struct ParamVec { Param *v; int n, cap; } ParamVec;

/* State shared by scanner (as yyextra) and parser. */
typedef struct ParseCtx {
    Arena *a;
    Diag *d;
    struct { Template **v; int n, cap; } templates;
    /* scanner */
    int line, col;              /* where the next byte is */
    int depth;                  /* open '(' and '[': newlines inside are not tokens */
    Loc open[AST_MAX_DEPTH];    /* where each open bracket is (for "to match this '('") */
    char open_ch[AST_MAX_DEPTH];
    int depth_at_brace;         /* brackets still open when the last brace reset depth */
    Loc brace[16];              /* the innermost open '{'s */
    int nbrace;
    Loc prev_end;               /* just after the last token */
    bool nl_skipped;            /* a newline was skipped inside brackets since then */
    bool tok_after_nl;          /* the current token came after a skipped newline ... */
    Loc tok_nl_loc;             /* ... which ended the line here */
    const char *tok_name;       /* text of the last identifier */
    bool tok_unmatched;         /* the last ')', ']' or '}' closed nothing */
    int tok_mismatched;         /* the last ')' or ']' closed open[this - 1] of the other kind */
    int lex_err_line;           /* line of the last lexical error (one per line) */
    const char *src, *scan;     /* the source, and the copy scanned (NUL bytes made \x01) */
} ParseCtx;

/* Locations: a rule's location is its first symbol's (the first token of the node). */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                                            \
    do {                                                                                       \
        if (N) (Cur) = YYRHSLOC(Rhs, 1);                                                       \
        else (Cur) = YYRHSLOC(Rhs, 0);                                                         \
    } while (0)
}

%code {
#include "lexer.h"
#include <string.h>

/* Bison's stack grows on the heap up to this many states; the scanner and the depth checks
 * keep legitimate inputs far below it, so reaching it means absurd nesting (see yyerror). */
#define YYMAXDEPTH 10000

static void yyerror(Loc *loc, yyscan_t scanner, ParseCtx *p, const char *msg);

/* Nodes carry their depth beside them so the depth limit costs O(1) per node. */
typedef struct DNode {
    Node n;
    int depth;
} DNode;

static Node *mk(ParseCtx *p, NodeKind k, Loc loc) {
    DNode *dn = ARENA_NEW(p->a, DNode);
    dn->n.kind = k;
    dn->n.loc = loc;
    dn->depth = 1;
    return &dn->n;
}

static int depth_of(const Node *n) {
    return n ? ((const DNode *)n)->depth : 0;
}

/* Set n's depth from its children; false (after reporting) if it is too deep. */
static bool check_depth(ParseCtx *p, Node *n) {
    int d = depth_of(n->lhs);
    if (depth_of(n->rhs) > d) d = depth_of(n->rhs);
    for (int i = 0; i < n->nargs; i++)
        if (depth_of(n->args[i]) > d) d = depth_of(n->args[i]);
    ((DNode *)n)->depth = d + 1;
    if (d + 1 <= AST_MAX_DEPTH) return true;
    return diag_error(p->d, n->loc, "expression nested too deeply (more than %d levels)",
                      AST_MAX_DEPTH);
}
#define CHECK(n)                                                                               \
    do {                                                                                       \
        if (!check_depth(p, (n))) YYERROR;                                                     \
    } while (0)

#define PUSH(p, vec, x)                                                                        \
    do {                                                                                       \
        if ((vec).n == (vec).cap) {                                                            \
            int ncap_ = (vec).cap ? 2 * (vec).cap : 4;                                         \
            (vec).v = arena_grow((p)->a, (vec).v, (size_t)(vec).cap, (size_t)ncap_,            \
                                 sizeof *(vec).v);                                             \
            (vec).cap = ncap_;                                                                 \
        }                                                                                      \
        (vec).v[(vec).n++] = (x);                                                              \
    } while (0)

static Node *binary(ParseCtx *p, Op op, Node *l, Node *r, Loc loc) {
    Node *n = mk(p, AST_BINARY, loc);
    n->op = op;
    n->lhs = l;
    n->rhs = r;
    return n;
}

static Node *with_args(ParseCtx *p, NodeKind k, Loc loc, const char *name, NodeVec v) {
    Node *n = mk(p, k, loc);
    n->name = name;
    n->args = v.v;
    n->nargs = v.n;
    return n;
}

/* `PARAMS => body`: the parameters are a name or a tuple of names. */
static Node *lambda(ParseCtx *p, Node *params, Node *body, Loc loc) {
    Node *n = mk(p, AST_LAMBDA, loc);
    n->lhs = body;
    if (params->kind == AST_NAME) {
        n->args = ARENA_ARRAY(p->a, Node *, 1);
        n->args[0] = params;
        n->nargs = 1;
    } else if (params->kind == AST_TUPLE) {
        n->args = params->args;
        n->nargs = params->nargs;
        for (int i = 0; i < n->nargs; i++)
            if (n->args[i]->kind != AST_NAME) {
                diag_error(p->d, n->args[i]->loc,
                           "a lambda parameter must be a name, as in (i, j) => ...");
                break;
            }
    } else {
        diag_error(p->d, params->loc,
                   "the left side of '=>' must be lambda parameters, as in (i, j) => ...");
    }
    return n;
}

static Ident ident(const char *name, Loc loc) {
    return (Ident){name, loc};
}

static Stmt *stmt(ParseCtx *p, StmtKind k, Loc loc) {
    Stmt *s = ARENA_NEW(p->a, Stmt);
    s->kind = k;
    s->loc = loc;
    return s;
}

static Stmt *stmt1(ParseCtx *p, StmtKind k, Loc loc, const char *name, Loc nloc) {
    Stmt *s = stmt(p, k, loc);
    s->name = ident(name, nloc);
    return s;
}
}

%union {
    int64_t ival;
    double fval;
    const char *name;
    Node *node;
    NodeVec nodes;
    Stmt *stmt;
    StmtVec stmts;
    IdentVec ids;
    Param param;
    ParamVec params;
    Template *tmpl;
}

%token <name> IDENT "identifier"
%token <ival> INT "integer"
%token <fval> FLOAT "float"
%token NEWLINE "newline"
%token LEXERR "invalid token"
%token TEMPLATE "'template'" SCHEDULE "'schedule'" KNOB "'knob'" SPLIT "'split'"
%token FUSE "'fuse'" REORDER "'reorder'" VECTORIZE "'vectorize'" UNROLL "'unroll'"
%token PARALLEL "'parallel'" ANNOTATE "'annotate'" COMPUTE_AT "'compute_at'"
%token COMPUTE_INLINE "'compute_inline'" BY "'by'" NPARTS "'nparts'"
%token ARROW "'->'" FATARROW "'=>'" EQ "'=='" NE "'!='" LE "'<='" GE "'>='"
%token AND "'&&'" OR "'||'"

%right FATARROW
%left OR
%left AND
%left EQ NE
%left '<' LE '>' GE
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%type <node> expr primary arg
%type <nodes> elist args arglist
%type <stmt> stmt sstmt
%type <stmts> body block sbody sblock
%type <ids> ids2 idlist
%type <param> param
%type <params> params plist
%type <tmpl> template
%type <name> callname

%%

/* program = (template | terminator)* */
program:
    %empty
  | program term
  | program template    { if ($2) PUSH(p, p->templates, $2); }
  | program error term  { yyerrok; }
;

term: NEWLINE | ';' ;

nls: %empty | nls NEWLINE ;

/* template = 'template' NAME '(' params ')' '{' body '}' */
template:
    TEMPLATE IDENT '(' params ')' nls block {
        $$ = ARENA_NEW(p->a, Template);
        $$->name = ident($2, @2);
        $$->loc = @1;
        $$->params = $4.v;
        $$->nparams = $4.n;
        $$->body = $7.v;
        $$->nbody = $7.n;
    }
  | TEMPLATE error block { $$ = NULL; } /* a broken header: still check the body */
;

params: %empty { $$ = (ParamVec){0}; } | plist | plist ',' ;
plist:
    param               { $$ = (ParamVec){0}; PUSH(p, $$, $1); }
  | plist ',' param     { $$ = $1; PUSH(p, $$, $3); }
;
param:
    IDENT               { $$ = (Param){ident($1, @1), NULL}; }
  | IDENT '=' expr      { $$ = (Param){ident($1, @1), $3}; }
;

/* A block's last statement may be closed by the '}' itself. After an error in a template or
 * schedule header, its '{' resumes normal reporting. */
lbrace: '{' { yyerrok; } ;

block:
    lbrace body '}'        { $$ = $2; }
  | lbrace body stmt '}'   { $$ = $2; PUSH(p, $$, $3); }
  | lbrace body error '}'  { $$ = $2; yyerrok; }
;
body:
    %empty              { $$ = (StmtVec){0}; }
  | body term
  | body stmt term      { $$ = $1; PUSH(p, $$, $2); }
  | body error term     { yyerrok; }
;

/* stmt = NAME '=' expr | 'schedule' NAME '{' schedule-statements '}' */
stmt:
    IDENT '=' expr      { $$ = stmt1(p, STMT_ASSIGN, @1, $1, @1); $$->value = $3; }
  | SCHEDULE IDENT nls sblock {
        $$ = stmt1(p, STMT_SCHEDULE, @1, $2, @2);
        $$->body = $4.v;
        $$->nbody = $4.n;
    }
  | SCHEDULE error sblock { $$ = stmt(p, STMT_SCHEDULE, @1); }
;

sblock:
    lbrace sbody '}'       { $$ = $2; }
  | lbrace sbody sstmt '}' { $$ = $2; PUSH(p, $$, $3); }
  | lbrace sbody error '}' { $$ = $2; yyerrok; }
;
sbody:
    %empty              { $$ = (StmtVec){0}; }
  | sbody term
  | sbody sstmt term    { $$ = $1; PUSH(p, $$, $2); }
  | sbody error term    { yyerrok; }
;

sstmt:
    KNOB IDENT '=' expr { $$ = stmt1(p, STMT_KNOB, @1, $2, @2); $$->value = $4; }
  | SPLIT IDENT ARROW ids2 BY expr {
        $$ = stmt1(p, STMT_SPLIT, @1, $2, @2);
        $$->ids = $4.v;
        $$->nids = $4.n;
        $$->value = $6;
    }
  | SPLIT IDENT ARROW ids2 NPARTS expr {
        $$ = stmt1(p, STMT_SPLIT, @1, $2, @2);
        $$->ids = $4.v;
        $$->nids = $4.n;
        $$->nparts = true;
        $$->value = $6;
        if ($4.n != 2)
            diag_error(p->d, @5, "'nparts' splits into exactly two axes, not %d", $4.n);
    }
  | FUSE ids2 ARROW IDENT {
        $$ = stmt1(p, STMT_FUSE, @1, $4, @4);
        $$->ids = $2.v;
        $$->nids = $2.n;
    }
  | REORDER idlist {
        $$ = stmt(p, STMT_REORDER, @1);
        $$->ids = $2.v;
        $$->nids = $2.n;
    }
  | VECTORIZE IDENT     { $$ = stmt1(p, STMT_VECTORIZE, @1, $2, @2); }
  | UNROLL IDENT        { $$ = stmt1(p, STMT_UNROLL, @1, $2, @2); }
  | PARALLEL IDENT      { $$ = stmt1(p, STMT_PARALLEL, @1, $2, @2); }
  | ANNOTATE IDENT      { $$ = stmt1(p, STMT_ANNOTATE, @1, $2, @2); }
  | COMPUTE_AT IDENT '.' IDENT {
        $$ = stmt1(p, STMT_COMPUTE_AT, @1, $2, @2);
        $$->at_axis = ident($4, @4);
    }
  | COMPUTE_INLINE      { $$ = stmt(p, STMT_COMPUTE_INLINE, @1); }
  | IDENT '=' expr      { $$ = stmt1(p, STMT_ASSIGN, @1, $1, @1); $$->value = $3; }
  | SCHEDULE IDENT nls sblock {
        /* Parsed so that its statements are checked and its '}' does not end the outer block. */
        $$ = stmt1(p, STMT_SCHEDULE, @1, $2, @2);
        diag_error(p->d, @1, "schedule blocks cannot be nested: close the enclosing one first");
    }
;

idlist:
    IDENT               { $$ = (IdentVec){0}; PUSH(p, $$, ident($1, @1)); }
  | ids2
;
ids2:
    IDENT ',' IDENT {
        $$ = (IdentVec){0};
        PUSH(p, $$, ident($1, @1));
        PUSH(p, $$, ident($3, @3));
    }
  | ids2 ',' IDENT      { $$ = $1; PUSH(p, $$, ident($3, @3)); }
;

/* Expressions, loosest first: '=>' < || < && < == != < < <= > >= < + - < * / % < unary. */
expr:
    expr FATARROW expr  { $$ = lambda(p, $1, $3, @1); CHECK($$); }
  | expr OR expr        { $$ = binary(p, OP_OR, $1, $3, @1); CHECK($$); }
  | expr AND expr       { $$ = binary(p, OP_AND, $1, $3, @1); CHECK($$); }
  | expr EQ expr        { $$ = binary(p, OP_EQ, $1, $3, @1); CHECK($$); }
  | expr NE expr        { $$ = binary(p, OP_NE, $1, $3, @1); CHECK($$); }
  | expr '<' expr       { $$ = binary(p, OP_LT, $1, $3, @1); CHECK($$); }
  | expr LE expr        { $$ = binary(p, OP_LE, $1, $3, @1); CHECK($$); }
  | expr '>' expr       { $$ = binary(p, OP_GT, $1, $3, @1); CHECK($$); }
  | expr GE expr        { $$ = binary(p, OP_GE, $1, $3, @1); CHECK($$); }
  | expr '+' expr       { $$ = binary(p, OP_ADD, $1, $3, @1); CHECK($$); }
  | expr '-' expr       { $$ = binary(p, OP_SUB, $1, $3, @1); CHECK($$); }
  | expr '*' expr       { $$ = binary(p, OP_MUL, $1, $3, @1); CHECK($$); }
  | expr '/' expr       { $$ = binary(p, OP_DIV, $1, $3, @1); CHECK($$); }
  | expr '%' expr       { $$ = binary(p, OP_MOD, $1, $3, @1); CHECK($$); }
  | '-' expr %prec UNARY {
        $$ = mk(p, AST_UNARY, @1);
        $$->op = OP_NEG;
        $$->lhs = $2;
        CHECK($$);
    }
  | '!' expr %prec UNARY {
        $$ = mk(p, AST_UNARY, @1);
        $$->op = OP_NOT;
        $$->lhs = $2;
        CHECK($$);
    }
  | primary
;

primary:
    INT                 { $$ = mk(p, AST_INT, @1); $$->ival = $1; }
  | FLOAT               { $$ = mk(p, AST_FLOAT, @1); $$->fval = $1; }
  | IDENT               { $$ = mk(p, AST_NAME, @1); $$->name = $1; }
  | IDENT '[' elist ']' { $$ = with_args(p, AST_INDEX, @1, $1, $3); CHECK($$); }
  | IDENT '[' elist ',' ']' { $$ = with_args(p, AST_INDEX, @1, $1, $3); CHECK($$); }
  | IDENT '(' args ')'  { $$ = with_args(p, AST_CALL, @1, $1, $3); CHECK($$); }
  | callname '(' args ')' { $$ = with_args(p, AST_CALL, @1, $1, $3); CHECK($$); }
  | '(' ')'             { $$ = with_args(p, AST_TUPLE, @1, NULL, (NodeVec){0}); }
  | '(' elist ')' {
        /* (e) is e itself, not a 1-tuple; (e,) is the tuple. */
        if ($2.n == 1) {
            $$ = $2.v[0];
        } else {
            $$ = with_args(p, AST_TUPLE, @1, NULL, $2);
            CHECK($$);
        }
    }
  | '(' elist ',' ')'   { $$ = with_args(p, AST_TUPLE, @1, NULL, $2); CHECK($$); }
  | '[' ']'             { $$ = with_args(p, AST_LIST, @1, NULL, (NodeVec){0}); }
  | '[' elist ']'       { $$ = with_args(p, AST_LIST, @1, NULL, $2); CHECK($$); }
  | '[' elist ',' ']'   { $$ = with_args(p, AST_LIST, @1, NULL, $2); CHECK($$); }
;

/* Knob declarations call the keywords: knob t = split(j, 2). */
callname:
    SPLIT               { $$ = "split"; }
  | REORDER             { $$ = "reorder"; }
  | ANNOTATE            { $$ = "annotate"; }
;

elist:
    expr                { $$ = (NodeVec){0}; PUSH(p, $$, $1); }
  | elist ',' expr      { $$ = $1; PUSH(p, $$, $3); }
;

args: %empty { $$ = (NodeVec){0}; } | arglist | arglist ',' ;
arglist:
    arg                 { $$ = (NodeVec){0}; PUSH(p, $$, $1); }
  | arglist ',' arg     { $$ = $1; PUSH(p, $$, $3); }
;
arg:
    expr
  | IDENT '=' expr {
        $$ = mk(p, AST_KWARG, @1);
        $$->name = $1;
        $$->lhs = $3;
        CHECK($$);
    }
;

%%

/* Syntax error messages: "unexpected X, expected A or B", or "expected A before newline".
 * Token sets that mean one thing to a user are named by that thing ("expression"). */

static void take_group(bool *has, const yysymbol_kind_t *g, int n) {
    for (int i = 0; i < n; i++) has[g[i]] = false;
}

/* If `trigger` may come next, the whole group is named by `label`. */
#define GROUP(trigger, label, ...)                                                             \
    do {                                                                                       \
        if (has[trigger]) {                                                                    \
            const yysymbol_kind_t g_[] = {__VA_ARGS__};                                        \
            take_group(has, g_, (int)(sizeof g_ / sizeof *g_));                                \
            items[ni++] = (label);                                                             \
        }                                                                                      \
    } while (0)

/* The symbol of a one-character token. */
static yysymbol_kind_t sym_of_char(int c) {
    return YYTRANSLATE(c);
}
#define SYM(c) sym_of_char(c)

static bool is_sched_keyword(yysymbol_kind_t k) {
    switch (k) {
    case YYSYMBOL_KNOB: case YYSYMBOL_SPLIT: case YYSYMBOL_FUSE: case YYSYMBOL_REORDER:
    case YYSYMBOL_VECTORIZE: case YYSYMBOL_UNROLL: case YYSYMBOL_PARALLEL:
    case YYSYMBOL_ANNOTATE: case YYSYMBOL_COMPUTE_AT: case YYSYMBOL_COMPUTE_INLINE:
        return true;
    default:
        return false;
    }
}

/* Mistakes with a message of their own: a schedule statement outside a schedule block, a
 * keyword as a name, an unmatched or mismatched closing bracket. Reports it and returns true. */
static bool known_mistake(ParseCtx *p, yysymbol_kind_t got, Loc loc, const bool *has) {
    if (is_sched_keyword(got) && has[YYSYMBOL_SCHEDULE]) {
        diag_error(p->d, loc, "%s is a schedule statement: write it inside 'schedule NAME { }'",
                   yysymbol_name(got));
        return true;
    }
    if (got >= YYSYMBOL_TEMPLATE && got <= YYSYMBOL_NPARTS && has[YYSYMBOL_IDENT] &&
        !(got == YYSYMBOL_TEMPLATE && has[SYM('}')])) {
        diag_error(p->d, loc, "%s is a keyword and cannot be used as a name", yysymbol_name(got));
        return true;
    }
    if ((got == SYM(')') || got == SYM(']') || got == SYM('}')) && p->tok_unmatched) {
        diag_error(p->d, loc, "unmatched %s", yysymbol_name(got));
        return true;
    }
    if ((got == SYM(')') || got == SYM(']')) && p->tok_mismatched) {
        Loc open = p->open[p->tok_mismatched - 1];
        char ch = p->open_ch[p->tok_mismatched - 1];
        diag_error(p->d, loc, "expected '%c' before %s", ch == '(' ? ')' : ']',
                   yysymbol_name(got));
        diag_note(p->d, open, "to match this '%c'", ch);
        return true;
    }
    return false;
}

/* The unexpected token as the message names it: where (newline, end of file), an identifier
 * with its (shortened) name, or the token. */
static void describe(const ParseCtx *p, yysymbol_kind_t got, const char *where, char *what,
                     size_t size) {
    if (where)
        snprintf(what, size, "%s", where);
    else if (got == YYSYMBOL_IDENT)
        snprintf(what, size, "identifier '%.40s%s'", p->tok_name,
                 strlen(p->tok_name) > 40 ? "..." : "");
    else
        snprintf(what, size, "%s", yysymbol_name(got));
}

static int yyreport_syntax_error(const yypcontext_t *ctx, yyscan_t scanner, ParseCtx *p) {
    (void)scanner;
    yysymbol_kind_t got = yypcontext_token(ctx);
    if (got == YYSYMBOL_LEXERR) return 0; /* the scanner has said what is wrong */
    Loc loc = *yypcontext_location(ctx);
    bool at_eof = got == YYSYMBOL_YYEOF;
    /* A token after a newline that brackets made invisible: most likely a bracket was never
     * closed, so say so at the end of that line, and let newlines end statements again. */
    bool after_nl = p->tok_after_nl && !at_eof && got != YYSYMBOL_NEWLINE;
    int depth = p->depth;
    if (got == SYM('{') || got == SYM('}')) depth = p->depth_at_brace;
    if (after_nl) {
        loc = p->tok_nl_loc;
        p->depth = 0;
    }

    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
    bool has[YYNTOKENS] = {0};
    for (int i = 0; i < n; i++) has[exp[i]] = true;

    if (known_mistake(p, got, loc, has)) return 0;

    const char *items[YYNTOKENS];
    int ni = 0;
    bool brace_note = false;
    const char *where = at_eof ? "end of file"
                        : after_nl || got == YYSYMBOL_NEWLINE ? "newline" : NULL;
    /* At the end of a line or file with a bracket open, its closer is all that matters. */
    char closer = depth > 0 && depth <= AST_MAX_DEPTH ? p->open_ch[depth - 1] == '(' ? ')' : ']'
                                                      : 0;
    bool bracket_note = where && closer && has[SYM(closer)];
    if ((at_eof || got == YYSYMBOL_TEMPLATE) && has[SYM('}')]) {
        items[ni++] = "'}'"; /* an unclosed block: the '}' is all that matters */
        brace_note = true;
    } else if (bracket_note) {
        items[ni++] = closer == ')' ? "')'" : "']'";
    } else {
        GROUP(YYSYMBOL_INT, "expression", YYSYMBOL_INT, YYSYMBOL_FLOAT, YYSYMBOL_IDENT,
              SYM('('), SYM('['), SYM('-'), SYM('!'), YYSYMBOL_SPLIT,
              YYSYMBOL_REORDER, YYSYMBOL_ANNOTATE);
        GROUP(YYSYMBOL_SCHEDULE, "statement", YYSYMBOL_IDENT, YYSYMBOL_SCHEDULE,
              YYSYMBOL_NEWLINE, SYM(';'));
        GROUP(YYSYMBOL_KNOB, "schedule statement", YYSYMBOL_IDENT, YYSYMBOL_KNOB,
              YYSYMBOL_SPLIT, YYSYMBOL_FUSE, YYSYMBOL_REORDER, YYSYMBOL_VECTORIZE,
              YYSYMBOL_UNROLL, YYSYMBOL_PARALLEL, YYSYMBOL_ANNOTATE, YYSYMBOL_COMPUTE_AT,
              YYSYMBOL_COMPUTE_INLINE, YYSYMBOL_NEWLINE, SYM(';'));
        GROUP(YYSYMBOL_TEMPLATE, "'template'", YYSYMBOL_TEMPLATE, YYSYMBOL_NEWLINE,
              SYM(';'));
        GROUP(SYM('+'), "operator", YYSYMBOL_FATARROW, YYSYMBOL_OR, YYSYMBOL_AND,
              YYSYMBOL_EQ, YYSYMBOL_NE, SYM('<'), YYSYMBOL_LE, SYM('>'), YYSYMBOL_GE,
              SYM('+'), SYM('-'), SYM('*'), SYM('/'), SYM('%'), SYM('('), SYM('['));
        for (int k = 0; k < YYNTOKENS; k++)
            if (has[k]) items[ni++] = yysymbol_name((yysymbol_kind_t)k);
    }

    char list[256] = "";
    size_t len = 0;
    for (int i = 0; ni <= 5 && i < ni && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                i == 0 ? "" : i == ni - 1 ? " or " : ", ", items[i]);

    char what[96];
    describe(p, got, where, what, sizeof what);

    if (len == 0)
        diag_error(p->d, loc, "unexpected %s", what);
    else if (where || brace_note)
        diag_error(p->d, loc, "expected %s before %s", list, what);
    else
        diag_error(p->d, loc, "unexpected %s, expected %s", what, list);

    /* Point back at the bracket or block that is still open. */
    if (brace_note && p->nbrace > 0 && p->nbrace <= (int)(sizeof p->brace / sizeof *p->brace))
        diag_note(p->d, p->brace[p->nbrace - 1], "to match this '{'");
    else if (bracket_note)
        diag_note(p->d, p->open[depth - 1], "to match this '%c'", p->open_ch[depth - 1]);
    return 0;
}

static void yyerror(Loc *loc, yyscan_t scanner, ParseCtx *p, const char *msg) {
    (void)scanner;
    /* Bison's only own message is "memory exhausted": its stack outgrew YYMAXDEPTH, which
     * only absurd nesting such as 10000 unary minuses can do. */
    if (strcmp(msg, "memory exhausted") == 0)
        diag_error(p->d, *loc, "expression nested too deeply");
    else
        diag_error(p->d, *loc, "%s", msg);
}

Program *parse_program(Arena *a, Diag *d, const char *src, size_t len) {
    if (len > (size_t)INT32_MAX - 2) {
        diag_error(d, (Loc){0, 0, 0}, "file too large for the parser (%zu bytes)", len);
        return NULL;
    }
    /* Flex rescans a token from its start at every NUL byte inside it (quadratic: a comment
     * running into 100 KB of NULs took 35 s), so the scanner reads a copy in which NULs are
     * \x01, another lexical error; messages quote the bytes of the source. */
    char *scan = malloc(len + 2);
    if (!scan) TEC_BUG("out of memory copying the source (%zu bytes)", len);
    for (size_t i = 0; i < len; i++) scan[i] = src[i] ? src[i] : '\x01';
    scan[len] = scan[len + 1] = 0; /* flex's end-of-buffer marks */
    ParseCtx p = {.a = a, .d = d, .line = 1, .col = 1, .src = src, .scan = scan};
    int errors = d->nerrors;
    yyscan_t scanner;
    if (yylex_init_extra(&p, &scanner) != 0) TEC_BUG("cannot create the scanner");
    YY_BUFFER_STATE buf = yy_scan_buffer(scan, len + 2, scanner);
    if (!buf) TEC_BUG("cannot create the scanner's buffer");
    int rc = yyparse(scanner, &p);
    yy_delete_buffer(buf, scanner);
    yylex_destroy(scanner);
    free(scan);
    if (rc != 0 && d->nerrors == errors) TEC_BUG("parse failed without an error message");
    if (d->nerrors > errors) return NULL;
    Program *prog = ARENA_NEW(a, Program);
    prog->templates = p.templates.v;
    prog->ntemplates = p.templates.n;
    return prog;
}
