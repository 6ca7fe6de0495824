FROM golang:1.22 AS Build
RUN go build -o /app .

FROM alpine
COPY --from=biuld /app /app
