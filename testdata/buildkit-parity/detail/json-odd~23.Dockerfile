FROM alpine AS a
CMD [ "echo" , "spaced" ]
CMD ['echo', 'single']
CMD ["echo", "trailing",]
CMD []
CMD ["echo \"quoted\""]
CMD ["unicode \u0041"]
CMD ["echo"] extra
CMD	["tab"]
ENTRYPOINT ["a"]
ENTRYPOINT ["b", \
 "c"]
ENTRYPOINT [ ]

# check=skip=MultipleInstructionsDisallowed,JSONArgsRecommended
FROM alpine AS b
RUN ["echo", "json run"]
RUN [ "sh", "-c", "echo $HOME" ]
SHELL ["sh",  "-c"]
CMD echo after shell
HEALTHCHECK CMD ["true"]
HEALTHCHECK --interval=5s CMD true
STOPSIGNAL SIGKILL
STOPSIGNAL 9
