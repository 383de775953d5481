package bytematcher

// sfbuild addition (not upstream): apply roy's -bof limit to an already-built matcher.
// Replicates updatePositions' clamp of BOF/PREV keyframes, then recomputes every field
// that addSignature/Add derive from keyframe positions.

import (
	"github.com/richardlehane/siegfried/internal/bytematcher/frames"
	"github.com/richardlehane/siegfried/pkg/core"
)

func ClampBOF(c core.Matcher, limit int) {
	if c == nil || limit <= 0 {
		return
	}
	b := c.(*Matcher)
	for i := range b.keyFrames {
		for j := range b.keyFrames[i] {
			k := &b.keyFrames[i][j]
			if k.typ == frames.BOF || k.typ == frames.PREV {
				if k.key.pMax < 0 || k.key.pMax > int64(limit) {
					k.key.pMax = int64(limit)
				}
			}
		}
	}
	// forward (BOF) clusters carry their keyframes' pMax as dwac MaxOffsets (see cluster.commit).
	// roy would also merge seqs that become identical after clamping; here they stay separate
	// entries (same matches, slightly more work).
	for i := range b.bofSeq.set {
		for j, v := range b.bofSeq.set[i].MaxOffsets {
			if v < 0 || v > int64(limit) {
				b.bofSeq.set[i].MaxOffsets[j] = int64(limit)
			}
		}
	}
	var ub, ue []keyFrameID
	mb, me := 0, 0
	for i, kf := range b.keyFrames {
		u1, u2 := unknownBOFandEOF(i, kf)
		if len(u1) > 0 {
			ub = append(ub, u1...)
		}
		if len(u2) > 0 {
			ub = append(ue, u2...) // same as upstream addSignature
		}
		mb, me = maxBOF(mb, kf), maxEOF(me, kf)
	}
	b.unknownBOF, b.unknownEOF = ub, ue
	b.maxBOF, b.maxEOF = mb, me
	if b.priorities != nil {
		start := 0
		for n, end := range b.priorities.Idx() {
			bof, eof := 0, 0
			for _, kf := range b.keyFrames[start:end] {
				bof, eof = maxBOF(bof, kf), maxEOF(eof, kf)
			}
			b.priorities.SetMaxOffsets(n, bof, eof)
			start = end
		}
	}
}
