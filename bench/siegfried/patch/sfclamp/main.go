// sfclamp IN.sig OUT.sig BOF : load a siegfried signature file, apply a maximum BOF offset
// to its byte matchers (as `roy build -bof BOF` would), and save it (creation time kept).
package main

import (
	"log"
	"os"
	"strconv"

	"github.com/richardlehane/siegfried"
)

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: sfclamp IN.sig OUT.sig BOF")
	}
	n, err := strconv.Atoi(os.Args[3])
	if err != nil {
		log.Fatal(err)
	}
	s, err := siegfried.Load(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	if n > 0 {
		s.ClampBOF(n)
	}
	if err := s.Save(os.Args[2]); err != nil {
		log.Fatal(err)
	}
}
