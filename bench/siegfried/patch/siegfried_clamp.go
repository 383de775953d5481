package siegfried

// sfbuild addition (not upstream): post-hoc equivalent of `roy build -bof N` on a loaded signature file.
import (
	"github.com/richardlehane/siegfried/internal/bytematcher"
	"github.com/richardlehane/siegfried/internal/containermatcher"
)

func (s *Siegfried) ClampBOF(limit int) {
	bytematcher.ClampBOF(s.bm, limit)
	containermatcher.ClampBOF(s.cm, limit)
}
