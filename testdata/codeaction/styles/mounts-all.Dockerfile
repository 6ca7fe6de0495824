# syntax=docker/dockerfile:1.7
# escape=\
FROM node:22-slim AS deps
WORKDIR /app
RUN --mount=type=bind,source=package.json,target=package.json \
    --mount=type=bind,source=package-lock.json,target=package-lock.json \
    --mount=type=cache,target=/root/.npm,sharing=locked \
    --mount=type=secret,id=npmrc,target=/root/.npmrc \
    npm ci --omit=dev

FROM deps AS build
RUN --mount=type=tmpfs,target=/tmp \
    --mount=type=ssh \
    --mount=type=bind,from=deps,source=/app/node_modules,target=/nm \
    ls /nm
COPY --link --chmod=0755 . .
RUN npm run build

FROM node:22-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps --link /app/node_modules ./node_modules
COPY --from=build --chown=node:node --chmod=644 /app/dist ./dist
USER node
CMD ["node", "dist/index.js"]
