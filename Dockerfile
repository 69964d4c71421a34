# The operator image: built with the pinned toolchain from the committed Cargo.lock, run on distroless as non-root.
# docker build -t ghcr.io/rec-wasm/rec-operator:0.1.0 .
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown
COPY . .
RUN cargo build --release --locked -p rec-operator --bin rec-operator \
 && cp target/release/rec-operator /rec-operator

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /rec-operator /usr/local/bin/rec-operator
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/rec-operator"]
CMD ["run"]
