# syntax=docker/dockerfile:1
# check=skip=JSONArgsRecommended;error=true
FROM node:20 as Web
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build
CMD npm start

# check=skip=StageNameCasing
FROM nginx:alpine AS Serve
COPY --from=web /app/dist /usr/share/nginx/html
maintainer me
