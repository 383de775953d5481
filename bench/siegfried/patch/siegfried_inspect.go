package siegfried

// sfbuild addition (not upstream): per-component sizes and equality, to check sfclamp against roy.
import (
	"fmt"
	"reflect"

	"github.com/richardlehane/siegfried/internal/bytematcher"
	"github.com/richardlehane/siegfried/internal/containermatcher"
	"github.com/richardlehane/siegfried/internal/persist"
	"github.com/richardlehane/siegfried/pkg/core"
)

func ComponentReport(a, b *Siegfried) string {
	sz := func(f func(ls *persist.LoadSaver)) []byte { ls := persist.NewLoadSaver(nil); f(ls); return ls.Bytes() }
	out := ""
	comps := []struct {
		n    string
		x, y core.Matcher
		save func(core.Matcher, *persist.LoadSaver)
	}{
		{"bytematcher", a.bm, b.bm, bytematcher.Save},
		{"containermatcher", a.cm, b.cm, containermatcher.Save},
	}
	for _, c := range comps {
		ba, bb := sz(func(ls *persist.LoadSaver) { c.save(c.x, ls) }), sz(func(ls *persist.LoadSaver) { c.save(c.y, ls) })
		out += fmt.Sprintf("%s: %d vs %d bytes, bytes equal=%v\n", c.n, len(ba), len(bb), string(ba) == string(bb))
	}
	out += bytematcher.Diff(a.bm, b.bm)
	for i := range a.ids {
		ia, ib := sz(func(ls *persist.LoadSaver) { a.ids[i].Save(ls) }), sz(func(ls *persist.LoadSaver) { b.ids[i].Save(ls) })
		out += fmt.Sprintf("identifier %d: %d vs %d bytes, equal=%v; details %q vs %q\n", i, len(ia), len(ib), reflect.DeepEqual(ia, ib), a.ids[i].Details(), b.ids[i].Details())
	}
	return out
}
