# bash completion for gkml (installed as share/bash-completion/completions/gkml).
# It asks the program itself: the commands from `gkml --help`, a command's options from
# `gkml help COMMAND`, an option's values from its {a,b,c} list there; anything else completes as a
# file name. So it is true for whichever gkml is completed, and never needs updating by hand.
_gkml() {
  local program="${COMP_WORDS[0]}" cur="${COMP_WORDS[COMP_CWORD]}" prev="" command="" i
  [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD - 1]}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -*) ;;
      *) command="${COMP_WORDS[i]}"; break ;;
    esac
  done
  local commands
  commands=$("$program" --help 2>/dev/null | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')
  if [ -z "$command" ] || { [ "$command" = help ] && [ "$prev" = help ]; }; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  local help
  help=$("$program" help "$command" 2>/dev/null)
  if [[ "$prev" == -* ]]; then
    # `--from TEXT:{xlsx,csv,html,docx}`: the values the option takes.
    local values
    values=$(printf '%s\n' "$help" | sed -n "s/^ *\(-[A-Za-z],\)\{0,1\}$prev [A-Z]*:{\([^}]*\)}.*/\2/p" | tr ',' ' ')
    if [ -n "$values" ]; then
      COMPREPLY=($(compgen -W "$values" -- "$cur"))
      return
    fi
  fi
  if [[ "$cur" == -* ]]; then
    local options
    options=$(printf '%s\n' "$help" | grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*' | tr -d ' ,' | sort -u)
    COMPREPLY=($(compgen -W "$options" -- "$cur"))
    return
  fi
  compopt -o default 2>/dev/null
  COMPREPLY=()
}
complete -F _gkml gkml
