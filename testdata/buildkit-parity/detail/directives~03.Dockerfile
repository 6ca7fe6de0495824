# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended,StageNameCasing;error=true

# Build the docs site.
from node:22 as Docs
workdir /docs
env NODE_ENV production
cmd npm start

from nginx:1.27-alpine
copy --from=docs /docs/dist /usr/share/nginx/html
