#!/usr/bin/env bash
# Builds the real Kubernetes control plane the real-API tests run against: kube-apiserver,
# kube-controller-manager and kubectl from k8s.io/kubernetes, and etcd from go.etcd.io/etcd/server/v3,
# all from the Go module proxy (no release tarballs, no images). Installs them where fabric8
# kube-api-test looks for them: ~/.kubeapitest/k8s/<version>-linux-amd64/.
#
# Pinned: Kubernetes v1.36.3 (the newest patch of 1.36, whose go.mod says `go 1.26.0`, so the
# machines' Go 1.26 builds it without fetching another toolchain; 1.37 is newer but only at .2),
# etcd v3.6.16 (the newest 3.6, the series Kubernetes 1.36 is tested with; go 1.26.0 too).
#
# Skips the build when the binaries there already report the pinned versions.
# Usage: test-infra/kube-binaries.sh [--force]
set -euo pipefail

K8S_VERSION="${K8S_VERSION:-1.36.3}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
DEST="${KUBEAPITEST_DIR:-$HOME/.kubeapitest}/k8s/${K8S_VERSION}-linux-amd64"
WORK="${KUBE_BINARIES_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/peerwarden-kube-binaries}"
FORCE="${1:-}"

log() { printf '[kube-binaries] %s\n' "$*" >&2; }

reports() { # <expected line> <command...>: the command's output has that line (output captured
  # whole: with pipefail, grep -q closing the pipe early would fail the check by SIGPIPE)
  local expected=$1 out; shift
  out=$("$@" 2>/dev/null) || return 1
  grep -qxF "$expected" <<<"$out"
}

installed_ok() {
  reports "Kubernetes v${K8S_VERSION}" "$DEST/kube-apiserver" --version &&
  reports "Kubernetes v${K8S_VERSION}" "$DEST/kube-controller-manager" --version &&
  reports "Client Version: v${K8S_VERSION}" "$DEST/kubectl" version --client &&
  reports "etcd Version: ${ETCD_VERSION}" "$DEST/etcd" --version
}

if [ "$FORCE" != "--force" ] && installed_ok; then
  log "Kubernetes v${K8S_VERSION} and etcd v${ETCD_VERSION} already in $DEST"
  exit 0
fi

command -v go >/dev/null || { log "go is not on PATH"; exit 1; }
export CGO_ENABLED=0 GOFLAGS=-mod=mod GOTOOLCHAIN=local
start=$(date +%s)

# Replace directives for a wrapper module: every local-path replace of a module the dependency
# requires becomes a replace by the published module at the given version (its go.mod names them by
# path, which only works inside its own repository). Local replaces of modules it does not require
# (etcd's `=> ./FORBIDDEN_DEPENDENCY` guards) are left out.
replaces_from() { # <go.mod of the dependency> <version for the replaced modules>
  awk -v v="$2" '
    { line = $0; sub(/^[ \t]+/, "", line) }
    /^require[ \t]*\($/ { block = "require"; next }
    /^replace[ \t]*\($/ { block = "replace"; next }
    block != "" && /^\)/  { block = ""; next }
    block == "require" || $1 == "require" { sub(/^require[ \t]+/, "", line); split(line, r, /[ \t]+/); required[r[1]] = 1; next }
    block == "replace" || $1 == "replace" {
      sub(/^replace[ \t]+/, "", line)
      if (line ~ /=>[ \t]*\.\.?\//) { split(line, parts, /[ \t]+/); local[parts[1]] = 1 }
    }
    END { for (m in local) if (m in required) print "replace " m " => " m " " v }
  ' "$1" | sort
}

wrapper() { # <dir> <module> <version> <replace version>
  local dir=$1 module=$2 version=$3 rv=$4 gomod
  rm -rf "$dir"; mkdir -p "$dir"
  gomod=$(cd "$dir" && go mod download -json "${module}@${version}" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [ -f "$gomod" ] || { log "no go.mod downloaded for ${module}@${version}"; exit 1; }
  {
    echo "module peerwarden.io/kube-binaries/$(basename "$dir")"
    echo
    echo "go 1.26.0"
    echo
    echo "require ${module} ${version}"
    echo
    replaces_from "$gomod" "$rv"
  } > "$dir/go.mod"
  log "$dir/go.mod: $(grep -c '^replace' "$dir/go.mod") replaces from ${module}@${version}"
}

# --- Kubernetes ---------------------------------------------------------------
k8s="$WORK/kubernetes-v${K8S_VERSION}"
wrapper "$k8s" k8s.io/kubernetes "v${K8S_VERSION}" "v0.${K8S_VERSION#1.}"
minor=${K8S_VERSION#1.}; minor=${minor%%.*}
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X ${pkg}.gitVersion=v${K8S_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
  ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${build_date}"
done
(
  cd "$k8s"
  log "resolving k8s.io/kubernetes v${K8S_VERSION} commands"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@v${K8S_VERSION}" \
         "k8s.io/kubernetes/cmd/kube-controller-manager@v${K8S_VERSION}" \
         "k8s.io/kubernetes/cmd/kubectl@v${K8S_VERSION}"
  # the go get above must not have moved a staging module or Kubernetes itself off the pin
  go list -m k8s.io/kubernetes | grep -qx "k8s.io/kubernetes v${K8S_VERSION}"
  mkdir -p bin
  log "building kube-apiserver, kube-controller-manager, kubectl"
  go build -trimpath -ldflags "$ldflags" -o bin/ \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl
)

# --- etcd ---------------------------------------------------------------------
etcd="$WORK/etcd-v${ETCD_VERSION}"
wrapper "$etcd" go.etcd.io/etcd/server/v3 "v${ETCD_VERSION}" "v${ETCD_VERSION}"
(
  cd "$etcd"
  log "building etcd"
  go get "go.etcd.io/etcd/server/v3@v${ETCD_VERSION}"
  go build -trimpath -ldflags "-s -w" -o bin/etcd go.etcd.io/etcd/server/v3
)

mkdir -p "$DEST"
for b in kube-apiserver kube-controller-manager kubectl; do install -m 0755 "$k8s/bin/$b" "$DEST/$b"; done
install -m 0755 "$etcd/bin/etcd" "$DEST/etcd"
installed_ok || { log "built binaries do not report the pinned versions"; "$DEST/kube-apiserver" --version; "$DEST/kubectl" version --client; "$DEST/etcd" --version; exit 1; }
log "installed into $DEST in $(( $(date +%s) - start )) s"
