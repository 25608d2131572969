# One image for every Shopspot process: web, worker, beat and flower differ only in command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY shopspot ./shopspot
COPY webapi ./webapi
COPY worker ./worker
COPY tasks ./tasks
COPY sandbox ./sandbox
COPY cli ./cli
RUN pip install . \
    && useradd --system --home-dir /app shopspot \
    && mkdir -p /app/var \
    && chown shopspot /app/var

USER shopspot
EXPOSE 8000 5555
CMD ["shopspot", "web", "--host", "0.0.0.0", "--port", "8000"]
