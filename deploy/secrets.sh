#!/usr/bin/env bash
# Writes the secrets docker-compose.yml reads (env_file:) into deploy/secrets/, each file for the
# services that need it. Run it once before the first `docker compose up`; an existing file is
# never overwritten (rotating a value is editing its file, see deploy/README.md).
#   postgres.env  postgresql, temporal-schema, temporal   database password
#   otp.env       api, worker      OTP_CODE_SECRET, OTP_PAYLOAD_KEYS, Twilio credentials: the same in
#                                  every process (workers send, the API checks Twilio's signatures)
#   api.env       api              OTP_TOKEN_SECRET, OTP_ADMIN_TOKEN
#   codec.env     api, codec-proxy OTP_CODEC_TOKEN
#   worker.env    worker           SMTP_URL (fill in your own)
#   grafana.env   grafana          the Grafana admin password
set -euo pipefail
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/secrets"
umask 077
mkdir -p "$dir"

hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

write() { # file line...
  local file="$dir/$1"
  shift
  if [[ -e "$file" ]]; then
    echo "kept  $file"
    return
  fi
  printf '%s\n' "$@" >"$file.tmp"
  mv "$file.tmp" "$file"
  echo "wrote $file"
}

pg_password=$(hex 24)
write postgres.env \
  "# The postgres image reads POSTGRES_PASSWORD, Temporal's images POSTGRES_PWD: the same value." \
  "POSTGRES_PASSWORD=$pg_password" \
  "POSTGRES_PWD=$pg_password"
write otp.env \
  "# API and workers, identical in every process. OTP_PAYLOAD_KEYS: the first key encrypts, all decrypt." \
  "OTP_CODE_SECRET=$(hex 32)" \
  "OTP_PAYLOAD_KEYS=k$(date -u +%Y%m%d):$(head -c 32 /dev/urandom | base64)" \
  "# Twilio (SMS, WhatsApp): both or neither. Workers send with them; the API checks the signature" \
  "# of Twilio's status callbacks with the auth token. Sender numbers go in .env (not secret)." \
  "TWILIO_ACCOUNT_SID=" \
  "TWILIO_AUTH_TOKEN="
write api.env \
  "OTP_TOKEN_SECRET=$(hex 32)" \
  "OTP_ADMIN_TOKEN=$(hex 32)"
write codec.env \
  "# Bearer token of the API's /codec endpoints (Temporal UI via codec-proxy, temporal CLI --codec-auth)." \
  "OTP_CODEC_TOKEN=$(hex 32)"
write worker.env \
  "# Delivery. Mailpit catches email until SMTP_URL names a real relay (smtp://user:pass@host:587)." \
  "SMTP_URL=smtp://mailpit:1025"
write grafana.env \
  "GF_SECURITY_ADMIN_PASSWORD=$(hex 16)"
