# check=skip=SecretsUsedInArgOrEnv,LegacyKeyValueFormat,ExposeProtoCasing,ExposeInvalidFormat,MultipleInstructionsDisallowed
FROM debian:bookworm-slim AS base
ARG AWS_ACCESS_KEY_ID
ARG API_KEY_FILE=/run/secrets/key
ARG GPG_KEY=ABCDEF
ARG PUBLIC_KEY=ssh-ed25519
ENV DB_PASSWORD=changeme PASSWORD_HINT=ask \
    auth_token=t
ENV DEBIAN_FRONTEND noninteractive
ENV GREETING "hello world"
LABEL maintainer me
EXPOSE 80/tcp 443/UDP
EXPOSE 0.0.0.0:8080:80
EXPOSE 8000-8010/TCP
ARG PORT=9000
EXPOSE $PORT/Tcp
ARG PORTS="80/TCP 53/UDP"
EXPOSE $PORTS "8080/Tcp" 9/tcp
ENV P=7
EXPOSE ${P}:7/Udp
WORKDIR $HOME/app
WORKDIR ${PORT}
WORKDIR /srv
SHELL ["/bin/bash", "-c"]
ENTRYPOINT exec app
CMD ["a", 'b']
HEALTHCHECK NONE
HEALTHCHECK CMD true
STOPSIGNAL SIGTERM
