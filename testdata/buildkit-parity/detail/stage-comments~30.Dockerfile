FROM alpine AS one
# check=skip=JSONArgsRecommended
CMD echo not reported here
CMD echo reported here

# check=skip=JSONArgsRecommended,StageNameCasing,FromAsCasing,LegacyKeyValueFormat
FROM alpine as Two
CMD echo does BuildKit skip this one
ENV a b

# check=skip=all
FROM alpine as three
ENV c d
# check=skip=LegacyKeyValueFormat
ENV e f
# check=skip=ConsistentInstructionCasing
env g=h
# check=error=true
ENV i j
# check=skip=RedundantTargetPlatform
FROM --platform=$TARGETPLATFORM alpine AS four
# check=skip=UndefinedArgInFrom
# check=skip=MultipleInstructionsDisallowed,JSONArgsRecommended,LegacyKeyValueFormat,ConsistentInstructionCasing,DuplicateStageName,ReservedStageName,NoEmptyContinuation,ExposeProtoCasing
FROM alpine${NOPE} AS five
# check=skip=DuplicateStageName
FROM alpine AS four
# check=skip=ReservedStageName
FROM alpine AS scratch
# check=skip=UndefinedVar
RUN echo $NOPE_TOO
# check=skip=NoEmptyContinuation
RUN echo a \

  b
# check=skip=WorkdirRelativePath
WORKDIR rel
# check=skip=SecretsUsedInArgOrEnv
ARG MY_SECRET
# first comment
# check=skip=ExposeProtoCasing
EXPOSE 80/TCP
# check = skip = ExposeProtoCasing
EXPOSE 81/TCP
# check=skip=ExposeProtoCasing trailing words
EXPOSE 82/TCP
# check=skip=ExposeProtoCasing, ExposeInvalidFormat
EXPOSE 83/TCP
# check=skip=MultipleInstructionsDisallowed
CMD a
