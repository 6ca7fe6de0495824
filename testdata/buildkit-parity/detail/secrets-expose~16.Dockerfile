from debian:bookworm-slim AS base
arg AWS_ACCESS_KEY_ID
arg API_KEY_FILE=/run/secrets/key
arg GPG_KEY=ABCDEF
arg PUBLIC_KEY=ssh-ed25519
env DB_PASSWORD=changeme PASSWORD_HINT=ask \
    auth_token=t
env DEBIAN_FRONTEND noninteractive
env GREETING "hello world"
label maintainer me
expose 80/tcp 443/UDP
expose 0.0.0.0:8080:80
expose 8000-8010/TCP
arg PORT=9000
expose $PORT/Tcp
arg PORTS="80/TCP 53/UDP"
expose $PORTS "8080/Tcp" 9/tcp
env P=7
expose ${P}:7/Udp
workdir $HOME/app
workdir ${PORT}
workdir /srv
shell ["/bin/bash", "-c"]
entrypoint exec app
cmd ["a", 'b']
healthcheck NONE
healthcheck CMD true
stopsignal SIGTERM
