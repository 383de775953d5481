#!/bin/bash
# second round of variants (BOF-only limits), same conventions as variants.sh
set -eu
B=${SFBUILD:-/tmp/sfbuild}; H=$B/src/siegfried/cmd/roy/data; ROY=$B/bin/roy
BASE=${BASE:-v120}
case $BASE in
  v120)   BASEFLAGS="" ;;
  v122nr) BASEFLAGS="-noreports -droid $B/data/DROID_SignatureFile_V122.xml -container $B/data/container-signature-20260119.xml" ;;
esac
build() { name=$1; shift; $ROY build -home $H -quiet $BASEFLAGS "$@" ${BASE}_$name.sig >/dev/null && mv $H/${BASE}_$name.sig $B/out/ && echo "built ${BASE}_$name.sig ($*) $(stat -c %s $B/out/${BASE}_$name.sig) bytes"; }
build bof4k   -bof 4096
build bof8k   -bof 8192
build bof16k  -bof 16384
build bof32k  -bof 32768
build bof128k -bof 131072
build bof1m   -bof 1048576
build bof64k_multi_single -bof 65536 -multi single
build bof8k_multi_single  -bof 8192 -multi single
