FROM base-image:test
ENV PARENT=1
ONBUILD COPY payload /from-trigger
ONBUILD ENV TRIGGERED=yes
