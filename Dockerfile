# One image for both entry points of Peerwarden:
#   operator:   java -jar /app/peerwarden.jar operator   (runs as the non-root user below)
#   node agent: java -jar /app/peerwarden.jar agent      (the DaemonSet runs it as uid 0 with only NET_ADMIN)
#
# Build the shaded jar first, then the image from the repository root:
#   mvn -B package -DskipTests
#   docker build -t ghcr.io/peerwarden/peerwarden:0.1.0 .
# See docs/install.md.
FROM debian:bookworm-slim

# JRE for the jar; wg (wireguard-tools) and ip (iproute2) for the agent; wireguard-go as the
# userspace fallback on nodes without the wireguard kernel module; nft (nftables) and sysctl (procps)
# for the instances' forwarding, NAT and access rules.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless \
      wireguard-tools \
      wireguard-go \
      iproute2 \
      nftables \
      procps \
      ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Numeric non-root user, so Kubernetes' runAsNonRoot can verify it (the chart runs the operator as 10001).
RUN groupadd --system --gid 10001 peerwarden \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin peerwarden

ARG JAR_FILE=target/peerwarden-*.jar
COPY ${JAR_FILE} /app/peerwarden.jar

USER 10001:10001
ENTRYPOINT ["java", "-jar", "/app/peerwarden.jar"]
CMD ["--help"]
