# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends build-essential
rm -rf /var/lib/apt/lists/*
EOF
COPY <<-"EOT" /etc/app.conf
	key=$HOME
	other=${UNSET:-x}
	EOT
RUN python3 - <<'PY' > /out.txt
import sys
print(sys.version)
PY

FROM base AS app
WORKDIR /srv
COPY . .
RUN pip install -r requirements.txt
RUN <<SCRIPT bash
  echo done
SCRIPT
CMD ["python", "-m", "app"]
