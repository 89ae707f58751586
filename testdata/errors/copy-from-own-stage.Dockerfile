FROM busybox AS me
# a stage copying from itself: BuildKit's "circular dependency" text
COPY --from=me /a /b
