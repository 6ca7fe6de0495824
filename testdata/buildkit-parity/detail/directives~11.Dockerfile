# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended,StageNameCasing;error=true

# Build the docs site.
FROM node:22 as Docs
WORKDIR /docs
ENV NODE_ENV production
CMD npm start

# check=error=true
FROM nginx:1.27-alpine
COPY --from=docs /docs/dist /usr/share/nginx/html
