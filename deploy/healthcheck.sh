#!/bin/sh
# careerpath's health check: exit 0 when /_health answers 200 (the app, its database and,
# on the scale-out stack, Redis are up), 1 otherwise. Used by the container HEALTHCHECK
# (deploy/Containerfile) and the systemd timer (deploy/careerpath-health.timer).
# With --restart (systemd), a failing check restarts careerpath.service.
url="http://127.0.0.1:${CAREERPATH_PORT:-3000}/_health"
if python3 -c "import sys, urllib.request
try:
    sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=10).status == 200 else 1)
except Exception:
    sys.exit(1)" "$url"; then
  exit 0
fi
echo "careerpath : $url ne répond pas" >&2
if [ "${1:-}" = "--restart" ]; then
  systemctl restart careerpath.service
fi
exit 1
