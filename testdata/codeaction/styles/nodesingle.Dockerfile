FROM node:20
# 🚀 app
WORKDIR /app
COPY . .
RUN npm ci
RUN npm run build
ENV PORT=3000
EXPOSE 3000
CMD ["node", "dist/index.js"]
