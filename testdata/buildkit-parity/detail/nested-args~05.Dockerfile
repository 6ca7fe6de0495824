# Names inside nested expansions count as FROM arguments, as BuildKit's lexer
# reads them.
arg A=alpine
from ${A:-${B}} AS one
from ${C:-alpine}${D:+x} AS two
from ${A:+${E}}alpine AS three
from alpine:${F:-3}
