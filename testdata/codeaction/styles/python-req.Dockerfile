FROM python:3.12
LABEL description="🐍 API"
WORKDIR /srv
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENV PORT=8000
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
