# Names inside nested expansions count as FROM arguments, as BuildKit's lexer
# reads them.
ARG A=alpine
FROM ${A:-${B}} AS one
# check=skip=UndefinedArgInFrom
FROM ${C:-alpine}${D:+x} AS two
FROM ${A:+${E}}alpine AS three
FROM alpine:${F:-3}
