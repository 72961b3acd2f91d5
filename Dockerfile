# syntax=docker/dockerfile:1
# One image for both processes: the default command runs the API; the compose `worker`
# service runs `node dist/src/bin/worker.js` from the same image.

# --- build: full dependency tree, TypeScript compiled to dist/, workflows prebundled ------
FROM node:20-bookworm-slim AS build
WORKDIR /app
# Install scripts stay off, as on the development machines (package.json `allowScripts`):
# bcrypt and the Temporal core bridge load the prebuilt binaries they ship.
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --ignore-scripts
COPY . .
# tsc, then the workflow bundle dist/workflow-bundle.js: the worker starts from it (no webpack at
# start-up) and derives its default build id (WORKER_BUILD_ID) from its hash.
RUN npm run build

# --- runtime: production dependencies and the compiled output only -----------------------
FROM node:20-bookworm-slim AS runtime
# The API listens on every interface of the container (outside one, HOST defaults to 127.0.0.1):
# what reaches it is decided by the port you publish.
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
# Files stay owned by root, so the unprivileged process cannot rewrite its own code.
USER node
EXPOSE 3000
CMD ["node", "dist/src/bin/api.js"]
