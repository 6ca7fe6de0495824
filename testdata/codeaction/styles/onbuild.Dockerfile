FROM python:3.12 AS Builder
ONBUILD COPY --from=0 /app /app
ONBUILD RUN pip install -r requirements.txt
WORKDIR /app
RUN python -m venv /venv
COPY requirements.txt .
RUN pip install -r requirements.txt

FROM builder AS child
RUN echo child

FROM python:3.12-slim
COPY --from=Builder /venv /venv
CMD python -m app
