# Names inside nested expansions count as FROM arguments, as BuildKit's lexer
# reads them.
ARG A=alpine
# check=skip=UndefinedArgInFrom
FROM ${A:-${B}} AS one
FROM ${C:-alpine}${D:+x} AS two
FROM ${A:+${E}}alpine AS three
FROM alpine:${F:-3}
