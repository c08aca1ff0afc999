# The emulator as a container image: one statically linked binary on an empty base, so the
# image holds nothing else (no shell, no libc, no package to patch).
#
# The binary is built outside the image (no compiler in the build, no base image to pull):
#   RUSTFLAGS='-C target-feature=+crt-static' cargo build --release --locked --target x86_64-unknown-linux-gnu
#   docker build -t vb365-mock .
FROM scratch

ARG BINARY=target/x86_64-unknown-linux-gnu/release/vb365-mock
COPY ${BINARY} /vb365-mock

# Every address inside the container; the health check asks loopback on the same port.
ENV VB365_MOCK_LISTEN=0.0.0.0:4443
# Not root; a numeric user, since an empty image has no /etc/passwd.
USER 65532:65532
EXPOSE 4443

# A slim image has no curl: the binary asks its own health route.
HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=3 CMD ["/vb365-mock", "health"]

ENTRYPOINT ["/vb365-mock"]
