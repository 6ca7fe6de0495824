# Names inside nested expansions count as FROM arguments, as BuildKit's lexer
# reads them.
ARG A=alpine
FROM ${A:-${B}} AS one
FROM ${C:-alpine}${D:+x} AS two
# check=skip=all
FROM ${A:+${E}}alpine AS three
FROM alpine:${F:-3}
