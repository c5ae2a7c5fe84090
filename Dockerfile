# Runtime image for the pipeline; build the jar first: mvn -q package -DskipTests
# Used by docker-compose.yml (service ecom-pipeline) and the Helm chart (deploy/helm/ecom-pipeline); configuration
# comes from the environment (KAFKA_BOOTSTRAP_SERVERS, PG_URL, PG_USER, PG_PASSWORD, ES_HOSTS, ...).
# Java 25: the jar is built for 17 and runs on it, but on 25 the same jar spends about a third less CPU per event
# (BENCHMARKS.md "JDK 25"); the image's JAVA_HOME is the launcher's choice (bin/java-env).
FROM eclipse-temurin:25-jre

# curl: the compose healthcheck calls /observe/health/ready on the management port
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
# uid 10001 is the chart's runAsUser
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin ecom
WORKDIR /app
COPY target/ecom-pipeline.jar /app/ecom-pipeline.jar
# The launcher carries the JVM defaults measured in BENCHMARKS.md (JDK 25: 160 MB heap, compact object headers, serial
# GC, bounded metaspace, code cache and direct memory: peak RSS ~370 MB); JAVA_OPTS replaces them, JAVA_OPTS_EXTRA adds.
COPY bin/ecom-pipeline bin/java-env /app/bin/
ENV ECOM_PIPELINE_JAR=/app/ecom-pipeline.jar
# SQL migrations and transformations, for a runtime that reads sql/ relative to its working directory.
COPY sql/ /app/sql/

USER 10001
# REST API (SERVER_PORT) and management server (MANAGEMENT_PORT: health, metrics, Jolokia)
EXPOSE 8080 9876
ENTRYPOINT ["/app/bin/ecom-pipeline"]
