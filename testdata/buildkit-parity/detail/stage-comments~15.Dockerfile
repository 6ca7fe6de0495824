from alpine AS one
# check=skip=JSONArgsRecommended
cmd echo not reported here
cmd echo reported here

# check=skip=JSONArgsRecommended,StageNameCasing,FromAsCasing,LegacyKeyValueFormat
from alpine as Two
cmd echo does BuildKit skip this one
env a b

# check=skip=all
from alpine as three
env c d
# check=skip=LegacyKeyValueFormat
env e f
# check=skip=ConsistentInstructionCasing
env g=h
# check=error=true
env i j
# check=skip=RedundantTargetPlatform
from --platform=$TARGETPLATFORM alpine AS four
# check=skip=UndefinedArgInFrom
from alpine${NOPE} AS five
# check=skip=DuplicateStageName
from alpine AS four
# check=skip=ReservedStageName
from alpine AS scratch
# check=skip=UndefinedVar
run echo $NOPE_TOO
# check=skip=NoEmptyContinuation
run echo a \

  b
# check=skip=WorkdirRelativePath
workdir rel
# check=skip=SecretsUsedInArgOrEnv
arg MY_SECRET
# first comment
# check=skip=ExposeProtoCasing
expose 80/TCP
# check = skip = ExposeProtoCasing
expose 81/TCP
# check=skip=ExposeProtoCasing trailing words
expose 82/TCP
# check=skip=ExposeProtoCasing, ExposeInvalidFormat
expose 83/TCP
# check=skip=MultipleInstructionsDisallowed
cmd a
