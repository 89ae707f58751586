FROM alpine
RUN x
COPY --exclude=*.md . /b
