#!/bin/bash
# Build signature variants with roy. BASE=v120 (roy's bundled data: DROID V120 + PRONOM reports + container-20240715, i.e. plain `roy build`)
# or BASE=v122nr (DROID V122 -noreports + container-20260119 from digital-preservation/droid).
set -eu
B=${SFBUILD:-/tmp/sfbuild}; H=$B/src/siegfried/cmd/roy/data; ROY=$B/bin/roy
BASE=${BASE:-v120}
case $BASE in
  v120)   BASEFLAGS="" ;;
  v122nr) BASEFLAGS="-noreports -droid $B/data/DROID_SignatureFile_V122.xml -container $B/data/container-signature-20260119.xml" ;;
esac
build() { name=$1; shift; $ROY build -home $H -quiet $BASEFLAGS "$@" ${BASE}_$name.sig >/dev/null && mv $H/${BASE}_$name.sig $B/out/ && echo "built ${BASE}_$name.sig ($*) $(stat -c %s $B/out/${BASE}_$name.sig) bytes"; }
build default
build bof8k_eof8k   -bof 8192 -eof 8192
build bof64k_eof64k -bof 65536 -eof 65536
build bof1m_eof1m   -bof 1048576 -eof 1048576
build bof64k        -bof 65536
build eof8k         -eof 8192
build noeof         -noeof
build notext        -notext
build multi_single  -multi single
build multi_positive -multi positive
build nocontainer   -nocontainer
build noxml         -noxml
build bof64k_eof64k_notext -bof 65536 -eof 65536 -notext
build bof8k_eof8k_notext   -bof 8192 -eof 8192 -notext
build bof64k_eof8k  -bof 65536 -eof 8192
