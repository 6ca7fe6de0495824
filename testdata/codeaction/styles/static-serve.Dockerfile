FROM node:20-alpine
WORKDIR /app
# dependencies, then the site
COPY . .
RUN npm ci \
    # build the static bundle
    && npm run build
RUN npm install -g serve
EXPOSE 3000
CMD ["serve", "-s", "dist", "-l", "3000"]
