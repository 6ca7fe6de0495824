# Names inside nested expansions count as FROM arguments, as BuildKit's lexer
# reads them.
ARG A=alpine
FROM ${A:-${B}} as one
FROM ${C:-alpine}${D:+x} as two
FROM ${A:+${E}}alpine as three
FROM alpine:${F:-3}
