# One image for the four services and the `andina` command (keys, topics, demo).
# Run a service by name: ANDINA_SERVICE=customs (the default command reads it), or give
# the command yourself: `python -m andina.customs`, `andina topics create`, `andina demo`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Only the installable packages: not the local stack's jars, binaries or state.
COPY contract/ contract/
COPY shared/ shared/
COPY services/ services/
COPY deploy/pyproject.toml deploy/pyproject.toml
COPY deploy/src/ deploy/src/

RUN pip install \
        ./contract \
        ./shared \
        ./services/alerts \
        ./services/intel-exchange \
        ./services/customs \
        ./services/finance-trace \
        ./deploy \
    && useradd --uid 10001 --no-create-home --shell /usr/sbin/nologin andina \
    && mkdir -p /keys /var/lib/andina/images \
    && chown andina /keys /var/lib/andina/images

USER andina

# Keys live in a volume shared with the `init` step that generates them.
ENV ANDINA_KEYS_DIR=/keys \
    ANDINA_KEY_DIRECTORY=/keys/directory.json \
    ANDINA_HTTP_HOST=0.0.0.0 \
    ANDINA_SERVICE=alerts

EXPOSE 8101 8102 8103 8104

CMD ["sh", "-c", "exec python -m \"andina.$(echo \"$ANDINA_SERVICE\" | tr - _)\""]
