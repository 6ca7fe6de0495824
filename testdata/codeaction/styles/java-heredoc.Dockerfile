# syntax=docker/dockerfile:1
FROM maven:3.9-eclipse-temurin-21
WORKDIR /build
COPY . .
RUN <<EOF
set -eux
mvn -B package -DskipTests
EOF
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "target/app.jar"]
