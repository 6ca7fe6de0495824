# Names inside nested expansions count as FROM arguments, as BuildKit's lexer
# reads them.
ARG A=alpine
FROM ${A:-${B}} AS one
FROM ${C:-alpine}${D:+x} AS two
FROM ${A:+${E}}alpine AS three
# check=skip=all
FROM alpine:${F:-3}
