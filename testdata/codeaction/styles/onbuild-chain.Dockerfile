FROM alpine AS tools
RUN echo tool > /tool

FROM alpine AS Parent
ONBUILD COPY --from=tools /tool /tool
ONBUILD RUN --mount=type=cache,target=/c cat /tool
RUN echo parent

FROM Parent AS child
RUN echo child

FROM child
CMD ["cat", "/tool"]
