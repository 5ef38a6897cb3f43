# Production image of one app server. Same steps as `make run`: install, collectstatic, gunicorn.
# Run with at least SECRET_KEY, ALLOWED_HOSTS and SITE_URL set (see .env.example), as in
# compose.yaml: behind nginx (deploy/nginx.conf.template, docs/deploy.md), on a private network.
# Never publish port 8000 to readers: nginx brings TLS, caching, static files and failover, and
# TRUSTED_PROXY_COUNT=1 is only safe when nothing reaches gunicorn past it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=newsroom.settings.prod

WORKDIR /app
RUN useradd --create-home --uid 1000 newsroom

COPY pyproject.toml README.md ./
COPY newsroom ./newsroom
COPY articles ./articles
COPY ops ./ops
RUN pip install ".[s3]"

COPY . .
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build SITE_URL=https://build python manage.py collectstatic --noinput --verbosity 0 \
    && chown -R newsroom:newsroom /app

USER newsroom
# Reachable by the proxy on the private network (compose: `expose`, never `ports`).
EXPOSE 8000
CMD ["gunicorn", "newsroom.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--no-control-socket", "--access-logfile", "-"]
