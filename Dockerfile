# Dockerfile: lvhcmond in a container. Two stages: the build stage compiles with the -dev
# packages (scripts/deps.sh run lists them, with PostgreSQL and curl, which the image does
# not need) and installs into a staging folder; the runtime stage holds only the shared
# libraries and that installation: the programs in /usr/local/bin, sql/, web/ and
# reference/ in /usr/local/share/lvhcmon/ (where the programs look for them by default,
# daemon/data_dir.h), the documents in /usr/local/share/doc/lvhcmon/. It runs as an
# unprivileged user.
#
#   docker build -t lvhcmon .
#   docker run -p 8080:8080 \
#       -e LVHCMON_DB='host=db dbname=lvhcmon user=lvhcmond password=...' \
#       -e LVHCMON_MIGRATE_DB='host=db dbname=lvhcmon user=lvhcmon_owner password=...' \
#       -v "$PWD/client_hash.key:/run/secrets/client_hash_key:ro" lvhcmon
#
# The shipped configuration (config/lvhcmon.docker.conf) listens on 0.0.0.0:8080, takes
# the key from /run/secrets/client_hash_key, and asks a token for /metrics. TLS: either in
# the daemon (mount a certificate and key, and set [server] tls_cert_file and tls_key_file),
# or at a reverse proxy in front; lvhcmon.docker.conf says how. Tokens: docker exec
# CONTAINER lvhcmon --config /etc/lvhcmon/lvhcmon.conf token add --role controller

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential cmake pkg-config \
      libpq-dev libmicrohttpd-dev libgnutls28-dev libjansson-dev libinih-dev \
      libsodium-dev libssl-dev libcsv-dev libcurl4-openssl-dev libxlsxwriter-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# No tests in the image build (-DBUILD_TESTING=OFF: no Check needed); a Release build has
# no test hooks. The example configuration installed under etc/ is dropped: the image ships
# its own (below).
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
 && cmake --build /build -j"$(nproc)" \
 && DESTDIR=/out cmake --install /build --prefix /usr/local \
 && rm -rf /out/usr/local/etc

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 libmicrohttpd12 libjansson4 libinih1 \
      libgnutls30 libsodium23 libssl3 libcsv3 libcurl4 libxlsxwriter4 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin lvhcmon
COPY --from=build /out/usr/local/ /usr/local/
COPY config/lvhcmon.docker.conf /etc/lvhcmon/lvhcmon.conf
# The database: a libpq conninfo string or URI, given at run time.
ENV LVHCMON_DB=
USER lvhcmon
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["lvhcmond", "--config", "/etc/lvhcmon/lvhcmon.conf"]
