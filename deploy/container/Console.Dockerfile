# The web console image: Blazor (interactive server) + MudBlazor, a gRPC client of the server.
# Build it like the server's image (no registry host names here):
#   docker build -f deploy/container/Console.Dockerfile \
#     --build-arg DOTNET_SDK_IMAGE=<registry>/dotnet/sdk:10.0 \
#     --build-arg DOTNET_RUNTIME_IMAGE=<registry>/dotnet/aspnet:10.0 -t personalization-console:dev .
# deploy/container/check.sh runs the same publish and start steps as a script on a machine without Docker.
ARG DOTNET_SDK_IMAGE
ARG DOTNET_RUNTIME_IMAGE

FROM ${DOTNET_SDK_IMAGE} AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Personalization.Console -c Release -o /app -nologo

FROM ${DOTNET_RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app .
# Console__ServerAddress: the server's gRPC address (in Kubernetes, its Service).
ENV DOTNET_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    Console__ServerAddress=http://personalization:5080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "Personalization.Console.dll"]
