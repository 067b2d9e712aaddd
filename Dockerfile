FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY survey ./survey
COPY forms ./forms
COPY static ./static
RUN pip install --no-cache-dir . && useradd --create-home survey
USER survey
ENV SURVEY_HOST=0.0.0.0 SURVEY_PORT=8000 SURVEY_FORMS_DIR=/app/forms
EXPOSE 8000
CMD ["survey", "serve"]
