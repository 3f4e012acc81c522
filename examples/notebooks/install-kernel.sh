#!/usr/bin/env bash
# Installs what the notebooks in this folder need, for the current user, on Debian/Ubuntu:
#   1. Jupyter's command-line tools from apt (nbconvert, nbclient, jupyter-client, ipykernel),
#      plus Java 17 and Maven when they are missing;
#   2. the Java kernel rapaio-jupyter-kernel (a JShell kernel, a single self-contained jar on Maven
#      Central), fetched by Maven into the local repository (~/.m2);
#   3. its kernelspec, "rapaio-jupyter-kernel", in ~/.local/share/jupyter/kernels/ (the kernel's own
#      installer, `java -jar rapaio-jupyter-kernel-<v>.jar -i -auto`, which copies the jar there),
#      with OMP_WAIT_POLICY=PASSIVE added to the kernel's environment (as bin/koopman4j does).
# Safe to run again: installed packages are skipped, the kernelspec is overwritten.
# Variables: RJK_VERSION (default 2.3.0), M2_REPO (default ~/.m2/repository), NOTEBOOK=1 to also
# install the classic Jupyter Notebook front end (jupyter-notebook) for interactive use.
set -euo pipefail

RJK_VERSION="${RJK_VERSION:-2.3.0}"
M2_REPO="${M2_REPO:-$HOME/.m2/repository}"
KERNEL_NAME=rapaio-jupyter-kernel

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# 1. Debian packages -----------------------------------------------------------------------------
packages=(jupyter-nbconvert python3-nbclient jupyter-client python3-jupyter-client python3-ipykernel)
[ "${NOTEBOOK:-0}" = 1 ] && packages+=(jupyter-notebook)
command -v java >/dev/null 2>&1 || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || packages+=(maven)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-kernel: apt-get install ${missing[*]}" >&2
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "install-kernel: Debian packages already installed" >&2
fi

# 2. The kernel jar, through Maven -----------------------------------------------------------------
jar="$M2_REPO/io/github/padreati/rapaio-jupyter-kernel/$RJK_VERSION/rapaio-jupyter-kernel-$RJK_VERSION.jar"
if [ ! -f "$jar" ]; then
  echo "install-kernel: fetching io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION from Maven Central" >&2
  mvn -q -B dependency:get -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$RJK_VERSION" -Dtransitive=false \
      -Dmaven.repo.local="$M2_REPO"
fi
[ -f "$jar" ] || { echo "install-kernel: $jar not found after mvn dependency:get" >&2; exit 1; }

# 3. The kernelspec ------------------------------------------------------------------------------
# -i: installer; -auto: no questions (user install, kernel dir "rapaio-jupyter-kernel", defaults).
java -jar "$jar" -i -auto
spec_dir="$HOME/.local/share/jupyter/kernels/$KERNEL_NAME"
[ -f "$spec_dir/kernel.json" ] || { echo "install-kernel: $spec_dir/kernel.json was not written" >&2; exit 1; }
# OpenMP threads that spin-wait lose whole time slices on a busy machine (see bin/koopman4j).
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" - "$spec_dir/kernel.json" <<'PY'
import json, sys
path = sys.argv[1]
with open(path) as f:
    spec = json.load(f)
spec.setdefault("env", {})["OMP_WAIT_POLICY"] = "PASSIVE"
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PY

jupyter kernelspec list 2>/dev/null
echo "install-kernel: done; kernel name: $KERNEL_NAME" >&2
