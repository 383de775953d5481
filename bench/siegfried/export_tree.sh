#!/bin/bash
# export_tree.sh GITDIR COMMIT DEST : export a commit's tree, skipping blobs absent from the snapshot
set -e
gd=$1; c=$2; dest=$3
mkdir -p "$dest"
idx=$(mktemp)
rm -f "$idx"
GIT_INDEX_FILE=$idx git --git-dir="$gd" read-tree "$c"
git --git-dir="$gd" ls-tree -r "$c" | while read m t o p; do
  if [ "$t" = blob ] && ! git --git-dir="$gd" cat-file -e "$o" 2>/dev/null; then
    echo "export_tree: skipping absent blob $p" >&2
    GIT_INDEX_FILE=$idx git --git-dir="$gd" update-index --force-remove "$p"
  fi
done
GIT_INDEX_FILE=$idx git --git-dir="$gd" --work-tree="$dest" checkout-index -a -f --prefix="$dest/"
rm -f "$idx"
