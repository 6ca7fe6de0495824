FROM node:20 as Deps
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build

FROM node:20-slim
ENV NODE_ENV production
COPY --from=0 /app/dist ./dist
COPY --from=deps /app/node_modules ./node_modules
EXPOSE 3000/UDP
CMD node dist/server.js
