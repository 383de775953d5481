package containermatcher

// sfbuild addition (not upstream): apply a BOF limit to the bytematchers inside container tests.
import (
	"github.com/richardlehane/siegfried/internal/bytematcher"
	"github.com/richardlehane/siegfried/pkg/core"
)

func ClampBOF(c core.Matcher, limit int) {
	if c == nil {
		return
	}
	for _, cm := range c.(Matcher) {
		for _, t := range cm.nameCTest {
			bytematcher.ClampBOF(t.bm, limit)
		}
		for _, t := range cm.globCtests {
			bytematcher.ClampBOF(t.bm, limit)
		}
	}
}
