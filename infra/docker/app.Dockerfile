# One image for web, worker and beat: the Django backend with the built SPA inside.

FROM node:20-bookworm-slim AS spa
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
COPY backend/openapi.json /app/backend/openapi.json
RUN npm run build

FROM python:3.11-slim-bookworm AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    SHUXUAN_SPA_DIR=/app/frontend/dist
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 shuxuan
WORKDIR /app/backend
COPY backend/requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY backend/ ./
COPY --from=spa /app/frontend/dist /app/frontend/dist
# collectstatic needs settings; a throwaway key and URL are enough to gather files.
RUN DJANGO_SECRET_KEY=build-only-$(date +%s)-not-used-at-run-time-0123456789abcdef \
    DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --noinput -v 0
# The media volume mounts here; a named volume takes this directory's owner on first use.
RUN mkdir -p /app/media && chown shuxuan /app/media
USER shuxuan
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120"]
