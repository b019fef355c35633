FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes -r requirements/base.txt
COPY . .
RUN DEBUG=1 python manage.py collectstatic --noinput
RUN useradd --create-home newsreader && mkdir -p var && chown newsreader var
USER newsreader
EXPOSE 8000
CMD ["gunicorn", "newsreader.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
