from alpine AS a
cmd [ "echo" , "spaced" ]
cmd ['echo', 'single']
cmd ["echo", "trailing",]
cmd []
cmd ["echo \"quoted\""]
cmd ["unicode \u0041"]
cmd ["echo"] extra
cmd	["tab"]
entrypoint ["a"]
entrypoint ["b", \
 "c"]
entrypoint [ ]

from alpine AS b
run ["echo", "json run"]
run [ "sh", "-c", "echo $HOME" ]
shell ["sh",  "-c"]
cmd echo after shell
healthcheck CMD ["true"]
healthcheck --interval=5s CMD true
stopsignal SIGKILL
stopsignal 9
