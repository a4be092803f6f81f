# Image for docker-compose.yml: the same code as `make run`, on PostgreSQL and Redis.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DATA_DIR=/data
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir -e . || true
COPY . .
RUN pip install --no-cache-dir -e . && mkdir -p /data \
 && DATA_DIR=/tmp/build python manage.py compilemessages -v0 --ignore=tests && rm -rf /tmp/build
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && python manage.py load_content && python manage.py collectstatic --noinput -v0 && gunicorn policybuilder.wsgi --bind 0.0.0.0:8000 --workers 3 --no-control-socket"]
