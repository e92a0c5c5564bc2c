# bash completion for tec: takes the word being completed; gives tec's flags (read from
# `tec --help`, the option table's text, so this file never lists them), the words of --emit and
# --tuner, .log files after the log tools and --log, and .te files otherwise.
_tec() {
    local cur prev
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
    case $prev in
    --emit) COMPREPLY=($(compgen -W "obj asm llvm loops" -- "$cur")); return ;;
    --tuner) COMPREPLY=($(compgen -W "random grid ga xgb" -- "$cur")); return ;;
    --log) COMPREPLY=($(compgen -f -X '!*.log' -- "$cur") $(compgen -d -- "$cur")); return ;;
    -o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -D|-t|--config|--target|--mcpu|--repeat|--dump-after|--trials|--early-stopping|--number|\
    --min-repeat-ms|--timeout|--seed|-j) return ;;
    esac
    if [[ $cur == -* ]]; then
        local flags
        flags=$("${COMP_WORDS[0]}" --help 2>/dev/null |
                sed -n 's/^  \(-[^ ,]*\)\(, \(-[^ ]*\)\)\{0,1\}.*/\1 \3/p')
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
        return
    fi
    local w
    for w in "${COMP_WORDS[@]}"; do
        case $w in
        --log-best|--log-stats|--plot)
            COMPREPLY=($(compgen -f -X '!*.log' -- "$cur") $(compgen -d -- "$cur"))
            return ;;
        esac
    done
    COMPREPLY=($(compgen -f -X '!*.te' -- "$cur") $(compgen -d -- "$cur"))
}
complete -o filenames -F _tec tec
