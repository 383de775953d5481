package bytematcher

// sfbuild addition (not upstream): field-by-field comparison of two byte matchers.
import (
	"fmt"
	"reflect"

	"github.com/richardlehane/siegfried/pkg/core"
)

func Diff(x, y core.Matcher) string {
	a, b := x.(*Matcher), y.(*Matcher)
	out := ""
	chk := func(n string, p, q interface{}) { out += fmt.Sprintf("  bm.%s equal=%v\n", n, reflect.DeepEqual(p, q)) }
	chk("keyFrames", a.keyFrames, b.keyFrames)
	chk("tests", a.tests, b.tests)
	chk("bofFrames", a.bofFrames, b.bofFrames)
	chk("eofFrames", a.eofFrames, b.eofFrames)
	chk("bofSeq", a.bofSeq, b.bofSeq)
	chk("eofSeq", a.eofSeq, b.eofSeq)
	chk("unknownBOF", a.unknownBOF, b.unknownBOF)
	chk("unknownEOF", a.unknownEOF, b.unknownEOF)
	chk("maxBOF/EOF", [2]int{a.maxBOF, a.maxEOF}, [2]int{b.maxBOF, b.maxEOF})
	chk("priorities", a.priorities, b.priorities)
	out += fmt.Sprintf("  maxBOF %d/%d maxEOF %d/%d unknownBOF %d/%d\n", a.maxBOF, b.maxBOF, a.maxEOF, b.maxEOF, len(a.unknownBOF), len(b.unknownBOF))
	if len(a.keyFrames) == len(b.keyFrames) {
		n := 0
		for i := range a.keyFrames {
			if !reflect.DeepEqual(a.keyFrames[i], b.keyFrames[i]) {
				if n < 5 {
					out += fmt.Sprintf("  sig %d: %v\n      vs %v\n", i, a.keyFrames[i], b.keyFrames[i])
				}
				n++
			}
		}
		out += fmt.Sprintf("  %d/%d signatures' keyframes differ\n", n, len(a.keyFrames))
	}
	return out
}
