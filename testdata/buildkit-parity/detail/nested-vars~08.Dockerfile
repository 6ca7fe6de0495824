# Names inside nested expansions are uses, as BuildKit's lexer reads them.
from scratch
arg A=1
env X=${A:-${B}} Y=${A:+${C}} Z=${D:-$E}
label l=${A/1/$G}
workdir /${H:-$I}
copy --chown=${A:-$J} ${A:+$K}x /x
run --mount=type=cache,target=/${A:-$L},id=${M:-$A} echo ${NOT:-$CHECKED}
arg N=${A:-${O}}
user ${A:-$P}
