#!/usr/bin/env bash
# Checks the systemd files of ipcased and ipcase-web:
#   1. `systemd-analyze verify` of Deploy/ipcased.service and Deploy/ipcase-web.service, inside
#      a scratch root where /usr/local/bin/ipcased and ipcase-web exist, with no warning at all;
#   2. `systemd-analyze security --offline=true`: the exposure must be at most 2.0
#      (override with IPCASE_UNIT_MAX_EXPOSURE);
#   3. the sysusers.d and tmpfiles.d snippets, applied to the scratch root, create the
#      ipcase user and /etc/ipcase as root:ipcase 0750.
# Installs Debian's `systemd` package when systemd-analyze is missing. Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")"

max_exposure="${IPCASE_UNIT_MAX_EXPOSURE:-2.0}"
units=(ipcased.service ipcase-web.service)

if ! command -v systemd-analyze >/dev/null 2>&1; then
    echo "check-unit: installing systemd (for systemd-analyze)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends systemd
fi
echo "check-unit: $(systemd-analyze --version | head -n 1)"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/local/bin" "$root/usr/bin" "$root/usr/lib/systemd" "$root/etc/systemd/system" \
    "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d"
ln -s usr/bin "$root/bin"
# verify checks that ExecStart= and ExecReload= name executables; stand-ins are enough.
for program in usr/local/bin/ipcased usr/local/bin/ipcase-web usr/bin/kill; do
    printf '#!/bin/sh\nexit 0\n' > "$root/$program"
    chmod 0755 "$root/$program"
done
# The host's units (targets such as sysinit.target and network-online.target).
for dir in /usr/lib/systemd/system /lib/systemd/system; do
    if [ -d "$dir" ]; then
        cp -a "$dir" "$root/usr/lib/systemd/"
        break
    fi
done
status=0
for unit in "${units[@]}"; do
    cp "$unit" "$root/etc/systemd/system/$unit"

    echo "check-unit: systemd-analyze verify $unit"
    if ! output="$(systemd-analyze verify --root="$root" "/etc/systemd/system/$unit" 2>&1)"; then
        echo "$output" >&2
        echo "check-unit: FAIL: systemd-analyze verify failed" >&2
        status=1
    elif [ -n "$output" ]; then
        echo "$output" >&2
        echo "check-unit: FAIL: systemd-analyze verify reported problems" >&2
        status=1
    else
        echo "check-unit: verify OK"
    fi

    echo "check-unit: systemd-analyze security --offline=true $unit"
    security="$(systemd-analyze security --offline=true --no-pager "$unit" 2>&1)" || true
    exposure="$(printf '%s\n' "$security" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' | tail -n 1)"
    if [ -z "$exposure" ]; then
        echo "$security" >&2
        echo "check-unit: FAIL: no exposure level in the output of systemd-analyze security" >&2
        status=1
    elif awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }'; then
        printf '%s\n' "$security" | grep -v '^✓' || true
        echo "check-unit: exposure $exposure <= $max_exposure OK"
    else
        printf '%s\n' "$security" >&2
        echo "check-unit: FAIL: exposure $exposure > $max_exposure" >&2
        status=1
    fi
done

echo "check-unit: sysusers.d and tmpfiles.d snippets"
cp sysusers.d/ipcase.conf "$root/usr/lib/sysusers.d/ipcase.conf"
cp tmpfiles.d/ipcase.conf "$root/usr/lib/tmpfiles.d/ipcase.conf"
if ! systemd-sysusers --root="$root" >/dev/null 2>&1 || ! grep -q '^ipcase:' "$root/etc/passwd"; then
    echo "check-unit: FAIL: sysusers.d/ipcase.conf did not create the ipcase user" >&2
    status=1
elif ! systemd-tmpfiles --root="$root" --create >/dev/null 2>&1; then
    echo "check-unit: FAIL: systemd-tmpfiles --create failed on tmpfiles.d/ipcase.conf" >&2
    status=1
else
    gid="$(awk -F: '$1 == "ipcase" { print $3 }' "$root/etc/group")"
    mode="$(stat -c '%a %u %g' "$root/etc/ipcase")"
    if [ "$mode" = "750 0 $gid" ]; then
        echo "check-unit: sysusers/tmpfiles OK (/etc/ipcase root:ipcase 0750)"
    else
        echo "check-unit: FAIL: /etc/ipcase is '$mode', expected '750 0 $gid'" >&2
        status=1
    fi
fi

exit "$status"
