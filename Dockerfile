# The bot as an image: `docker build -t kenniskring .`, then `docker run … kenniskring run --http` (see docs/deploy.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The dependencies first, at the versions in constraints.txt, so a change to the code alone reuses this layer.
COPY pyproject.toml constraints.txt README.md ./
RUN mkdir -p bot handlers store \
    && touch bot/__init__.py handlers/__init__.py store/__init__.py \
    && pip install -c constraints.txt '.[postgres]' \
    && pip uninstall --yes kenniskring

COPY bot ./bot
COPY handlers ./handlers
COPY store ./store
COPY manifest.yml ./
# Editable: the code stays in /app, beside manifest.yml (which `kenniskring manifest` reads).
RUN pip install --no-deps -e .

# Never root: the bot needs no privilege, only its port and the database.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin kenniskring \
    && mkdir -p /data && chown kenniskring /data
USER kenniskring
WORKDIR /data

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:3000/healthz', timeout=4).status != 200)"

ENTRYPOINT ["kenniskring"]
CMD ["run", "--http", "--port", "3000"]
