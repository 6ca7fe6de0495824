# check=skip=all
# Names inside nested expansions are uses, as BuildKit's lexer reads them.
FROM scratch
ARG A=1
ENV X=${A:-${B}} Y=${A:+${C}} Z=${D:-$E}
LABEL l=${A/1/$G}
WORKDIR /${H:-$I}
COPY --chown=${A:-$J} ${A:+$K}x /x
RUN --mount=type=cache,target=/${A:-$L},id=${M:-$A} echo ${NOT:-$CHECKED}
ARG N=${A:-${O}}
USER ${A:-$P}
