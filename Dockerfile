# Runtime image for the pipeline; build the jar first: mvn -q package -DskipTests
# Used by docker-compose.yml (service ecom-pipeline); configuration comes from the environment
# (KAFKA_BOOTSTRAP_SERVERS, PG_URL, PG_USER, PG_PASSWORD, ES_HOSTS, ...).
FROM eclipse-temurin:17-jre

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ecom
WORKDIR /app
COPY target/ecom-pipeline.jar /app/ecom-pipeline.jar
# SQL migrations and transformations, for a runtime that reads sql/ relative to its working directory.
COPY sql/ /app/sql/

USER ecom
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/ecom-pipeline.jar"]
