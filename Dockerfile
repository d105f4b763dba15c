# briefbot: runs the configured chat adapters and the scheduler from /config/config.toml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    OPENBLAS_NUM_THREADS=1

RUN groupadd --system briefbot && useradd --system --gid briefbot --home-dir /home/briefbot --create-home briefbot

WORKDIR /app
COPY pyproject.toml setup.py README.md ./
COPY bot ./bot
COPY briefings ./briefings
COPY templates ./templates
RUN pip install . && rm -rf /app/build

USER briefbot
WORKDIR /home/briefbot
VOLUME ["/config", "/data"]
# Secrets come from the environment: BRIEFBOT_DISCORD_TOKEN, BRIEFBOT_SLACK_BOT_TOKEN,
# BRIEFBOT_SLACK_SIGNING_SECRET, BRIEFBOT_SLACK_APP_TOKEN; the database from BRIEFBOT_DATABASE_URL
# or [database] url (default here: a SQLite file on the /data volume).
ENV BRIEFBOT_DATABASE_URL=sqlite:////data/briefbot.db
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/livez', timeout=3).status == 200 else 1)"
CMD ["briefbot", "--config", "/config/config.toml", "--log-format", "json", "run"]
