FROM alpine AS a
CMD ["a"]
ENTRYPOINT ["a"]
HEALTHCHECK CMD true
CMD ["b"]
ENTRYPOINT ["b"]
HEALTHCHECK NONE
ONBUILD CMD ["c"]
ONBUILD CMD ["d"]

FROM a AS b
CMD ["inherits"]

FROM alpine AS c
CMD ["1"]
# check=skip=MultipleInstructionsDisallowed
CMD ["2"]
CMD ["3"]
ENTRYPOINT \
  ["x"]
ENTRYPOINT ["y"]
