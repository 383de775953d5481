package priority

// sfbuild addition (not upstream): accessors used by bytematcher.ClampBOF.
func (s *Set) Idx() []int { return s.idx }

func (s *Set) SetMaxOffsets(i, bof, eof int) { s.maxOffsets[i] = [2]int{bof, eof} }
