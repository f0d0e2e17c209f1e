#!/usr/bin/env bash
# The contenders and servers the benchmark needs, from Debian, installed only when missing (as root).
set -euo pipefail
need=()
command -v prometheus-blackbox-exporter >/dev/null || need+=(prometheus-blackbox-exporter)
[ -x /usr/lib/nagios/plugins/check_http ] || need+=(monitoring-plugins-basic)
[ -x /usr/lib/nagios/plugins/check_pgsql ] || need+=(monitoring-plugins-standard)
command -v nslookup >/dev/null || need+=(bind9-dnsutils)
[ -x /usr/bin/time ] || need+=(time)
[ -x /usr/sbin/dnsmasq ] || need+=(dnsmasq-base)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
command -v redis-server >/dev/null || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "bench: missing Debian packages: ${need[*]} (run as root to install them)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
# The packaged blackbox_exporter service must not start by itself: the benchmark runs its own.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
